/*
 * test_chain.c: path validation (val_chain_check) and CRL loading, driven
 * by tables over the fixture PKI of fixtures/gen-10-pki.sh and the real
 * CFCA SM2 chain in $XBRG_SHARED/certs-real.  Each row: fixture, pinned
 * time, options, expected verdict and the exact set of finding codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "val.h"
#include "helpers/test_util.h"

#define T_TEST	"2026-01-01T00:00:00Z"	/* pki/TIME */
#define T_LATE	"2028-01-01T00:00:00Z"	/* pki/STALE-TIME */
#define T_LEAF_END "2027-01-01T00:00:00Z" /* gen-10-pki.sh: leaves' notAfter */
#define T_CRL_NEXT "2026-12-01T00:00:00Z" /* gen-10-pki.sh: CRLs' nextUpdate */
#define P1	"2.999.1.1"
#define P2	"2.999.1.2"
#define MAXV	6

enum { VALID, INVALID };

struct chain_row {
	const char	*leaf;		/* relative to $FIXTURES/pki */
	const char	*anchors;
	const char	*untrusted;	/* NULL: none */
	const char	*crls[MAXV];	/* NULL-terminated */
	const char	*at;
	const char	*policies[MAXV]; /* empty: the default (anyPolicy) */
	int		 expl, inhibit_map, inhibit_any, max_depth;
	unsigned	 flags;
	int		 want;
	const char	*codes;		/* exact set, space-separated */
};

#define RU	"CHAIN-REV-UNCHECKED"

/* Rows repeated for each algorithm folder. */
static const struct chain_row alg_rows[] = {
	{ "leaf.pem", "root.pem", "ica.pem", { "good.crl" }, T_TEST, { NULL },
	    0, 0, 0, 0, 0, VALID, "" },
	{ "leaf.pem", "root.pem", "ica.pem", { "root-good.crl",
	    "ica-good.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0, VALID, "" },
	{ "leaf.pem", "root.pem", "ica.pem", { NULL }, T_TEST, { NULL },
	    0, 0, 0, 0, 0, VALID, RU },
	{ "fullchain.pem", "root.pem", "ica.pem", { "good.crl" }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, VALID, "" },
	{ "leaf.pem", "root.pem", "ica.pem", { "revoked.crl" }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID, "CHAIN-CERT-REVOKED" },
	{ "leaf.pem", "root.pem", "ica.pem", { "root-revoked.crl",
	    "ica-good.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CERT-REVOKED" },
	{ "leaf.pem", "root.pem", "ica.pem", { "stale.crl" }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID, "CHAIN-CRL-STALE" },
	{ "leaf.pem", "root.pem", "ica.pem", { "root-stale.crl",
	    "ica-good.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CRL-STALE" },
	{ "leaf.pem", "root.pem", "ica.pem", { "root-good.crl" }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID, "CHAIN-CRL-MISSING" },
	{ "leaf.pem", "root.pem", "ica.pem", { "good.crl" }, T_LATE,
	    { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CERT-EXPIRED CHAIN-CRL-STALE" },
	{ "leaf.pem", "root.pem", "ica.pem", { "good.crl" }, T_TEST,
	    { NULL }, 0, 0, 0, 0, VAL_CHAIN_NO_REVOCATION, VALID, RU },
	{ "leaf.pem", "root.pem", NULL, { NULL }, T_TEST, { NULL },
	    0, 0, 0, 0, 0, INVALID, RU " CHAIN-ISSUER-NOT-FOUND" },
	{ "leaf.pem", "ica.pem", NULL, { NULL }, T_TEST, { NULL },
	    0, 0, 0, 0, 0, INVALID, RU " CHAIN-ISSUER-NOT-FOUND" },
	{ "leaf.pem", "ica.pem", NULL, { NULL }, T_TEST, { NULL },
	    0, 0, 0, 0, VAL_CHAIN_PARTIAL, VALID, RU },
	{ "leaf.pem", "other-root.pem", "ica.pem", { NULL }, T_TEST, { NULL },
	    0, 0, 0, 0, 0, INVALID, RU " CHAIN-ISSUER-NOT-FOUND" },
	{ "leaf-expired.pem", "root.pem", "ica.pem", { NULL }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID, RU " CHAIN-CERT-EXPIRED" },
	{ "leaf-notyet.pem", "root.pem", "ica.pem", { NULL }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID, RU " CHAIN-CERT-NOT-YET-VALID" },
	{ "leaf-badsig.pem", "root.pem", "ica.pem", { NULL }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID, RU " CHAIN-CERT-SIGNATURE" },
	{ "leaf-wrong-issuer.pem", "root.pem", "ica.pem", { NULL }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID, RU " CHAIN-ISSUER-NOT-FOUND" },
	{ "leaf.pem", "root.pem", "ica.pem", { NULL }, T_TEST, { NULL },
	    1, 0, 0, 0, 0, INVALID, RU " CHAIN-POLICY" },
	/*
	 * RFC 5280 4.1.2.5: notAfter is inclusive (the leaf's is
	 * T_LEAF_END), to the second (a fraction of the time is dropped);
	 * 6.3.3 (a)(2): a CRL is stale only after its nextUpdate (CRL_NEXT).
	 */
	{ "leaf.pem", "root.pem", "ica.pem", { NULL }, T_LEAF_END, { NULL },
	    0, 0, 0, 0, 0, VALID, RU },
	{ "leaf.pem", "root.pem", "ica.pem", { NULL },
	    "2027-01-01T00:00:00.999Z", { NULL }, 0, 0, 0, 0, 0, VALID, RU },
	{ "leaf.pem", "root.pem", "ica.pem", { NULL },
	    "2027-01-01T00:00:01Z", { NULL }, 0, 0, 0, 0, 0, INVALID,
	    RU " CHAIN-CERT-EXPIRED" },
	{ "leaf.pem", "root.pem", "ica.pem", { "good.crl" }, T_CRL_NEXT,
	    { NULL }, 0, 0, 0, 0, 0, VALID, "" },
	{ "leaf.pem", "root.pem", "ica.pem", { "good.crl" },
	    "2026-12-01T00:00:01Z", { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CRL-STALE" },
};

/* Rows of one algorithm folder, or of p256's chain-level bad cases. */
static const struct chain_row sm2_rows[] = {
	{ "sm2/leaf-emptyid.pem", "sm2/root.pem", "sm2/ica.pem", { NULL },
	    T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    RU " CHAIN-CERT-SM2-ID" },
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/ica.pem", { "sm2/root-good.crl",
	    "sm2/ica-emptyid.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CRL-SM2-ID CHAIN-CRL-MISSING" },
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/ica.pem", { "sm2/root-good.crl",
	    "sm2/ica-badsig.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CRL-SIGNATURE CHAIN-CRL-MISSING" },
	/* The empty-ID CRL beside a good one: only the good one is used. */
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/ica.pem", { "sm2/good.crl",
	    "sm2/ica-emptyid.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CRL-SM2-ID" },
	/* A stale SM2 CRL: its (good) signature is still accepted. */
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/ica.pem", { "sm2/stale.crl" },
	    T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID, "CHAIN-CRL-STALE" },
	/* Delta CRLs: a real one revokes; one signed by a rogue key of the
	 * same issuer name (in the pool) is refused, not silently used. */
	/* (The base and delta CRLs have no AKI: val_crl_extra() warns.) */
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/ica.pem", { "sm2/root-good.crl",
	    "sm2/ica-base.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0, VALID,
	    "CHAIN-CRL-AKI-MISSING" },
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/ica.pem", { "sm2/root-good.crl",
	    "sm2/ica-base.crl", "sm2/ica-delta-revoked.crl" }, T_TEST,
	    { NULL }, 0, 0, 0, 0, 0, INVALID,
	    "CHAIN-CERT-REVOKED CHAIN-CRL-AKI-MISSING" },
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/rogue-untrusted.pem",
	    { "sm2/root-good.crl", "sm2/ica-base.crl",
	    "sm2/ica-delta-rogue.crl" }, T_TEST, { NULL }, 0, 0, 0, 0, 0,
	    INVALID, "CHAIN-CRL-SIGNATURE CHAIN-CRL-AKI-MISSING" },
	/* ECDSA CRLs for an SM2 chain: no CRL for either CA. */
	{ "sm2/leaf.pem", "sm2/root.pem", "sm2/ica.pem", { "p256/good.crl" },
	    T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID, "CHAIN-CRL-MISSING" },
	{ NULL, NULL, NULL, { NULL }, NULL, { NULL }, 0, 0, 0, 0, 0, 0, NULL },
};

static const struct chain_row p256_rows[] = {
	{ "p256/leaf.pem", "p256/root.pem", "p256/ica.pem",
	    { "p256/root-good.crl", "p256/ica-badsig.crl" }, T_TEST, { NULL },
	    0, 0, 0, 0, 0, INVALID, "CHAIN-CRL-SIGNATURE" },
	{ "p256/pl0-leaf.pem", "p256/root.pem", "p256/pl0-untrusted.pem",
	    { NULL }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    RU " CHAIN-PATHLEN" },
	{ "p256/notca-leaf.pem", "p256/root.pem", "p256/notca-untrusted.pem",
	    { NULL }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    RU " CHAIN-NOT-CA CHAIN-CA-KU" },
	{ "p256/deep-leaf.pem", "p256/root.pem", "p256/deep-untrusted.pem",
	    { NULL }, T_TEST, { NULL }, 0, 0, 0, 0, 0, VALID, RU },
	{ "p256/deep-leaf.pem", "p256/root.pem", "p256/deep-untrusted.pem",
	    { NULL }, T_TEST, { NULL }, 0, 0, 0, 3, 0, VALID, RU },
	{ "p256/deep-leaf.pem", "p256/root.pem", "p256/deep-untrusted.pem",
	    { NULL }, T_TEST, { NULL }, 0, 0, 0, 2, 0, INVALID,
	    RU " CHAIN-DEPTH CHAIN-ISSUER-NOT-FOUND" },
	{ "p256/pol-leaf.pem", "p256/root.pem", "p256/pol-untrusted.pem",
	    { NULL }, T_TEST, { NULL }, 0, 0, 0, 0, 0, VALID, RU },
	{ "p256/pol-leaf.pem", "p256/root.pem", "p256/pol-untrusted.pem",
	    { NULL }, T_TEST, { P1 }, 1, 0, 0, 0, 0, VALID, RU },
	{ "p256/pol-leaf.pem", "p256/root.pem", "p256/pol-untrusted.pem",
	    { NULL }, T_TEST, { VAL_ANY_POLICY }, 1, 0, 0, 0, 0, VALID, RU },
	{ "p256/pol-leaf.pem", "p256/root.pem", "p256/pol-untrusted.pem",
	    { NULL }, T_TEST, { P2 }, 1, 0, 0, 0, 0, INVALID,
	    RU " CHAIN-POLICY" },
	{ "p256/polany-leaf.pem", "p256/root.pem", "p256/polany-untrusted.pem",
	    { NULL }, T_TEST, { P1 }, 1, 0, 0, 0, 0, VALID, RU },
	{ "p256/polany-leaf.pem", "p256/root.pem", "p256/polany-untrusted.pem",
	    { NULL }, T_TEST, { P1 }, 1, 0, 1, 0, 0, INVALID,
	    RU " CHAIN-POLICY" },
	{ "p256/polreq-leaf.pem", "p256/root.pem", "p256/polreq-untrusted.pem",
	    { NULL }, T_TEST, { NULL }, 0, 0, 0, 0, 0, INVALID,
	    RU " CHAIN-POLICY" },
	{ "p256/polmap-leaf.pem", "p256/root.pem", "p256/polmap-untrusted.pem",
	    { NULL }, T_TEST, { P1 }, 1, 0, 0, 0, 0, VALID, RU },
	{ "p256/polmap-leaf.pem", "p256/root.pem", "p256/polmap-untrusted.pem",
	    { NULL }, T_TEST, { P1 }, 1, 1, 0, 0, 0, INVALID,
	    RU " CHAIN-POLICY" },
	{ "p256/polmap-leaf.pem", "p256/root.pem", "p256/polmap-untrusted.pem",
	    { NULL }, T_TEST, { P2 }, 1, 0, 0, 0, 0, INVALID,
	    RU " CHAIN-POLICY" },
};

static char	 pki[1024];

static const char *
shared(void)
{
	const char	*s = getenv("XBRG_SHARED");

	return s != NULL && *s != '\0' ? s : NULL;
}

static int
setup(void **state)
{
	const char	*f = getenv("FIXTURES");

	snprintf(pki, sizeof(pki), "%s/pki", f != NULL ? f : "build/fixtures");
	return 0;
}

static void
load_certs(const char *dir, const char *rel, struct val_certs *out)
{
	char	 path[2048], err[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (val_certs_load_file(path, out, err, sizeof(err)) != 0)
		fail_msg("%s (run the fixtures first: make _fixtures)", err);
}

/* Space-separated distinct codes of rep, in report order. */
static void
codes_of(const struct val_report *rep, char *buf, size_t len)
{
	size_t	 i, j;

	buf[0] = '\0';
	for (i = 0; i < rep->n; i++) {
		for (j = 0; j < i; j++)
			if (rep->items[j].rule == rep->items[i].rule)
				break;
		if (j < i)
			continue;
		if (buf[0] != '\0')
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, rep->items[i].rule->code, len - strlen(buf) - 1);
	}
}

/* 1 when the space-separated sets a and b are equal. */
static int
same_set(const char *a, const char *b)
{
	char		 x[1024], y[1024], *p, *save;
	const char	*s[2] = { a, b };
	int		 k;

	for (k = 0; k < 2; k++) {
		snprintf(x, sizeof(x), "%s", s[k]);
		snprintf(y, sizeof(y), " %s ", s[1 - k]);
		for (p = strtok_r(x, " ", &save); p != NULL;
		    p = strtok_r(NULL, " ", &save)) {
			char	 w[128];

			snprintf(w, sizeof(w), " %s ", p);
			if (strstr(y, w) == NULL)
				return 0;
		}
	}
	return 1;
}

static void
run_row(const char *dir, const char *prefix, const struct chain_row *r,
    const struct val_purpose *purpose, const char *label)
{
	struct val_certs	 anchors = { NULL, 0 }, pool = { NULL, 0 };
	struct val_certs	 leaf = { NULL, 0 };
	struct val_crls		 crls = { NULL, 0 };
	struct val_chain_in	 in;
	struct val_chain_out	 out;
	struct val_report	 rep;
	char			 rel[512], path[2048], err[512], got[1024];
	size_t			 i;
	int			 verdict;

	memset(&in, 0, sizeof(in));
	val_report_init(&rep);
	snprintf(rel, sizeof(rel), "%s%s", prefix, r->anchors);
	load_certs(dir, rel, &anchors);
	if (r->untrusted != NULL) {
		snprintf(rel, sizeof(rel), "%s%s", prefix, r->untrusted);
		load_certs(dir, rel, &pool);
	}
	snprintf(rel, sizeof(rel), "%s%s", prefix, r->leaf);
	load_certs(dir, rel, &leaf);
	/* A bundle given as leaf: the pool gets all of it too. */
	if (leaf.n > 1)
		load_certs(dir, rel, &pool);
	for (i = 0; r->crls[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s%s", dir, prefix,
		    r->crls[i]);
		if (val_crls_load_file(path, &crls, err, sizeof(err)) != 0)
			fail_msg("%s", err);
	}
	in.leaf = leaf.v[0].x509;
	in.anchors = &anchors;
	in.untrusted = &pool;
	in.crls = &crls;
	assert_int_equal(val_time_parse(r->at, &in.at), 0);
	in.policies = r->policies[0] != NULL ? r->policies : NULL;
	in.explicit_policy = r->expl;
	in.inhibit_mapping = r->inhibit_map;
	in.inhibit_any = r->inhibit_any;
	in.max_depth = r->max_depth;
	in.flags = r->flags;
	in.purpose = purpose;
	assert_int_equal(val_chain_check(&in, &out, &rep), 0);
	verdict = val_report_verdict(&rep) == VAL_VERDICT_FAIL ? INVALID :
	    VALID;
	codes_of(&rep, got, sizeof(got));
	if (verdict != r->want || !same_set(got, r->codes)) {
		val_report_print(stderr, &rep);
		fail_msg("%s %s%s at %s: want %s [%s], got %s [%s]", label,
		    prefix, r->leaf, r->at, r->want == VALID ? "valid" :
		    "invalid", r->codes, verdict == VALID ? "valid" :
		    "invalid", got);
	}
	/* A valid path is leaf first, anchor last. */
	if (verdict == VALID) {
		assert_non_null(out.chain);
		assert_ptr_equal(sk_X509_value(out.chain, 0), in.leaf);
		assert_int_equal(X509_cmp(sk_X509_value(out.chain,
		    sk_X509_num(out.chain) - 1), anchors.v[0].x509), 0);
	}
	val_chain_out_free(&out);
	val_report_clear(&rep);
	val_crls_free(&crls);
	val_certs_free(&leaf);
	val_certs_free(&pool);
	val_certs_free(&anchors);
}

static void
test_algs(void **state)
{
	static const char *const algs[] = { "sm2/", "p256/", "rsa/" };
	size_t	 a, i;

	for (a = 0; a < 3; a++)
		for (i = 0; i < sizeof(alg_rows) / sizeof(alg_rows[0]); i++)
			run_row(pki, algs[a], &alg_rows[i], NULL, "alg");
}

static void
test_sm2(void **state)
{
	size_t	 i;

	for (i = 0; sm2_rows[i].anchors != NULL; i++)
		run_row(pki, "", &sm2_rows[i], NULL, "sm2");
}

static void
test_p256_bad(void **state)
{
	size_t	 i;

	for (i = 0; i < sizeof(p256_rows) / sizeof(p256_rows[0]); i++)
		run_row(pki, "", &p256_rows[i], NULL, "p256");
}

static void
test_purpose(void **state)
{
	static const struct val_purpose other = {
		.dns_name = "other.xbrg.test"
	};
	static const char *const eku_server[] = { "1.3.6.1.5.5.7.3.1", NULL };
	static const char *const eku_both[] = { "1.3.6.1.5.5.7.3.2",
	    "1.3.6.1.5.5.7.3.1", NULL };
	static const char *const eku_code[] = { "1.3.6.1.5.5.7.3.3", NULL };
	static const char *const eku_bad[] = { "1.3.6.1.5.5.7.3.4",
	    "1.3.6.1.5.5.7.3.1", NULL };
	static const struct {
		struct val_purpose	 p;
		const char		*leaf;
		int			 want;
		const char		*codes;
	} rows[] = {
		{ { .dns_name = "leaf.xbrg.test" }, "leaf.pem",
		    VALID, RU },
		{ { .dns_name = "LEAF.xbrg.test" }, "leaf.pem",
		    VALID, RU },
		/* Not a host name: val_chain_extra()'s finding alone. */
		{ { .dns_name = "-leaf.xbrg.test" }, "leaf.pem",
		    INVALID, RU " CHAIN-PEER-NAME-INVALID" },
		/* Both names wrong: one finding each, none from OpenSSL. */
		{ { .dns_name = "other.xbrg.test", .ip = "192.0.2.11" },
		    "leaf.pem", INVALID, RU " CHAIN-PEER-DNS-MISMATCH "
		    "CHAIN-PEER-IP-MISMATCH" },
		{ { .dns_name = "other.xbrg.test" }, "leaf.pem",
		    INVALID, RU " CHAIN-PEER-DNS-MISMATCH" },
		/* RFC 9525: the subject CN is not a peer name. */
		{ { .dns_name = "pol-leaf.xbrg.test" }, "pol-leaf.pem",
		    INVALID, RU " CHAIN-PEER-DNS-MISMATCH" },
		{ { .ip = "192.0.2.10" }, "leaf.pem", VALID,
		    RU },
		{ { .ip = "192.0.2.11" }, "leaf.pem", INVALID,
		    RU " CHAIN-PEER-IP-MISMATCH" },
		{ { .email = "leaf@xbrg.test" }, "leaf.pem",
		    VALID, RU },
		{ { .email = "x@xbrg.test" }, "leaf.pem",
		    INVALID, RU " CHAIN-PEER-EMAIL-MISMATCH" },
		{ { .ekus = eku_server }, "leaf.pem", VALID,
		    RU },
		{ { .ekus = eku_both }, "leaf.pem", VALID, RU },
		{ { .ekus = eku_code }, "leaf.pem", INVALID,
		    RU " CHAIN-EKU-MISSING" },
		{ { .ekus = eku_bad }, "leaf.pem", INVALID,
		    RU " CHAIN-EKU-MISSING" },
		/* No EKU extension: any purpose (RFC 5280 4.2.1.12). */
		{ { .ekus = eku_code }, "pol-leaf.pem", VALID,
		    RU },
		{ { .key_usage = X509v3_KU_DIGITAL_SIGNATURE },
		    "leaf.pem", VALID, RU },
		{ { .key_usage = X509v3_KU_KEY_ENCIPHERMENT },
		    "leaf.pem", INVALID, RU " CHAIN-KU-MISSING" },
	};
	struct chain_row	 r;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.leaf = rows[i].leaf;
		r.anchors = "root.pem";
		r.untrusted = strcmp(rows[i].leaf, "pol-leaf.pem") == 0 ?
		    "pol-untrusted.pem" : "ica.pem";
		r.at = T_TEST;
		r.want = rows[i].want;
		r.codes = rows[i].codes;
		run_row(pki, "p256/", &r, &rows[i].p, "purpose");
	}
	/*
	 * No path to an anchor: val_chain_extra() does not run, so OpenSSL's
	 * CHAIN-PEER-NAME stays.
	 */
	memset(&r, 0, sizeof(r));
	r.leaf = "leaf.pem";
	r.anchors = "root.pem";
	r.at = T_TEST;
	r.want = INVALID;
	r.codes = RU " CHAIN-ISSUER-NOT-FOUND CHAIN-PEER-NAME";
	run_row(pki, "p256/", &r, &other, "purpose, no path");
}

/* The real CFCA SM2 chain: GM/T 0009 IDs on every certificate. */
static void
test_cfca(void **state)
{
	static const struct chain_row rows[] = {
		{ "boc-ebssec-sign.pem", "cfca-cs-sm2-ca.pem",
		    "cfca-sm2-oca1.pem", { NULL }, "2025-01-01T00:00:00Z",
		    { NULL }, 0, 0, 0, 0, 0, VALID,
		    RU " CHAIN-STRICT-BC" },
		{ "boc-ebssec-sign.pem", "cfca-cs-sm2-ca.pem",
		    "cfca-sm2-oca1.pem", { NULL }, "2026-06-18T00:00:00Z",
		    { NULL }, 0, 0, 0, 0, VAL_CHAIN_NO_STRICT, VALID, RU },
		{ "boc-ebssec-sign.pem", "cfca-cs-sm2-ca.pem",
		    "cfca-sm2-oca1.pem", { NULL }, "2026-07-01T00:00:00Z",
		    { NULL }, 0, 0, 0, 0, VAL_CHAIN_NO_STRICT, INVALID,
		    RU " CHAIN-CERT-EXPIRED" },
		{ "boc-ebssec-sign.pem", "cfca-cs-sm2-ca.pem", NULL,
		    { NULL }, "2025-01-01T00:00:00Z", { NULL }, 0, 0, 0, 0,
		    VAL_CHAIN_NO_STRICT, INVALID,
		    RU " CHAIN-ISSUER-NOT-FOUND" },
		{ "boc-ebssec-sign.pem", "nrcac-rootca-sm2.pem",
		    "cfca-sm2-oca1.pem", { NULL }, "2025-01-01T00:00:00Z",
		    { NULL }, 0, 0, 0, 0, VAL_CHAIN_NO_STRICT, INVALID,
		    RU " CHAIN-ISSUER-NOT-FOUND" },
	};
	static const char *const server[] = { "1.3.6.1.5.5.7.3.1", NULL };
	static const struct {
		struct chain_row	 row;
		struct val_purpose	 p;
	} tls[] = {
		{ { "boc-ebssec-sign.pem", "cfca-cs-sm2-ca.pem",
		    "cfca-sm2-oca1.pem", { NULL }, "2025-01-01T00:00:00Z",
		    { NULL }, 0, 0, 0, 0, 0, VALID, RU " CHAIN-STRICT-BC" },
		    { .dns_name = "ebssec.boc.cn", .ekus = server } },
		{ { "boc-ebssec-sign.pem", "cfca-cs-sm2-ca.pem",
		    "cfca-sm2-oca1.pem", { NULL }, "2025-01-01T00:00:00Z",
		    { NULL }, 0, 0, 0, 0, 0, INVALID, RU " CHAIN-STRICT-BC "
		    "CHAIN-PEER-DNS-MISMATCH" },
		    { .dns_name = "www.boc.cn", .ekus = server } },
		/*
		 * Strict: val_chain_extra()'s CHAIN-CA-BC-NOT-CRITICAL error
		 * replaces OpenSSL's CHAIN-STRICT-BC warning (both CAs).
		 */
		{ { "boc-ebssec-sign.pem", "cfca-cs-sm2-ca.pem",
		    "cfca-sm2-oca1.pem", { NULL }, "2025-01-01T00:00:00Z",
		    { NULL }, 0, 0, 0, 0, 0, INVALID,
		    RU " CHAIN-CA-BC-NOT-CRITICAL" },
		    { .dns_name = "ebssec.boc.cn", .ekus = server,
		    .flags = VAL_PURPOSE_STRICT } },
	};
	char	 dir[1024];
	size_t	 i;

	if (tu_shared("certs-real") == NULL)
		skip();
	snprintf(dir, sizeof(dir), "%s/certs-real", shared());
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(dir, "", &rows[i], NULL, "cfca");
	/* As a TLS server certificate (val_chain_extra() runs too). */
	for (i = 0; i < sizeof(tls) / sizeof(tls[0]); i++)
		run_row(dir, "", &tls[i].row, &tls[i].p, "cfca-tls");
}

/*
 * A CRL by the p256 fixture CA named ca (ca.pem, ca.key), with or without
 * cRLNumber and authorityKeyIdentifier, CRL_LAST to CRL_NEXT, revoking
 * nothing; loaded into out as the project's loader does, named name.
 */
static void
mkcrl(const char *ca, int number, int aki, const char *name,
    struct val_crls *out)
{
	struct val_certs	 iss = { NULL, 0 };
	X509_CRL		*crl;
	X509_EXTENSION		*ext;
	X509V3_CTX		 v3;
	ASN1_INTEGER		*num;
	ASN1_TIME		*t;
	EVP_PKEY		*key;
	FILE			*fp;
	unsigned char		*der = NULL;
	char			 rel[256], path[2048], err[512];
	int			 len;

	snprintf(rel, sizeof(rel), "p256/%s.pem", ca);
	load_certs(pki, rel, &iss);
	snprintf(path, sizeof(path), "%s/p256/%s.key", pki, ca);
	assert_non_null(fp = fopen(path, "r"));
	assert_non_null(key = PEM_read_PrivateKey(fp, NULL, NULL, NULL));
	fclose(fp);
	assert_non_null(crl = X509_CRL_new());
	assert_true(X509_CRL_set_version(crl, X509_CRL_VERSION_2));
	assert_true(X509_CRL_set_issuer_name(crl,
	    X509_get_subject_name(iss.v[0].x509)));
	assert_non_null(t = ASN1_TIME_new());
	assert_true(ASN1_TIME_set_string_X509(t, "20251201000000Z"));
	assert_true(X509_CRL_set1_lastUpdate(crl, t));
	assert_true(ASN1_TIME_set_string_X509(t, "20261201000000Z"));
	assert_true(X509_CRL_set1_nextUpdate(crl, t));
	ASN1_TIME_free(t);
	if (number) {
		assert_non_null(num = ASN1_INTEGER_new());
		assert_true(ASN1_INTEGER_set(num, 9));
		assert_true(X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0,
		    0));
		ASN1_INTEGER_free(num);
	}
	if (aki) {
		X509V3_set_ctx(&v3, iss.v[0].x509, NULL, NULL, crl, 0);
		assert_non_null(ext = X509V3_EXT_conf_nid(NULL, &v3,
		    NID_authority_key_identifier, "keyid:always"));
		assert_true(X509_CRL_add_ext(crl, ext, -1));
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
	assert_true((len = i2d_X509_CRL(crl, &der)) > 0);
	if (val_crls_load_mem(der, (size_t)len, name, out, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	OPENSSL_free(der);
	X509_CRL_free(crl);
	EVP_PKEY_free(key);
	val_certs_free(&iss);
}

/*
 * val_crl_extra() runs on each CRL OpenSSL uses for the path (RFC 5280
 * 5.2.3: cRLNumber is a MUST, OpenSSL does not check it), once, at the
 * CRL's name; CRLs OpenSSL never picks are not judged.
 */
static void
test_crl_extra(void **state)
{
	static const struct {
		int		 number, aki;
		const char	*other;	/* unrelated CRL's CA, or NULL */
		int		 want;
		const char	*codes;
	} rows[] = {
		{ 1, 1, NULL, VALID, "" },
		{ 0, 1, NULL, INVALID, "CHAIN-CRL-NUMBER-MISSING" },
		{ 1, 0, NULL, VALID, "CHAIN-CRL-AKI-MISSING" },
		{ 0, 0, NULL, INVALID,
		    "CHAIN-CRL-NUMBER-MISSING CHAIN-CRL-AKI-MISSING" },
		/* Given but never used (another CA's): not judged. */
		{ 1, 1, "other-root", VALID, "" },
		{ 1, 1, "pl0-ica", VALID, "" },
	};
	struct val_certs	 anchors = { NULL, 0 }, pool = { NULL, 0 };
	struct val_certs	 leaf = { NULL, 0 };
	struct val_crls		 crls = { NULL, 0 };
	struct val_chain_in	 in;
	struct val_report	 rep;
	char			 path[2048], err[512], got[1024];
	size_t			 i, j, n;

	load_certs(pki, "p256/root.pem", &anchors);
	load_certs(pki, "p256/ica.pem", &pool);
	load_certs(pki, "p256/leaf.pem", &leaf);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(path, sizeof(path), "%s/p256/root-good.crl", pki);
		if (val_crls_load_file(path, &crls, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		mkcrl("ica", rows[i].number, rows[i].aki, "ica-mem.crl",
		    &crls);
		if (rows[i].other != NULL)
			mkcrl(rows[i].other, 0, 0, "other-mem.crl", &crls);
		memset(&in, 0, sizeof(in));
		in.leaf = leaf.v[0].x509;
		in.anchors = &anchors;
		in.untrusted = &pool;
		in.crls = &crls;
		assert_int_equal(val_time_parse(T_TEST, &in.at), 0);
		val_report_init(&rep);
		assert_int_equal(val_chain_check(&in, NULL, &rep), 0);
		codes_of(&rep, got, sizeof(got));
		if ((val_report_verdict(&rep) == VAL_VERDICT_FAIL ? INVALID :
		    VALID) != rows[i].want || !same_set(got, rows[i].codes)) {
			val_report_print(stderr, &rep);
			fail_msg("crl row %zu: want [%s], got [%s]", i,
			    rows[i].codes, got);
		}
		/* Once per CRL, at the CRL's name. */
		for (n = 0, j = 0; j < rep.n; j++) {
			if (strncmp(rep.items[j].rule->code, "CHAIN-CRL-",
			    10) != 0)
				continue;
			n++;
			assert_string_equal(rep.items[j].where,
			    "ica-mem.crl");
		}
		assert_int_equal(n, (size_t)(!rows[i].number +
		    !rows[i].aki));
		val_report_clear(&rep);
		val_crls_free(&crls);
	}
	val_certs_free(&leaf);
	val_certs_free(&pool);
	val_certs_free(&anchors);
}

static void
test_bad_args(void **state)
{
	static const char *const badpol[] = { "not.an.oid", NULL };
	struct val_certs	 anchors = { NULL, 0 }, leaf = { NULL, 0 };
	struct val_certs	 none = { NULL, 0 };
	struct val_chain_in	 in;
	struct val_chain_out	 out;
	struct val_report	 rep;

	val_report_init(&rep);
	load_certs(pki, "p256/root.pem", &anchors);
	load_certs(pki, "p256/leaf.pem", &leaf);
	memset(&in, 0, sizeof(in));
	assert_int_equal(val_chain_check(NULL, &out, &rep), -1);
	assert_null(out.chain);
	assert_int_equal(val_chain_check(&in, NULL, &rep), -1);
	in.leaf = leaf.v[0].x509;
	assert_int_equal(val_chain_check(&in, NULL, &rep), -1);
	in.anchors = &none;
	assert_int_equal(val_chain_check(&in, NULL, &rep), -1);
	in.anchors = &anchors;
	in.max_depth = VAL_CHAIN_DEPTH_LIMIT + 1;
	assert_int_equal(val_chain_check(&in, NULL, &rep), -1);
	in.max_depth = -1;
	assert_int_equal(val_chain_check(&in, NULL, &rep), -1);
	in.max_depth = 0;
	in.policies = badpol;
	assert_int_equal(val_chain_check(&in, NULL, &rep), -1);
	in.policies = NULL;
	assert_int_equal(val_chain_check(&in, NULL, NULL), -1);
	assert_int_equal(val_chain_check(&in, &out, &rep), 0);
	assert_int_equal(out.ossl_error, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_int_equal(out.ossl_depth, 0);
	val_chain_out_free(&out);
	val_chain_out_free(NULL);
	/* Every code a finding can carry has a rule. */
	assert_non_null(val_chain_rule("CHAIN-OTHER"));
	assert_null(val_chain_rule("CHAIN-NO-SUCH"));
	val_report_clear(&rep);
	val_certs_free(&leaf);
	val_certs_free(&anchors);
}

static void
test_crl_load(void **state)
{
	static const unsigned char garbage[] = "not a CRL at all";
	struct val_crls	 crls = { NULL, 0 };
	unsigned char	*der = NULL, *buf;
	char		 path[2048], err[512];
	size_t		 len;
	int		 n;

	snprintf(path, sizeof(path), "%s/p256/good.crl", pki);
	assert_int_equal(val_crls_load_file(path, &crls, err, sizeof(err)),
	    0);
	assert_int_equal(crls.n, 2);
	assert_non_null(strstr(crls.v[1].where, "good.crl#2"));
	snprintf(path, sizeof(path), "%s/p256/ica-good.crl", pki);
	assert_int_equal(val_crls_load_file(path, &crls, err, sizeof(err)),
	    0);
	assert_int_equal(crls.n, 3);

	/* DER, then DER with a trailing byte, then truncated. */
	n = i2d_X509_CRL(crls.v[2].crl, &der);
	assert_true(n > 10);
	len = (size_t)n;
	buf = malloc(len + 1);
	assert_non_null(buf);
	memcpy(buf, der, len);
	buf[len] = 0;
	assert_int_equal(val_crls_load_mem(buf, len, "x.der", &crls, err,
	    sizeof(err)), 0);
	assert_int_equal(crls.n, 4);
	assert_int_equal(val_crls_load_mem(buf, len + 1, "x.der", &crls, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "x.der"));
	assert_non_null(strstr(err, "after"));
	assert_int_equal(val_crls_load_mem(buf, len - 3, "x.der", &crls, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "x.der"));
	assert_int_equal(val_crls_load_mem(garbage, sizeof(garbage) - 1,
	    "g.crl", &crls, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "g.crl"));
	assert_int_equal(val_crls_load_mem(buf, 0, "e.crl", &crls, err,
	    sizeof(err)), -1);
	assert_int_equal(crls.n, 4);	/* unchanged by failures */
	free(buf);
	OPENSSL_free(der);

	/* A certificate is not a CRL. */
	snprintf(path, sizeof(path), "%s/p256/leaf.pem", pki);
	assert_int_equal(val_crls_load_file(path, &crls, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "CERTIFICATE"));
	snprintf(path, sizeof(path), "%s/p256/no-such.crl", pki);
	assert_int_equal(val_crls_load_file(path, &crls, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no-such.crl"));
	assert_int_equal(crls.n, 4);
	val_crls_free(&crls);
	val_crls_free(&crls);
	val_crls_free(NULL);
}

/* val_crls_sm2_prepare(): verified once, then trusted by key, and only
 * for the issuer key that verified it. */
static void
test_sm2_crl_prepare(void **state)
{
	static const char *const files[] = { "sm2/revoked.crl",
	    "sm2/ica-emptyid.crl", "p256/ica-good.crl" };
	struct val_certs	 cas = { NULL, 0 }, other = { NULL, 0 };
	struct val_certs	 anchors = { NULL, 0 }, pool = { NULL, 0 };
	struct val_certs	 leaf = { NULL, 0 };
	struct val_crls		 crls = { NULL, 0 }, one = { NULL, 0 };
	struct val_chain_in	 in;
	struct val_report	 rep;
	char			 path[2048], err[512];
	size_t			 i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", pki, files[i]);
		assert_int_equal(val_crls_load_file(path, &crls, err,
		    sizeof(err)), 0);
	}
	load_certs(pki, "sm2/root.pem", &cas);
	load_certs(pki, "sm2/ica.pem", &cas);
	load_certs(pki, "sm2/other-ica.pem", &other);
	/* Keys of another hierarchy verify nothing. */
	assert_int_equal(val_crls_sm2_prepare(&crls, &other), 0);
	/* root-good, ica-revoked: not the empty-ID or the P-256 one. */
	assert_int_equal(val_crls_sm2_prepare(&crls, &cas), 2);
	assert_non_null(crls.v[0].sm2_key);
	assert_non_null(crls.v[1].sm2_key);
	assert_null(crls.v[2].sm2_key);
	assert_null(crls.v[3].sm2_key);
	assert_int_equal(val_crls_sm2_prepare(&crls, &cas), 2);
	assert_int_equal(val_crls_sm2_prepare(NULL, &cas), 0);

	/* Prepared CRLs validate the chain as unprepared ones do. */
	load_certs(pki, "sm2/root.pem", &anchors);
	load_certs(pki, "sm2/ica.pem", &pool);
	load_certs(pki, "sm2/leaf.pem", &leaf);
	memset(&in, 0, sizeof(in));
	in.leaf = leaf.v[0].x509;
	in.anchors = &anchors;
	in.untrusted = &pool;
	assert_int_equal(val_time_parse(T_TEST, &in.at), 0);
	snprintf(path, sizeof(path), "%s/sm2/good.crl", pki);
	assert_int_equal(val_crls_load_file(path, &one, err, sizeof(err)), 0);
	assert_int_equal(val_crls_sm2_prepare(&one, &cas), 2);
	in.crls = &one;
	val_report_init(&rep);
	assert_int_equal(val_chain_check(&in, NULL, &rep), 0);
	assert_int_equal(val_report_verdict(&rep), VAL_VERDICT_PASS);
	assert_int_equal(rep.n, 0);
	val_report_clear(&rep);
	/* The revoked CRL, prepared: the leaf is revoked. */
	in.crls = &crls;
	assert_int_equal(val_chain_check(&in, NULL, &rep), 0);
	assert_true(val_report_has(&rep, "CHAIN-CERT-REVOKED"));
	assert_true(val_report_has(&rep, "CHAIN-CRL-SM2-ID"));
	val_report_clear(&rep);

	val_crls_free(&one);
	val_crls_free(&crls);
	val_certs_free(&leaf);
	val_certs_free(&pool);
	val_certs_free(&anchors);
	val_certs_free(&other);
	val_certs_free(&cas);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algs),
		cmocka_unit_test(test_sm2),
		cmocka_unit_test(test_p256_bad),
		cmocka_unit_test(test_purpose),
		cmocka_unit_test(test_cfca),
		cmocka_unit_test(test_crl_extra),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_crl_load),
		cmocka_unit_test(test_sm2_crl_prepare),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
