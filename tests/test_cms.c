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
#include <openssl/ess.h>
#include <openssl/pem.h>

#include "gw.h"
#include "gw_cms_int.h"
#include "helpers/test_util.h"

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
		    id, idlen, 0, der, len, err, sizeof(err)) != 0)
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
		tu_codes(&rep, got, sizeof(got));
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

/* Returns the nth (0-based) occurrence of pat in b, or fails. */
static unsigned char *
nth(unsigned char *b, size_t n, const unsigned char *pat, size_t m, int k)
{
	size_t	 i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(b + i, pat, m) == 0 && k-- == 0)
			return b + i;
	fail_msg("pattern occurrence not found");
	return NULL;
}

static unsigned char *
last(unsigned char *b, size_t n, const unsigned char *pat, size_t m)
{
	size_t	 i;

	for (i = n - m + 1; i-- > 0;)
		if (memcmp(b + i, pat, m) == 0)
			return b + i;
	fail_msg("pattern not found");
	return NULL;
}

enum bmut {
	B_VERSION, B_ECONTENT, B_SID, B_SIGALG, B_DIGALGS, B_ORDER, B_PEM,
	B_HUGE, B_NO_TIME, B_DUP_TIME, B_CERT
};

/* Defects made by changing bytes of a good SM2 decision. */
static void
test_byte_defects(void **state)
{
	static const unsigned char oid_data[] = { 0x06, 0x09, 0x2a, 0x86,
	    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
	static const unsigned char oid_sm2sm3[] = { 0x06, 0x08, 0x2a, 0x81,
	    0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75 };
	static const unsigned char oid_sm3[] = { 0x06, 0x08, 0x2a, 0x81,
	    0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11 };
	static const unsigned char ct_attr[] = { 0x30, 0x18, 0x06, 0x09,
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
	static const struct {
		enum bmut	 mut;
		const char	*want;
	} rows[] = {
		{ B_VERSION, "CMS-VERSION" },
		{ B_ECONTENT, "CMS-CONTENT-TYPE-ATTR CMS-ECONTENT-TYPE" },
		{ B_SID, "CMS-SIGNER-NOT-FOUND" },
		{ B_SIGALG, "CMS-SIG-ALG" },
		{ B_DIGALGS, "CMS-DIGEST-ALG" },
		{ B_ORDER, "CMS-ATTR-ORDER CMS-SIGNATURE" },
		{ B_PEM, "CMS-PEM" },
		{ B_HUGE, "CMS-TOO-LARGE" },
		{ B_NO_TIME, "CMS-ATTR-MISSING CMS-SIGNATURE" },
		{ B_DUP_TIME, "CMS-ATTR-DUP CMS-ATTR-MISSING CMS-SIGNATURE" },
		{ B_CERT, "CMS-CERT" },
	};
	struct val_report	 rep;
	unsigned char		*der, *p, tmp[64];
	size_t			 len, i;
	char			 got[256], path[512], err[256];
	X509			*pin = cert("sm2");

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sign_sample("sm2", T2026, NULL, 0, &der, &len);
		switch (rows[i].mut) {
		case B_VERSION:
			/* ContentInfo 4 + OID 11 + [0] 4 + SEQ 4: version */
			assert_memory_equal(der + 23, "\x02\x01\x01", 3);
			der[25] = 4;
			break;
		case B_ECONTENT:
			p = nth(der, len, oid_data, sizeof(oid_data), 0);
			p[10] = 0x05;
			break;
		case B_SID:
			/* content (a CA subject), cert issuer, cert subject,
			 * then the sid's issuer */
			p = nth(der, len, (const unsigned char *)
			    "xbrg test gateway", 17, 3);
			p[0] = 'y';
			break;
		case B_SIGALG:
			p = last(der, len, oid_sm2sm3, sizeof(oid_sm2sm3));
			p[9] = 0x76;
			break;
		case B_DIGALGS:
			p = nth(der, len, oid_sm3, sizeof(oid_sm3), 0);
			p[9] = 0x12;
			break;
		case B_ORDER:
			/* contentType (26 bytes) and signingTime (30) swap */
			p = nth(der, len, ct_attr, sizeof(ct_attr), 0);
			assert_int_equal(p[26], 0x30);
			assert_int_equal(p[27], 0x1c);
			memcpy(tmp, p, 26);
			memmove(p, p + 26, 30);
			memcpy(p + 30, tmp, 26);
			break;
		case B_NO_TIME:
			/* signingTime (1.2.840.113549.1.9.5) becomes
			 * countersignature (.6): an attribute we ignore */
			p = nth(der, len, ct_attr, sizeof(ct_attr), 0);
			assert_int_equal(p[26 + 12], 0x05);
			p[26 + 12] = 0x06;
			break;
		case B_DUP_TIME:
			/* contentType (.3) becomes a second signingTime */
			p = nth(der, len, ct_attr, sizeof(ct_attr), 0);
			p[12] = 0x05;
			break;
		case B_CERT:
			/* the embedded certificate's signature BIT STRING
			 * claims 8 unused bits: still DER, no longer a
			 * certificate (the pinned one matches the sid and is
			 * used instead) */
			p = nth(der, len, oid_sm2sm3, sizeof(oid_sm2sm3), 1);
			assert_int_equal(p[10], 0x03);
			assert_int_equal(p[12], 0x00);
			p[12] = 0x08;
			break;
		case B_PEM:
			free(der);
			snprintf(path, sizeof(path), "%s/signer/sm2.pem",
			    fixdir());
			assert_int_equal(val_read_file(path, 1 << 20, &der,
			    &len, err, sizeof(err)), 0);
			break;
		case B_HUGE:
			free(der);
			len = GW_MAX_CMS_BYTES + 1;
			assert_non_null(der = calloc(1, len));
			der[0] = 0x30;
			break;
		}
		val_report_init(&rep);
		assert_int_equal(gw_cms_verify(der, len, pin, NULL, &rep), 0);
		tu_codes(&rep, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0) {
			val_report_print(stderr, &rep);
			fail_msg("row %zu: codes '%s', want '%s'", i, got,
			    rows[i].want);
		}
		val_report_clear(&rep);
		free(der);
	}
	X509_free(pin);
}

enum craft {
	C_GENTIME, C_ESS_OTHER, C_NO_ATTRS,
	C_TWO_SIGNERS, C_DETACHED
};

/*
 * Defects made by another producer: OpenSSL's CMS code (ECDSA), which
 * signs the attributes it is given, so only the defect is wrong.  (It
 * refuses to sign duplicate or conflicting content-type attributes, so
 * CMS-ATTR-DUP is not here and CMS-CONTENT-TYPE-ATTR is a byte defect.)
 */
static void
test_openssl_crafted(void **state)
{
	static const struct {
		enum craft	 c;
		const char	*want;
	} rows[] = {
		{ C_GENTIME, "CMS-SIGNING-TIME" },
		{ C_ESS_OTHER, "CMS-ESS-CERT" },
		{ C_NO_ATTRS, "CMS-NO-SIGNED-ATTRS" },
		{ C_TWO_SIGNERS, "CMS-SIGNER-COUNT" },
		{ C_DETACHED, "CMS-NO-CONTENT" },
	};
	struct gw_signer	*s = signer("ecdsa"), *o = signer("ecdsa-other");
	struct val_report	 rep;
	CMS_ContentInfo		*cms;
	CMS_SignerInfo		*si;
	ESS_SIGNING_CERT_V2	*ess;
	ASN1_TIME		*t;
	BIO			*in;
	unsigned char		*der, *e;
	unsigned int		 flags;
	size_t			 i;
	int			 n, elen;
	char			 got[256];

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
		if (rows[i].c == C_DETACHED)
			flags |= CMS_DETACHED;
		assert_non_null(in = BIO_new_mem_buf("decision", 8));
		assert_non_null(cms = CMS_sign(NULL, NULL, NULL, in, flags));
		assert_non_null(si = CMS_add1_signer(cms, gw_signer_cert(s),
		    s->key, EVP_sha256(), flags | (rows[i].c == C_NO_ATTRS ?
		    CMS_NOATTR : 0)));
		switch (rows[i].c) {
		case C_GENTIME:
			/* GeneralizedTime for 2026: RFC 5652 11.3 wants
			 * UTCTime until 2049. */
			t = ASN1_GENERALIZEDTIME_set(NULL, T2026);
			assert_int_equal(CMS_signed_add1_attr_by_NID(si,
			    NID_pkcs9_signingTime, V_ASN1_GENERALIZEDTIME, t,
			    -1), 1);
			ASN1_TIME_free(t);
			break;
		case C_ESS_OTHER:
			ess = OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(),
			    gw_signer_cert(o), NULL, 0);
			assert_non_null(ess);
			e = NULL;
			assert_true((elen = i2d_ESS_SIGNING_CERT_V2(ess, &e)) >
			    0);
			assert_int_equal(CMS_signed_add1_attr_by_NID(si,
			    NID_id_smime_aa_signingCertificateV2,
			    V_ASN1_SEQUENCE, e, elen), 1);
			OPENSSL_free(e);
			ESS_SIGNING_CERT_V2_free(ess);
			break;
		case C_TWO_SIGNERS:
			assert_non_null(CMS_add1_signer(cms, gw_signer_cert(o),
			    o->key, EVP_sha256(), flags));
			break;
		default:
			break;
		}
		if (CMS_final(cms, in, NULL, flags) != 1) {
			ERR_print_errors_fp(stderr);
			fail_msg("row %zu: CMS_final", i);
		}
		der = NULL;
		assert_true((n = i2d_CMS_ContentInfo(cms, &der)) > 0);
		val_report_init(&rep);
		assert_int_equal(gw_cms_verify(der, (size_t)n,
		    gw_signer_cert(s), NULL, &rep), 0);
		tu_codes(&rep, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0) {
			val_report_print(stderr, &rep);
			fail_msg("row %zu: codes '%s', want '%s'", i, got,
			    rows[i].want);
		}
		val_report_clear(&rep);
		OPENSSL_free(der);
		CMS_ContentInfo_free(cms);
		BIO_free(in);
	}
	gw_signer_free(o);
	gw_signer_free(s);
}

enum anykind {
	A_OURS_SM2, A_OURS_SM2_DETACHED, A_OURS_SM2_EMPTY_ID,
	A_OSSL_ECDSA_DETACHED, A_OSSL_ECDSA384, A_OSSL_RSA_DETACHED,
	A_OSSL_NOATTR
};

/* A signature as a relying party might send one. */
static unsigned char *
any_sig(enum anykind k, const char *content, size_t *len)
{
	struct gw_signer	*s;
	CMS_ContentInfo		*cms;
	BIO			*in;
	EVP_PKEY		*key;
	X509			*x;
	FILE			*fp;
	unsigned char		*der = NULL;
	char			 err[512];
	unsigned int		 flags = CMS_BINARY | CMS_NOSMIMECAP;
	int			 n;

	switch (k) {
	case A_OURS_SM2:
	case A_OURS_SM2_DETACHED:
	case A_OURS_SM2_EMPTY_ID:
		s = signer("sm2");
		if (gw_cms_sign_id(s, (const unsigned char *)content,
		    strlen(content), T2026, k == A_OURS_SM2_EMPTY_ID ? "" :
		    VAL_SM2_ID, k == A_OURS_SM2_EMPTY_ID ? 0 : VAL_SM2_ID_LEN,
		    k == A_OURS_SM2_DETACHED, &der, len, err,
		    sizeof(err)) != 0)
			fail_msg("%s", err);
		gw_signer_free(s);
		return der;
	default:
		break;
	}
	/* RSA is no decision signer: load the key by hand. */
	snprintf(err, sizeof(err), "%s/signer/%s.key", fixdir(),
	    k == A_OSSL_RSA_DETACHED ? "rsa" : "ecdsa");
	assert_non_null(fp = fopen(err, "r"));
	assert_non_null(key = PEM_read_PrivateKey(fp, NULL, NULL, NULL));
	fclose(fp);
	x = cert(k == A_OSSL_RSA_DETACHED ? "rsa" : "ecdsa");
	assert_non_null(in = BIO_new_mem_buf(content, (int)strlen(content)));
	if (k != A_OSSL_ECDSA384)
		flags |= k == A_OSSL_NOATTR ? 0 : CMS_DETACHED;
	assert_non_null(cms = CMS_sign(NULL, NULL, NULL, in,
	    flags | CMS_PARTIAL));
	assert_non_null(CMS_add1_signer(cms, x, key, k == A_OSSL_ECDSA384 ?
	    EVP_sha384() : EVP_sha256(), flags | (k == A_OSSL_NOATTR ?
	    CMS_NOATTR : 0)));
	assert_int_equal(CMS_final(cms, in, NULL, flags), 1);
	assert_true((n = i2d_CMS_ContentInfo(cms, &der)) > 0);
	*len = (size_t)n;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	EVP_PKEY_free(key);
	X509_free(x);
	return der;
}

/* Relying parties' signatures: gw_cms_verify_any(). */
static void
test_verify_any(void **state)
{
	static const struct {
		enum anykind	 k;
		const char	*given;	/* detached content supplied */
		const char	*want;
		const char	*alg;
		int		 detached;
	} rows[] = {
		{ A_OURS_SM2, NULL, "", "sm2-sm3", 0 },
		{ A_OURS_SM2_DETACHED, "signed text", "", "sm2-sm3", 1 },
		{ A_OURS_SM2_DETACHED, "other text", "CMS-DIGEST-MISMATCH",
		    "sm2-sm3", 1 },
		{ A_OURS_SM2_DETACHED, NULL, "CMS-NO-CONTENT", NULL, 0 },
		{ A_OURS_SM2_EMPTY_ID, NULL, "CMS-SM2-ID", "sm2-sm3", 0 },
		{ A_OSSL_ECDSA_DETACHED, "signed text", "", "ecdsa-sha256",
		    1 },
		{ A_OSSL_ECDSA_DETACHED, "signed texT", "CMS-DIGEST-MISMATCH",
		    "ecdsa-sha256", 1 },
		{ A_OSSL_ECDSA384, NULL, "", "ecdsa-sha384", 0 },
		{ A_OSSL_RSA_DETACHED, "signed text", "", "rsa-sha256", 1 },
		{ A_OSSL_NOATTR, NULL, "", "ecdsa-sha256", 0 },
	};
	struct val_report	 rep;
	struct gw_cms_info	 info;
	unsigned char		*der;
	size_t			 len, i;
	char			 got[256];

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		der = any_sig(rows[i].k, "signed text", &len);
		val_report_init(&rep);
		assert_int_equal(gw_cms_verify_any(der, len,
		    (const unsigned char *)rows[i].given, rows[i].given ?
		    strlen(rows[i].given) : 0, &info, &rep), 0);
		tu_codes(&rep, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0) {
			val_report_print(stderr, &rep);
			fail_msg("row %zu: codes '%s', want '%s'", i, got,
			    rows[i].want);
		}
		if (rows[i].alg != NULL)
			assert_string_equal(info.alg_name, rows[i].alg);
		assert_int_equal(info.detached, rows[i].detached);
		if (rows[i].want[0] == '\0') {
			assert_non_null(info.signer);
			assert_non_null(info.certs);
			assert_int_equal(sk_X509_num(info.certs), 1);
			assert_int_equal(info.content_len, 11);
			assert_memory_equal(info.content, "signed text", 11);
		}
		gw_cms_info_free(&info);
		val_report_clear(&rep);
		free(der);
	}
	/* A decision verifier refuses what only the generic one accepts. */
	der = any_sig(A_OSSL_ECDSA_DETACHED, "signed text", &len);
	val_report_init(&rep);
	assert_int_equal(gw_cms_verify(der, len, NULL, NULL, &rep), 0);
	assert_true(val_report_has(&rep, "CMS-NO-CONTENT"));
	val_report_clear(&rep);
	free(der);
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
		cmocka_unit_test(test_byte_defects),
		cmocka_unit_test(test_openssl_crafted),
		cmocka_unit_test(test_verify_any),
		cmocka_unit_test(test_interop_sm2_node),
		cmocka_unit_test(test_interop_ecdsa_openssl),
	};

	return cmocka_run_group_tests_name("cms", tests, NULL, NULL);
}
