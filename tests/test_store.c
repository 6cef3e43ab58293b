/*
 * test_store.c: the SQLite store and its hash-chained audit log.
 *
 * Tampering is done with raw SQL on purpose (that is what an attacker with
 * file access does); the store's own code never runs SQL outside
 * st_store.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "st.h"

static char	 tmpdir[] = "/tmp/xbrg-test-store-XXXXXX";

static void
dbpath(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static struct st_db *
open_new(const char *name)
{
	char		 path[256], err[256];
	struct st_db	*db;

	dbpath(path, sizeof(path), name);
	unlink(path);
	db = st_open(path, 0, err, sizeof(err));
	if (db == NULL)
		fail_msg("st_open %s: %s", path, err);
	return db;
}

static void
raw_exec(const char *name, const char *sql)
{
	char	 path[256];
	sqlite3	*db;
	char	*msg = NULL;

	dbpath(path, sizeof(path), name);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("raw SQL '%s': %s", sql, msg);
	sqlite3_close(db);
}

static int
raw_exec_rc(const char *name, const char *sql)
{
	char	 path[256];
	sqlite3	*db;
	int	 rc;

	dbpath(path, sizeof(path), name);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static void
add_dossier(struct st_tx *tx, const char *id, const char *tenant,
    time_t t)
{
	struct st_dossier	 d;

	memset(&d, 0, sizeof(d));
	d.id = (char *)id;
	d.tenant = (char *)tenant;
	d.submitted_by = (char *)"sub";
	d.status = (char *)"submitted";
	d.version = 1;
	d.created = d.updated = t;
	d.legal_name = (char *)"Example CA";
	d.country = (char *)"DE";
	d.body = (char *)"{}";
	d.checks = (char *)"{}";
	assert_int_equal(st_dossier_insert(tx, &d), ST_OK);
}

static void
test_open_migrate(void **state)
{
	struct st_db	*db;
	char		 path[256], err[256];

	db = open_new("m.db");
	assert_int_equal(st_schema_version(db), ST_SCHEMA_VERSION);
	st_close(db);
	/* Reopening an up-to-date store changes nothing. */
	dbpath(path, sizeof(path), "m.db");
	assert_non_null(db = st_open(path, 0, err, sizeof(err)));
	assert_int_equal(st_schema_version(db), ST_SCHEMA_VERSION);
	st_close(db);
	/* A store from a newer xbrg is refused, with the reason. */
	raw_exec("m.db", "PRAGMA user_version=99");
	assert_null(st_open(path, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
	/* Read-only never creates. */
	dbpath(path, sizeof(path), "absent.db");
	assert_null(st_open(path, ST_OPEN_READONLY, err, sizeof(err)));
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_dossiers(void **state)
{
	struct st_db		*db;
	struct st_tx		*tx;
	struct st_dossier	 d, *v;
	size_t			 n;
	long long		 nv;
	char			 err[256];

	db = open_new("d.db");
	assert_non_null(tx = st_begin(db, 1, err, sizeof(err)));
	add_dossier(tx, "dos_1", "ca-a", 100);
	add_dossier(tx, "dos_2", "ca-b", 200);
	add_dossier(tx, "dos_3", "ca-a", 300);
	/* Same id twice: ST_EXISTS, not a crash or a silent overwrite. */
	{
		struct st_dossier	 dup;

		memset(&dup, 0, sizeof(dup));
		dup.id = (char *)"dos_1";
		dup.tenant = dup.submitted_by = dup.status = (char *)"x";
		dup.legal_name = dup.country = dup.body = (char *)"x";
		dup.checks = (char *)"x";
		dup.version = 1;
		assert_int_equal(st_dossier_insert(tx, &dup), ST_EXISTS);
	}
	assert_int_equal(st_commit(tx), ST_OK);

	assert_non_null(tx = st_begin(db, 1, err, sizeof(err)));
	assert_int_equal(st_dossier_get(tx, "dos_1", &d), ST_OK);
	assert_string_equal(d.tenant, "ca-a");
	assert_string_equal(d.body, "{}");
	assert_null(d.pending);
	free(d.status);
	d.status = strdup("info-requested");
	free(d.body);
	d.body = strdup("{\"v\":2}");
	d.version = 2;
	d.updated = 400;
	assert_int_equal(st_dossier_update(tx, &d, "sub"), ST_OK);
	st_dossier_clear(&d);
	assert_int_equal(st_dossier_get(tx, "nope", &d), ST_NOTFOUND);
	assert_int_equal(st_commit(tx), ST_OK);

	assert_non_null(tx = st_begin(db, 0, err, sizeof(err)));
	assert_int_equal(st_dossier_get(tx, "dos_1", &d), ST_OK);
	assert_string_equal(d.status, "info-requested");
	assert_string_equal(d.body, "{\"v\":2}");
	assert_int_equal(d.version, 2);
	st_dossier_clear(&d);
	assert_int_equal(st_dossier_versions(tx, "dos_1", &nv), ST_OK);
	assert_int_equal(nv, 2);
	assert_int_equal(st_dossier_list(tx, "ca-a", NULL, 100, &v, &n),
	    ST_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].id, "dos_1");
	assert_string_equal(v[1].id, "dos_3");
	assert_null(v[0].body);
	st_dossiers_free(v, n);
	assert_int_equal(st_dossier_list(tx, NULL, "submitted", 100, &v, &n),
	    ST_OK);
	assert_int_equal(n, 2);
	st_dossiers_free(v, n);
	assert_int_equal(st_dossier_list(tx, NULL, NULL, 1, &v, &n), ST_OK);
	assert_int_equal(n, 1);
	st_dossiers_free(v, n);
	/* A read transaction refuses writes. */
	{
		struct st_dossier	 w;

		memset(&w, 0, sizeof(w));
		w.id = (char *)"dos_9";
		assert_int_equal(st_dossier_insert(tx, &w), ST_ERROR);
		assert_non_null(strstr(st_tx_error(tx), "read"));
	}
	st_rollback(tx);
	st_close(db);
}

static void
append_n(struct st_db *db, int n)
{
	struct st_tx	*tx;
	char		 err[256], obj[32];
	long long	 seq;
	int		 i;

	for (i = 0; i < n; i++) {
		assert_non_null(tx = st_begin(db, 1, err, sizeof(err)));
		snprintf(obj, sizeof(obj), "dos_%d", i % 3);
		assert_int_equal(st_audit_append(tx, 1000 + i, "reviewer-a",
		    "approve", obj, "{\"comment\":\"ok\"}", &seq), ST_OK);
		assert_int_equal(st_commit(tx), ST_OK);
	}
}

static void
verify(struct st_db *db, struct st_audit_check *c)
{
	struct st_tx	*tx;
	char		 err[256];

	assert_non_null(tx = st_begin(db, 0, err, sizeof(err)));
	assert_int_equal(st_audit_verify(tx, c), ST_OK);
	st_rollback(tx);
}

static void
test_audit_chain(void **state)
{
	struct st_db		*db;
	struct st_tx		*tx;
	struct st_audit		*v;
	struct st_audit_check	 c;
	size_t			 n;
	char			 err[256];

	db = open_new("a.db");
	verify(db, &c);
	assert_int_equal(c.entries, 0);
	assert_int_equal(c.first_broken, 0);
	append_n(db, 6);
	verify(db, &c);
	assert_int_equal(c.entries, 6);
	assert_int_equal(c.first_broken, 0);
	assert_non_null(tx = st_begin(db, 0, err, sizeof(err)));
	assert_int_equal(st_audit_list(tx, "dos_1", &v, &n), ST_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].seq, 2);
	assert_int_equal(v[1].seq, 5);
	assert_string_equal(v[0].actor, "reviewer-a");
	st_audits_free(v, n);
	assert_int_equal(st_audit_list(tx, NULL, &v, &n), ST_OK);
	assert_int_equal(n, 6);
	assert_string_equal(v[0].prev,
	    "0000000000000000000000000000000000000000000000000000000000000000");
	assert_string_equal(v[1].prev, v[0].hash);
	st_audits_free(v, n);
	st_rollback(tx);
	st_close(db);
	/* The triggers refuse edits through SQL. */
	assert_int_not_equal(raw_exec_rc("a.db",
	    "UPDATE audit SET actor = 'x' WHERE seq = 2"), SQLITE_OK);
	assert_int_not_equal(raw_exec_rc("a.db",
	    "DELETE FROM audit WHERE seq = 6"), SQLITE_OK);
}

static void
test_audit_tamper(void **state)
{
	static const struct {
		const char	*sql;
		long long	 want;	/* first broken entry */
		const char	*reason;
	} rows[] = {
		{ "UPDATE audit SET actor = 'mallory' WHERE seq = 3", 3,
		    "content" },
		{ "UPDATE audit SET time = time + 1 WHERE seq = 1", 1,
		    "content" },
		{ "UPDATE audit SET detail = '' WHERE seq = 5", 5, "content" },
		{ "UPDATE audit SET prev = hash WHERE seq = 4", 4, "prev" },
		/* Rewriting an entry and its hash breaks the next link. */
		{ "UPDATE audit SET action = 'reject', hash = prev"
		    " WHERE seq = 2", 2, "content" },
		{ "DELETE FROM audit WHERE seq = 2", 2, "missing" },
		{ "DELETE FROM audit WHERE seq = 6", 6, "head" },
		{ "UPDATE audit SET seq = 7 WHERE seq = 6", 6, "missing" },
	};
	struct st_db		*db;
	struct st_audit_check	 c;
	char			 sql[512];
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		db = open_new("t.db");
		append_n(db, 6);
		st_close(db);
		snprintf(sql, sizeof(sql), "DROP TRIGGER audit_no_update;"
		    " DROP TRIGGER audit_no_delete; %s", rows[i].sql);
		raw_exec("t.db", sql);
		{
			char	 path[256], err[256];

			dbpath(path, sizeof(path), "t.db");
			db = st_open(path, ST_OPEN_READONLY, err,
			    sizeof(err));
			if (db == NULL)
				fail_msg("reopen: %s", err);
		}
		verify(db, &c);
		if (c.first_broken != rows[i].want ||
		    strstr(c.reason, rows[i].reason) == NULL)
			fail_msg("row %zu (%s): first broken %lld (%s), want "
			    "%lld (%s)", i, rows[i].sql, c.first_broken,
			    c.reason, rows[i].want, rows[i].reason);
		st_close(db);
	}
}

/* Concurrency: writers and readers on their own transactions. */
#define NWRITERS	4
#define NREADERS	2
#define NPERWRITER	40

struct worker {
	struct st_db	*db;
	int		 id;
	int		 errors;
	long long	 reads;
};

static void *
writer(void *arg)
{
	struct worker	*w = arg;
	struct st_tx	*tx;
	struct st_dossier d;
	char		 id[32], err[256];
	int		 i;

	for (i = 0; i < NPERWRITER; i++) {
		if ((tx = st_begin(w->db, 1, err, sizeof(err))) == NULL) {
			w->errors++;
			continue;
		}
		snprintf(id, sizeof(id), "dos_w%d_%d", w->id, i);
		memset(&d, 0, sizeof(d));
		d.id = id;
		d.tenant = (char *)"ca-a";
		d.submitted_by = d.status = (char *)"x";
		d.legal_name = d.country = (char *)"x";
		d.body = d.checks = (char *)"{}";
		d.version = 1;
		d.created = d.updated = i;
		if (st_dossier_insert(tx, &d) != ST_OK ||
		    st_audit_append(tx, i, "w", "submit", id, NULL,
		    NULL) != ST_OK) {
			st_rollback(tx);
			w->errors++;
			continue;
		}
		if (st_commit(tx) != ST_OK)
			w->errors++;
	}
	return NULL;
}

static void *
reader(void *arg)
{
	struct worker		*w = arg;
	struct st_tx		*tx;
	struct st_dossier	*v;
	struct st_dossier	 d;
	size_t			 n;
	char			 err[256];
	int			 i, rc;

	for (i = 0; i < 200; i++) {
		if ((tx = st_begin(w->db, 0, err, sizeof(err))) == NULL) {
			w->errors++;
			continue;
		}
		if (st_dossier_list(tx, "ca-a", NULL, 10, &v, &n) != ST_OK)
			w->errors++;
		else {
			if (n > 0) {
				rc = st_dossier_get(tx, v[0].id, &d);
				if (rc != ST_OK)
					w->errors++;
				st_dossier_clear(&d);
			}
			st_dossiers_free(v, n);
		}
		w->reads++;
		st_rollback(tx);
	}
	return NULL;
}

static void
test_concurrency(void **state)
{
	struct st_db		*db;
	struct st_tx		*tx;
	struct st_dossier	*v;
	struct st_audit_check	 c;
	struct worker		 w[NWRITERS + NREADERS];
	pthread_t		 th[NWRITERS + NREADERS];
	size_t			 n;
	char			 err[256];
	int			 i;

	db = open_new("c.db");
	for (i = 0; i < NWRITERS + NREADERS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].db = db;
		w[i].id = i;
		assert_int_equal(pthread_create(&th[i], NULL,
		    i < NWRITERS ? writer : reader, &w[i]), 0);
	}
	for (i = 0; i < NWRITERS + NREADERS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	assert_non_null(tx = st_begin(db, 0, err, sizeof(err)));
	assert_int_equal(st_dossier_list(tx, NULL, NULL, ST_MAX_LIST, &v, &n),
	    ST_OK);
	assert_int_equal(n, NWRITERS * NPERWRITER);
	st_dossiers_free(v, n);
	assert_int_equal(st_audit_verify(tx, &c), ST_OK);
	assert_int_equal(c.entries, NWRITERS * NPERWRITER);
	assert_int_equal(c.first_broken, 0);
	st_rollback(tx);
	st_close(db);
}

/*
 * Durability: a child commits transactions and acknowledges each through
 * a pipe, then is killed with SIGKILL mid-stream.  Every acknowledged
 * write must be there afterwards and the chain intact.
 */
static void
test_kill9(void **state)
{
	struct st_db		*db;
	struct st_tx		*tx;
	struct st_dossier	 d;
	struct st_audit_check	 c;
	char			 path[256], err[256], id[32];
	int			 fds[2], status, acked = 0, i;
	int			 ack;
	pid_t			 pid;

	dbpath(path, sizeof(path), "k.db");
	unlink(path);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		if ((db = st_open(path, 0, err, sizeof(err))) == NULL)
			_exit(3);
		for (i = 1;; i++) {
			if ((tx = st_begin(db, 1, err, sizeof(err))) == NULL)
				_exit(4);
			snprintf(id, sizeof(id), "dos_k%d", i);
			memset(&d, 0, sizeof(d));
			d.id = id;
			d.tenant = d.submitted_by = d.status = (char *)"x";
			d.legal_name = d.country = (char *)"x";
			d.body = d.checks = (char *)"{}";
			d.version = 1;
			if (st_dossier_insert(tx, &d) != ST_OK ||
			    st_audit_append(tx, i, "k", "submit", id, NULL,
			    NULL) != ST_OK || st_commit(tx) != ST_OK)
				_exit(5);
			if (write(fds[1], &i, sizeof(i)) != sizeof(i))
				_exit(6);
			if (i == 25)
				raise(SIGKILL);
		}
	}
	close(fds[1]);
	while (read(fds[0], &ack, sizeof(ack)) == sizeof(ack))
		acked = ack;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(acked, 25);
	assert_non_null(db = st_open(path, 0, err, sizeof(err)));
	assert_non_null(tx = st_begin(db, 0, err, sizeof(err)));
	for (i = 1; i <= acked; i++) {
		snprintf(id, sizeof(id), "dos_k%d", i);
		assert_int_equal(st_dossier_get(tx, id, &d), ST_OK);
		st_dossier_clear(&d);
	}
	assert_int_equal(st_audit_verify(tx, &c), ST_OK);
	assert_int_equal(c.entries, acked);
	assert_int_equal(c.first_broken, 0);
	st_rollback(tx);
	st_close(db);
}

static void
test_other_tables(void **state)
{
	struct st_db		*db;
	struct st_tx		*tx;
	struct st_review	 r, *rv;
	struct st_decision	 dec, *dv;
	struct st_recognition	 rec, *recv;
	struct st_complaint	 cp, *cv;
	unsigned char		 der[3] = { 0x30, 0x01, 0x00 };
	size_t			 n;
	char			 err[256];

	db = open_new("o.db");
	assert_non_null(tx = st_begin(db, 1, err, sizeof(err)));
	add_dossier(tx, "dos_1", "ca-a", 100);
	memset(&r, 0, sizeof(r));
	r.dossier_id = (char *)"dos_1";
	r.time = 200;
	r.actor = (char *)"reviewer-a";
	r.action = (char *)"approve";
	r.status_after = (char *)"under-review";
	assert_int_equal(st_review_add(tx, &r), ST_OK);
	memset(&rec, 0, sizeof(rec));
	rec.id = (char *)"rec_1";
	rec.dossier_id = (char *)"dos_1";
	rec.tenant = (char *)"ca-a";
	rec.status = (char *)"approved";
	rec.decision_id = (char *)"dec_1";
	rec.not_before = 300;
	rec.not_after = 900;
	rec.scope = (char *)"{}";
	assert_int_equal(st_recognition_insert(tx, &rec), ST_OK);
	memset(&dec, 0, sizeof(dec));
	dec.id = (char *)"dec_1";
	dec.dossier_id = (char *)"dos_1";
	dec.recognition_id = (char *)"rec_1";
	dec.tenant = (char *)"ca-a";
	dec.kind = (char *)"approval";
	dec.time = 300;
	dec.public_ = 1;
	dec.doc = (char *)"{\"kind\":\"approval\"}";
	dec.der = der;
	dec.der_len = sizeof(der);
	assert_int_equal(st_decision_insert(tx, &dec), ST_OK);
	memset(&cp, 0, sizeof(cp));
	cp.id = (char *)"cmp_1";
	cp.recognition_id = (char *)"rec_1";
	cp.dossier_id = (char *)"dos_1";
	cp.time = 500;
	cp.text = (char *)"bad";
	cp.status = (char *)"open";
	assert_int_equal(st_complaint_insert(tx, &cp), ST_OK);
	/* A complaint about a dossier that does not exist: foreign key. */
	cp.id = (char *)"cmp_2";
	cp.recognition_id = NULL;
	cp.dossier_id = (char *)"dos_404";
	assert_int_equal(st_complaint_insert(tx, &cp), ST_ERROR);
	assert_int_equal(st_commit(tx), ST_OK);

	assert_non_null(tx = st_begin(db, 1, err, sizeof(err)));
	assert_int_equal(st_review_list(tx, "dos_1", &rv, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rv[0].action, "approve");
	assert_null(rv[0].comment);
	st_reviews_free(rv, n);
	memset(&dec, 0, sizeof(dec));
	assert_int_equal(st_decision_get(tx, "dec_1", 1, &dec), ST_OK);
	assert_int_equal(dec.der_len, 3);
	assert_memory_equal(dec.der, der, 3);
	assert_string_equal(dec.doc, "{\"kind\":\"approval\"}");
	st_decision_clear(&dec);
	assert_int_equal(st_decision_get(tx, "dec_2", 1, &dec), ST_NOTFOUND);
	assert_int_equal(st_decision_list(tx, "dos_1", &dv, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_null(dv[0].doc);
	st_decisions_free(dv, n);
	assert_int_equal(st_recognition_by_dossier(tx, "dos_1", &rec), ST_OK);
	free(rec.status);
	rec.status = strdup("suspended");
	assert_int_equal(st_recognition_update(tx, &rec), ST_OK);
	st_recognition_clear(&rec);
	assert_int_equal(st_recognition_list(tx, "suspended", &recv, &n),
	    ST_OK);
	assert_int_equal(n, 1);
	assert_int_equal(recv[0].not_after, 900);
	st_recognitions_free(recv, n);
	assert_int_equal(st_recognition_list(tx, "approved", &recv, &n),
	    ST_OK);
	assert_int_equal(n, 0);
	st_recognitions_free(recv, n);
	assert_int_equal(st_complaint_list(tx, NULL, &cv, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_string_equal(cv[0].text, "bad");
	st_complaints_free(cv, n);
	assert_int_equal(st_commit(tx), ST_OK);
	st_close(db);
}

static int
setup(void **state)
{
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
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
		cmocka_unit_test(test_open_migrate),
		cmocka_unit_test(test_dossiers),
		cmocka_unit_test(test_audit_chain),
		cmocka_unit_test(test_audit_tamper),
		cmocka_unit_test(test_concurrency),
		cmocka_unit_test(test_kill9),
		cmocka_unit_test(test_other_tables),
	};

	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
