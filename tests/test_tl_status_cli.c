/*
 * test_tl_status_cli.c: `xbrg tl status --cache DIR --cert CERT.pem
 * [--at TIME]`, table-driven: JSON matches, exit codes 0/1/2.
 *
 * The cache is built here as tl sync leaves it (DIR/lists/NAME.xml, one
 * verified list each, NAME.meta.json beside it) by copying real lists
 * from $XBRG_SHARED.  Each row runs twice: through the real command
 * line, "$XBRG tl status ..." (the tl dispatcher of gw_cmd_tl.c), and by
 * calling gw_tl_status() in this process with stdout captured.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "gw.h"
#include "tl.h"
#include "helpers/test_util.h"

static char	 cache[512];	/* the temporary cache folder */
static int	 subprocess;	/* run $XBRG rather than in-process */

/* $XBRG_SHARED when it holds trustlists-real, else NULL (tests skip). */
static const char *
shared(void)
{
	return tu_shared("trustlists-real");
}

static void
copy(const char *rel, const char *dst)
{
	char		 path[4096], err[256];
	unsigned char	*buf;
	size_t		 len;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/trustlists-real/%s", shared(), rel);
	if (val_read_file(path, TL_MAX_LIST_BYTES, &buf, &len, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/%s", cache, dst);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(buf);
}

static void
put(const char *dst, const char *text)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", cache, dst);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The first X509Certificate after marker in a real list, as PEM in dst. */
static void
cut_pem(const char *rel, const char *marker, const char *dst)
{
	char	 path[4096];
	X509	*x;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/trustlists-real", shared());
	x = tu_list_cert(path, rel, marker);
	snprintf(path, sizeof(path), "%s/%s", cache, dst);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	assert_int_equal(fclose(f), 0);
	X509_free(x);
}

/*
 * A certificate with the subject and SKI of src, signed by a fresh key;
 * its public key is src's when same_key (a re-issue), else the fresh one.
 */
static void
copy_key(const char *src, int same_key, const char *dst)
{
	char		 path[4096];
	X509		*x, *y;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", cache, src);
	f = fopen(path, "r");
	assert_non_null(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	assert_non_null(X509_get0_subject_key_id(x));
	y = tu_cert(X509_get_subject_name(x), X509_get0_subject_key_id(x),
	    same_key ? X509_get0_pubkey(x) : NULL, 7);
	snprintf(path, sizeof(path), "%s/%s", cache, dst);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, y), 1);
	assert_int_equal(fclose(f), 0);
	X509_free(x);
	X509_free(y);
}

static int
setup(void **state)
{
	const char	*b = getenv("BUILD");
	char		 cmd[4096], path[1024];

	if (shared() == NULL)
		return 0;
	snprintf(cache, sizeof(cache), "%s/tl-status-cli-XXXXXX",
	    b != NULL ? b : "/tmp");
	if (mkdtemp(cache) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/lists", cache);
	if (mkdir(path, 0755) != 0)
		return -1;
	copy("lotl/eu-lotl_v6_seq390_2026-08-03.xml", "lists/EU-LOTL.xml");
	copy("tl-2026/SE_v6_seq62.xml", "lists/SE.xml");
	copy("tl-2026/DK_v6_seq45.xml", "lists/DK.xml");
	copy("tl-2026/UK_v6_seq25_closed.xml", "lists/UK.xml");
	put("lists/SE.meta.json", "{}\n");
	put("lists/DK.meta.json", "{}\n");
	put("lists/UK.meta.json", "{}\n");
	put("lists/EU-LOTL.meta.json", "{}\n");
	put("lists/README", "not a list\n");
	put("lists/ZZ.xml", "<damaged/>\n");	/* left out, with a finding */
	put("lists/.tmp-SE-Ab12Cd", "<partial");	/* tl_cache temp file */
	cut_pem("tl-2026/SE_v6_seq62.xml",
	    "SignGuard Europe AB - qualified certificate service",
	    "signguard.pem");
	cut_pem("tl-2026/DK_v6_seq45.xml", "Den Danske Stat kvalificeret "
	    "rod-CA", "dkroot.pem");
	copy_key("dkroot.pem", 0, "weak.pem");
	copy_key("dkroot.pem", 1, "reissue.pem");
	snprintf(cmd, sizeof(cmd), "cat '%s/trustlists-real/certs/"
	    "oj-2019-C276/ec.europa.eu.6.pem' > '%s/oj.pem' && cat "
	    "'%s/signguard.pem' '%s/dkroot.pem' > '%s/two.pem' && "
	    "mkdir -p '%s/empty/lists'", shared(), cache, cache, cache, cache,
	    cache);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[1024];

	if (cache[0] != '\0' && strstr(cache, "tl-status-cli-") != NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cache);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/*
 * Runs tl status with args (NULL-terminated; "@" at the start of an
 * argument stands for the cache folder).  Returns the exit code and the
 * captured stdout (owned).
 */
static int
run(const char *const *args, char **out)
{
	char		*argv[16], buf[16][1024], cmd[8192], tmp[2048];
	size_t		 n, len = 0;
	int		 rc, fd, saved;
	FILE		*f;

	for (n = 0; args[n] != NULL && n < 15; n++) {
		if (args[n][0] == '@')
			snprintf(buf[n], sizeof(buf[n]), "%s%s", cache,
			    args[n] + 1);
		else
			snprintf(buf[n], sizeof(buf[n]), "%s", args[n]);
		argv[n] = buf[n];
	}
	argv[n] = NULL;
	snprintf(tmp, sizeof(tmp), "%s/stdout", cache);
	if (subprocess) {
		len = (size_t)snprintf(cmd, sizeof(cmd), "'%s' tl",
		    getenv("XBRG"));
		for (n = 0; argv[n] != NULL; n++)
			len += (size_t)snprintf(cmd + len, sizeof(cmd) - len,
			    " '%s'", argv[n]);
		snprintf(cmd + len, sizeof(cmd) - len, " > '%s' 2>/dev/null",
		    tmp);
		rc = system(cmd);
		assert_true(WIFEXITED(rc));
		rc = WEXITSTATUS(rc);
	} else {
		fflush(stdout);
		saved = dup(1);
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		assert_true(saved >= 0 && fd >= 0);
		dup2(fd, 1);
		close(fd);
		rc = gw_tl_status((int)n, argv);
		fflush(stdout);
		dup2(saved, 1);
		close(saved);
	}
	f = fopen(tmp, "r");
	assert_non_null(f);
	*out = calloc(1, 1 << 20);
	assert_non_null(*out);
	len = fread(*out, 1, (1 << 20) - 1, f);
	(*out)[len] = '\0';
	fclose(f);
	return rc;
}

#define NONE	NULL, NULL, NULL, NULL, NULL, NULL, 0, 0

static const struct row {
	const char	*label;
	const char	*args[10];
	int		 exit;
	int		 nmatch;	/* -1: no JSON expected */
	const char	*terr, *tsp, *type, *status, *since, *match;
	int		 granted;	/* the first match's status */
	int		 same_key;	/* the first match's key */
} rows[] = {
	{ "granted at the time",
	    { "status", "--cache", "@", "--cert", "@/signguard.pem", "--at",
	    "2016-12-01T00:00:00Z" }, 0, 1, "SE", "SignGuard Europe AB",
	    "CA/QC", "granted", "2016-06-30T22:00:00Z", "certificate", 1, 1 },
	{ "pre-2016 undersupervision counts as granted",
	    { "status", "--at", "2010-01-01T00:00:00+01:00", "--cert",
	    "@/signguard.pem", "--cache", "@" }, 0, 1, "SE",
	    "SignGuard Europe AB", "CA/QC", "undersupervision",
	    "2008-06-11T12:00:00Z", "certificate", 1, 1 },
	{ "withdrawn since", { "status", "--cache", "@", "--cert",
	    "@/signguard.pem", "--at", "2026-09-01T00:00:00Z" }, 1, 1, "SE",
	    "SignGuard Europe AB", "CA/QC", "withdrawn",
	    "2017-01-08T23:00:00Z", "certificate", 0, 1 },
	{ "before the service was listed", { "status", "--cache", "@",
	    "--cert", "@/signguard.pem", "--at", "2001-01-01T00:00:00Z" }, 1,
	    1, "SE", "SignGuard Europe AB", "CA/QC", NULL, NULL,
	    "certificate", 0, 1 },
	{ "DK state root granted", { "status", "--cache", "@", "--cert",
	    "@/dkroot.pem", "--at", "2026-09-01T00:00:00Z" }, 0, 1, "DK",
	    "Den Danske Stat", "CA/QC", "granted", "2022-01-11T09:00:19Z",
	    "certificate", 1, 1 },
	{ "weak match by SKI: granted service, other key", { "status",
	    "--cache", "@", "--cert", "@/weak.pem", "--at",
	    "2026-09-01T00:00:00Z" }, 1, 1, "DK", "Den Danske Stat", "CA/QC",
	    "granted", "2022-01-11T09:00:19Z", "ski", 1, 0 },
	{ "re-issued certificate for the listed key", { "status", "--cache",
	    "@", "--cert", "@/reissue.pem", "--at", "2026-09-01T00:00:00Z" },
	    0, 1, "DK", "Den Danske Stat", "CA/QC", "granted",
	    "2022-01-11T09:00:19Z", "ski", 1, 1 },
	{ "in no list", { "status", "--cache", "@", "--cert", "@/oj.pem",
	    "--at", "2026-09-01T00:00:00Z" }, 1, 0, NONE },
	{ "empty cache", { "status", "--cache", "@/empty", "--cert",
	    "@/signguard.pem", "--at", "2016-12-01T00:00:00Z" }, 1, 0,
	    NONE },
	{ "no lists folder", { "status", "--cache", "@/nowhere", "--cert",
	    "@/oj.pem" }, 2, -1, NONE },
	{ "two certificates", { "status", "--cache", "@", "--cert",
	    "@/two.pem" }, 2, -1, NONE },
	{ "unreadable certificate", { "status", "--cache", "@", "--cert",
	    "@/missing.pem" }, 2, -1, NONE },
	{ "not a certificate", { "status", "--cache", "@", "--cert",
	    "@/lists/README" }, 2, -1, NONE },
	{ "bad time", { "status", "--cache", "@", "--cert", "@/oj.pem",
	    "--at", "yesterday" }, 2, -1, NONE },
	{ "no --cert", { "status", "--cache", "@" }, 2, -1, NONE },
	{ "no --cache", { "status", "--cert", "@/oj.pem" }, 2, -1, NONE },
	{ "unknown option", { "status", "--cache", "@", "--cert", "@/oj.pem",
	    "--verbose", "1" }, 2, -1, NONE },
	{ "option without value", { "status", "--cache" }, 2, -1, NONE },
	{ "help", { "status", "--help" }, 0, -1, NONE },
};

static void
check_str(const char *label, json_t *o, const char *key, const char *want)
{
	json_t	*v = json_object_get(o, key);

	if (want == NULL) {
		if (v != NULL && !json_is_null(v))
			fail_msg("%s: %s should be null", label, key);
		return;
	}
	if (!json_is_string(v) || strcmp(json_string_value(v), want) != 0)
		fail_msg("%s: %s is %s, want %s", label, key,
		    json_is_string(v) ? json_string_value(v) : "(none)",
		    want);
}

static void
check_rows(void)
{
	const struct row	*r;
	json_t			*j, *arr, *m;
	json_error_t		 je;
	char			*out;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = &rows[i];
		rc = run(r->args, &out);
		if (rc != r->exit)
			fail_msg("%s (%s): exit %d, want %d", r->label,
			    subprocess ? "$XBRG" : "in-process", rc,
			    r->exit);
		if (r->nmatch < 0) {
			free(out);
			continue;
		}
		if ((j = json_loads(out, 0, &je)) == NULL)
			fail_msg("%s: not JSON: %s", r->label, je.text);
		if (json_is_true(json_object_get(j, "granted")) !=
		    (r->exit == 0))
			fail_msg("%s: top granted", r->label);
		arr = json_object_get(j, "matches");
		if (!json_is_array(arr) ||
		    json_array_size(arr) != (size_t)r->nmatch)
			fail_msg("%s: matches %zu, want %d", r->label,
			    json_array_size(arr), r->nmatch);
		if (r->nmatch > 0) {
			m = json_array_get(arr, 0);
			check_str(r->label, m, "territory", r->terr);
			check_str(r->label, m, "tsp", r->tsp);
			check_str(r->label, m, "type", r->type);
			check_str(r->label, m, "status", r->status);
			check_str(r->label, m, "since", r->since);
			check_str(r->label, m, "match", r->match);
			assert_true(json_is_string(json_object_get(m,
			    "service")));
			assert_true(json_is_integer(json_object_get(m,
			    "list_sequence")));
			if (strcmp(r->terr, "SE") == 0) {
				assert_int_equal(json_integer_value(
				    json_object_get(m, "list_sequence")), 62);
				check_str(r->label, m, "list_next_update",
				    "2027-02-19T14:56:19Z");
				assert_true(json_is_false(json_object_get(m,
				    "list_closed")));
				check_str(r->label, m, "list", "SE.xml");
			}
			if (json_is_true(json_object_get(m, "granted")) !=
			    r->granted || json_is_true(json_object_get(m,
			    "same_key")) != r->same_key)
				fail_msg("%s: granted/same_key", r->label);
		}
		json_decref(j);
		free(out);
	}
}

/* The C API behind it: tl_set_load() of the same cache. */
static void
test_set(void **state)
{
	static const char *const want[] = { "DK.xml", "EU-LOTL.xml", "SE.xml",
	    "UK.xml" };
	struct tl_set		 set;
	struct val_report	 rep;
	char			 err[256], dir[1024];
	size_t			 i;

	if (shared() == NULL)
		skip();
	val_report_init(&rep);
	assert_int_equal(tl_set_load(cache, &set, &rep, err, sizeof(err)), 0);
	assert_int_equal(set.n, 4);
	for (i = 0; i < set.n; i++) {
		assert_string_equal(set.names[i], want[i]);
		assert_string_equal(tl_set_name(&set, set.lists[i]), want[i]);
	}
	assert_string_equal(set.lists[1]->territory, "EU");
	assert_string_equal(set.lists[3]->territory, "UK");
	assert_true(val_report_has(&rep, "TL-XML-ROOT"));
	assert_false(val_report_has(&rep, "TL-CLOSED"));	/* UK, kept */
	assert_null(tl_set_name(&set, NULL));
	tl_set_free(&set);
	tl_set_free(&set);
	tl_set_free(NULL);
	val_report_clear(&rep);

	snprintf(dir, sizeof(dir), "%s/nowhere", cache);
	assert_int_equal(tl_set_load(dir, &set, &rep, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nowhere/lists"));
	snprintf(dir, sizeof(dir), "%s/empty", cache);
	assert_int_equal(tl_set_load(dir, &set, &rep, err, sizeof(err)), 0);
	assert_int_equal(set.n, 0);
	tl_set_free(&set);
	val_report_clear(&rep);
}

static void
test_subprocess(void **state)
{
	if (shared() == NULL || getenv("XBRG") == NULL)
		skip();
	subprocess = 1;
	check_rows();
}

static void
test_in_process(void **state)
{
	if (shared() == NULL)
		skip();
	subprocess = 0;
	check_rows();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subprocess, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_in_process, setup,
		    teardown),
	};
	int	 rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
