/*
 * test_audit_cli.c: `xbrg audit verify --db PATH` as a user runs it ($XBRG
 * as a subprocess): intact and tampered stores, exit codes, the first
 * broken entry named, usage errors.  Tampering uses raw SQL, as an
 * attacker with the file would.
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
#include <sqlite3.h>

#include "st.h"

static char		 tmpdir[] = "/tmp/xbrg-test-audit-cli-XXXXXX";
static const char	*xbrg;

/* Runs "$XBRG args"; returns the exit code; stdout and stderr in bufs. */
static int
run(const char *args, char *out, size_t outlen, char *err, size_t errlen)
{
	char	 cmd[2048], path[512];
	FILE	*f;
	size_t	 n;
	int	 st;

	snprintf(cmd, sizeof(cmd), "'%s' %s >'%s/out' 2>'%s/err'", xbrg, args,
	    tmpdir, tmpdir);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	snprintf(path, sizeof(path), "%s/out", tmpdir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	fclose(f);
	snprintf(path, sizeof(path), "%s/err", tmpdir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(err, 1, errlen - 1, f);
	err[n] = '\0';
	fclose(f);
	return WEXITSTATUS(st);
}

static void
make_store(const char *name, int entries)
{
	struct st_db	*db;
	struct st_tx	*tx;
	char		 path[512], err[256], obj[32];
	int		 i;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	db = st_open(path, 0, err, sizeof(err));
	assert_non_null(db);
	for (i = 1; i <= entries; i++) {
		tx = st_begin(db, 1, err, sizeof(err));
		assert_non_null(tx);
		snprintf(obj, sizeof(obj), "dos_%d", i);
		assert_int_equal(st_audit_append(tx, 1767225600 + i,
		    "reviewer-a", "approve", obj, "{\"to\":\"approved\"}",
		    NULL), ST_OK);
		assert_int_equal(st_commit(tx), ST_OK);
	}
	st_close(db);
}

static void
tamper(const char *name, const char *sql)
{
	char	 path[512], full[1024];
	sqlite3	*db;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	snprintf(full, sizeof(full), "DROP TRIGGER audit_no_update; "
	    "DROP TRIGGER audit_no_delete; %s", sql);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, full, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_verify(void **state)
{
	static const struct {
		const char	*tamper;	/* NULL: intact */
		int		 entries;
		int		 exit;
		long long	 first;		/* first_broken, 0: null */
	} rows[] = {
		{ NULL, 0, 0, 0 },
		{ NULL, 5, 0, 0 },
		{ "UPDATE audit SET actor = 'mallory' WHERE seq = 3", 5, 1, 3 },
		{ "UPDATE audit SET object = 'dos_9' WHERE seq = 1", 5, 1, 1 },
		{ "DELETE FROM audit WHERE seq = 4", 5, 1, 4 },
		{ "DELETE FROM audit WHERE seq = 5", 5, 1, 5 },
		{ "UPDATE audit SET prev = hash WHERE seq = 2", 5, 1, 2 },
	};
	char		 out[8192], err[4096], args[1024], want[64];
	json_t		*o;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		make_store("a.db", rows[i].entries);
		if (rows[i].tamper != NULL)
			tamper("a.db", rows[i].tamper);
		snprintf(args, sizeof(args), "audit verify --db '%s/a.db'",
		    tmpdir);
		rc = run(args, out, sizeof(out), err, sizeof(err));
		if (rc != rows[i].exit)
			fail_msg("row %zu: exit %d, want %d (%s)", i, rc,
			    rows[i].exit, err);
		o = json_loads(out, 0, NULL);
		assert_non_null(o);
		assert_int_equal(json_is_true(json_object_get(o, "intact")),
		    rows[i].exit == 0);
		if (rows[i].first == 0)
			assert_true(json_is_null(json_object_get(o,
			    "first_broken")));
		else {
			assert_int_equal(json_integer_value(json_object_get(o,
			    "first_broken")), rows[i].first);
			snprintf(want, sizeof(want), "entry %lld is broken",
			    rows[i].first);
			if (strstr(err, want) == NULL)
				fail_msg("row %zu: stderr '%s' lacks '%s'", i,
				    err, want);
		}
		json_decref(o);
	}
}

static void
test_usage(void **state)
{
	static const struct {
		const char	*args;
		int		 exit;
		const char	*err;	/* in stderr (or stdout for help) */
	} rows[] = {
		{ "audit verify --help", 0, "usage: xbrg audit verify" },
		{ "audit --help", 0, "usage: xbrg audit verify" },
		{ "audit verify", 2, "--db PATH is required" },
		{ "audit", 2, "expected 'verify'" },
		{ "audit check --db x", 2, "expected 'verify'" },
		{ "audit verify --db", 2, "unexpected argument" },
		{ "audit verify --db /nonexistent/x.db", 2, "/nonexistent" },
		{ "audit verify --db TMP/plain.db", 2, "not an xbrg store" },
	};
	char	 out[8192], err[4096], args[1024], *p;
	size_t	 i;
	int	 rc;
	sqlite3	*db;

	snprintf(args, sizeof(args), "%s/plain.db", tmpdir);
	assert_int_equal(sqlite3_open(args, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(args, sizeof(args), "%s", rows[i].args);
		if ((p = strstr(args, "TMP")) != NULL) {
			char	 rest[512];

			snprintf(rest, sizeof(rest), "%s", p + 3);
			snprintf(p, sizeof(args) - (p - args), "%s%s", tmpdir,
			    rest);
		}
		rc = run(args, out, sizeof(out), err, sizeof(err));
		if (rc != rows[i].exit || (strstr(err, rows[i].err) == NULL &&
		    strstr(out, rows[i].err) == NULL))
			fail_msg("'%s': exit %d (want %d), out '%s' err '%s', "
			    "want '%s'", rows[i].args, rc, rows[i].exit, out,
			    err, rows[i].err);
	}
	/* Verification never writes: the plain file stays as it was. */
	snprintf(args, sizeof(args), "%s/absent.db", tmpdir);
	assert_int_equal(access(args, F_OK), -1);
}

static int
setup(void **state)
{
	if ((xbrg = getenv("XBRG")) == NULL)
		xbrg = "build/rel/xbrg";
	if (access(xbrg, X_OK) != 0) {
		fprintf(stderr, "XBRG=%s is not executable\n", xbrg);
		return -1;
	}
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	 cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests_name("audit_cli", tests, setup,
	    teardown);
}
