/*
 * gw_svc.c: the service layer behind the HTTP API (gw_svc.h): opening the
 * service, dossiers (submit, get, amend, list), decisions, recognitions
 * list, complaints and the audit check.  Reviews are in gw_svc_review.c,
 * the relying-party lookup in gw_svc_recog.c.
 *
 * Every write is one store transaction holding the state change and its
 * audit entry (and, for decisions, the signed decision) together.  Slow
 * work (decoding, the automated checks) happens before the transaction.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "gw_svc_int.h"
#include "tl.h"

/*
 * Errors and small helpers.
 */
int
gw_svc_http_status(enum gw_svc_status s)
{
	switch (s) {
	case GW_SVC_OK:
		return 200;
	case GW_SVC_BAD_REQUEST:
		return 400;
	case GW_SVC_FORBIDDEN:
		return 403;
	case GW_SVC_NOT_FOUND:
		return 404;
	case GW_SVC_CONFLICT:
		return 409;
	case GW_SVC_TOO_LARGE:
		return 413;
	case GW_SVC_UNPROCESSABLE:
		return 422;
	default:
		return 500;
	}
}

json_t *
gw_svc_err_json(const struct gw_svc_err *e)
{
	json_t	*o;

	o = json_pack("{s:s, s:s}", "code", e->code[0] ? e->code : "error",
	    "message", e->message);
	if (o == NULL)
		return NULL;
	if (e->field[0] != '\0' &&
	    json_object_set_new(o, "field", json_string(e->field)) != 0) {
		json_decref(o);
		return NULL;
	}
	return json_pack("{s:o}", "error", o);
}

static const char *const role_names[] = {
	"public", "submitter", "reviewer", "admin"
};

const char *
gw_role_name(enum gw_role r)
{
	return (unsigned)r <= GW_ROLE_ADMIN ? role_names[r] : "unknown";
}

int
gw_role_parse(const char *s, enum gw_role *out)
{
	int	 i;

	for (i = 0; i <= GW_ROLE_ADMIN; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum gw_role)i;
			return 0;
		}
	return -1;
}

int
gw_svc_newid(const char *prefix, char buf[GW_ID_MAX])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 r[16];
	size_t			 i, n;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	n = (size_t)snprintf(buf, GW_ID_MAX, "%s_", prefix);
	for (i = 0; i < sizeof(r) && n + 2 < GW_ID_MAX; i++) {
		buf[n++] = hex[r[i] >> 4];
		buf[n++] = hex[r[i] & 0xf];
	}
	buf[n] = '\0';
	return 0;
}

int
gw_svc_id_ok(const char *s, const char *prefix)
{
	size_t	 i, pl;

	if (s == NULL)
		return 0;
	pl = strlen(prefix);
	if (strncmp(s, prefix, pl) != 0 || s[pl] != '_' ||
	    strlen(s) != pl + 33)
		return 0;
	for (i = pl + 1; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

enum gw_svc_status
gw_svc_st_err(struct gw_svc_err *e, struct st_tx *tx, const char *what)
{
	gw_svc_seterr(e, GW_SVC_INTERNAL, "store-error", NULL, "%s: %s", what,
	    tx ? st_tx_error(tx) : "cannot start a transaction");
	return GW_SVC_INTERNAL;
}

enum gw_svc_status
gw_svc_begin(struct gw_svc *s, int write, struct st_tx **tx,
    struct gw_svc_err *e)
{
	char	 terr[256];

	if ((*tx = st_begin(s->db, write, terr, sizeof(terr))) == NULL) {
		gw_svc_seterr(e, GW_SVC_INTERNAL, "store-error", NULL, "%s",
		    terr);
		return GW_SVC_INTERNAL;
	}
	return GW_SVC_OK;
}

enum gw_svc_status
gw_svc_commit(struct st_tx *tx, json_t **out, struct gw_svc_err *e)
{
	if (st_commit(tx) == ST_OK)
		return GW_SVC_OK;
	/* Nothing was stored: a reply built for it would be a lie. */
	if (out != NULL) {
		json_decref(*out);
		*out = NULL;
	}
	gw_svc_seterr(e, GW_SVC_INTERNAL, "store-error", NULL,
	    "commit failed");
	return GW_SVC_INTERNAL;
}

enum gw_svc_status
gw_svc_oom(struct gw_svc_err *e)
{
	gw_svc_seterr(e, GW_SVC_INTERNAL, "out-of-memory", NULL,
	    "out of memory");
	return GW_SVC_INTERNAL;
}

enum gw_svc_status
gw_svc_actor_ok(const struct gw_actor *a, struct gw_svc_err *e)
{
	if (a == NULL || a->id == NULL || a->id[0] == '\0' ||
	    strlen(a->id) > GW_MAX_SHORT ||
	    (unsigned)a->role > GW_ROLE_ADMIN ||
	    (a->role == GW_ROLE_SUBMITTER && (a->tenant == NULL ||
	    a->tenant[0] == '\0' || strlen(a->tenant) > GW_MAX_SHORT))) {
		gw_svc_seterr(e, GW_SVC_FORBIDDEN, "bad-identity", NULL,
		    "the caller's identity is incomplete");
		return GW_SVC_FORBIDDEN;
	}
	return GW_SVC_OK;
}

int
gw_svc_can_see(const struct gw_actor *a, const struct st_dossier *d)
{
	switch (a->role) {
	case GW_ROLE_REVIEWER:
	case GW_ROLE_ADMIN:
		return 1;
	case GW_ROLE_SUBMITTER:
		return strcmp(a->tenant, d->tenant) == 0;
	default:
		return 0;
	}
}

json_t *
gw_svc_time_json(time_t t)
{
	char	 buf[VAL_TIME_LEN];

	val_time_format(t, buf);
	return json_string(buf);
}

static enum gw_svc_status
forbidden(struct gw_svc_err *e, const char *what)
{
	gw_svc_seterr(e, GW_SVC_FORBIDDEN, "forbidden", NULL, "%s", what);
	return GW_SVC_FORBIDDEN;
}

static enum gw_svc_status
not_found(struct gw_svc_err *e, const char *what, const char *id)
{
	gw_svc_seterr(e, GW_SVC_NOT_FOUND, "not-found", NULL, "no %s '%.64s'",
	    what, id ? id : "");
	return GW_SVC_NOT_FOUND;
}

enum gw_svc_status
gw_svc_dossier_load(struct st_tx *tx, const struct gw_actor *a,
    const char *id, struct st_dossier *d, struct gw_svc_err *e)
{
	int	 rc;

	rc = st_dossier_get(tx, id, d);
	if (rc == ST_ERROR)
		return gw_svc_st_err(e, tx, "dossier");
	/* One the actor may not see answers as if it did not exist. */
	if (rc == ST_NOTFOUND || !gw_svc_can_see(a, d))
		return not_found(e, "dossier", id);
	return GW_SVC_OK;
}

/*
 * Opening and closing.
 */
static int
policy_default(const struct gw_svc_conf *c, char *out, size_t len)
{
	char		 exe[PATH_MAX], *slash;
	const char	*env;
	ssize_t		 n;
	int		 i;

	if (c->profile_dir != NULL) {
		snprintf(out, len, "%s/policy.json", c->profile_dir);
		return 0;
	}
	if ((env = getenv("XBRG_PROFILE_DIR")) != NULL && *env != '\0') {
		snprintf(out, len, "%s/policy.json", env);
		return 0;
	}
	/* The profiles/ folder of the tree the binary was built in. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (i = 0; i < 5 && (slash = strrchr(exe, '/')) != NULL;
		    i++) {
			*slash = '\0';
			if (snprintf(out, len, "%s/profiles/policy.json",
			    exe) < (int)len && access(out, R_OK) == 0)
				return 0;
		}
	}
	snprintf(out, len, "profiles/policy.json");
	return 0;
}

/*
 * Reads the verified trust-list cache of `xbrg tl sync` (tl_set_load():
 * DIR/lists/NAME.xml are written there only after their signatures
 * verified).  A file that no longer parses is left out.
 */
static int
tl_load(struct gw_svc *s, const char *dir, char *err, size_t errlen)
{
	struct val_report	 rep;
	int			 rc;

	val_report_init(&rep);
	rc = tl_set_load(dir, &s->tl, &rep, err, errlen);
	val_report_clear(&rep);
	return rc;
}

struct gw_svc *
gw_svc_open(const struct gw_svc_conf *c, char *err, size_t errlen)
{
	struct gw_svc	*s;
	char		 ppath[PATH_MAX];
	size_t		 i;

	if (c == NULL || c->db_path == NULL) {
		snprintf(err, errlen, "no store path");
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (pthread_rwlock_init(&s->rc_lock, NULL) != 0) {
		snprintf(err, errlen, "rwlock");
		free(s);
		return NULL;
	}
	s->signer = c->signer;
	s->rc_gen = 1;
	if (c->policy_path != NULL)
		snprintf(ppath, sizeof(ppath), "%s", c->policy_path);
	else
		policy_default(c, ppath, sizeof(ppath));
	if ((s->policy = gw_policy_load(ppath, err, errlen)) == NULL)
		goto fail;
	if (s->policy->nlint_profiles > 0) {
		if ((s->profiles = calloc(s->policy->nlint_profiles,
		    sizeof(*s->profiles))) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		for (i = 0; i < s->policy->nlint_profiles; i++) {
			s->profiles[i] = val_profile_load(
			    s->policy->lint_profiles[i], c->profile_dir, err,
			    errlen);
			if (s->profiles[i] == NULL)
				goto fail;
			s->nprofiles++;
		}
	}
	if (c->tl_cache_dir != NULL) {
		s->tl_configured = 1;
		if (tl_load(s, c->tl_cache_dir, err, errlen) != 0)
			goto fail;
	}
	if ((s->db = st_open(c->db_path, 0, err, errlen)) == NULL)
		goto fail;
	return s;
 fail:
	gw_svc_close(s);
	return NULL;
}

void
gw_svc_close(struct gw_svc *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	st_close(s->db);
	gw_policy_free(s->policy);
	for (i = 0; i < s->nprofiles; i++)
		val_profile_free(s->profiles[i]);
	free(s->profiles);
	tl_set_free(&s->tl);
	gw_svc_rcache_free(s);
	pthread_rwlock_destroy(&s->rc_lock);
	free(s);
}

const struct gw_policy *
gw_svc_policy(const struct gw_svc *s)
{
	return s->policy;
}

/*
 * Dossiers.
 */

/* Decodes and checks a body; *checks is the JSON text to store. */
static enum gw_svc_status
decode_and_check(struct gw_svc *s, const char *body, size_t len, time_t now,
    struct gw_dossier **dout, char **checks, struct gw_svc_err *e)
{
	struct gw_check_in	 in;
	struct val_report	 rep;
	struct gw_dossier	*d = NULL;
	json_t			*o = NULL, *f;
	enum gw_svc_status	 st;

	*dout = NULL;
	*checks = NULL;
	if ((st = gw_dossier_decode(body, len, s->policy, &d, e)) != GW_SVC_OK)
		return st;
	memset(&in, 0, sizeof(in));
	in.policy = s->policy;
	in.profiles = s->profiles;
	in.nprofiles = s->nprofiles;
	if (s->tl_configured) {
		in.tl_lists = (const struct tl_list *const *)s->tl.lists;
		in.ntl_lists = s->tl.n;
	}
	val_report_init(&rep);
	if (gw_dossier_check(d, &in, now, &rep) != 0) {
		st = gw_svc_oom(e);
		goto out;
	}
	if ((f = gw_json_findings(&rep)) == NULL ||
	    (o = json_pack("{s:s, s:o, s:o}", "verdict",
	    val_verdict_name(val_report_verdict(&rep)), "at",
	    gw_svc_time_json(now), "findings", f)) == NULL ||
	    (*checks = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	*dout = d;
	d = NULL;
	st = GW_SVC_OK;
 out:
	json_decref(o);
	val_report_clear(&rep);
	gw_dossier_free(d);
	return st;
}

char *
gw_svc_dump(json_t *o)
{
	char	*s;

	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

enum gw_svc_status
gw_svc_dossier_view(struct st_tx *tx, const struct st_dossier *d,
    json_t **out, struct gw_svc_err *e)
{
	struct st_audit		*au = NULL;
	struct st_recognition	 r;
	json_t			*o = NULL, *hist, *h, *v;
	size_t			 n = 0, i;
	int			 rc;

	memset(&r, 0, sizeof(r));
	o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:o, s:o}",
	    "id", d->id, "tenant", d->tenant, "status", d->status,
	    "version", (json_int_t)d->version, "submitted_by",
	    d->submitted_by, "created", gw_svc_time_json(d->created),
	    "updated", gw_svc_time_json(d->updated));
	if (o == NULL)
		return gw_svc_oom(e);
	v = json_loads(d->body, 0, NULL);
	json_object_set_new(o, "dossier", v ? v : json_null());
	v = json_loads(d->checks, 0, NULL);
	json_object_set_new(o, "checks", v ? v : json_null());
	v = d->pending ? json_loads(d->pending, 0, NULL) : NULL;
	json_object_set_new(o, "pending_approval", v ? v : json_null());
	rc = st_recognition_by_dossier(tx, d->id, &r);
	if (rc == ST_ERROR) {
		json_decref(o);
		return gw_svc_st_err(e, tx, "recognition");
	}
	if (rc == ST_OK) {
		v = json_pack("{s:s, s:s, s:o, s:o, s:s}", "id", r.id,
		    "status", r.status, "not_before",
		    gw_svc_time_json(r.not_before), "not_after",
		    gw_svc_time_json(r.not_after), "decision", r.decision_id);
		json_object_set_new(o, "recognition", v ? v : json_null());
	} else
		json_object_set_new(o, "recognition", json_null());
	st_recognition_clear(&r);
	if (st_audit_list(tx, d->id, &au, &n) != ST_OK) {
		json_decref(o);
		return gw_svc_st_err(e, tx, "history");
	}
	hist = json_array();
	for (i = 0; hist != NULL && i < n; i++) {
		h = json_pack("{s:I, s:o, s:s, s:s}", "seq",
		    (json_int_t)au[i].seq, "time",
		    gw_svc_time_json(au[i].time), "actor", au[i].actor,
		    "action", au[i].action);
		if (h == NULL)
			continue;
		v = au[i].detail[0] ? json_loads(au[i].detail, 0, NULL) : NULL;
		if (v != NULL)
			json_object_update(h, v);
		json_decref(v);
		json_array_append_new(hist, h);
	}
	st_audits_free(au, n);
	json_object_set_new(o, "history", hist ? hist : json_array());
	*out = o;
	return GW_SVC_OK;
}

/* Stores a decoded and checked dossier with its audit entry. */
static enum gw_svc_status
submit_tx(struct gw_svc *s, const struct gw_actor *a,
    const struct gw_dossier *d, const char *body, size_t len,
    const char *checks, time_t now, json_t **out, struct gw_svc_err *e)
{
	struct st_dossier	 row;
	struct st_tx		*tx = NULL;
	char			 id[GW_ID_MAX], *det = NULL;
	enum gw_svc_status	 st;
	json_t			*cj;

	memset(&row, 0, sizeof(row));
	if (gw_svc_newid("dos", id) != 0)
		return gw_svc_oom(e);
	row.id = id;
	row.tenant = (char *)a->tenant;
	row.submitted_by = (char *)a->id;
	row.status = (char *)gw_status_name(GW_ST_SUBMITTED);
	row.version = 1;
	row.created = row.updated = now;
	row.legal_name = d->legal_name;
	row.country = d->country;
	row.checks = (char *)checks;
	if ((row.body = strndup(body, len)) == NULL)
		return gw_svc_oom(e);
	cj = json_loads(checks, 0, NULL);
	det = gw_svc_dump(json_pack("{s:s, s:s, s:I, s:s}", "from", "",
	    "to", row.status, "version", (json_int_t)1, "verdict",
	    cj ? json_string_value(json_object_get(cj, "verdict")) : "?"));
	json_decref(cj);
	if (det == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	if ((st = gw_svc_begin(s, 1, &tx, e)) != GW_SVC_OK)
		goto out;
	if (st_dossier_insert(tx, &row) != ST_OK ||
	    st_audit_append(tx, now, a->id, "submit", id, det, NULL) !=
	    ST_OK) {
		st = gw_svc_st_err(e, tx, "submit");
		goto out;
	}
	if ((st = gw_svc_dossier_view(tx, &row, out, e)) != GW_SVC_OK)
		goto out;
	st = gw_svc_commit(tx, out, e);
	tx = NULL;
 out:
	st_rollback(tx);
	free(row.body);
	free(det);
	return st;
}

enum gw_svc_status
gw_svc_dossier_submit(struct gw_svc *s, const struct gw_actor *a,
    const char *body, size_t len, time_t now, json_t **out,
    struct gw_svc_err *e)
{
	struct gw_dossier	*d = NULL;
	char			*checks = NULL;
	enum gw_svc_status	 st;

	*out = NULL;
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (a->role != GW_ROLE_SUBMITTER)
		return forbidden(e, "only a foreign CA (submitter) submits "
		    "dossiers");
	if ((st = decode_and_check(s, body, len, now, &d, &checks, e)) !=
	    GW_SVC_OK)
		return st;
	st = submit_tx(s, a, d, body, len, checks, now, out, e);
	gw_dossier_free(d);
	free(checks);
	return st;
}

enum gw_svc_status
gw_svc_dossier_get(struct gw_svc *s, const struct gw_actor *a,
    const char *id, json_t **out, struct gw_svc_err *e)
{
	struct st_dossier	 d;
	struct st_tx		*tx;
	enum gw_svc_status	 st;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (a->role == GW_ROLE_PUBLIC)
		return forbidden(e, "dossiers are not public");
	if (!gw_svc_id_ok(id, "dos"))
		return not_found(e, "dossier", id);
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	if ((st = gw_svc_dossier_load(tx, a, id, &d, e)) == GW_SVC_OK)
		st = gw_svc_dossier_view(tx, &d, out, e);
	st_dossier_clear(&d);
	st_rollback(tx);
	return st;
}

enum gw_svc_status
gw_svc_dossier_amend(struct gw_svc *s, const struct gw_actor *a,
    const char *id, const char *body, size_t len, time_t now, json_t **out,
    struct gw_svc_err *e)
{
	struct gw_dossier	*dec = NULL;
	struct st_dossier	 d;
	struct st_review	 rv;
	struct st_tx		*tx = NULL;
	struct gw_step		 step;
	enum gw_status		 from;
	enum gw_svc_status	 st;
	char			*checks = NULL, *det = NULL;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (a->role != GW_ROLE_SUBMITTER)
		return forbidden(e, "only the submitting CA amends its "
		    "dossier");
	if (!gw_svc_id_ok(id, "dos"))
		return not_found(e, "dossier", id);
	if ((st = decode_and_check(s, body, len, now, &dec, &checks, e)) !=
	    GW_SVC_OK)
		return st;
	if ((st = gw_svc_begin(s, 1, &tx, e)) != GW_SVC_OK)
		goto out;
	if ((st = gw_svc_dossier_load(tx, a, id, &d, e)) != GW_SVC_OK)
		goto out;
	if (gw_status_parse(d.status, &from) != 0 ||
	    gw_lifecycle_step(from, GW_ACT_AMEND, d.pending != NULL,
	    &step) != 0) {
		gw_svc_seterr(e, GW_SVC_CONFLICT, "illegal-transition", NULL,
		    "a dossier can be amended only when information was "
		    "requested (it is %s)", d.status);
		st = GW_SVC_CONFLICT;
		goto out;
	}
	free(d.body);
	free(d.checks);
	free(d.pending);
	free(d.status);
	free(d.legal_name);
	free(d.country);
	d.pending = NULL;
	d.body = strndup(body, len);
	d.checks = strdup(checks);
	d.status = strdup(gw_status_name(step.to));
	d.legal_name = strdup(dec->legal_name);
	d.country = strdup(dec->country);
	d.version++;
	d.updated = now;
	det = gw_svc_dump(json_pack("{s:s, s:s, s:I}", "from",
	    gw_status_name(from), "to", gw_status_name(step.to), "version",
	    (json_int_t)d.version));
	if (d.body == NULL || d.checks == NULL || d.status == NULL ||
	    d.legal_name == NULL || d.country == NULL || det == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	memset(&rv, 0, sizeof(rv));
	rv.dossier_id = d.id;
	rv.time = now;
	rv.actor = (char *)a->id;
	rv.action = (char *)"amend";
	rv.status_after = d.status;
	if (st_dossier_update(tx, &d, a->id) != ST_OK ||
	    st_review_add(tx, &rv) != ST_OK ||
	    st_audit_append(tx, now, a->id, "amend", d.id, det, NULL) !=
	    ST_OK) {
		st = gw_svc_st_err(e, tx, "amend");
		goto out;
	}
	if ((st = gw_svc_dossier_view(tx, &d, out, e)) != GW_SVC_OK)
		goto out;
	st = gw_svc_commit(tx, out, e);
	tx = NULL;
 out:
	st_rollback(tx);
	st_dossier_clear(&d);
	gw_dossier_free(dec);
	free(checks);
	free(det);
	return st;
}

enum gw_svc_status
gw_svc_dossier_list(struct gw_svc *s, const struct gw_actor *a,
    const char *status, json_t **out, struct gw_svc_err *e)
{
	struct st_dossier	*v = NULL;
	struct st_tx		*tx;
	enum gw_status		 want;
	enum gw_svc_status	 st;
	json_t			*arr, *o;
	size_t			 n = 0, i;

	*out = NULL;
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (a->role == GW_ROLE_PUBLIC)
		return forbidden(e, "the dossier queue is not public");
	if (status != NULL && gw_status_parse(status, &want) != 0) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "bad-value", "status",
		    "unknown status '%.64s'", status);
		return GW_SVC_BAD_REQUEST;
	}
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	if (st_dossier_list(tx, a->role == GW_ROLE_SUBMITTER ? a->tenant :
	    NULL, status, GW_MAX_LIST, &v, &n) != ST_OK) {
		st = gw_svc_st_err(e, tx, "list");
		st_rollback(tx);
		return st;
	}
	st_rollback(tx);
	if ((arr = json_array()) == NULL) {
		st_dossiers_free(v, n);
		return gw_svc_oom(e);
	}
	for (i = 0; i < n; i++) {
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o}",
		    "id", v[i].id, "tenant", v[i].tenant, "status",
		    v[i].status, "legal_name", v[i].legal_name, "country",
		    v[i].country, "version", (json_int_t)v[i].version,
		    "created", gw_svc_time_json(v[i].created), "updated",
		    gw_svc_time_json(v[i].updated));
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			st_dossiers_free(v, n);
			return gw_svc_oom(e);
		}
	}
	st_dossiers_free(v, n);
	if ((*out = json_pack("{s:o}", "dossiers", arr)) == NULL)
		return gw_svc_oom(e);
	return GW_SVC_OK;
}

/*
 * Decisions.
 */
static int
decision_visible(const struct gw_actor *a, const struct st_decision *d)
{
	if (d->public_ || a->role == GW_ROLE_REVIEWER ||
	    a->role == GW_ROLE_ADMIN)
		return 1;
	return a->role == GW_ROLE_SUBMITTER &&
	    strcmp(a->tenant, d->tenant) == 0;
}

/* A list's optional dossier filter: absent, or a dossier id. */
static enum gw_svc_status
dossier_filter_ok(const char *dossier_id, struct gw_svc_err *e)
{
	if (dossier_id != NULL && !gw_svc_id_ok(dossier_id, "dos")) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "bad-value", "dossier",
		    "not a dossier id: '%.64s'", dossier_id);
		return GW_SVC_BAD_REQUEST;
	}
	return GW_SVC_OK;
}

enum gw_svc_status
gw_svc_decision_list(struct gw_svc *s, const struct gw_actor *a,
    const char *dossier_id, json_t **out, struct gw_svc_err *e)
{
	struct st_decision	*v = NULL;
	struct st_tx		*tx;
	enum gw_svc_status	 st;
	json_t			*arr, *o;
	size_t			 n = 0, i;

	*out = NULL;
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if ((st = dossier_filter_ok(dossier_id, e)) != GW_SVC_OK)
		return st;
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	if (st_decision_list(tx, dossier_id, &v, &n) != ST_OK) {
		st = gw_svc_st_err(e, tx, "decisions");
		st_rollback(tx);
		return st;
	}
	st_rollback(tx);
	if ((arr = json_array()) == NULL) {
		st_decisions_free(v, n);
		return gw_svc_oom(e);
	}
	for (i = 0; i < n; i++) {
		if (!decision_visible(a, &v[i]))
			continue;
		o = json_pack("{s:s, s:s, s:s, s:o}", "id", v[i].id,
		    "dossier", v[i].dossier_id, "kind", v[i].kind, "time",
		    gw_svc_time_json(v[i].time));
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			st_decisions_free(v, n);
			return gw_svc_oom(e);
		}
	}
	st_decisions_free(v, n);
	if ((*out = json_pack("{s:o}", "decisions", arr)) == NULL)
		return gw_svc_oom(e);
	return GW_SVC_OK;
}

static enum gw_svc_status
decision_fetch(struct gw_svc *s, const struct gw_actor *a, const char *id,
    int with_der, struct st_decision *d, struct gw_svc_err *e)
{
	struct st_tx		*tx;
	enum gw_svc_status	 st;
	int			 rc;

	memset(d, 0, sizeof(*d));
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (!gw_svc_id_ok(id, "dec"))
		return not_found(e, "decision", id);
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	rc = st_decision_get(tx, id, with_der, d);
	if (rc == ST_ERROR)
		st = gw_svc_st_err(e, tx, "decision");
	else if (rc == ST_NOTFOUND || !decision_visible(a, d))
		st = not_found(e, "decision", id);
	else
		st = GW_SVC_OK;
	st_rollback(tx);
	if (st != GW_SVC_OK)
		st_decision_clear(d);
	return st;
}

enum gw_svc_status
gw_svc_decision_get(struct gw_svc *s, const struct gw_actor *a,
    const char *id, json_t **out, struct gw_svc_err *e)
{
	struct st_decision	 d;
	enum gw_svc_status	 st;

	*out = NULL;
	if ((st = decision_fetch(s, a, id, 0, &d, e)) != GW_SVC_OK)
		return st;
	*out = json_loads(d.doc, 0, NULL);
	st_decision_clear(&d);
	if (*out == NULL)
		return gw_svc_oom(e);
	return GW_SVC_OK;
}

enum gw_svc_status
gw_svc_decision_der(struct gw_svc *s, const struct gw_actor *a,
    const char *id, unsigned char **der, size_t *derlen,
    struct gw_svc_err *e)
{
	struct st_decision	 d;
	enum gw_svc_status	 st;

	*der = NULL;
	*derlen = 0;
	if ((st = decision_fetch(s, a, id, 1, &d, e)) != GW_SVC_OK)
		return st;
	*der = d.der;
	*derlen = d.der_len;
	d.der = NULL;
	st_decision_clear(&d);
	return GW_SVC_OK;
}

/*
 * Complaints.
 */
enum gw_svc_status
gw_svc_complaint_file(struct gw_svc *s, const struct gw_actor *a,
    const char *body, size_t len, time_t now, json_t **out,
    struct gw_svc_err *e)
{
	static const char *const keys[] = { "recognition", "dossier",
	    "complainant", "contact", "text", NULL };
	struct st_recognition	 r;
	struct st_complaint	 c;
	struct st_tx		*tx = NULL;
	enum gw_svc_status	 st;
	const char		*rid, *did, *who, *contact, *text;
	char			 id[GW_ID_MAX], *det = NULL;
	json_t			*root;
	int			 rc;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (len > GW_MAX_REVIEW_BYTES) {
		gw_svc_seterr(e, GW_SVC_TOO_LARGE, "too-large", NULL,
		    "the complaint is larger than %d bytes",
		    GW_MAX_REVIEW_BYTES);
		return GW_SVC_TOO_LARGE;
	}
	if ((root = gw_jdec_parse(body, len, e)) == NULL)
		return e->status;
	if (gw_jdec_keys(root, "", keys, e) != 0 ||
	    gw_jdec_str(root, "", "recognition", 0, GW_ID_MAX, 0, &rid,
	    e) != 0 ||
	    gw_jdec_str(root, "", "dossier", 0, GW_ID_MAX, 0, &did, e) != 0 ||
	    gw_jdec_str(root, "", "complainant", 0, GW_MAX_NAME, 0, &who,
	    e) != 0 ||
	    gw_jdec_str(root, "", "contact", 0, GW_MAX_NAME, 0, &contact,
	    e) != 0 ||
	    gw_jdec_str(root, "", "text", 1, GW_MAX_TEXT, 1, &text, e) != 0) {
		st = e->status;
		goto out;
	}
	if ((rid == NULL) == (did == NULL)) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "missing-field",
		    "recognition", "name exactly one of 'recognition' and "
		    "'dossier'");
		st = GW_SVC_BAD_REQUEST;
		goto out;
	}
	if (gw_svc_newid("cmp", id) != 0) {
		st = gw_svc_oom(e);
		goto out;
	}
	if ((st = gw_svc_begin(s, 1, &tx, e)) != GW_SVC_OK)
		goto out;
	/* Complaints are about recognitions, which are public. */
	if (rid != NULL)
		rc = gw_svc_id_ok(rid, "rec") ? st_recognition_get(tx, rid, &r) :
		    ST_NOTFOUND;
	else
		rc = gw_svc_id_ok(did, "dos") ?
		    st_recognition_by_dossier(tx, did, &r) : ST_NOTFOUND;
	if (rc == ST_ERROR) {
		st = gw_svc_st_err(e, tx, "recognition");
		goto out;
	}
	if (rc == ST_NOTFOUND) {
		gw_svc_seterr(e, GW_SVC_NOT_FOUND, "not-found",
		    rid ? "recognition" : "dossier", rid ? "no recognition "
		    "'%.64s'" : "dossier '%.64s' has no recognition",
		    rid ? rid : did);
		st = GW_SVC_NOT_FOUND;
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.recognition_id = r.id;
	c.dossier_id = r.dossier_id;
	c.time = now;
	c.complainant = (char *)who;
	c.contact = (char *)contact;
	c.text = (char *)text;
	c.status = (char *)"open";
	det = gw_svc_dump(json_pack("{s:s, s:s}", "complaint", id,
	    "recognition", r.id));
	if (det == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	if (st_complaint_insert(tx, &c) != ST_OK ||
	    st_audit_append(tx, now, a->id, "complaint", r.dossier_id, det,
	    NULL) != ST_OK) {
		st = gw_svc_st_err(e, tx, "complaint");
		goto out;
	}
	*out = json_pack("{s:s, s:s, s:s, s:o, s:s}", "id", id,
	    "recognition", r.id, "dossier", r.dossier_id, "time",
	    gw_svc_time_json(now), "status", "open");
	if (*out == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	st = gw_svc_commit(tx, out, e);
	tx = NULL;
 out:
	st_rollback(tx);
	st_recognition_clear(&r);
	free(det);
	json_decref(root);
	return st;
}

enum gw_svc_status
gw_svc_complaint_list(struct gw_svc *s, const struct gw_actor *a,
    const char *dossier_id, json_t **out, struct gw_svc_err *e)
{
	struct st_complaint	*v = NULL;
	struct st_tx		*tx;
	enum gw_svc_status	 st;
	json_t			*arr, *o;
	size_t			 n = 0, i;

	*out = NULL;
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (a->role != GW_ROLE_REVIEWER && a->role != GW_ROLE_ADMIN)
		return forbidden(e, "complaints are visible to reviewers");
	if ((st = dossier_filter_ok(dossier_id, e)) != GW_SVC_OK)
		return st;
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	if (st_complaint_list(tx, dossier_id, &v, &n) != ST_OK) {
		st = gw_svc_st_err(e, tx, "complaints");
		st_rollback(tx);
		return st;
	}
	st_rollback(tx);
	if ((arr = json_array()) == NULL) {
		st_complaints_free(v, n);
		return gw_svc_oom(e);
	}
	for (i = 0; i < n; i++) {
		o = json_pack("{s:s, s:s?, s:s, s:o, s:s?, s:s?, s:s, s:s}",
		    "id", v[i].id, "recognition", v[i].recognition_id,
		    "dossier", v[i].dossier_id, "time",
		    gw_svc_time_json(v[i].time), "complainant",
		    v[i].complainant, "contact", v[i].contact, "text",
		    v[i].text, "status", v[i].status);
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			st_complaints_free(v, n);
			return gw_svc_oom(e);
		}
	}
	st_complaints_free(v, n);
	if ((*out = json_pack("{s:o}", "complaints", arr)) == NULL)
		return gw_svc_oom(e);
	return GW_SVC_OK;
}

/*
 * Audit.
 */
enum gw_svc_status
gw_svc_audit_verify(struct gw_svc *s, const struct gw_actor *a,
    json_t **out, struct gw_svc_err *e)
{
	struct st_audit_check	 c;
	struct st_tx		*tx;
	enum gw_svc_status	 st;

	*out = NULL;
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if (a->role != GW_ROLE_REVIEWER && a->role != GW_ROLE_ADMIN)
		return forbidden(e, "the audit log is for reviewers and "
		    "admins");
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	if (st_audit_verify(tx, &c) != ST_OK) {
		st = gw_svc_st_err(e, tx, "audit");
		st_rollback(tx);
		return st;
	}
	st_rollback(tx);
	*out = json_pack("{s:b, s:I}", "intact", c.first_broken == 0,
	    "entries", (json_int_t)c.entries);
	if (*out == NULL)
		return gw_svc_oom(e);
	json_object_set_new(*out, "first_broken", c.first_broken ?
	    json_integer(c.first_broken) : json_null());
	json_object_set_new(*out, "reason", c.first_broken ?
	    json_string(c.reason) : json_null());
	return GW_SVC_OK;
}
