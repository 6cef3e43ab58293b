/*
 * test_cms.c: signed recognition decisions (gw_cms.c, gw_signer.c,
 * gw_decision.c), table-driven with pinned signing times, plus two
 * verifiers that share no code with ours: sm-crypto under Node for SM2
 * (tests/interop/verify-sm2-cms.js) and `openssl cms -verify` for ECDSA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "gw.h"
#include "gw_cms_int.h"

#define T2026	1767225600	/* 2026-01-01T00:00:00Z */
#define T2050	2524608000LL	/* 2050-01-01: GeneralizedTime, after the
				   signer certificates expire (2045) */

static const char *
fixdir(void)
{
	const char	*f = getenv("FIXTURES");

	return f != NULL ? f : "build/fixtures";
}

static struct gw_signer *
signer(const char *name)
{
	char			 k[512], c[512], err[256];
	struct gw_signer	*s;

	snprintf(k, sizeof(k), "%s/signer/%s.key", fixdir(), name);
	snprintf(c, sizeof(c), "%s/signer/%s.pem", fixdir(), name);
	s = gw_signer_load(k, c, err, sizeof(err));
	if (s == NULL)
		fail_msg("signer %s: %s", name, err);
	return s;
}

static X509 *
cert(const char *name)
{
	char	 p[512];
	FILE	*fp;
	X509	*x;

	snprintf(p, sizeof(p), "%s/signer/%s.pem", fixdir(), name);
	assert_non_null(fp = fopen(p, "r"));
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(x);
	return x;
}

static json_t *
sample_doc(void)
{
	static const char *const types[] = { "qualified-esig", "esig", NULL };
	static const char *const scen[] = { "cross-border-trade", NULL };
	static const char *const rev[] = { "reviewer-a", "reviewer-b", NULL };
	static const char *const cond[] = { "annual audit report", NULL };
	struct gw_decision	 d = {
		.decision_id = "dec-0001", .dossier_id = "dos-0001",
		.action = "approve", .ca_legal_name = "Example Trust GmbH",
		.ca_country = "DE", .ca_registration_id = "HRB 12345",
		.certificate_types = types, .application_scenarios = scen,
		.not_before = T2026, .not_after = T2026 + 3 * 365 * 86400,
		.conditions = cond, .reviewers = rev,
		.comment = "four-eyes approval", .decided_at = T2026,
	};
	char			 err[256];
	json_t			*doc;
	X509			*ca[1];

	ca[0] = cert("ecdsa-other");	/* any certificate: a fingerprint */
	d.ca_certs = ca;
	d.ca_ncerts = 1;
	doc = gw_decision_doc(&d, err, sizeof(err));
	X509_free(ca[0]);
	if (doc == NULL)
		fail_msg("gw_decision_doc: %s", err);
	return doc;
}

/* Signs the sample decision with signer name at t (SM2 ID given). */
static void
sign_sample(const char *name, time_t t, const char *id, size_t idlen,
    unsigned char **der, size_t *len)
{
	struct gw_signer	*s = signer(name);
	json_t			*doc = sample_doc();
	char			 err[256], *text;

	if (id == NULL) {
		if (gw_decision_sign(s, doc, t, der, len, err,
		    sizeof(err)) != 0)
			fail_msg("sign: %s", err);
	} else {
		text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
		assert_non_null(text);
		if (gw_cms_sign_id(s, (unsigned char *)text, strlen(text), t,
		    id, idlen, der, len, err, sizeof(err)) != 0)
			fail_msg("sign: %s", err);
		free(text);
	}
	json_decref(doc);
	gw_signer_free(s);
}

static unsigned char *
find(unsigned char *b, size_t n, const char *s)
{
	size_t	 i, m = strlen(s);

	for (i = 0; i + m <= n; i++)
		if (memcmp(b + i, s, m) == 0)
			return b + i;
	fail_msg("'%s' not found", s);
	return NULL;
}

enum mut {
	M_NONE, M_CONTENT, M_ATTR, M_EMPTY_ID, M_TRUNC, M_TRAIL, M_INDEF,
	M_NOT_SD, M_PEM, M_LATE
};

/* Returns the codes of rep as one sorted space-separated string. */
static void
codes(const struct val_report *rep, char *out, size_t outlen)
{
	const char	*v[64];
	size_t		 i, j, n = 0;

	for (i = 0; i < rep->n && n < 64; i++)
		v[n++] = rep->items[i].rule->code;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", outlen - strlen(out) - 1);
		strncat(out, v[i], outlen - strlen(out) - 1);
	}
}

static void
test_table(void **state)
{
	static const struct {
		const char	*name;
		const char	*key;
		enum mut	 mut;
		const char	*pin;	/* NULL: none */
		const char	*want;	/* exact codes, sorted */
		int		 valid;
	} rows[] = {
		{ "sm2 good", "sm2", M_NONE, "sm2", "", 1 },
		{ "sm2 good unpinned", "sm2", M_NONE, NULL, "", 1 },
		{ "ecdsa good", "ecdsa", M_NONE, "ecdsa", "", 1 },
		{ "sm2 pem", "sm2", M_PEM, "sm2", "", 1 },
		{ "ecdsa pem", "ecdsa", M_PEM, "ecdsa", "", 1 },
		{ "sm2 tampered content", "sm2", M_CONTENT, "sm2",
		    "CMS-DIGEST-MISMATCH", 0 },
		{ "ecdsa tampered content", "ecdsa", M_CONTENT, "ecdsa",
		    "CMS-DIGEST-MISMATCH", 0 },
		{ "sm2 tampered attribute", "sm2", M_ATTR, "sm2",
		    "CMS-SIGNATURE", 0 },
		{ "ecdsa tampered attribute", "ecdsa", M_ATTR, "ecdsa",
		    "CMS-SIGNATURE", 0 },
		{ "sm2 wrong pinned signer", "sm2", M_NONE, "sm2-other",
		    "CMS-SIGNER-PIN", 0 },
		{ "ecdsa wrong pinned signer", "ecdsa", M_NONE, "ecdsa-other",
		    "CMS-SIGNER-PIN", 0 },
		{ "ecdsa pinned sm2", "ecdsa", M_NONE, "sm2",
		    "CMS-SIGNER-PIN", 0 },
		{ "sm2 empty ID", "sm2", M_EMPTY_ID, "sm2", "CMS-SM2-ID", 0 },
		{ "sm2 truncated", "sm2", M_TRUNC, "sm2", "CMS-TRUNCATED", 0 },
		{ "ecdsa truncated", "ecdsa", M_TRUNC, NULL, "CMS-TRUNCATED",
		    0 },
		{ "sm2 trailing bytes", "sm2", M_TRAIL, "sm2", "CMS-TRAILING",
		    0 },
		{ "sm2 indefinite length", "sm2", M_INDEF, "sm2", "CMS-DER",
		    0 },
		{ "not signedData", "sm2", M_NOT_SD, "sm2",
		    "CMS-NOT-SIGNED-DATA", 0 },
		{ "sm2 signed after signer expiry", "sm2", M_LATE, "sm2",
		    "CMS-SIGNER-VALIDITY", 0 },
	};
	struct val_report	 rep;
	struct gw_cms_info	 info;
	unsigned char		*der, *p, *b64 = NULL;
	size_t			 len, i;
	X509			*pin;
	json_t			*doc;
	char			 got[512];
	int			 n;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sign_sample(rows[i].key, rows[i].mut == M_LATE ?
		    (time_t)T2050 : T2026, rows[i].mut == M_EMPTY_ID ? "" :
		    NULL, 0, &der, &len);
		switch (rows[i].mut) {
		case M_CONTENT:
			p = find(der, len, "dec-0001");
			p[7] = '2';
			break;
		case M_ATTR:
			/* signingTime 260101000000Z -> ...01Z */
			p = find(der, len, "260101000000Z");
			p[11] = '1';
			break;
		case M_TRUNC:
			len -= 10;
			break;
		case M_TRAIL:
			der = realloc(der, len + 1);
			der[len++] = 0;
			break;
		case M_INDEF:
			/* 30 82 hi lo ... -> 30 80 ... 00 00 */
			assert_int_equal(der[1], 0x82);
			memmove(der + 2, der + 4, len - 4);
			der[1] = 0x80;
			der[len - 2] = 0;
			der[len - 1] = 0;
			break;
		case M_NOT_SD:
			p = der + 4 + 2 + 8;	/* last byte of the OID */
			assert_int_equal(*p, 0x02);
			*p = 0x03;
			break;
		case M_PEM:
			b64 = malloc(len * 2 + 64);
			n = EVP_EncodeBlock(b64 + 16, der, (int)len);
			memcpy(b64, "-----BEGIN CMS-\n", 16);
			/* EVP_EncodeBlock makes one line: PEM needs 64. */
			{
				unsigned char	*q = malloc(len * 2 + 128);
				size_t		 o = 0, k;

				o += (size_t)snprintf((char *)q, 32,
				    "-----BEGIN CMS-----\n");
				for (k = 0; k < (size_t)n; k++) {
					q[o++] = b64[16 + k];
					if (k % 64 == 63)
						q[o++] = '\n';
				}
				o += (size_t)snprintf((char *)q + o, 32,
				    "\n-----END CMS-----\n");
				free(b64);
				free(der);
				der = q;
				len = o;
			}
			break;
		default:
			break;
		}
		pin = rows[i].pin != NULL ? cert(rows[i].pin) : NULL;
		val_report_init(&rep);
		doc = NULL;
		assert_int_equal(gw_decision_verify(der, len, pin, &doc, &info,
		    &rep), 0);
		codes(&rep, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0) {
			val_report_print(stderr, &rep);
			fail_msg("%s: codes '%s', want '%s'", rows[i].name,
			    got, rows[i].want);
		}
		if (rows[i].valid) {
			assert_int_not_equal(val_report_verdict(&rep),
			    VAL_VERDICT_FAIL);
			assert_non_null(doc);
			assert_string_equal(json_string_value(
			    json_object_get(doc, "decision_id")), "dec-0001");
			assert_int_equal(info.has_signing_time, 1);
			assert_int_equal(info.signing_time, T2026);
			assert_int_equal(info.alg, strcmp(rows[i].key, "sm2") ==
			    0 ? GW_SIG_SM2 : GW_SIG_ECDSA_P256);
			assert_int_equal(strlen(info.signer_sha256), 64);
		} else {
			assert_int_equal(val_report_verdict(&rep),
			    VAL_VERDICT_FAIL);
			assert_null(doc);
		}
		json_decref(doc);
		gw_cms_info_free(&info);
		val_report_clear(&rep);
		X509_free(pin);
		free(der);
	}
}

/* Not a decision: signed fine, refused as a document. */
static void
test_not_a_decision(void **state)
{
	static const struct {
		const char	*content;
		const char	*detail;
	} rows[] = {
		{ "hello", "JSON" },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"decision_id\":\"a\",\"decision_id\":\"b\"}", "duplicate" },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"decision_id\":\"a\",\"dossier_id\":\"b\","
		    "\"action\":\"approve\",\"ca\":{\"legal_name\":\"x\"},"
		    "\"decided_at\":\"2026-01-01T00:00:00Z\",\"extra\":1}",
		    "extra: unknown key" },
	};
	struct gw_signer	*s = signer("sm2");
	struct val_report	 rep;
	unsigned char		*der;
	size_t			 len, i;
	json_t			*doc = NULL;
	char			 err[256];

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(gw_cms_sign(s,
		    (const unsigned char *)rows[i].content,
		    strlen(rows[i].content), T2026, &der, &len, err,
		    sizeof(err)), 0);
		val_report_init(&rep);
		assert_int_equal(gw_decision_verify(der, len, NULL, &doc, NULL,
		    &rep), 0);
		assert_int_equal(rep.n, 1);
		assert_string_equal(rep.items[0].rule->code, "DEC-CONTENT");
		assert_non_null(strstr(rep.items[0].detail, rows[i].detail));
		assert_null(doc);
		/* The CMS itself is fine. */
		val_report_clear(&rep);
		assert_int_equal(gw_cms_verify(der, len, NULL, NULL, &rep), 0);
		assert_int_equal(rep.n, 0);
		val_report_clear(&rep);
		free(der);
	}
	gw_signer_free(s);
}

/* The fixture's self-issued SM2 certificate verifies with the standard
 * ID and not with the empty one (gen-30-signer.sh got -sigopt right). */
static void
sm2_self_signed_std_id(X509 *x)
{
	ASN1_OCTET_STRING	*id;

	assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 0);
	ERR_clear_error();
	assert_non_null(id = ASN1_OCTET_STRING_new());
	assert_int_equal(ASN1_OCTET_STRING_set(id,
	    (const unsigned char *)VAL_SM2_ID, VAL_SM2_ID_LEN), 1);
	X509_set0_distinguishing_id(x, id);	/* x owns id now */
	assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 1);
}

static void
test_signer_load(void **state)
{
	static const struct {
		const char	*key, *cert;
		const char	*want;	/* NULL: loads */
		enum gw_sig_alg	 alg;
	} rows[] = {
		{ "sm2", "sm2", NULL, GW_SIG_SM2 },
		{ "ecdsa", "ecdsa", NULL, GW_SIG_ECDSA_P256 },
		{ "rsa", "rsa", "not SM2 or EC P-256", 0 },
		{ "sm2", "sm2-other", "does not match", 0 },
		{ "sm2", "ecdsa", "does not match", 0 },
		{ "missing", "sm2", "No such file", 0 },
		{ "sm2", "sm2", NULL, GW_SIG_SM2 },
	};
	struct gw_signer	*s;
	char			 k[512], c[512], err[256];
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(k, sizeof(k), "%s/signer/%s.key", fixdir(),
		    rows[i].key);
		snprintf(c, sizeof(c), "%s/signer/%s.pem", fixdir(),
		    rows[i].cert);
		err[0] = '\0';
		s = gw_signer_load(k, c, err, sizeof(err));
		if (rows[i].want == NULL) {
			if (s == NULL)
				fail_msg("%s: %s", rows[i].key, err);
			assert_int_equal(gw_signer_alg(s), rows[i].alg);
			assert_non_null(gw_signer_cert(s));
			if (rows[i].alg == GW_SIG_SM2)
				sm2_self_signed_std_id(gw_signer_cert(s));
		} else {
			assert_null(s);
			if (strstr(err, rows[i].want) == NULL)
				fail_msg("%s/%s: '%s' lacks '%s'", rows[i].key,
				    rows[i].cert, err, rows[i].want);
		}
		gw_signer_free(s);
	}
	gw_signer_free(NULL);
}

static void
test_bad_documents(void **state)
{
	static const struct {
		const char	*json;
		const char	*want;	/* in err */
	} rows[] = {
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"decision_id\":\"d\",\"dossier_id\":\"x\","
		    "\"action\":\"approve\",\"ca\":{\"legal_name\":\"x\"},"
		    "\"decided_at\":\"2026-01-01T00:00:00Z\"}", NULL },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"decision_id\":\"d\",\"dossier_id\":\"x\","
		    "\"action\":\"bless\",\"ca\":{\"legal_name\":\"x\"},"
		    "\"decided_at\":\"2026-01-01T00:00:00Z\"}", "action" },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"decision_id\":\"d\",\"dossier_id\":\"x\","
		    "\"action\":\"revoke\",\"ca\":{\"legal_name\":\"x\","
		    "\"colour\":\"red\"},"
		    "\"decided_at\":\"2026-01-01T00:00:00Z\"}",
		    "ca.colour: unknown key" },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"dossier_id\":\"x\",\"action\":\"revoke\","
		    "\"ca\":{\"legal_name\":\"x\"},"
		    "\"decided_at\":\"2026-01-01T00:00:00Z\"}",
		    "decision_id: missing" },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"decision_id\":\"d\",\"dossier_id\":\"x\","
		    "\"action\":\"approve\",\"ca\":{\"legal_name\":\"x\"},"
		    "\"validity\":{\"not_before\":\"2027-01-01T00:00:00Z\","
		    "\"not_after\":\"2026-01-01T00:00:00Z\"},"
		    "\"decided_at\":\"2026-01-01T00:00:00Z\"}",
		    "validity.not_after: before" },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":1,"
		    "\"decision_id\":\"d\",\"dossier_id\":\"x\","
		    "\"action\":\"approve\",\"ca\":{\"legal_name\":\"x\","
		    "\"certificates\":[{\"sha256\":\"ABC\"}]},"
		    "\"decided_at\":\"2026-01-01T00:00:00Z\"}",
		    "ca.certificates[0].sha256" },
		{ "{\"type\":\"xbrg-recognition-decision\",\"version\":2,"
		    "\"decision_id\":\"d\"}", "version" },
		{ "[1,2]", "not an object" },
	};
	struct gw_signer	*s = signer("ecdsa");
	unsigned char		*der;
	size_t			 len, i;
	json_t			*doc;
	char			 err[256];
	int			 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_non_null(doc = json_loads(rows[i].json, 0, NULL));
		err[0] = '\0';
		der = NULL;
		rc = gw_decision_sign(s, doc, T2026, &der, &len, err,
		    sizeof(err));
		if (rows[i].want == NULL)
			assert_int_equal(rc, 0);
		else {
			assert_int_equal(rc, -1);
			assert_null(der);
			if (strstr(err, rows[i].want) == NULL)
				fail_msg("row %zu: '%s' lacks '%s'", i, err,
				    rows[i].want);
		}
		free(der);
		json_decref(doc);
	}
	gw_signer_free(s);
}

/* The document's key order is fixed whatever order the input had. */
static void
test_stable_order(void **state)
{
	static const char *in = "{\"decided_at\":\"2026-01-01T00:00:00Z\","
	    "\"ca\":{\"country\":\"DE\",\"legal_name\":\"x\"},"
	    "\"action\":\"suspend\",\"dossier_id\":\"x\","
	    "\"decision_id\":\"d\",\"version\":1,"
	    "\"type\":\"xbrg-recognition-decision\"}";
	static const char *want = "{\"type\":\"xbrg-recognition-decision\","
	    "\"version\":1,\"decision_id\":\"d\",\"dossier_id\":\"x\","
	    "\"action\":\"suspend\",\"ca\":{\"legal_name\":\"x\","
	    "\"country\":\"DE\"},\"decided_at\":\"2026-01-01T00:00:00Z\"}";
	struct gw_signer	*s = signer("sm2");
	struct gw_cms_info	 info;
	struct val_report	 rep;
	unsigned char		*der;
	size_t			 len;
	json_t			*doc;
	char			 err[256];

	assert_non_null(doc = json_loads(in, 0, NULL));
	assert_int_equal(gw_decision_sign(s, doc, T2026, &der, &len, err,
	    sizeof(err)), 0);
	val_report_init(&rep);
	assert_int_equal(gw_cms_verify(der, len, gw_signer_cert(s), &info,
	    &rep), 0);
	assert_int_equal(rep.n, 0);
	assert_int_equal(info.content_len, strlen(want));
	assert_memory_equal(info.content, want, strlen(want));
	gw_cms_info_free(&info);
	val_report_clear(&rep);
	json_decref(doc);
	free(der);
	gw_signer_free(s);
}

/* A decision signed by `openssl cms -sign` (gen-30-signer.sh) verifies
 * with our code; one byte changed anywhere in its signed parts does not. */
static void
test_openssl_made(void **state)
{
	struct val_report	 rep;
	struct gw_cms_info	 info;
	unsigned char		*der, *p;
	size_t			 len;
	char			 path[512], err[256];
	json_t			*doc = NULL;
	X509			*pin = cert("ecdsa");

	snprintf(path, sizeof(path), "%s/signer/ossl-ecdsa.p7m", fixdir());
	if (val_read_file(path, GW_MAX_CMS_BYTES, &der, &len, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	val_report_init(&rep);
	assert_int_equal(gw_decision_verify(der, len, pin, &doc, &info,
	    &rep), 0);
	if (rep.n != 0) {
		val_report_print(stderr, &rep);
		fail_msg("OpenSSL-made decision has findings");
	}
	assert_string_equal(json_string_value(json_object_get(doc,
	    "decision_id")), "dec-ossl-1");
	assert_int_equal(info.alg, GW_SIG_ECDSA_P256);
	json_decref(doc);
	doc = NULL;
	gw_cms_info_free(&info);
	val_report_clear(&rep);
	p = find(der, len, "dec-ossl-1");
	p[9] = '2';
	assert_int_equal(gw_decision_verify(der, len, pin, &doc, NULL, &rep),
	    0);
	assert_true(val_report_has(&rep, "CMS-DIGEST-MISMATCH"));
	assert_null(doc);
	val_report_clear(&rep);
	X509_free(pin);
	free(der);
}

/*
 * What OpenSSL 3.0's own CMS code makes of an SM2 key (the platform-notes
 * recipe: CMS_add1_signer, CMS_final, then fill the empty signature
 * algorithm) is signed with the EMPTY ID: we must say so.
 */
static void
test_openssl_sm2_cms(void **state)
{
	static const char	*doc = "{\"type\":\"not checked here\"}";
	struct gw_signer	*s = signer("sm2");
	struct val_report	 rep;
	CMS_ContentInfo		*cms;
	CMS_SignerInfo		*si;
	X509_ALGOR		*alg;
	BIO			*in;
	unsigned char		*der = NULL;
	int			 n;

	assert_non_null(in = BIO_new_mem_buf(doc, (int)strlen(doc)));
	assert_non_null(cms = CMS_sign(NULL, NULL, NULL, in,
	    CMS_BINARY | CMS_PARTIAL));
	assert_non_null(si = CMS_add1_signer(cms, gw_signer_cert(s),
	    s->key, EVP_sm3(), CMS_BINARY | CMS_NOSMIMECAP));
	assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY), 1);
	CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &alg);
	X509_ALGOR_set0(alg, OBJ_nid2obj(NID_SM2_with_SM3), V_ASN1_UNDEF,
	    NULL);
	assert_true((n = i2d_CMS_ContentInfo(cms, &der)) > 0);
	val_report_init(&rep);
	assert_int_equal(gw_cms_verify(der, (size_t)n, gw_signer_cert(s),
	    NULL, &rep), 0);
	assert_int_equal(rep.n, 1);
	assert_string_equal(rep.items[0].rule->code, "CMS-SM2-ID");
	val_report_clear(&rep);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	gw_signer_free(s);
}

/* Runs a shell command; returns its exit status (-1: did not run). */
static int
run(const char *cmd)
{
	int	 st = system(cmd);

	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
write_file(const char *path, const unsigned char *b, size_t n)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(b, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* SM2 decisions checked by sm-crypto (Node), which shares no code. */
static void
test_interop_sm2_node(void **state)
{
	static const struct {
		enum mut	 mut;
		int		 want;	/* exit status */
	} rows[] = {
		{ M_NONE, 0 },
		{ M_CONTENT, 1 },
		{ M_ATTR, 1 },
		{ M_EMPTY_ID, 1 },
	};
	char		 dir[] = "/tmp/xbrg-cms-XXXXXX", f[128], cmd[512];
	unsigned char	*der, *p;
	size_t		 len, i;
	int		 st;

	if (access("build/npm/node_modules/sm-crypto/package.json",
	    R_OK) != 0 || run("node --version >/dev/null 2>&1") != 0) {
		print_message("node or build/npm sm-crypto missing: "
		    "run 'make deps'\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sign_sample("sm2", T2026, rows[i].mut == M_EMPTY_ID ? "" :
		    NULL, 0, &der, &len);
		if (rows[i].mut == M_CONTENT) {
			p = find(der, len, "dec-0001");
			p[7] = '9';
		} else if (rows[i].mut == M_ATTR) {
			p = find(der, len, "260101000000Z");
			p[10] = '3';
		}
		snprintf(f, sizeof(f), "%s/d%zu.p7m", dir, i);
		write_file(f, der, len);
		snprintf(cmd, sizeof(cmd), "node tests/interop/verify-sm2-cms.js "
		    "'%s' >'%s.out' 2>&1", f, f);
		st = run(cmd);
		if (st != rows[i].want) {
			snprintf(cmd, sizeof(cmd), "cat '%s.out'", f);
			run(cmd);
			fail_msg("row %zu: node exit %d, want %d", i, st,
			    rows[i].want);
		}
		free(der);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	run(cmd);
}

/* ECDSA decisions checked by `openssl cms -verify`. */
static void
test_interop_ecdsa_openssl(void **state)
{
	static const struct {
		enum mut	 mut;
		const char	*ca;
		int		 ok;
	} rows[] = {
		{ M_NONE, "ecdsa", 1 },
		{ M_CONTENT, "ecdsa", 0 },
		{ M_ATTR, "ecdsa", 0 },
		{ M_NONE, "ecdsa-other", 0 },
	};
	char		 dir[] = "/tmp/xbrg-cms-XXXXXX", f[128], cmd[1024];
	unsigned char	*der, *p, *out;
	size_t		 len, olen, i;
	json_t		*doc, *want;
	char		 err[256];
	int		 st;

	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sign_sample("ecdsa", T2026, NULL, 0, &der, &len);
		if (rows[i].mut == M_CONTENT) {
			p = find(der, len, "dec-0001");
			p[7] = '9';
		} else if (rows[i].mut == M_ATTR) {
			p = find(der, len, "260101000000Z");
			p[10] = '3';
		}
		snprintf(f, sizeof(f), "%s/d%zu.p7m", dir, i);
		write_file(f, der, len);
		snprintf(cmd, sizeof(cmd), "openssl cms -verify -binary "
		    "-inform DER -in '%s' -CAfile '%s/signer/%s.pem' "
		    "-purpose any -out '%s.txt' >/dev/null 2>&1", f, fixdir(),
		    rows[i].ca, f);
		st = run(cmd);
		if ((st == 0) != rows[i].ok)
			fail_msg("row %zu: openssl cms exit %d", i, st);
		if (rows[i].ok) {
			/* What openssl extracted is our document. */
			snprintf(cmd, sizeof(cmd), "%s.txt", f);
			assert_int_equal(val_read_file(cmd, 1 << 20, &out,
			    &olen, err, sizeof(err)), 0);
			assert_non_null(doc = json_loadb((char *)out, olen,
			    JSON_REJECT_DUPLICATES, NULL));
			want = sample_doc();
			assert_true(json_equal(doc, want));
			json_decref(want);
			json_decref(doc);
			free(out);
		}
		free(der);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	run(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signer_load),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_not_a_decision),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_stable_order),
		cmocka_unit_test(test_openssl_made),
		cmocka_unit_test(test_openssl_sm2_cms),
		cmocka_unit_test(test_interop_sm2_node),
		cmocka_unit_test(test_interop_ecdsa_openssl),
	};

	return cmocka_run_group_tests_name("cms", tests, NULL, NULL);
}
