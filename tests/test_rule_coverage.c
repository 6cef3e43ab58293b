/*
 * test_rule_coverage.c: every rule of every profile in profiles/ has a
 * fixture in build/fixtures/lint that triggers it and one that does not
 * (linted at the fixtures' pinned time).  Adding a rule without a fixture
 * fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include <cmocka.h>

#include "val.h"

#define T0		"2026-01-01T00:00:00Z"
#define MAX_FIXTURES	512
#define MAX_RULES	512

static char	*files[MAX_FIXTURES];
static size_t	 nfiles;

static int
suffix(const char *s, const char *suf)
{
	size_t	 a = strlen(s), b = strlen(suf);

	return a > b && strcmp(s + a - b, suf) == 0;
}

static void
cover(const char *pname, const char *fixdir, int *bad)
{
	struct val_profile	*p;
	struct val_certs	 certs;
	struct val_report	 rep;
	size_t			 hit[MAX_RULES], miss[MAX_RULES];
	size_t			 i, j, k, nr;
	char			 err[512], path[2048];
	time_t			 at;
	int			 found;

	p = val_profile_load(pname, NULL, err, sizeof(err));
	if (p == NULL)
		fail_msg("%s", err);
	nr = val_profile_nrules(p);
	assert_true(nr <= MAX_RULES);
	memset(hit, 0, sizeof(hit));
	memset(miss, 0, sizeof(miss));
	assert_int_equal(val_time_parse(T0, &at), 0);
	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s", fixdir, files[i]);
		memset(&certs, 0, sizeof(certs));
		val_report_init(&rep);
		if (val_certs_load_file(path, &certs, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		for (j = 0; j < certs.n; j++)
			assert_int_equal(val_cert_check(&certs.v[j], p, at,
			    &rep), 0);
		for (k = 0; k < nr; k++) {
			found = val_report_has(&rep,
			    val_profile_rule(p, k)->code);
			if (found)
				hit[k]++;
			else
				miss[k]++;
		}
		val_report_clear(&rep);
		val_certs_free(&certs);
	}
	for (k = 0; k < nr; k++) {
		if (hit[k] == 0 || miss[k] == 0) {
			printf("FAIL %s %s: %zu fixtures trigger it, %zu do "
			    "not\n", pname, val_profile_rule(p, k)->code,
			    hit[k], miss[k]);
			(*bad)++;
		}
	}
	printf("ok %s: %zu rules, each triggered and not triggered\n",
	    pname, nr);
	val_profile_free(p);
}

static void
test_coverage(void **state)
{
	const char	*fx = getenv("FIXTURES") ? getenv("FIXTURES") :
			    "build/fixtures";
	const char	*pd = getenv("XBRG_PROFILE_DIR") ?
			    getenv("XBRG_PROFILE_DIR") : "profiles";
	char		 fixdir[1024], name[128];
	struct dirent	*d;
	DIR		*dp;
	int		 bad = 0, nprof = 0;

	snprintf(fixdir, sizeof(fixdir), "%s/lint", fx);
	assert_non_null(dp = opendir(fixdir));
	while ((d = readdir(dp)) != NULL)
		if (suffix(d->d_name, ".pem") && nfiles < MAX_FIXTURES)
			files[nfiles++] = strdup(d->d_name);
	closedir(dp);
	assert_true(nfiles > 10);
	assert_non_null(dp = opendir(pd));
	while ((d = readdir(dp)) != NULL) {
		if (!suffix(d->d_name, ".profile"))
			continue;
		snprintf(name, sizeof(name), "%.*s",
		    (int)(strlen(d->d_name) - 8), d->d_name);
		cover(name, fixdir, &bad);
		nprof++;
	}
	closedir(dp);
	while (nfiles > 0)
		free(files[--nfiles]);
	assert_true(nprof >= 3);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage),
	};

	return cmocka_run_group_tests_name("rule_coverage", tests, NULL,
	    NULL);
}
