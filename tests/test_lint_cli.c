/*
 * test_lint_cli.c: `xbrg lint` as a user runs it ($XBRG as a subprocess):
 * the JSON shape, exit codes 0/1/2, bundles, options, and unreadable,
 * garbage, truncated and empty inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "helpers/test_util.h"

#define T0	"2026-01-01T00:00:00Z"
#define MAXARGS	16

static char	 tmpdir[] = "/tmp/xbrg-lintcli-XXXXXX";
static char	 fixdir[1024];

/* Runs $XBRG with args (NULL-terminated), capturing both streams. */
static void
run(struct tu_run *r, const char *const *args)
{
	const char	*xbrg = getenv("XBRG");
	char		*argv[MAXARGS + 2];
	int		 i;

	assert_non_null(xbrg);
	argv[0] = (char *)xbrg;
	for (i = 0; args[i] != NULL && i < MAXARGS; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	tu_run(r, argv);
	assert_true(r->status >= 0);
}

static char *
fx(const char *name)
{
	static char	 buf[4][1200];
	static int	 k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", fixdir, name);
	return buf[k];
}

static char *
tmp(const char *name)
{
	static char	 buf[4][1200];
	static int	 k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static void
write_file(const char *path, const void *b, size_t n)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(b, 1, n, fp), n);
	fclose(fp);
}

/* Checks the exact shape; returns the parsed document (caller frees). */
static json_t *
shape(const char *out, size_t nfiles)
{
	json_error_t	 je;
	json_t		*doc, *res, *r, *f, *v;
	const char	*key;
	size_t		 i, j;
	static const char *const fkeys[] = { "code", "severity", "cite",
	    "message", "where" };

	doc = json_loads(out, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL)
		fail_msg("not JSON: %s: %s", je.text, out);
	assert_int_equal(json_object_size(doc), 1);
	assert_true(json_is_array(res = json_object_get(doc, "results")));
	assert_int_equal(json_array_size(res), nfiles);
	json_array_foreach(res, i, r) {
		assert_int_equal(json_object_size(r), 3);
		assert_true(json_is_string(json_object_get(r, "file")));
		v = json_object_get(r, "verdict");
		assert_true(json_is_string(v));
		assert_true(strcmp(json_string_value(v), "pass") == 0 ||
		    strcmp(json_string_value(v), "warn") == 0 ||
		    strcmp(json_string_value(v), "fail") == 0);
		assert_true(json_is_array(json_object_get(r, "findings")));
		json_array_foreach(json_object_get(r, "findings"), j, f) {
			for (size_t k = 0; k < 5; k++)
				assert_true(json_is_string(json_object_get(f,
				    fkeys[k])));
			json_object_foreach(f, key, v)
				assert_true(strcmp(key, "detail") == 0 ||
				    json_object_get(f, key) != NULL);
		}
	}
	return doc;
}

static const char *
verdict(json_t *doc, size_t i)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "results"), i), "verdict"));
}

static json_t *
findings(json_t *doc, size_t i)
{
	return json_object_get(json_array_get(json_object_get(doc,
	    "results"), i), "findings");
}

static int
setup(void **state)
{
	snprintf(fixdir, sizeof(fixdir), "%s/lint", getenv("FIXTURES") ?
	    getenv("FIXTURES") : "build/fixtures");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	static const char *const n[] = { "out", "err", "garbage.pem",
	    "trunc.pem", "trunc.der", "empty.pem", "bundle.pem", "p/x.profile",
	    "notcert.pem" };
	size_t	 i;

	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		unlink(tmp(n[i]));
	rmdir(tmp("p"));
	rmdir(tmpdir);
	return 0;
}

static void
test_verdicts(void **state)
{
	static const struct {
		const char	*file;
		const char	*profile;
		int		 rc;
		const char	*verdict;
		const char	*code;	/* one expected code, or NULL */
	} rows[] = {
		{ "good-sm2-sign.pem", "rfc5280", 0, "pass", NULL },
		{ "good-sm2-ca.pem", "gmt0015", 0, "pass", NULL },
		{ "good-rsa-sign.pem", "intl", 0, "pass", NULL },
		{ "good-rsa-sign.pem", "gmt0015", 0, "warn",
		    "GMT-SIG-NOT-SM2" },
		{ "bad-ku-noncritical.pem", "rfc5280", 0, "warn",
		    "CERT-KU-NOT-CRITICAL" },
		{ "bad-ext-dup.pem", "rfc5280", 1, "fail", "CERT-EXT-DUP" },
		{ "bad-rsa-sha1.pem", "intl", 1, "fail", "ALG-SIG-WEAK" },
		{ "bad-key-undecodable.pem", "rfc5280", 1, "fail",
		    "CERT-KEY-UNDECODABLE" },
		{ "bad-10000-extensions.pem", "gmt0015", 1, "fail",
		    "CERT-EXT-TOO-MANY" },
		{ "bad-der-ber-length.pem", "rfc5280", 1, "fail",
		    "CERT-DER-STRICT" },
	};
	struct tu_run	 r;
	json_t		*doc, *f;
	size_t		 i, j;
	int		 seen;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[] = { "lint", "--profile", rows[i].profile,
		    "--at", T0, fx(rows[i].file), NULL };

		run(&r, args);
		if (r.status != rows[i].rc)
			fail_msg("%s: exit %d, want %d: %s", rows[i].file,
			    r.status, rows[i].rc, r.err);
		doc = shape(r.out, 1);
		assert_string_equal(verdict(doc, 0), rows[i].verdict);
		seen = rows[i].code == NULL &&
		    json_array_size(findings(doc, 0)) == 0;
		json_array_foreach(findings(doc, 0), j, f)
			if (rows[i].code != NULL && strcmp(json_string_value(
			    json_object_get(f, "code")), rows[i].code) == 0)
				seen = 1;
		assert_true(seen);
		json_decref(doc);
		tu_run_free(&r);
	}
}

static void
test_many_files_and_bundle(void **state)
{
	struct tu_run	 r;
	json_t		*doc, *f;
	char		*a, *b;
	size_t		 j;
	int		 second = 0;

	a = tu_slurp(NULL, fx("bad-ext-dup.pem"), 1 << 20, NULL);
	b = tu_slurp(NULL, fx("bad-no-aki.pem"), 1 << 20, NULL);
	{
		size_t	 na = strlen(a), nb = strlen(b);
		char	*c = malloc(na + nb);

		memcpy(c, a, na);
		memcpy(c + na, b, nb);
		write_file(tmp("bundle.pem"), c, na + nb);
		free(c);
	}
	free(a);
	free(b);
	{
		const char *args[] = { "lint", "--at", T0,
		    fx("good-sm2-sign.pem"), tmp("bundle.pem"),
		    fx("good-p256-ca.pem"), NULL };

		run(&r, args);
	}
	assert_int_equal(r.status, 1);
	doc = shape(r.out, 3);
	assert_string_equal(verdict(doc, 0), "pass");
	assert_string_equal(verdict(doc, 1), "fail");
	assert_string_equal(verdict(doc, 2), "pass");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "results"), 1), "file")), tmp("bundle.pem"));
	json_array_foreach(findings(doc, 1), j, f)
		if (strstr(json_string_value(json_object_get(f, "where")),
		    "#2") != NULL && strcmp(json_string_value(
		    json_object_get(f, "code")), "CERT-AKI-MISSING") == 0)
			second = 1;
	assert_true(second);
	json_decref(doc);
	tu_run_free(&r);
}

static void
test_unreadable(void **state)
{
	static const char garbage[] = "this is not a certificate\n";
	char		*pem, *p;
	size_t		 n;
	struct tu_run	 r;
	size_t		 i;
	const char	*bad[] = { tmp("missing.pem"), tmp("garbage.pem"),
	    tmp("trunc.pem"), tmp("trunc.der"), tmp("empty.pem"), fixdir };

	write_file(tmp("garbage.pem"), garbage, sizeof(garbage) - 1);
	write_file(tmp("empty.pem"), "", 0);
	pem = tu_slurp(NULL, fx("good-sm2-sign.pem"), 1 << 20, NULL);
	n = strlen(pem);
	write_file(tmp("trunc.pem"), pem, n / 2);
	/* A DER certificate cut short: decode the base64 body's first
	 * line-aligned half. */
	p = strstr(pem, "\n") + 1;
	{
		unsigned char	 der[4096];
		int		 dl;
		char		*body = strndup(p, strstr(p,
				    "-----END") - p);
		char		*w = body, *q;

		for (q = body; *q; q++)
			if (*q != '\n')
				*w++ = *q;
		*w = '\0';
		dl = EVP_DecodeBlock(der, (unsigned char *)body,
		    (int)strlen(body));
		free(body);
		write_file(tmp("trunc.der"), der, dl / 2);
	}
	free(pem);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[] = { "lint", "--at", T0,
		    fx("good-sm2-sign.pem"), bad[i], NULL };

		run(&r, args);
		if (r.status != 2)
			fail_msg("%s: exit %d, want 2", bad[i], r.status);
		assert_string_equal(r.out, "");
		if (strstr(r.err, bad[i]) == NULL)
			fail_msg("stderr does not name %s: %s", bad[i], r.err);
		tu_run_free(&r);
	}
}

static void
test_usage(void **state)
{
	static const struct {
		const char	*args[6];
		int		 rc;
		const char	*err;	/* in stderr */
	} rows[] = {
		{ { "lint", NULL }, 2, "no FILE" },
		{ { "lint", "--bogus", "x", NULL }, 2, "--bogus" },
		{ { "lint", "--at", "yesterday", "x", NULL }, 2, "yesterday" },
		{ { "lint", "--at", NULL }, 2, "--at" },
		{ { "lint", "--profile", "nosuch", "x", NULL }, 2, "nosuch" },
		{ { "lint", "--profile", "../etc/x", "x", NULL }, 2,
		    "bad profile name" },
	};
	struct tu_run	 r;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		run(&r, rows[i].args);
		assert_int_equal(r.status, rows[i].rc);
		assert_string_equal(r.out, "");
		if (strstr(r.err, rows[i].err) == NULL)
			fail_msg("row %zu: stderr lacks '%s': %s", i,
			    rows[i].err, r.err);
		tu_run_free(&r);
	}
	{
		const char *args[] = { "lint", "--help", NULL };

		run(&r, args);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "--profile NAME"));
		assert_non_null(strstr(r.out, "--profile-dir DIR"));
		assert_non_null(strstr(r.out, "--at TIME"));
		assert_non_null(strstr(r.out, "rfc5280 (default)"));
		tu_run_free(&r);
	}
}

static void
test_profile_dir_and_default_time(void **state)
{
	static const char prof[] = "profile x\n"
	    "rule CERT-EXT-DUP warn | test | a duplicate\n";
	struct tu_run	 r;
	json_t		*doc;

	assert_int_equal(mkdir(tmp("p"), 0700), 0);
	write_file(tmp("p/x.profile"), prof, sizeof(prof) - 1);
	{
		const char *args[] = { "lint", "--profile", "x",
		    "--profile-dir", tmp("p"), "--at", T0,
		    fx("bad-ext-dup.pem"), NULL };

		run(&r, args);
	}
	assert_int_equal(r.status, 0);	/* the profile made it a warning */
	doc = shape(r.out, 1);
	assert_string_equal(verdict(doc, 0), "warn");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(findings(doc, 0), 0), "cite")), "test");
	json_decref(doc);
	tu_run_free(&r);
	/* Without --at the clock is read: the run works either way. */
	{
		const char *args[] = { "lint", fx("good-sm2-ca.pem"), NULL };

		run(&r, args);
	}
	assert_true(r.status == 0 || r.status == 1);
	json_decref(shape(r.out, 1));
	tu_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_many_files_and_bundle),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_profile_dir_and_default_time),
	};

	return cmocka_run_group_tests_name("lint_cli", tests, setup,
	    teardown);
}
