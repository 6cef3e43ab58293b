/*
 * test_validate_cli.c: xbrg validate as a user runs it: $XBRG as a
 * subprocess over the fixture PKI; JSON shape, exit codes, bad inputs.
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
#include <jansson.h>

#include "val.h"
#include "helpers/test_util.h"

#define CLI_MAX_ARGS	32

static char	 pki[1024];
static char	 bad_leaf[1100];

/* Runs $XBRG validate ARGS...; argument "@x" means $FIXTURES/pki/x. */
static void
run_xbrg(struct tu_run *r, ...)
{
	const char	*xbrg = getenv("XBRG");
	char		*argv[CLI_MAX_ARGS + 1], *a;
	char		 paths[CLI_MAX_ARGS][1200];
	va_list		 ap;
	int		 n = 0;

	if (xbrg == NULL)
		fail_msg("XBRG is not set (run through tests/run.sh)");
	argv[n++] = (char *)xbrg;
	argv[n++] = "validate";
	va_start(ap, r);
	while ((a = va_arg(ap, char *)) != NULL && n < CLI_MAX_ARGS) {
		if (a[0] == '@') {
			snprintf(paths[n], sizeof(paths[n]), "%s/%s", pki,
			    a + 1);
			a = paths[n];
		}
		argv[n++] = a;
	}
	va_end(ap);
	argv[n] = NULL;
	tu_run(r, argv);
}

/* Parses stdout and checks the documented shape; returns the object. */
static json_t *
parse_doc(const struct tu_run *r)
{
	json_error_t	 e;
	json_t		*doc, *f, *c;
	size_t		 i;

	doc = json_loads(r->out, JSON_REJECT_DUPLICATES, &e);
	if (doc == NULL)
		fail_msg("not JSON (%s): %s", e.text, r->out);
	assert_true(json_is_string(json_object_get(doc, "file")));
	assert_true(json_is_string(json_object_get(doc, "at")));
	assert_true(json_is_string(json_object_get(doc, "verdict")));
	assert_true(json_is_array(c = json_object_get(doc, "chain")));
	for (i = 0; i < json_array_size(c); i++) {
		json_t *e1 = json_array_get(c, i);

		assert_true(json_is_string(json_object_get(e1, "subject")));
		assert_int_equal(strlen(json_string_value(
		    json_object_get(e1, "sha256"))), 64);
	}
	assert_true(json_is_array(f = json_object_get(doc, "findings")));
	for (i = 0; i < json_array_size(f); i++) {
		json_t *e1 = json_array_get(f, i);

		assert_true(json_is_string(json_object_get(e1, "code")));
		assert_true(json_is_string(json_object_get(e1, "severity")));
		assert_true(json_is_string(json_object_get(e1, "cite")));
		assert_true(json_is_string(json_object_get(e1, "message")));
	}
	return doc;
}

static int
has_code(json_t *doc, const char *code)
{
	json_t	*f = json_object_get(doc, "findings");
	size_t	 i;

	for (i = 0; i < json_array_size(f); i++)
		if (strcmp(json_string_value(json_object_get(
		    json_array_get(f, i), "code")), code) == 0)
			return 1;
	return 0;
}

static int
setup(void **state)
{
	const char	*f = getenv("FIXTURES");
	FILE		*fp;

	snprintf(pki, sizeof(pki), "%s/pki", f != NULL ? f : "build/fixtures");
	snprintf(bad_leaf, sizeof(bad_leaf), "%s/.cli-garbage.pem", pki);
	if ((fp = fopen(bad_leaf, "w")) == NULL)
		return -1;
	fputs("-----BEGIN CERTIFICATE-----\nAAAA\n", fp);
	fclose(fp);
	return 0;
}

static int
teardown(void **state)
{
	unlink(bad_leaf);
	return 0;
}

#define T	"2026-01-01T00:00:00Z"

/* Valid and invalid paths: verdict, exit code, chain and codes. */
static void
test_verdicts(void **state)
{
	static const struct {
		const char	*args[14];
		int		 status;
		const char	*verdict;
		int		 chainlen;
		const char	*code;		/* must be present, or NULL */
	} rows[] = {
		{ { "--anchors", "@sm2/root.pem", "--untrusted",
		    "@sm2/ica.pem", "--crl", "@sm2/good.crl", "--at", T,
		    "@sm2/leaf.pem" }, 0, "valid", 3, NULL },
		{ { "--anchors", "@rsa/root.pem", "--untrusted",
		    "@rsa/ica.pem", "--crl", "@rsa/root-good.crl", "--crl",
		    "@rsa/ica-revoked.crl", "--at", T, "@rsa/leaf.pem" }, 1,
		    "invalid", 3, "CHAIN-CERT-REVOKED" },
		{ { "--anchors", "@p256/root.pem", "--at", T,
		    "@p256/fullchain.pem" }, 0, "valid", 3,
		    "CHAIN-REV-UNCHECKED" },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/ica.pem", "--at", "2028-01-01T00:00:00Z",
		    "@p256/leaf.pem" }, 1, "invalid", 3,
		    "CHAIN-CERT-EXPIRED" },
		{ { "--anchors", "@p256/root.pem", "--at", T,
		    "@p256/leaf.pem" }, 1, "invalid", 1,
		    "CHAIN-ISSUER-NOT-FOUND" },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/pol-untrusted.pem", "--policy", "2.999.1.1",
		    "--explicit-policy", "--at", T, "@p256/pol-leaf.pem" }, 0,
		    "valid", 3, NULL },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/pol-untrusted.pem", "--policy", "2.999.1.2",
		    "--explicit-policy", "--at", T, "@p256/pol-leaf.pem" }, 1,
		    "invalid", 3, "CHAIN-POLICY" },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/polmap-untrusted.pem", "--policy", "2.999.1.1",
		    "--explicit-policy", "--inhibit-policy-mapping", "--at", T,
		    "@p256/polmap-leaf.pem" }, 1, "invalid", 3,
		    "CHAIN-POLICY" },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/polany-untrusted.pem", "--policy", "2.999.1.1",
		    "--explicit-policy", "--inhibit-any-policy", "--at", T,
		    "@p256/polany-leaf.pem" }, 1, "invalid", 3,
		    "CHAIN-POLICY" },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/deep-untrusted.pem", "--max-depth", "2", "--at", T,
		    "@p256/deep-leaf.pem" }, 1, "invalid", 4, "CHAIN-DEPTH" },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/ica.pem", "--host", "other.xbrg.test", "--at", T,
		    "@p256/leaf.pem" }, 1, "invalid", 3,
		    "CHAIN-PEER-DNS-MISMATCH" },
		{ { "--anchors", "@p256/root.pem", "--untrusted",
		    "@p256/ica.pem", "--host", "leaf.xbrg.test", "--eku",
		    "1.3.6.1.5.5.7.3.1", "--at", T, "@p256/leaf.pem" }, 0,
		    "valid", 3, NULL },
		{ { "--anchors", "@p256/other-root.pem", "--anchors",
		    "@p256/root.pem", "--untrusted", "@p256/ica.pem", "--at",
		    T, "@p256/leaf.pem" }, 0, "valid", 3, NULL },
	};
	struct val_certs	 leaf = { NULL, 0 };
	struct tu_run		 r;
	json_t			*doc, *chain;
	const char		*a[14];
	char			 hex[65], err[256], path[1200];
	size_t			 i, j;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(a, 0, sizeof(a));
		for (j = 0; j < 13 && rows[i].args[j] != NULL; j++)
			a[j] = rows[i].args[j];
		run_xbrg(&r, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
		    a[8], a[9], a[10], a[11], a[12], (char *)NULL);
		if (r.status != rows[i].status)
			fail_msg("row %zu: exit %d, want %d; stderr: %s", i,
			    r.status, rows[i].status, r.err);
		doc = parse_doc(&r);
		assert_string_equal(json_string_value(json_object_get(doc,
		    "verdict")), rows[i].verdict);
		chain = json_object_get(doc, "chain");
		if ((int)json_array_size(chain) != rows[i].chainlen)
			fail_msg("row %zu: chain of %zu, want %d", i,
			    json_array_size(chain), rows[i].chainlen);
		if (rows[i].code != NULL && !has_code(doc, rows[i].code))
			fail_msg("row %zu: no %s in %s", i, rows[i].code,
			    r.out);
		/* The leaf comes first, with its own fingerprint. */
		snprintf(path, sizeof(path), "%s/%s", pki,
		    a[j - 1] + 1);
		assert_int_equal(val_certs_load_file(path, &leaf, err,
		    sizeof(err)), 0);
		val_cert_sha256_hex(leaf.v[0].x509, hex);
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(chain, 0), "sha256")), hex);
		val_certs_free(&leaf);
		json_decref(doc);
		tu_run_free(&r);
	}
}

/* The chain is printed leaf first with subjects; at is echoed in UTC. */
static void
test_shape(void **state)
{
	struct tu_run	 r;
	json_t		*doc, *chain;

	run_xbrg(&r, "--anchors", "@p256/root.pem", "--untrusted",
	    "@p256/ica.pem", "--crl", "@p256/good.crl", "--at",
	    "2026-01-01T08:00:00+08:00", "@p256/leaf.pem", (char *)NULL);
	assert_int_equal(r.status, 0);
	doc = parse_doc(&r);
	assert_string_equal(json_string_value(json_object_get(doc, "at")),
	    "2026-01-01T00:00:00Z");
	chain = json_object_get(doc, "chain");
	assert_non_null(strstr(json_string_value(json_object_get(
	    json_array_get(chain, 0), "subject")), "CN=leaf.xbrg.test"));
	assert_non_null(strstr(json_string_value(json_object_get(
	    json_array_get(chain, 2), "subject")), "CN=xbrg P256 Root"));
	assert_int_equal(json_array_size(json_object_get(doc, "findings")),
	    0);
	json_decref(doc);
	tu_run_free(&r);
}

/* --profile adds the profile's findings on each chain certificate. */
static void
test_profile(void **state)
{
	static const char *const files[] = { "leaf.pem", "ica.pem",
	    "root.pem" };
	struct tu_run	 r;
	json_t		*doc, *f, *e1;
	const char	*w;
	size_t		 i, k, seen;

	/* An ECDSA chain judged by the SM2 profile: every cert is flagged. */
	run_xbrg(&r, "--anchors", "@p256/root.pem", "--untrusted",
	    "@p256/ica.pem", "--profile", "gmt0015", "--at", T,
	    "@p256/leaf.pem", (char *)NULL);
	assert_int_equal(r.status, 1);
	doc = parse_doc(&r);
	assert_string_equal(json_string_value(json_object_get(doc,
	    "profile")), "gmt0015");
	assert_string_equal(json_string_value(json_object_get(doc,
	    "verdict")), "invalid");
	f = json_object_get(doc, "findings");
	for (k = 0; k < 3; k++) {
		seen = 0;
		for (i = 0; i < json_array_size(f); i++) {
			e1 = json_array_get(f, i);
			w = json_string_value(json_object_get(e1, "where"));
			if (w != NULL && strstr(w, files[k]) != NULL &&
			    strcmp(json_string_value(json_object_get(e1,
			    "code")), "GMT-SIG-NOT-SM2") == 0)
				seen++;
		}
		if (seen != 1)
			fail_msg("GMT-SIG-NOT-SM2 on %s: %zu times", files[k],
			    seen);
	}
	json_decref(doc);
	tu_run_free(&r);

	/* The same chain under rfc5280: valid, and the path is unchanged. */
	run_xbrg(&r, "--anchors", "@p256/root.pem", "--untrusted",
	    "@p256/ica.pem", "--profile", "rfc5280", "--at", T,
	    "@p256/leaf.pem", (char *)NULL);
	assert_int_equal(r.status, 0);
	doc = parse_doc(&r);
	assert_int_equal(json_array_size(json_object_get(doc, "chain")), 3);
	json_decref(doc);
	tu_run_free(&r);

	/* An unknown profile is a usage error naming it. */
	run_xbrg(&r, "--anchors", "@p256/root.pem", "--profile",
	    "no-such-profile", "--at", T, "@p256/leaf.pem", (char *)NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "no-such-profile"));
	assert_string_equal(r.out, "");
	tu_run_free(&r);
}

/* Usage errors and unreadable input: exit 2, a message, no stdout. */
static void
test_bad_input(void **state)
{
	static const struct {
		const char	*args[6];
		const char	*msg;	/* in stderr */
	} rows[] = {
		{ { "@p256/leaf.pem" }, "--anchors" },
		{ { "--anchors", "@p256/root.pem" }, "no LEAF" },
		{ { "--anchors", "@p256/root.pem", "@p256/leaf.pem",
		    "@p256/ica.pem" }, "more than one" },
		{ { "--anchors", "@p256/nope.pem", "@p256/leaf.pem" },
		    "nope.pem" },
		{ { "--anchors", "@p256/root.pem", "@p256/nope.pem" },
		    "nope.pem" },
		{ { "--anchors", "@p256/root.pem", "@.cli-garbage.pem" },
		    ".cli-garbage.pem" },
		{ { "--anchors", "@p256/root.pem", "--crl", "@p256/leaf.pem",
		    "@p256/leaf.pem" }, "leaf.pem" },
		{ { "--anchors", "@p256/root.pem", "--crl",
		    "@p256/nope.crl", "@p256/leaf.pem" }, "nope.crl" },
		{ { "--anchors", "@p256/root.pem", "--at", "yesterday",
		    "@p256/leaf.pem" }, "yesterday" },
		{ { "--anchors", "@p256/root.pem", "--policy", "anyPolicy",
		    "@p256/leaf.pem" }, "anyPolicy" },
		{ { "--anchors", "@p256/root.pem", "--max-depth", "99",
		    "@p256/leaf.pem" }, "--max-depth" },
		{ { "--anchors", "@p256/root.pem", "--ip", "1.2.3",
		    "@p256/leaf.pem" }, "1.2.3" },
		{ { "--anchors", "@p256/root.pem", "--frobnicate",
		    "@p256/leaf.pem" }, "--frobnicate" },
		{ { "--anchors" }, "--anchors" },
	};
	struct tu_run	 r;
	const char	*a[6];
	size_t		 i, j;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(a, 0, sizeof(a));
		for (j = 0; j < 6 && rows[i].args[j] != NULL; j++)
			a[j] = rows[i].args[j];
		run_xbrg(&r, a[0], a[1], a[2], a[3], a[4], a[5],
		    (char *)NULL);
		if (r.status != 2 || strstr(r.err, rows[i].msg) == NULL ||
		    r.out[0] != '\0')
			fail_msg("row %zu: exit %d, stderr '%s', stdout '%s'",
			    i, r.status, r.err, r.out);
		tu_run_free(&r);
	}
}

static void
test_help(void **state)
{
	static const char *const opts[] = { "--anchors", "--untrusted",
	    "--crl", "--at", "--profile", "--policy", "--explicit-policy",
	    "--inhibit-policy-mapping", "--inhibit-any-policy",
	    "--max-depth", "--host", "--ip", "--email", "--eku",
	    "--no-strict", "--partial-chain", "exit status" };
	struct tu_run	 r;
	size_t		 i;

	run_xbrg(&r, "--help", (char *)NULL);
	assert_int_equal(r.status, 0);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strstr(r.out, opts[i]) == NULL)
			fail_msg("--help lacks %s", opts[i]);
	tu_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
