/*
 * test_pkits.c: NIST PKITS 1.0.1 through val_chain_check(), the function
 * xbrg validate uses.  Reads $XBRG_SHARED/conformance/pkits/
 * pkits-expectations.tsv (249 entries; SOURCES.md there): the trust anchor,
 * the path (every certificate but the last is the untrusted pool, the last
 * is the end entity), the CRLs and the initial policy settings of each
 * entry, validated at 2011-04-15T00:00:00Z.  Prints pass/fail/skip counts
 * and fails when an entry outside the allow-list below fails, or when an
 * allow-listed entry passes (the list must stay exact).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "val.h"

#define PKITS_TIME		1302825600	/* 2011-04-15T00:00:00Z */
#define PKITS_ENTRIES		249
#define PKITS_MAX_PATH		16
#define PKITS_MAX_FIELDS	11

/*
 * Entries OpenSSL 3.0's engine cannot pass, with the reason.  Everything
 * else must pass.
 */
static const struct {
	const char	*id;
	const char	*why;
} pkits_allow[] = {
	{ "4.1.5", "DSA parameter inheritance (the EE's DSA key takes its "
	    "parameters from the CA): OpenSSL 3.0 cannot decode a DSA key "
	    "without parameters, so the issuer key is unusable" },
	{ "4.14.30", "the cRLIssuer's own certificate is covered only by "
	    "the indirect CRL it signs itself; OpenSSL 3.0 checks a CRL "
	    "issuer's path in a child context that does not use indirect "
	    "CRLs, and reports 'CRL path validation error' (openssl verify "
	    "fails it the same way)" },
};

struct pkits_entry {
	char	*f[PKITS_MAX_FIELDS];	/* point into the line */
};

static const char *
shared(void)
{
	const char	*s = getenv("XBRG_SHARED");

	return s != NULL && *s != '\0' ? s : NULL;
}

static const char *
allowed(const char *id)
{
	size_t	 i;

	for (i = 0; i < sizeof(pkits_allow) / sizeof(pkits_allow[0]); i++)
		if (strcmp(pkits_allow[i].id, id) == 0)
			return pkits_allow[i].why;
	return NULL;
}

static int
load_certs(const char *dir, const char *rel, struct val_certs *out)
{
	char	 path[4096], err[512];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >=
	    sizeof(path))
		return -1;
	if (val_certs_load_file(path, out, err, sizeof(err)) != 0) {
		print_error("pkits: %s\n", err);
		return -1;
	}
	return 0;
}

/* Splits s at sep in place into at most max parts; returns the count. */
static size_t
split(char *s, char sep, char **parts, size_t max)
{
	size_t	 n = 0;
	char	*p;

	if (*s == '\0')
		return 0;
	while (n < max) {
		parts[n++] = s;
		if ((p = strchr(s, sep)) == NULL)
			break;
		*p = '\0';
		s = p + 1;
	}
	return n;
}

/*
 * Runs one entry.  Returns 1 if xbrg's verdict equals the expected one,
 * 0 if not, -1 if the entry could not be run.
 */
static int
run_entry(const char *dir, char **f, char *verdict, size_t vlen,
    char *first, size_t flen)
{
	struct val_certs	 anchors = { NULL, 0 }, pool = { NULL, 0 };
	struct val_certs	 leaf = { NULL, 0 };
	struct val_crls		 crls = { NULL, 0 };
	struct val_chain_in	 in;
	struct val_report	 rep;
	char			*path[PKITS_MAX_PATH], *crlv[PKITS_MAX_PATH];
	char			*pol[VAL_MAX_POLICIES + 1];
	char			 buf[4096], err[512];
	size_t			 npath, ncrl, npol, i;
	int			 rc = -1, valid;

	memset(&in, 0, sizeof(in));
	val_report_init(&rep);
	if (load_certs(dir, f[3], &anchors) != 0)
		goto out;
	npath = split(f[4], ':', path, PKITS_MAX_PATH);
	if (npath == 0)
		goto out;
	for (i = 0; i + 1 < npath; i++)
		if (load_certs(dir, path[i], &pool) != 0)
			goto out;
	if (load_certs(dir, path[npath - 1], &leaf) != 0)
		goto out;
	ncrl = strcmp(f[5], "-") == 0 ? 0 :
	    split(f[5], ':', crlv, PKITS_MAX_PATH);
	for (i = 0; i < ncrl; i++) {
		if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", dir,
		    crlv[i]) >= sizeof(buf))
			goto out;
		if (val_crls_load_file(buf, &crls, err, sizeof(err)) != 0) {
			print_error("pkits: %s\n", err);
			goto out;
		}
	}
	npol = split(f[6], ',', pol, VAL_MAX_POLICIES);
	pol[npol] = NULL;

	in.leaf = leaf.v[0].x509;
	in.anchors = &anchors;
	in.untrusted = &pool;
	in.crls = &crls;
	in.at = PKITS_TIME;
	in.policies = (const char *const *)pol;
	in.explicit_policy = strcmp(f[7], "1") == 0;
	in.inhibit_mapping = strcmp(f[8], "1") == 0;
	in.inhibit_any = strcmp(f[9], "1") == 0;
	if (val_chain_check(&in, NULL, &rep) != 0)
		goto out;
	valid = val_report_verdict(&rep) != VAL_VERDICT_FAIL;
	snprintf(verdict, vlen, "%s", valid ? "valid" : "invalid");
	first[0] = '\0';
	for (i = 0; i < rep.n; i++)
		if (rep.items[i].rule->sev >= VAL_ERROR) {
			snprintf(first, flen, "%s %s", rep.items[i].rule->code,
			    rep.items[i].where ? rep.items[i].where : "");
			break;
		}
	rc = strcmp(verdict, f[2]) == 0;
 out:
	val_report_clear(&rep);
	val_crls_free(&crls);
	val_certs_free(&leaf);
	val_certs_free(&pool);
	val_certs_free(&anchors);
	return rc;
}

static void
test_pkits(void **state)
{
	const char	*sh = shared(), *why;
	char		 dir[4096], tsv[4200], verdict[16], first[160];
	char		*line = NULL, *f[PKITS_MAX_FIELDS];
	size_t		 cap = 0, nf;
	ssize_t		 len;
	FILE		*fp;
	int		 pass = 0, fail = 0, skipped = 0, bad = 0, r, total = 0;
	int		 allowed_fail = 0;

	if (sh == NULL) {
		print_message("pkits: XBRG_SHARED is not set; skipping\n");
		skip();
	}
	snprintf(dir, sizeof(dir), "%s/conformance/pkits", sh);
	snprintf(tsv, sizeof(tsv), "%s/pkits-expectations.tsv", dir);
	if ((fp = fopen(tsv, "r")) == NULL) {
		print_message("pkits: %s is absent; skipping\n", tsv);
		skip();
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		nf = split(line, '\t', f, PKITS_MAX_FIELDS);
		if (nf != PKITS_MAX_FIELDS) {
			print_error("pkits: bad line: %s\n", line);
			bad++;
			continue;
		}
		total++;
		why = allowed(f[0]);
		r = run_entry(dir, f, verdict, sizeof(verdict), first,
		    sizeof(first));
		if (r < 0) {
			print_error("pkits: %s: could not run\n", f[0]);
			skipped++;
			bad++;
		} else if (r == 1) {
			pass++;
			if (why != NULL) {
				print_error("pkits: %s now passes: remove it "
				    "from the allow-list\n", f[0]);
				bad++;
			}
		} else {
			fail++;
			print_message("pkits: FAIL %s (%s): expected %s, "
			    "got %s [%s]%s\n", f[0], f[10], f[2], verdict,
			    first, why != NULL ? " (allowed)" : "");
			if (why != NULL)
				allowed_fail++;
			else
				bad++;
		}
	}
	free(line);
	fclose(fp);
	print_message("pkits: %d entries: %d passed, %d failed (%d allowed: "
	    "OpenSSL 3.0 limits), %d skipped\n", total, pass, fail,
	    allowed_fail, skipped);
	assert_int_equal(total, PKITS_ENTRIES);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
