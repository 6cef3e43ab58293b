/*
 * st.h: the gateway's store (SQLite).  st_store.c is the only file that
 * includes <sqlite3.h> or holds SQL; callers see only the structs below.
 *
 * Durability: WAL with synchronous=FULL, so a committed transaction
 * survives kill -9 and power loss.  Concurrency: a pool of connections,
 * one per concurrent caller (a connection is never shared between
 * threads at the same time); every write is BEGIN IMMEDIATE, so writers
 * queue on SQLite's lock (busy_timeout) instead of failing half-way.
 *
 * Use: tx = st_begin(db, write); any number of st_* calls on tx;
 * st_commit(tx) or st_rollback(tx).  A transaction belongs to one thread.
 *
 * Data calls return ST_OK, ST_NOTFOUND (gets), ST_EXISTS (unique key
 * taken) or ST_ERROR (the message is in st_tx_error()).  Strings in the
 * structs are owned by the struct and freed by its st_*_clear(); inputs
 * are borrowed.
 */
#ifndef ST_H
#define ST_H

#include <stddef.h>
#include <time.h>

#define ST_SCHEMA_VERSION	1	/* PRAGMA user_version after migrating */
#define ST_BUSY_TIMEOUT_MS	10000	/* wait this long for the write lock */
#define ST_MAX_POOL		32	/* idle connections kept */
#define ST_MAX_LIST		10000	/* rows any list call returns */
#define ST_HASH_HEX		65	/* SHA-256 in hex and NUL */

#define ST_OK		0
#define ST_NOTFOUND	1
#define ST_EXISTS	2
#define ST_ERROR	(-1)

#define ST_OPEN_READONLY	0x1	/* never create or migrate */

struct st_db;
struct st_tx;

/*
 * Opens path (creating it and migrating the schema, unless
 * ST_OPEN_READONLY).  Returns an owned handle (st_close()) or NULL with a
 * message in err.
 */
struct st_db	*st_open(const char *path, int flags, char *err, size_t errlen);
void		 st_close(struct st_db *);	/* NULL-safe; no tx may be open */
/* The schema version of the open database. */
int		 st_schema_version(struct st_db *);

/*
 * Starts a transaction: write 0 is a read snapshot (BEGIN), write 1 takes
 * the write lock at once (BEGIN IMMEDIATE).  Returns NULL with a message
 * in err (busy past the timeout, I/O error).
 */
struct st_tx	*st_begin(struct st_db *, int write, char *err, size_t errlen);
/* Commits and frees tx.  Returns ST_OK, or ST_ERROR (rolled back). */
int		 st_commit(struct st_tx *);
void		 st_rollback(struct st_tx *);	/* rolls back, frees; NULL-safe */
const char	*st_tx_error(const struct st_tx *); /* last error, "" if none */

/* Dossiers: the current version; older versions in dossier_versions. */
struct st_dossier {
	char		*id;
	char		*tenant;
	char		*submitted_by;
	char		*status;
	long long	 version;	/* 1 on submission, +1 per amendment */
	time_t		 created;
	time_t		 updated;
	char		*legal_name;	/* copied out of body, for lists */
	char		*country;
	char		*body;		/* the dossier JSON (NULL in lists) */
	char		*checks;	/* automated checks JSON (NULL in lists) */
	char		*pending;	/* pending approval JSON or NULL */
};
void	st_dossier_clear(struct st_dossier *);		/* NULL-safe */
void	st_dossiers_free(struct st_dossier *, size_t);	/* NULL-safe */
/* Inserts the dossier and its version row (actor = submitted_by). */
int	st_dossier_insert(struct st_tx *, const struct st_dossier *);
int	st_dossier_get(struct st_tx *, const char *id, struct st_dossier *);
/*
 * Updates status, version, updated, body, checks and pending of d->id.
 * When d->version grew, also records the new version (actor).
 */
int	st_dossier_update(struct st_tx *, const struct st_dossier *,
	    const char *actor);
/* tenant and status NULL mean any.  Oldest first, at most max rows. */
int	st_dossier_list(struct st_tx *, const char *tenant, const char *status,
	    size_t max, struct st_dossier **, size_t *);
/* Number of stored versions of a dossier. */
int	st_dossier_versions(struct st_tx *, const char *id, long long *);

/* One review action (every action, whoever made it). */
struct st_review {
	long long	 id;
	char		*dossier_id;
	time_t		 time;
	char		*actor;
	char		*action;
	char		*comment;	/* may be NULL */
	char		*status_after;
};
void	st_reviews_free(struct st_review *, size_t);	/* NULL-safe */
int	st_review_add(struct st_tx *, const struct st_review *);
int	st_review_list(struct st_tx *, const char *dossier_id,
	    struct st_review **, size_t *);

/* A signed decision: the exact JSON signed and its CMS. */
struct st_decision {
	char		*id;
	char		*dossier_id;
	char		*recognition_id;	/* may be NULL (rejection) */
	char		*tenant;
	char		*kind;		/* approval, rejection, ... */
	time_t		 time;
	int		 public_;	/* readable by anyone */
	char		*doc;		/* NULL in lists */
	unsigned char	*der;		/* NULL in lists and unless asked */
	size_t		 der_len;
};
void	st_decision_clear(struct st_decision *);	/* NULL-safe */
void	st_decisions_free(struct st_decision *, size_t); /* NULL-safe */
int	st_decision_insert(struct st_tx *, const struct st_decision *);
int	st_decision_get(struct st_tx *, const char *id, int with_der,
	    struct st_decision *);
/* dossier_id NULL: all.  Oldest first. */
int	st_decision_list(struct st_tx *, const char *dossier_id,
	    struct st_decision **, size_t *);

/* A recognition, created by an approval. */
struct st_recognition {
	char		*id;
	char		*dossier_id;
	char		*tenant;
	char		*status;	/* approved, suspended, revoked, ... */
	char		*decision_id;	/* the latest decision about it */
	time_t		 not_before;
	time_t		 not_after;
	char		*scope;		/* JSON: types, scenarios, CA certs */
};
void	st_recognition_clear(struct st_recognition *);	/* NULL-safe */
void	st_recognitions_free(struct st_recognition *, size_t);
int	st_recognition_insert(struct st_tx *, const struct st_recognition *);
int	st_recognition_get(struct st_tx *, const char *id,
	    struct st_recognition *);
int	st_recognition_by_dossier(struct st_tx *, const char *dossier_id,
	    struct st_recognition *);
/* Updates status, decision_id and not_after of r->id. */
int	st_recognition_update(struct st_tx *, const struct st_recognition *);
/* status NULL: all.  Oldest first. */
int	st_recognition_list(struct st_tx *, const char *status,
	    struct st_recognition **, size_t *);

struct st_complaint {
	char		*id;
	char		*recognition_id;	/* may be NULL */
	char		*dossier_id;
	time_t		 time;
	char		*complainant;		/* may be NULL */
	char		*contact;		/* may be NULL */
	char		*text;
	char		*status;
};
void	st_complaints_free(struct st_complaint *, size_t); /* NULL-safe */
int	st_complaint_insert(struct st_tx *, const struct st_complaint *);
/* dossier_id NULL: all.  Oldest first. */
int	st_complaint_list(struct st_tx *, const char *dossier_id,
	    struct st_complaint **, size_t *);

/*
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and
 * hash-chained.  Entry n stores prev = hash of entry n-1 (64 zeros for
 * entry 1) and hash = SHA-256 over the canonical encoding of (seq, time,
 * actor, action, object, detail, prev): the tag "xbrg-audit-v1", then each
 * field as an 8-byte big-endian length and its bytes (numbers in decimal).
 * The newest (seq, hash) is also kept in a meta row, so that cutting off
 * the tail is detected too.
 */
struct st_audit {
	long long	 seq;
	time_t		 time;
	char		*actor;
	char		*action;
	char		*object;
	char		*detail;	/* JSON text, "" when none */
	char		 prev[ST_HASH_HEX];
	char		 hash[ST_HASH_HEX];
};
void	st_audits_free(struct st_audit *, size_t);	/* NULL-safe */
/* Appends one entry (write tx).  *seq gets its number (may be NULL). */
int	st_audit_append(struct st_tx *, time_t, const char *actor,
	    const char *action, const char *object, const char *detail,
	    long long *seq);
/* Entries about one object (NULL: all), in order. */
int	st_audit_list(struct st_tx *, const char *object,
	    struct st_audit **, size_t *);
/* The canonical hash of e (its hash field is ignored). */
void	st_audit_hash(const struct st_audit *, char out[ST_HASH_HEX]);

struct st_audit_check {
	long long	 entries;
	long long	 first_broken;	/* 0 when intact */
	char		 reason[160];	/* why first_broken is broken */
};
/*
 * Walks the whole chain in one read snapshot.  Returns ST_OK with the
 * result in *c (broken or not), or ST_ERROR when it could not read.
 */
int	st_audit_verify(struct st_tx *, struct st_audit_check *);

#endif /* ST_H */
