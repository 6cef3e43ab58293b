/*
 * test_decision_cli.c: `xbrg verify-decision` as a user runs it, as a
 * subprocess ($XBRG), on decisions signed here with the public API.
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
#include <openssl/pem.h>

#include "gw.h"

#define T2026	1767225600	/* 2026-01-01T00:00:00Z */

static char	 dir[] = "/tmp/xbrg-dcli-XXXXXX";

static const char *
fixdir(void)
{
	const char	*f = getenv("FIXTURES");

	return f != NULL ? f : "build/fixtures";
}

static const char *
xbrg(void)
{
	const char	*x = getenv("XBRG");

	return x != NULL ? x : "build/rel/xbrg";
}

static void
write_file(const char *name, const unsigned char *b, size_t n)
{
	char	 p[256];
	FILE	*fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(fp = fopen(p, "wb"));
	assert_int_equal(fwrite(b, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* Signs a decision with signer key and writes name (and name.pem). */
static void
make_decision(const char *key, const char *action, const char *name)
{
	static const char *const rev[] = { "reviewer-a", "reviewer-b", NULL };
	struct gw_decision	 d = {
		.decision_id = "dec-cli-1", .dossier_id = "dos-7",
		.ca_legal_name = "Exemple Confiance SA", .ca_country = "FR",
		.reviewers = rev, .decided_at = T2026,
	};
	struct gw_signer	*s;
	unsigned char		*der, *t;
	char			 k[512], c[512], err[256], pem[64];
	size_t			 len;
	json_t			*doc;
	BIO			*b;
	BUF_MEM			*m;

	d.action = action;
	snprintf(k, sizeof(k), "%s/signer/%s.key", fixdir(), key);
	snprintf(c, sizeof(c), "%s/signer/%s.pem", fixdir(), key);
	if ((s = gw_signer_load(k, c, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	if ((doc = gw_decision_doc(&d, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	if (gw_decision_sign(s, doc, T2026, &der, &len, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	write_file(name, der, len);
	/* The PEM form ("CMS" label) of the same bytes. */
	assert_non_null(b = BIO_new(BIO_s_mem()));
	assert_true(PEM_write_bio(b, "CMS", "", der, (long)len) > 0);
	BIO_get_mem_ptr(b, &m);
	snprintf(pem, sizeof(pem), "%s.pem", name);
	write_file(pem, (unsigned char *)m->data, m->length);
	BIO_free(b);
	/* A tampered copy: one byte of the document changed. */
	for (t = der; t + 9 <= der + len; t++)
		if (memcmp(t, "dec-cli-1", 9) == 0)
			break;
	assert_true(t + 9 <= der + len);
	t[8] = '2';
	snprintf(pem, sizeof(pem), "%s.bad", name);
	write_file(pem, der, len);
	json_decref(doc);
	free(der);
	gw_signer_free(s);
}

static int
setup(void **state)
{
	if (mkdtemp(dir) == NULL)
		return -1;
	make_decision("sm2", "approve", "sm2.p7m");
	make_decision("ecdsa", "revoke", "ecdsa.p7m");
	write_file("junk.p7m", (const unsigned char *)"not cms", 7);
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs xbrg verify-decision ARGS; returns the exit status, stdout. */
static int
run(const char *args, char **out)
{
	char	 cmd[1024], buf[4096];
	FILE	*p;
	size_t	 n, len = 0;
	int	 st;

	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s%s' verify-decision %s "
	    "2>stderr.txt", dir, xbrg()[0] == '/' ? "" : "", xbrg(), args);
	/* XBRG is relative to the repo root: make it absolute. */
	if (xbrg()[0] != '/') {
		char	 cwd[512];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		snprintf(cmd, sizeof(cmd), "cd '%s' && '%s/%s' verify-decision "
		    "%s 2>stderr.txt", dir, cwd, xbrg(), args);
	}
	assert_non_null(p = popen(cmd, "r"));
	*out = malloc(1);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		*out = realloc(*out, len + n + 1);
		memcpy(*out + len, buf, n);
		len += n;
	}
	(*out)[len] = '\0';
	st = pclose(p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_cli(void **state)
{
	char	 sm2[400], ecdsa[400], other[400];
	struct {
		const char	*args;
		int		 status;
		const char	*verdict;	/* NULL: no JSON */
		const char	*code;		/* a finding expected */
		const char	*action;	/* decision.action */
		const char	*alg;
	} rows[] = {
		{ "sm2.p7m --signer SM2", 0, "valid", NULL, "approve",
		    "sm2-sm3" },
		{ "sm2.p7m.pem --signer SM2", 0, "valid", NULL, "approve",
		    "sm2-sm3" },
		{ "sm2.p7m", 0, "valid", NULL, "approve", "sm2-sm3" },
		{ "--signer ECDSA ecdsa.p7m", 0, "valid", NULL, "revoke",
		    "ecdsa-p256-sha256" },
		{ "- --signer SM2 < sm2.p7m.pem", 0, "valid", NULL, "approve",
		    "sm2-sm3" },
		{ "- < sm2.p7m.bad", 1, "invalid", "CMS-DIGEST-MISMATCH", NULL,
		    "sm2-sm3" },
		{ "sm2.p7m.bad --signer SM2", 1, "invalid",
		    "CMS-DIGEST-MISMATCH", NULL, "sm2-sm3" },
		{ "ecdsa.p7m.bad", 1, "invalid", "CMS-DIGEST-MISMATCH", NULL,
		    "ecdsa-p256-sha256" },
		{ "sm2.p7m --signer OTHER", 1, "invalid", "CMS-SIGNER-PIN",
		    NULL, "sm2-sm3" },
		{ "junk.p7m", 1, "invalid", "CMS-DER", NULL, NULL },
		{ "", 2, NULL, NULL, NULL, NULL },
		{ "nosuch.p7m", 2, NULL, NULL, NULL, NULL },
		{ "sm2.p7m --signer nosuch.pem", 2, NULL, NULL, NULL, NULL },
		{ "sm2.p7m --signer junk.p7m", 2, NULL, NULL, NULL, NULL },
		{ "sm2.p7m --bogus", 2, NULL, NULL, NULL, NULL },
		{ "sm2.p7m ecdsa.p7m", 2, NULL, NULL, NULL, NULL },
		{ "--help", 0, NULL, NULL, NULL, NULL },
	};
	char		 args[2048], *out, *p;
	const char	*a;
	json_t		*j, *f, *x;
	size_t		 i, k;
	int		 st, found;

	snprintf(sm2, sizeof(sm2), "%s/signer/sm2.pem", fixdir());
	snprintf(ecdsa, sizeof(ecdsa), "%s/signer/ecdsa.pem", fixdir());
	snprintf(other, sizeof(other), "%s/signer/sm2-other.pem", fixdir());
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		/* Substitute absolute certificate paths. */
		args[0] = '\0';
		for (a = rows[i].args; *a != '\0';) {
			char		 cwd[512], path[1100];
			const char	*rel = NULL;
			size_t		 skip = 0;

			if (strncmp(a, "SM2", 3) == 0)
				rel = sm2, skip = 3;
			else if (strncmp(a, "ECDSA", 5) == 0)
				rel = ecdsa, skip = 5;
			else if (strncmp(a, "OTHER", 5) == 0)
				rel = other, skip = 5;
			if (rel != NULL) {
				assert_non_null(getcwd(cwd, sizeof(cwd)));
				snprintf(path, sizeof(path), "'%s%s%s'",
				    rel[0] == '/' ? "" : cwd,
				    rel[0] == '/' ? "" : "/", rel);
				strncat(args, path, sizeof(args) -
				    strlen(args) - 1);
				a += skip;
			} else {
				strncat(args, a, 1);
				a++;
			}
		}
		st = run(args, &out);
		if (st != rows[i].status)
			fail_msg("'%s': exit %d, want %d\n%s", rows[i].args,
			    st, rows[i].status, out);
		if (rows[i].verdict == NULL) {
			if (strcmp(rows[i].args, "--help") == 0)
				assert_non_null(strstr(out, "usage: xbrg "
				    "verify-decision"));
			else
				assert_string_equal(out, "");
			free(out);
			continue;
		}
		if ((j = json_loads(out, JSON_REJECT_DUPLICATES, NULL)) ==
		    NULL)
			fail_msg("'%s': not JSON: %s", rows[i].args, out);
		assert_string_equal(json_string_value(json_object_get(j,
		    "verdict")), rows[i].verdict);
		x = json_object_get(j, "decision");
		if (rows[i].action != NULL) {
			assert_string_equal(json_string_value(
			    json_object_get(x, "action")), rows[i].action);
			assert_string_equal(json_string_value(
			    json_object_get(x, "decision_id")), "dec-cli-1");
			assert_string_equal(json_string_value(
			    json_object_get(j, "signing_time")),
			    "2026-01-01T00:00:00Z");
		} else
			assert_true(json_is_null(x));
		if (rows[i].alg != NULL) {
			x = json_object_get(j, "signer");
			assert_string_equal(json_string_value(
			    json_object_get(x, "algorithm")), rows[i].alg);
			p = (char *)json_string_value(json_object_get(x,
			    "sha256"));
			assert_non_null(p);
			assert_int_equal(strlen(p), 64);
		}
		f = json_object_get(j, "findings");
		assert_true(json_is_array(f));
		found = rows[i].code == NULL;
		for (k = 0; k < json_array_size(f); k++)
			if (rows[i].code != NULL && strcmp(json_string_value(
			    json_object_get(json_array_get(f, k), "code")),
			    rows[i].code) == 0)
				found = 1;
		if (!found)
			fail_msg("'%s': no %s in %s", rows[i].args,
			    rows[i].code, out);
		if (rows[i].code == NULL)
			assert_int_equal(json_array_size(f), 0);
		json_decref(j);
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli),
	};

	return cmocka_run_group_tests_name("decision_cli", tests, setup,
	    teardown);
}
