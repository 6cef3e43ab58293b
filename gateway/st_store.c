/*
 * st_store.c: the store on SQLite 3.40.  The only file with SQL.
 *
 * - WAL, synchronous=FULL, foreign keys, busy_timeout on every
 *   connection; BEGIN IMMEDIATE for every write transaction (a plain BEGIN
 *   that reads then writes gets SQLITE_BUSY at once under contention).
 * - A pool of connections opened with SQLITE_OPEN_NOMUTEX: a transaction
 *   takes one out of the pool and gives it back at its end, so no two
 *   threads ever use one connection at once.
 * - Prepared statements with bound parameters only, cached per connection
 *   by the address of their (static) SQL text.
 * - Schema version in PRAGMA user_version; migrations[] in order, each in
 *   its own transaction.  A database newer than this code is refused.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "st.h"

#define ST_STMT_CACHE	48

struct st_conn {
	sqlite3		*db;
	struct {
		const char	*sql;
		sqlite3_stmt	*st;
	}		 stmts[ST_STMT_CACHE];
	size_t		 nstmts;
	struct st_conn	*next;
};

struct st_db {
	char		*path;
	int		 flags;
	pthread_mutex_t	 mu;
	struct st_conn	*idle;
	size_t		 nidle;
};

struct st_tx {
	struct st_db	*db;
	struct st_conn	*c;
	int		 write;
	char		 err[256];
};

/* Ordered migrations: migrations[i] takes user_version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE dossiers ("
	" id TEXT PRIMARY KEY, tenant TEXT NOT NULL,"
	" submitted_by TEXT NOT NULL, status TEXT NOT NULL,"
	" version INTEGER NOT NULL, created INTEGER NOT NULL,"
	" updated INTEGER NOT NULL, legal_name TEXT NOT NULL,"
	" country TEXT NOT NULL, body TEXT NOT NULL, checks TEXT NOT NULL,"
	" pending TEXT);"
	"CREATE INDEX dossiers_status ON dossiers(status, created);"
	"CREATE INDEX dossiers_tenant ON dossiers(tenant, created);"
	"CREATE TABLE dossier_versions ("
	" dossier_id TEXT NOT NULL REFERENCES dossiers(id),"
	" version INTEGER NOT NULL, time INTEGER NOT NULL,"
	" actor TEXT NOT NULL, body TEXT NOT NULL, checks TEXT NOT NULL,"
	" PRIMARY KEY (dossier_id, version));"
	"CREATE TABLE reviews ("
	" id INTEGER PRIMARY KEY,"
	" dossier_id TEXT NOT NULL REFERENCES dossiers(id),"
	" time INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
	" comment TEXT, status_after TEXT NOT NULL);"
	"CREATE INDEX reviews_dossier ON reviews(dossier_id, id);"
	"CREATE TABLE recognitions ("
	" id TEXT PRIMARY KEY,"
	" dossier_id TEXT NOT NULL UNIQUE REFERENCES dossiers(id),"
	" tenant TEXT NOT NULL, status TEXT NOT NULL,"
	" decision_id TEXT NOT NULL, not_before INTEGER NOT NULL,"
	" not_after INTEGER NOT NULL, scope TEXT NOT NULL,"
	" created INTEGER NOT NULL);"
	"CREATE TABLE decisions ("
	" id TEXT PRIMARY KEY,"
	" dossier_id TEXT NOT NULL REFERENCES dossiers(id),"
	" recognition_id TEXT REFERENCES recognitions(id),"
	" tenant TEXT NOT NULL, kind TEXT NOT NULL, time INTEGER NOT NULL,"
	" public INTEGER NOT NULL, doc TEXT NOT NULL, der BLOB NOT NULL);"
	"CREATE INDEX decisions_dossier ON decisions(dossier_id, time);"
	"CREATE TABLE complaints ("
	" id TEXT PRIMARY KEY, recognition_id TEXT REFERENCES recognitions(id),"
	" dossier_id TEXT NOT NULL REFERENCES dossiers(id),"
	" time INTEGER NOT NULL, complainant TEXT, contact TEXT,"
	" text TEXT NOT NULL, status TEXT NOT NULL);"
	"CREATE TABLE audit ("
	" seq INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
	" actor TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
	" detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX audit_object ON audit(object, seq);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
};
#define NMIGRATIONS	(sizeof(migrations) / sizeof(migrations[0]))

static const char zero_hash[ST_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void	seterr(struct st_tx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	broken(struct st_audit_check *, long long, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
seterr(struct st_tx *tx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(tx->err, sizeof(tx->err), fmt, ap);
	va_end(ap);
}

static void
dberr(struct st_tx *tx, const char *what)
{
	seterr(tx, "%s: %s", what, sqlite3_errmsg(tx->c->db));
}

static void
conn_free(struct st_conn *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nstmts; i++)
		sqlite3_finalize(c->stmts[i].st);
	sqlite3_close(c->db);
	free(c);
}

static int
exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static struct st_conn *
conn_open(const char *path, int flags, char *err, size_t errlen)
{
	struct st_conn	*c;
	int		 of;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	of = SQLITE_OPEN_NOMUTEX | ((flags & ST_OPEN_READONLY) ?
	    SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE));
	if (sqlite3_open_v2(path, &c->db, of, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    c->db ? sqlite3_errmsg(c->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	if (sqlite3_busy_timeout(c->db, ST_BUSY_TIMEOUT_MS) != SQLITE_OK)
		goto dbfail;
	if (exec(c->db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;",
	    err, errlen) != 0)
		goto fail;
	return c;
 dbfail:
	snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(c->db));
 fail:
	conn_free(c);
	return NULL;
}

static int
user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
migrate(struct st_conn *c, const char *path, char *err, size_t errlen)
{
	char	 sql[64], e[256];
	int	 v;

	if (exec(c->db, "PRAGMA journal_mode=WAL", err, errlen) != 0)
		return -1;
	for (;;) {
		if (exec(c->db, "BEGIN IMMEDIATE", err, errlen) != 0)
			return -1;
		if (user_version(c->db, &v) != 0) {
			snprintf(err, errlen, "%s: cannot read user_version: %s",
			    path, sqlite3_errmsg(c->db));
			goto fail;
		}
		if (v < 0 || (size_t)v > NMIGRATIONS) {
			snprintf(err, errlen, "%s: schema version %d is newer "
			    "than this xbrg knows (%zu)", path, v, NMIGRATIONS);
			goto fail;
		}
		if ((size_t)v == NMIGRATIONS)
			break;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
		if (exec(c->db, migrations[v], e, sizeof(e)) != 0 ||
		    exec(c->db, sql, e, sizeof(e)) != 0 ||
		    exec(c->db, "COMMIT", e, sizeof(e)) != 0) {
			snprintf(err, errlen, "%s: migration %d -> %d: %s",
			    path, v, v + 1, e);
			goto fail;
		}
	}
	return exec(c->db, "COMMIT", err, errlen);
 fail:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

struct st_db *
st_open(const char *path, int flags, char *err, size_t errlen)
{
	struct st_db	*db;
	struct st_conn	*c;
	int		 v;

	if ((db = calloc(1, sizeof(*db))) == NULL ||
	    (db->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	db->flags = flags;
	if (pthread_mutex_init(&db->mu, NULL) != 0) {
		snprintf(err, errlen, "mutex");
		free(db->path);
		free(db);
		return NULL;
	}
	if ((c = conn_open(path, flags, err, errlen)) == NULL)
		goto fail_mu;
	if (flags & ST_OPEN_READONLY) {
		if (user_version(c->db, &v) != 0 || v != ST_SCHEMA_VERSION) {
			snprintf(err, errlen, "%s: not an xbrg store (schema "
			    "version %d, want %d)", path,
			    user_version(c->db, &v) == 0 ? v : -1,
			    ST_SCHEMA_VERSION);
			conn_free(c);
			goto fail_mu;
		}
	} else if (migrate(c, path, err, errlen) != 0) {
		conn_free(c);
		goto fail_mu;
	}
	db->idle = c;
	db->nidle = 1;
	return db;
 fail_mu:
	pthread_mutex_destroy(&db->mu);
 fail:
	if (db != NULL)
		free(db->path);
	free(db);
	return NULL;
}

void
st_close(struct st_db *db)
{
	struct st_conn	*c;

	if (db == NULL)
		return;
	while ((c = db->idle) != NULL) {
		db->idle = c->next;
		conn_free(c);
	}
	pthread_mutex_destroy(&db->mu);
	free(db->path);
	free(db);
}

int
st_schema_version(struct st_db *db)
{
	struct st_tx	*tx;
	char		 e[64];
	int		 v = -1;

	if ((tx = st_begin(db, 0, e, sizeof(e))) == NULL)
		return -1;
	if (user_version(tx->c->db, &v) != 0)
		v = -1;
	st_rollback(tx);
	return v;
}

static void
pool_put(struct st_db *db, struct st_conn *c)
{
	pthread_mutex_lock(&db->mu);
	if (db->nidle < ST_MAX_POOL) {
		c->next = db->idle;
		db->idle = c;
		db->nidle++;
		c = NULL;
	}
	pthread_mutex_unlock(&db->mu);
	conn_free(c);
}

struct st_tx *
st_begin(struct st_db *db, int write, char *err, size_t errlen)
{
	struct st_tx	*tx;
	struct st_conn	*c;

	if (write && (db->flags & ST_OPEN_READONLY)) {
		snprintf(err, errlen, "store opened read-only");
		return NULL;
	}
	if ((tx = calloc(1, sizeof(*tx))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_lock(&db->mu);
	if ((c = db->idle) != NULL) {
		db->idle = c->next;
		db->nidle--;
	}
	pthread_mutex_unlock(&db->mu);
	if (c == NULL && (c = conn_open(db->path, db->flags, err,
	    errlen)) == NULL) {
		free(tx);
		return NULL;
	}
	tx->db = db;
	tx->c = c;
	tx->write = write;
	if (exec(c->db, write ? "BEGIN IMMEDIATE" : "BEGIN", err,
	    errlen) != 0) {
		pool_put(db, c);
		free(tx);
		return NULL;
	}
	return tx;
}

static void
tx_end(struct st_tx *tx)
{
	size_t	 i;

	for (i = 0; i < tx->c->nstmts; i++)
		sqlite3_reset(tx->c->stmts[i].st);
	pool_put(tx->db, tx->c);
	free(tx);
}

int
st_commit(struct st_tx *tx)
{
	char	 e[256];

	if (exec(tx->c->db, "COMMIT", e, sizeof(e)) != 0) {
		sqlite3_exec(tx->c->db, "ROLLBACK", NULL, NULL, NULL);
		tx_end(tx);
		return ST_ERROR;
	}
	tx_end(tx);
	return ST_OK;
}

void
st_rollback(struct st_tx *tx)
{
	if (tx == NULL)
		return;
	if (!sqlite3_get_autocommit(tx->c->db))
		sqlite3_exec(tx->c->db, "ROLLBACK", NULL, NULL, NULL);
	tx_end(tx);
}

const char *
st_tx_error(const struct st_tx *tx)
{
	return tx->err;
}

/*
 * Returns the cached statement for sql (a static string), reset and with
 * its bindings cleared, or NULL with the error set.
 */
static sqlite3_stmt *
prep(struct st_tx *tx, const char *sql)
{
	struct st_conn	*c = tx->c;
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < c->nstmts; i++)
		if (c->stmts[i].sql == sql) {
			sqlite3_reset(c->stmts[i].st);
			sqlite3_clear_bindings(c->stmts[i].st);
			return c->stmts[i].st;
		}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL) != SQLITE_OK) {
		dberr(tx, "prepare");
		return NULL;
	}
	if (c->nstmts < ST_STMT_CACHE) {
		c->stmts[c->nstmts].sql = sql;
		c->stmts[c->nstmts].st = st;
		c->nstmts++;
	} else {
		/* Cannot happen with the fixed SQL below; stay correct. */
		sqlite3_finalize(c->stmts[0].st);
		c->stmts[0].sql = sql;
		c->stmts[0].st = st;
	}
	return st;
}

static int
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int
need_write(struct st_tx *tx)
{
	if (!tx->write) {
		seterr(tx, "write in a read transaction");
		return -1;
	}
	return 0;
}

/* Steps a statement that returns no row.  ST_OK, ST_EXISTS or ST_ERROR. */
static int
step_done(struct st_tx *tx, sqlite3_stmt *st, const char *what)
{
	int	 rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return ST_OK;
	}
	dberr(tx, what);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    rc == SQLITE_CONSTRAINT_UNIQUE)
		return ST_EXISTS;
	return ST_ERROR;
}

/* Column i as an owned string (NULL stays NULL).  -1 when out of memory. */
static int
col_str(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char	*s;

	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	if ((s = sqlite3_column_text(st, i)) == NULL)
		return -1;
	if ((*out = strdup((const char *)s)) == NULL)
		return -1;
	return 0;
}

/* Grows *v (n used, *cap allocated) by one element of size sz. */
static void *
grow(void *v, size_t n, size_t *cap, size_t sz)
{
	void	*p;
	size_t	 ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 8;
	if ((p = reallocarray(v, ncap, sz)) == NULL)
		return NULL;
	memset((char *)p + n * sz, 0, (ncap - n) * sz);
	*cap = ncap;
	return p;
}

/*
 * Steps st (bound by the caller) to its end, reading each row with row()
 * into a grown array of sz-byte elements.  An element is counted before
 * row() fills it, so the caller's free function also releases what a
 * half-read row holds.  *vp and *np are set even on error: the caller
 * frees them with its own type's free function.
 */
static int
step_rows(struct st_tx *tx, sqlite3_stmt *st, const char *what, size_t sz,
    int (*row)(sqlite3_stmt *, void *), void **vp, size_t *np)
{
	void	*v = NULL, *g;
	size_t	 n = 0, cap = 0;
	int	 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((g = grow(v, n, &cap, sz)) == NULL)
			goto oom;
		v = g;
		if (row(st, (char *)v + n++ * sz) != 0)
			goto oom;
	}
	sqlite3_reset(st);
	*vp = v;
	*np = n;
	if (rc != SQLITE_DONE) {
		dberr(tx, what);
		return ST_ERROR;
	}
	return ST_OK;
 oom:
	sqlite3_reset(st);
	seterr(tx, "out of memory");
	*vp = v;
	*np = n;
	return ST_ERROR;
}

/*
 * Steps st, bound to one key, to its row.  ST_OK leaves the row for the
 * caller to read and then reset; otherwise st is reset already.
 */
static int
step_one(struct st_tx *tx, sqlite3_stmt *st, const char *what)
{
	int	 rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return ST_OK;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return ST_NOTFOUND;
	}
	dberr(tx, what);
	sqlite3_reset(st);
	return ST_ERROR;
}

/*
 * Dossiers.
 */
void
st_dossier_clear(struct st_dossier *d)
{
	if (d == NULL)
		return;
	free(d->id);
	free(d->tenant);
	free(d->submitted_by);
	free(d->status);
	free(d->legal_name);
	free(d->country);
	free(d->body);
	free(d->checks);
	free(d->pending);
	memset(d, 0, sizeof(*d));
}

void
st_dossiers_free(struct st_dossier *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		st_dossier_clear(&v[i]);
	free(v);
}

static const char SQL_VERSION_INS[] =
    "INSERT INTO dossier_versions (dossier_id, version, time, actor, body,"
    " checks) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static int
version_add(struct st_tx *tx, const struct st_dossier *d, const char *actor)
{
	sqlite3_stmt	*st;

	if ((st = prep(tx, SQL_VERSION_INS)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, d->id);
	sqlite3_bind_int64(st, 2, d->version);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)d->updated);
	bind_text(st, 4, actor);
	bind_text(st, 5, d->body);
	bind_text(st, 6, d->checks);
	return step_done(tx, st, "dossier version");
}

static const char SQL_DOSSIER_INS[] =
    "INSERT INTO dossiers (id, tenant, submitted_by, status, version,"
    " created, updated, legal_name, country, body, checks, pending)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

int
st_dossier_insert(struct st_tx *tx, const struct st_dossier *d)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (need_write(tx) != 0 || (st = prep(tx, SQL_DOSSIER_INS)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, d->id);
	bind_text(st, 2, d->tenant);
	bind_text(st, 3, d->submitted_by);
	bind_text(st, 4, d->status);
	sqlite3_bind_int64(st, 5, d->version);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)d->created);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)d->updated);
	bind_text(st, 8, d->legal_name);
	bind_text(st, 9, d->country);
	bind_text(st, 10, d->body);
	bind_text(st, 11, d->checks);
	bind_text(st, 12, d->pending);
	if ((rc = step_done(tx, st, "dossier insert")) != ST_OK)
		return rc;
	return version_add(tx, d, d->submitted_by);
}

#define DOSSIER_COLS \
    "id, tenant, submitted_by, status, version, created, updated," \
    " legal_name, country, pending"

static int
dossier_row(sqlite3_stmt *st, struct st_dossier *d, int full)
{
	memset(d, 0, sizeof(*d));
	if (col_str(st, 0, &d->id) || col_str(st, 1, &d->tenant) ||
	    col_str(st, 2, &d->submitted_by) || col_str(st, 3, &d->status) ||
	    col_str(st, 7, &d->legal_name) || col_str(st, 8, &d->country) ||
	    col_str(st, 9, &d->pending))
		goto fail;
	d->version = sqlite3_column_int64(st, 4);
	d->created = (time_t)sqlite3_column_int64(st, 5);
	d->updated = (time_t)sqlite3_column_int64(st, 6);
	if (full && (col_str(st, 10, &d->body) || col_str(st, 11, &d->checks)))
		goto fail;
	return 0;
 fail:
	st_dossier_clear(d);
	return -1;
}

/* A list row: the summary columns only, without body and checks. */
static int
dossier_list_row(sqlite3_stmt *st, void *d)
{
	return dossier_row(st, d, 0);
}

static const char SQL_DOSSIER_GET[] =
    "SELECT " DOSSIER_COLS ", body, checks FROM dossiers WHERE id = ?1";

int
st_dossier_get(struct st_tx *tx, const char *id, struct st_dossier *d)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = prep(tx, SQL_DOSSIER_GET)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, id);
	if ((rc = step_one(tx, st, "dossier get")) != ST_OK)
		return rc;
	rc = dossier_row(st, d, 1);
	sqlite3_reset(st);
	if (rc != 0) {
		seterr(tx, "out of memory");
		return ST_ERROR;
	}
	return ST_OK;
}

static const char SQL_DOSSIER_UPD[] =
    "UPDATE dossiers SET status = ?2, version = ?3, updated = ?4,"
    " body = ?5, checks = ?6, pending = ?7, legal_name = ?8, country = ?9"
    " WHERE id = ?1";
static const char SQL_DOSSIER_VER[] =
    "SELECT version FROM dossiers WHERE id = ?1";

int
st_dossier_update(struct st_tx *tx, const struct st_dossier *d,
    const char *actor)
{
	sqlite3_stmt	*st;
	long long	 old;
	int		 rc;

	if (need_write(tx) != 0 || (st = prep(tx, SQL_DOSSIER_VER)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, d->id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return ST_NOTFOUND;
		dberr(tx, "dossier version");
		return ST_ERROR;
	}
	old = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((st = prep(tx, SQL_DOSSIER_UPD)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, d->id);
	bind_text(st, 2, d->status);
	sqlite3_bind_int64(st, 3, d->version);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)d->updated);
	bind_text(st, 5, d->body);
	bind_text(st, 6, d->checks);
	bind_text(st, 7, d->pending);
	bind_text(st, 8, d->legal_name);
	bind_text(st, 9, d->country);
	if ((rc = step_done(tx, st, "dossier update")) != ST_OK)
		return rc;
	if (d->version > old)
		return version_add(tx, d, actor);
	return ST_OK;
}

static const char SQL_DOSSIER_LIST[] =
    "SELECT " DOSSIER_COLS " FROM dossiers"
    " WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR status = ?2)"
    " ORDER BY created, id LIMIT ?3";

int
st_dossier_list(struct st_tx *tx, const char *tenant, const char *status,
    size_t max, struct st_dossier **out, size_t *nout)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 n;
	int		 rc;

	if ((st = prep(tx, SQL_DOSSIER_LIST)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, tenant);
	bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)(max > ST_MAX_LIST ?
	    ST_MAX_LIST : max));
	rc = step_rows(tx, st, "dossier list", sizeof(**out),
	    dossier_list_row, &v, &n);
	if (rc != ST_OK) {
		st_dossiers_free(v, n);
		return rc;
	}
	*out = v;
	*nout = n;
	return ST_OK;
}

static const char SQL_VERSION_COUNT[] =
    "SELECT count(*) FROM dossier_versions WHERE dossier_id = ?1";

int
st_dossier_versions(struct st_tx *tx, const char *id, long long *n)
{
	sqlite3_stmt	*st;

	if ((st = prep(tx, SQL_VERSION_COUNT)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		dberr(tx, "version count");
		sqlite3_reset(st);
		return ST_ERROR;
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return ST_OK;
}

/*
 * Reviews.
 */
void
st_reviews_free(struct st_review *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].dossier_id);
		free(v[i].actor);
		free(v[i].action);
		free(v[i].comment);
		free(v[i].status_after);
	}
	free(v);
}

static const char SQL_REVIEW_INS[] =
    "INSERT INTO reviews (dossier_id, time, actor, action, comment,"
    " status_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

int
st_review_add(struct st_tx *tx, const struct st_review *r)
{
	sqlite3_stmt	*st;

	if (need_write(tx) != 0 || (st = prep(tx, SQL_REVIEW_INS)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, r->dossier_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)r->time);
	bind_text(st, 3, r->actor);
	bind_text(st, 4, r->action);
	bind_text(st, 5, r->comment);
	bind_text(st, 6, r->status_after);
	return step_done(tx, st, "review insert");
}

static int
review_row(sqlite3_stmt *st, void *p)
{
	struct st_review	*r = p;

	r->id = sqlite3_column_int64(st, 0);
	r->time = (time_t)sqlite3_column_int64(st, 2);
	if (col_str(st, 1, &r->dossier_id) ||
	    col_str(st, 3, &r->actor) || col_str(st, 4, &r->action) ||
	    col_str(st, 5, &r->comment) ||
	    col_str(st, 6, &r->status_after))
		return -1;
	return 0;
}

static const char SQL_REVIEW_LIST[] =
    "SELECT id, dossier_id, time, actor, action, comment, status_after"
    " FROM reviews WHERE dossier_id = ?1 ORDER BY id LIMIT ?2";

int
st_review_list(struct st_tx *tx, const char *dossier_id,
    struct st_review **out, size_t *nout)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 n;
	int		 rc;

	if ((st = prep(tx, SQL_REVIEW_LIST)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, dossier_id);
	sqlite3_bind_int64(st, 2, ST_MAX_LIST);
	rc = step_rows(tx, st, "review list", sizeof(**out),
	    review_row, &v, &n);
	if (rc != ST_OK) {
		st_reviews_free(v, n);
		return rc;
	}
	*out = v;
	*nout = n;
	return ST_OK;
}

/*
 * Decisions.
 */
void
st_decision_clear(struct st_decision *d)
{
	if (d == NULL)
		return;
	free(d->id);
	free(d->dossier_id);
	free(d->recognition_id);
	free(d->tenant);
	free(d->kind);
	free(d->doc);
	free(d->der);
	memset(d, 0, sizeof(*d));
}

void
st_decisions_free(struct st_decision *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		st_decision_clear(&v[i]);
	free(v);
}

static const char SQL_DECISION_INS[] =
    "INSERT INTO decisions (id, dossier_id, recognition_id, tenant, kind,"
    " time, public, doc, der) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

int
st_decision_insert(struct st_tx *tx, const struct st_decision *d)
{
	sqlite3_stmt	*st;

	if (need_write(tx) != 0 || (st = prep(tx, SQL_DECISION_INS)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, d->id);
	bind_text(st, 2, d->dossier_id);
	bind_text(st, 3, d->recognition_id);
	bind_text(st, 4, d->tenant);
	bind_text(st, 5, d->kind);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)d->time);
	sqlite3_bind_int(st, 7, d->public_ ? 1 : 0);
	bind_text(st, 8, d->doc);
	sqlite3_bind_blob64(st, 9, d->der, d->der_len, SQLITE_TRANSIENT);
	return step_done(tx, st, "decision insert");
}

#define DECISION_COLS \
    "id, dossier_id, recognition_id, tenant, kind, time, public"

static int
decision_row(sqlite3_stmt *st, void *p)
{
	struct st_decision	*d = p;

	memset(d, 0, sizeof(*d));
	if (col_str(st, 0, &d->id) || col_str(st, 1, &d->dossier_id) ||
	    col_str(st, 2, &d->recognition_id) || col_str(st, 3, &d->tenant) ||
	    col_str(st, 4, &d->kind)) {
		st_decision_clear(d);
		return -1;
	}
	d->time = (time_t)sqlite3_column_int64(st, 5);
	d->public_ = sqlite3_column_int(st, 6);
	return 0;
}

static const char SQL_DECISION_GET[] =
    "SELECT " DECISION_COLS ", doc, der FROM decisions WHERE id = ?1";

int
st_decision_get(struct st_tx *tx, const char *id, int with_der,
    struct st_decision *d)
{
	sqlite3_stmt	*st;
	const void	*b;
	int		 rc, len;

	if ((st = prep(tx, SQL_DECISION_GET)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, id);
	if ((rc = step_one(tx, st, "decision get")) != ST_OK)
		return rc;
	if (decision_row(st, d) != 0 || col_str(st, 7, &d->doc) != 0)
		goto oom;
	if (with_der) {
		b = sqlite3_column_blob(st, 8);
		len = sqlite3_column_bytes(st, 8);
		if (len > 0) {
			if ((d->der = malloc(len)) == NULL)
				goto oom;
			memcpy(d->der, b, len);
			d->der_len = len;
		}
	}
	sqlite3_reset(st);
	return ST_OK;
 oom:
	sqlite3_reset(st);
	st_decision_clear(d);
	seterr(tx, "out of memory");
	return ST_ERROR;
}

static const char SQL_DECISION_LIST[] =
    "SELECT " DECISION_COLS " FROM decisions"
    " WHERE (?1 IS NULL OR dossier_id = ?1) ORDER BY time, rowid LIMIT ?2";

int
st_decision_list(struct st_tx *tx, const char *dossier_id,
    struct st_decision **out, size_t *nout)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 n;
	int		 rc;

	if ((st = prep(tx, SQL_DECISION_LIST)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, dossier_id);
	sqlite3_bind_int64(st, 2, ST_MAX_LIST);
	rc = step_rows(tx, st, "decision list", sizeof(**out),
	    decision_row, &v, &n);
	if (rc != ST_OK) {
		st_decisions_free(v, n);
		return rc;
	}
	*out = v;
	*nout = n;
	return ST_OK;
}

/*
 * Recognitions.
 */
void
st_recognition_clear(struct st_recognition *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->dossier_id);
	free(r->tenant);
	free(r->status);
	free(r->decision_id);
	free(r->scope);
	memset(r, 0, sizeof(*r));
}

void
st_recognitions_free(struct st_recognition *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		st_recognition_clear(&v[i]);
	free(v);
}

static const char SQL_RECOG_INS[] =
    "INSERT INTO recognitions (id, dossier_id, tenant, status, decision_id,"
    " not_before, not_after, scope, created)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?6)";

int
st_recognition_insert(struct st_tx *tx, const struct st_recognition *r)
{
	sqlite3_stmt	*st;

	if (need_write(tx) != 0 || (st = prep(tx, SQL_RECOG_INS)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, r->id);
	bind_text(st, 2, r->dossier_id);
	bind_text(st, 3, r->tenant);
	bind_text(st, 4, r->status);
	bind_text(st, 5, r->decision_id);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)r->not_before);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)r->not_after);
	bind_text(st, 8, r->scope);
	return step_done(tx, st, "recognition insert");
}

#define RECOG_COLS \
    "id, dossier_id, tenant, status, decision_id, not_before, not_after," \
    " scope"

static int
recog_row(sqlite3_stmt *st, void *p)
{
	struct st_recognition	*r = p;

	memset(r, 0, sizeof(*r));
	if (col_str(st, 0, &r->id) || col_str(st, 1, &r->dossier_id) ||
	    col_str(st, 2, &r->tenant) || col_str(st, 3, &r->status) ||
	    col_str(st, 4, &r->decision_id) || col_str(st, 7, &r->scope)) {
		st_recognition_clear(r);
		return -1;
	}
	r->not_before = (time_t)sqlite3_column_int64(st, 5);
	r->not_after = (time_t)sqlite3_column_int64(st, 6);
	return 0;
}

static int
recog_get(struct st_tx *tx, const char *sql, const char *key,
    struct st_recognition *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = prep(tx, sql)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, key);
	if ((rc = step_one(tx, st, "recognition get")) != ST_OK)
		return rc;
	rc = recog_row(st, r);
	sqlite3_reset(st);
	if (rc != 0) {
		seterr(tx, "out of memory");
		return ST_ERROR;
	}
	return ST_OK;
}

static const char SQL_RECOG_GET[] =
    "SELECT " RECOG_COLS " FROM recognitions WHERE id = ?1";
static const char SQL_RECOG_BY_DOSSIER[] =
    "SELECT " RECOG_COLS " FROM recognitions WHERE dossier_id = ?1";

int
st_recognition_get(struct st_tx *tx, const char *id,
    struct st_recognition *r)
{
	return recog_get(tx, SQL_RECOG_GET, id, r);
}

int
st_recognition_by_dossier(struct st_tx *tx, const char *dossier_id,
    struct st_recognition *r)
{
	return recog_get(tx, SQL_RECOG_BY_DOSSIER, dossier_id, r);
}

static const char SQL_RECOG_UPD[] =
    "UPDATE recognitions SET status = ?2, decision_id = ?3, not_after = ?4"
    " WHERE id = ?1";

int
st_recognition_update(struct st_tx *tx, const struct st_recognition *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (need_write(tx) != 0 || (st = prep(tx, SQL_RECOG_UPD)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, r->id);
	bind_text(st, 2, r->status);
	bind_text(st, 3, r->decision_id);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)r->not_after);
	if ((rc = step_done(tx, st, "recognition update")) != ST_OK)
		return rc;
	return sqlite3_changes(tx->c->db) == 1 ? ST_OK : ST_NOTFOUND;
}

static const char SQL_RECOG_LIST[] =
    "SELECT " RECOG_COLS " FROM recognitions"
    " WHERE (?1 IS NULL OR status = ?1) ORDER BY created, id LIMIT ?2";

int
st_recognition_list(struct st_tx *tx, const char *status,
    struct st_recognition **out, size_t *nout)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 n;
	int		 rc;

	if ((st = prep(tx, SQL_RECOG_LIST)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, ST_MAX_LIST);
	rc = step_rows(tx, st, "recognition list", sizeof(**out),
	    recog_row, &v, &n);
	if (rc != ST_OK) {
		st_recognitions_free(v, n);
		return rc;
	}
	*out = v;
	*nout = n;
	return ST_OK;
}

/*
 * Complaints.
 */
void
st_complaints_free(struct st_complaint *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].recognition_id);
		free(v[i].dossier_id);
		free(v[i].complainant);
		free(v[i].contact);
		free(v[i].text);
		free(v[i].status);
	}
	free(v);
}

static const char SQL_COMPLAINT_INS[] =
    "INSERT INTO complaints (id, recognition_id, dossier_id, time,"
    " complainant, contact, text, status)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

int
st_complaint_insert(struct st_tx *tx, const struct st_complaint *c)
{
	sqlite3_stmt	*st;

	if (need_write(tx) != 0 ||
	    (st = prep(tx, SQL_COMPLAINT_INS)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, c->id);
	bind_text(st, 2, c->recognition_id);
	bind_text(st, 3, c->dossier_id);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)c->time);
	bind_text(st, 5, c->complainant);
	bind_text(st, 6, c->contact);
	bind_text(st, 7, c->text);
	bind_text(st, 8, c->status);
	return step_done(tx, st, "complaint insert");
}

static int
complaint_row(sqlite3_stmt *st, void *p)
{
	struct st_complaint	*c = p;

	c->time = (time_t)sqlite3_column_int64(st, 3);
	if (col_str(st, 0, &c->id) ||
	    col_str(st, 1, &c->recognition_id) ||
	    col_str(st, 2, &c->dossier_id) ||
	    col_str(st, 4, &c->complainant) ||
	    col_str(st, 5, &c->contact) || col_str(st, 6, &c->text) ||
	    col_str(st, 7, &c->status))
		return -1;
	return 0;
}

static const char SQL_COMPLAINT_LIST[] =
    "SELECT id, recognition_id, dossier_id, time, complainant, contact,"
    " text, status FROM complaints WHERE (?1 IS NULL OR dossier_id = ?1)"
    " ORDER BY time, rowid LIMIT ?2";

int
st_complaint_list(struct st_tx *tx, const char *dossier_id,
    struct st_complaint **out, size_t *nout)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 n;
	int		 rc;

	if ((st = prep(tx, SQL_COMPLAINT_LIST)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, dossier_id);
	sqlite3_bind_int64(st, 2, ST_MAX_LIST);
	rc = step_rows(tx, st, "complaint list", sizeof(**out),
	    complaint_row, &v, &n);
	if (rc != ST_OK) {
		st_complaints_free(v, n);
		return rc;
	}
	*out = v;
	*nout = n;
	return ST_OK;
}

/*
 * The audit log.
 */
void
st_audits_free(struct st_audit *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].actor);
		free(v[i].action);
		free(v[i].object);
		free(v[i].detail);
	}
	free(v);
}

static void
hash_field(EVP_MD_CTX *ctx, const char *s)
{
	unsigned char	 len[8];
	uint64_t	 n;
	int		 i;

	if (s == NULL)
		s = "";
	n = strlen(s);
	for (i = 7; i >= 0; i--) {
		len[i] = n & 0xff;
		n >>= 8;
	}
	EVP_DigestUpdate(ctx, len, sizeof(len));
	EVP_DigestUpdate(ctx, s, strlen(s));
}

void
st_audit_hash(const struct st_audit *e, char out[ST_HASH_HEX])
{
	static const char	 tag[] = "xbrg-audit-v1";
	static const char	 hex[] = "0123456789abcdef";
	EVP_MD_CTX		*ctx;
	unsigned char		 md[32];
	char			 num[32];
	unsigned int		 mdlen = 0;
	size_t			 i;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	hash_field(ctx, tag);
	snprintf(num, sizeof(num), "%lld", e->seq);
	hash_field(ctx, num);
	snprintf(num, sizeof(num), "%lld", (long long)e->time);
	hash_field(ctx, num);
	hash_field(ctx, e->actor);
	hash_field(ctx, e->action);
	hash_field(ctx, e->object);
	hash_field(ctx, e->detail);
	hash_field(ctx, e->prev);
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
		goto out;
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
 out:
	EVP_MD_CTX_free(ctx);
}

static const char SQL_AUDIT_LAST[] =
    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_AUDIT_INS[] =
    "INSERT INTO audit (seq, time, actor, action, object, detail, prev,"
    " hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_META_SET[] =
    "INSERT INTO meta (key, value) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int
st_audit_append(struct st_tx *tx, time_t t, const char *actor,
    const char *action, const char *object, const char *detail,
    long long *seqp)
{
	sqlite3_stmt	*st;
	struct st_audit	 e;
	char		 head[32 + ST_HASH_HEX];
	int		 rc;

	if (need_write(tx) != 0 || (st = prep(tx, SQL_AUDIT_LAST)) == NULL)
		return ST_ERROR;
	memset(&e, 0, sizeof(e));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		e.seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(e.prev, sizeof(e.prev), "%s",
		    (const char *)sqlite3_column_text(st, 1));
	} else if (rc == SQLITE_DONE) {
		e.seq = 1;
		memcpy(e.prev, zero_hash, sizeof(e.prev));
	} else {
		dberr(tx, "audit head");
		sqlite3_reset(st);
		return ST_ERROR;
	}
	sqlite3_reset(st);
	e.time = t;
	e.actor = (char *)actor;
	e.action = (char *)action;
	e.object = (char *)object;
	e.detail = (char *)(detail ? detail : "");
	st_audit_hash(&e, e.hash);
	if (e.hash[0] == '\0') {
		seterr(tx, "audit hash failed");
		return ST_ERROR;
	}
	if ((st = prep(tx, SQL_AUDIT_INS)) == NULL)
		return ST_ERROR;
	sqlite3_bind_int64(st, 1, e.seq);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)e.time);
	bind_text(st, 3, e.actor);
	bind_text(st, 4, e.action);
	bind_text(st, 5, e.object);
	bind_text(st, 6, e.detail);
	bind_text(st, 7, e.prev);
	bind_text(st, 8, e.hash);
	if ((rc = step_done(tx, st, "audit append")) != ST_OK)
		return rc == ST_EXISTS ? ST_ERROR : rc;
	if ((st = prep(tx, SQL_META_SET)) == NULL)
		return ST_ERROR;
	snprintf(head, sizeof(head), "%lld %s", e.seq, e.hash);
	bind_text(st, 1, "audit_head");
	bind_text(st, 2, head);
	if ((rc = step_done(tx, st, "audit head")) != ST_OK)
		return ST_ERROR;
	if (seqp != NULL)
		*seqp = e.seq;
	return ST_OK;
}

static const char SQL_AUDIT_LIST[] =
    "SELECT seq, time, actor, action, object, detail, prev, hash"
    " FROM audit WHERE (?1 IS NULL OR object = ?1) ORDER BY seq LIMIT ?2";

static int
audit_row(sqlite3_stmt *st, void *v)
{
	struct st_audit		*e = v;
	const unsigned char	*p, *h;

	memset(e, 0, sizeof(*e));
	e->seq = sqlite3_column_int64(st, 0);
	e->time = (time_t)sqlite3_column_int64(st, 1);
	p = sqlite3_column_text(st, 6);
	h = sqlite3_column_text(st, 7);
	snprintf(e->prev, sizeof(e->prev), "%s", p ? (const char *)p : "");
	snprintf(e->hash, sizeof(e->hash), "%s", h ? (const char *)h : "");
	if (col_str(st, 2, &e->actor) || col_str(st, 3, &e->action) ||
	    col_str(st, 4, &e->object) || col_str(st, 5, &e->detail))
		return -1;
	return 0;
}

int
st_audit_list(struct st_tx *tx, const char *object, struct st_audit **out,
    size_t *nout)
{
	sqlite3_stmt	*st;
	void		*v;
	size_t		 n;
	int		 rc;

	if ((st = prep(tx, SQL_AUDIT_LIST)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, object);
	sqlite3_bind_int64(st, 2, ST_MAX_LIST);
	rc = step_rows(tx, st, "audit list", sizeof(**out),
	    audit_row, &v, &n);
	if (rc != ST_OK) {
		st_audits_free(v, n);
		return rc;
	}
	*out = v;
	*nout = n;
	return ST_OK;
}

static const char SQL_AUDIT_ALL[] =
    "SELECT seq, time, actor, action, object, detail, prev, hash"
    " FROM audit ORDER BY seq";
static const char SQL_META_GET[] =
    "SELECT value FROM meta WHERE key = ?1";

static void
broken(struct st_audit_check *c, long long seq, const char *fmt, ...)
{
	va_list	 ap;

	if (c->first_broken != 0)
		return;
	c->first_broken = seq;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

int
st_audit_verify(struct st_tx *tx, struct st_audit_check *c)
{
	sqlite3_stmt	*st;
	struct st_audit	 e;
	char		 prev[ST_HASH_HEX], want[ST_HASH_HEX];
	char		 head[32 + ST_HASH_HEX], mine[32 + ST_HASH_HEX];
	long long	 expect = 1;
	int		 rc;

	memset(c, 0, sizeof(*c));
	memcpy(prev, zero_hash, sizeof(prev));
	if ((st = prep(tx, SQL_AUDIT_ALL)) == NULL)
		return ST_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (audit_row(st, &e) != 0) {
			free(e.actor);
			free(e.action);
			free(e.object);
			free(e.detail);
			sqlite3_reset(st);
			seterr(tx, "out of memory");
			return ST_ERROR;
		}
		c->entries++;
		if (e.seq != expect)
			broken(c, expect, "entry %lld is missing (next is "
			    "%lld)", expect, e.seq);
		else if (strcmp(e.prev, prev) != 0)
			broken(c, e.seq, "prev hash does not match entry "
			    "%lld's hash", e.seq - 1);
		else {
			st_audit_hash(&e, want);
			if (strcmp(want, e.hash) != 0)
				broken(c, e.seq, "content does not match its "
				    "hash");
		}
		memcpy(prev, e.hash, sizeof(prev));
		expect = e.seq + 1;
		free(e.actor);
		free(e.action);
		free(e.object);
		free(e.detail);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		dberr(tx, "audit verify");
		return ST_ERROR;
	}
	/* The head kept beside the chain catches a cut-off tail. */
	if ((st = prep(tx, SQL_META_GET)) == NULL)
		return ST_ERROR;
	bind_text(st, 1, "audit_head");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(head, sizeof(head), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		snprintf(mine, sizeof(mine), "%lld %s", expect - 1, prev);
		if (strcmp(head, mine) != 0)
			broken(c, expect, "the chain ends at entry %lld but "
			    "the recorded head is '%.80s'", expect - 1, head);
	} else if (rc == SQLITE_DONE) {
		if (c->entries > 0)
			broken(c, 1, "the recorded head is missing");
	} else {
		dberr(tx, "audit head");
		sqlite3_reset(st);
		return ST_ERROR;
	}
	sqlite3_reset(st);
	return ST_OK;
}
