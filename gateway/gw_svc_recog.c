/*
 * gw_svc_recog.c: recognitions for relying parties: the public list and
 * the lookup behind POST /v1/validate, the hot path.
 *
 * Every recognition (any status) is held in an in-memory table built from
 * the store on first use and rebuilt after any change the service itself
 * commits (gw_svc_rcache_invalidate()).  Lookups take a read lock and scan
 * the table (recognitions number in the hundreds at most); nothing on the
 * hot path touches SQLite.  A lookup compares validity with its own time,
 * so expiry needs no write; statuses (suspended, revoked, withdrawn) are
 * the current ones, also for a past `at` (conservative).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_svc_int.h"

static void
ent_clear(struct gw_rcache_ent *r)
{
	free(r->id);
	free(r->dossier);
	free(r->decision);
	free(r->legal_name);
	free(r->country);
	gw_strv_free(r->types);
	gw_strv_free(r->scenarios);
	free(r->fps);
	memset(r, 0, sizeof(*r));
}

static void
cache_drop(struct gw_svc *s)
{
	size_t	 i;

	for (i = 0; i < s->nrc; i++)
		ent_clear(&s->rc[i]);
	free(s->rc);
	s->rc = NULL;
	s->nrc = 0;
	s->rc_valid = 0;
}

void
gw_svc_rcache_free(struct gw_svc *s)
{
	cache_drop(s);
}

void
gw_svc_rcache_invalidate(struct gw_svc *s)
{
	pthread_rwlock_wrlock(&s->rc_lock);
	cache_drop(s);
	s->rc_gen++;
	pthread_rwlock_unlock(&s->rc_lock);
}

unsigned long
gw_svc_recognition_gen(struct gw_svc *s)
{
	unsigned long	 g;

	pthread_rwlock_rdlock(&s->rc_lock);
	g = s->rc_gen;
	pthread_rwlock_unlock(&s->rc_lock);
	return g;
}

static char **
strv_dup(const json_t *arr)
{
	char	**v;
	size_t	  i, n;

	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		v[i] = strdup(json_string_value(json_array_get(arr, i)) ?
		    json_string_value(json_array_get(arr, i)) : "");
		if (v[i] == NULL) {
			gw_strv_free(v);
			return NULL;
		}
	}
	return v;
}

static int
ent_fill(struct gw_rcache_ent *r, const struct st_recognition *st)
{
	json_t		*scope, *cas;
	const char	*fp;
	size_t		 i;
	int		 rc = -1;

	memset(r, 0, sizeof(*r));
	if ((scope = json_loads(st->scope, 0, NULL)) == NULL)
		return -1;
	if (gw_status_parse(st->status, &r->status) != 0)
		goto out;
	r->not_before = st->not_before;
	r->not_after = st->not_after;
	cas = json_object_get(scope, "ca_certificates");
	if ((r->id = strdup(st->id)) == NULL ||
	    (r->dossier = strdup(st->dossier_id)) == NULL ||
	    (r->decision = strdup(st->decision_id)) == NULL ||
	    (r->legal_name = strdup(json_string_value(json_object_get(scope,
	    "legal_name")) ? json_string_value(json_object_get(scope,
	    "legal_name")) : "")) == NULL ||
	    (r->country = strdup(json_string_value(json_object_get(scope,
	    "country")) ? json_string_value(json_object_get(scope,
	    "country")) : "")) == NULL ||
	    (r->types = strv_dup(json_object_get(scope,
	    "certificate_types"))) == NULL ||
	    (r->scenarios = strv_dup(json_object_get(scope,
	    "application_scenarios"))) == NULL ||
	    (r->fps = calloc(json_array_size(cas) + 1,
	    sizeof(*r->fps))) == NULL)
		goto out;
	for (i = 0; i < json_array_size(cas); i++) {
		fp = json_string_value(json_object_get(json_array_get(cas, i),
		    "sha256"));
		if (fp != NULL && strlen(fp) == 64)
			memcpy(r->fps[r->nfps++], fp, 65);
	}
	rc = 0;
 out:
	json_decref(scope);
	if (rc != 0)
		ent_clear(r);
	return rc;
}

/* Rebuilds the table; call with the write lock held. */
static enum gw_svc_status
cache_build(struct gw_svc *s, struct gw_svc_err *e)
{
	struct st_recognition	*v = NULL;
	struct st_tx		*tx;
	enum gw_svc_status	 st;
	size_t			 n = 0, i;

	cache_drop(s);
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	if (st_recognition_list(tx, NULL, &v, &n) != ST_OK) {
		st = gw_svc_st_err(e, tx, "recognitions");
		st_rollback(tx);
		return st;
	}
	st_rollback(tx);
	if (n > 0 && (s->rc = calloc(n, sizeof(*s->rc))) == NULL) {
		st_recognitions_free(v, n);
		return gw_svc_oom(e);
	}
	for (i = 0; i < n; i++) {
		if (ent_fill(&s->rc[s->nrc], &v[i]) != 0) {
			st_recognitions_free(v, n);
			cache_drop(s);
			return gw_svc_oom(e);
		}
		s->nrc++;
	}
	st_recognitions_free(v, n);
	s->rc_valid = 1;
	return GW_SVC_OK;
}

/* Takes the read lock on a valid table, building it first if needed. */
static enum gw_svc_status
cache_rdlock(struct gw_svc *s, struct gw_svc_err *e)
{
	enum gw_svc_status	 st;

	for (;;) {
		pthread_rwlock_rdlock(&s->rc_lock);
		if (s->rc_valid)
			return GW_SVC_OK;
		pthread_rwlock_unlock(&s->rc_lock);
		pthread_rwlock_wrlock(&s->rc_lock);
		st = s->rc_valid ? GW_SVC_OK : cache_build(s, e);
		pthread_rwlock_unlock(&s->rc_lock);
		if (st != GW_SVC_OK)
			return st;
	}
}

/* Why r does not cover the request; NULL when it does.  Smaller rank is
 * a more specific (better) explanation. */
static const char *
why_not(const struct gw_rcache_ent *r, const char *type,
    const char *scenario, time_t at, int *rank)
{
	switch (r->status) {
	case GW_ST_APPROVED:
		break;
	case GW_ST_SUSPENDED:
		*rank = 3;
		return "suspended";
	case GW_ST_REVOKED:
		*rank = 5;
		return "revoked";
	case GW_ST_WITHDRAWN:
		*rank = 6;
		return "withdrawn";
	default:
		*rank = 4;
		return "expired";
	}
	if (at < r->not_before) {
		*rank = 4;
		return "not-yet-valid";
	}
	if (at >= r->not_after) {
		*rank = 4;
		return "expired";
	}
	if (!gw_strv_has(r->types, type)) {
		*rank = 2;
		return "type-not-covered";
	}
	if (scenario != NULL && !gw_strv_has(r->scenarios, scenario)) {
		*rank = 1;
		return "scenario-not-covered";
	}
	return NULL;
}

static json_t *
match_json(const struct gw_rcache_ent *r, const char *fp, const char *type,
    const char *scenario)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:o}",
	    "recognition", r->id, "decision", r->decision, "dossier",
	    r->dossier, "legal_name", r->legal_name, "country", r->country,
	    "ca_sha256", fp, "certificate_type", type, "scenario", scenario,
	    "not_after", gw_svc_time_json(r->not_after));
}

/*
 * Scans the table for the fingerprints fps[0..n).  Call with the read
 * lock held.  Returns GW_SVC_OK with the match, or GW_SVC_NOT_FOUND with
 * the best reason.
 */
static enum gw_svc_status
scan(struct gw_svc *s, const char *const *fps, size_t nfps,
    const char *type, const char *scenario, time_t at, json_t **out,
    struct gw_svc_err *e)
{
	const char	*why, *best = "no-recognition";
	size_t		 i, j, k;
	int		 rank, best_rank = 99;

	for (k = 0; k < nfps; k++)
		for (i = 0; i < s->nrc; i++)
			for (j = 0; j < s->rc[i].nfps; j++) {
				if (strcmp(s->rc[i].fps[j], fps[k]) != 0)
					continue;
				why = why_not(&s->rc[i], type, scenario, at,
				    &rank);
				if (why == NULL) {
					*out = match_json(&s->rc[i], fps[k],
					    type, scenario);
					return *out ? GW_SVC_OK :
					    gw_svc_oom(e);
				}
				if (rank < best_rank) {
					best_rank = rank;
					best = why;
				}
			}
	*out = json_pack("{s:s, s:s}", "reason", best, "certificate_type",
	    type);
	if (*out == NULL)
		return gw_svc_oom(e);
	gw_svc_seterr(e, GW_SVC_NOT_FOUND, "not-recognized", NULL,
	    "no active recognition covers it (%s)", best);
	return GW_SVC_NOT_FOUND;
}

static enum gw_svc_status
scenario_ok(struct gw_svc *s, const char *scenario, struct gw_svc_err *e)
{
	if (scenario != NULL && !gw_policy_scenario_ok(s->policy, scenario)) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "unknown-scenario",
		    "scenario", "'%.64s' is not a scenario of the policy",
		    scenario);
		return GW_SVC_UNPROCESSABLE;
	}
	return GW_SVC_OK;
}

enum gw_svc_status
gw_svc_recognition_lookup(struct gw_svc *s, const char *ca_sha256,
    const char *cert_type, const char *scenario, time_t at, json_t **out,
    struct gw_svc_err *e)
{
	enum gw_svc_status	 st;

	*out = NULL;
	if ((st = scenario_ok(s, scenario, e)) != GW_SVC_OK)
		return st;
	if (ca_sha256 == NULL || cert_type == NULL) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "missing-field", NULL,
		    "a fingerprint and a certificate type are needed");
		return GW_SVC_BAD_REQUEST;
	}
	if ((st = cache_rdlock(s, e)) != GW_SVC_OK)
		return st;
	st = scan(s, &ca_sha256, 1, cert_type, scenario, at, out, e);
	pthread_rwlock_unlock(&s->rc_lock);
	return st;
}

enum gw_svc_status
gw_svc_recognized(struct gw_svc *s, STACK_OF(X509) *chain,
    const char *scenario, time_t at, json_t **out, struct gw_svc_err *e)
{
	char			 fps[1][65];
	const char		*pf[1];
	const char		*type;
	enum gw_svc_status	 st;
	size_t			 n = 0;

	*out = NULL;
	if ((st = scenario_ok(s, scenario, e)) != GW_SVC_OK)
		return st;
	if (chain == NULL || sk_X509_num(chain) < 1) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "missing-field", "chain",
		    "an empty chain");
		return GW_SVC_BAD_REQUEST;
	}
	type = gw_cert_type(sk_X509_value(chain, 0));
	/*
	 * Only the leaf's issuer counts: a recognition covers the CA
	 * certificates the dossier declared, not every CA that a declared
	 * root may have signed since.  A self-issued leaf (chain of one) has
	 * no issuer to look up.
	 */
	if (sk_X509_num(chain) >= 2) {
		val_cert_sha256_hex(sk_X509_value(chain, 1), fps[0]);
		pf[0] = fps[0];
		n = 1;
	}
	if ((st = cache_rdlock(s, e)) != GW_SVC_OK)
		return st;
	st = scan(s, pf, n, type, scenario, at, out, e);
	pthread_rwlock_unlock(&s->rc_lock);
	return st;
}

enum gw_svc_status
gw_svc_recognition_list(struct gw_svc *s, time_t at, json_t **out,
    struct gw_svc_err *e)
{
	struct st_recognition	*v = NULL;
	struct st_tx		*tx;
	enum gw_svc_status	 st;
	json_t			*arr, *scope, *o;
	size_t			 n = 0, i;

	*out = NULL;
	if ((st = gw_svc_begin(s, 0, &tx, e)) != GW_SVC_OK)
		return st;
	if (st_recognition_list(tx, "approved", &v, &n) != ST_OK) {
		st = gw_svc_st_err(e, tx, "recognitions");
		st_rollback(tx);
		return st;
	}
	st_rollback(tx);
	if ((arr = json_array()) == NULL) {
		st_recognitions_free(v, n);
		return gw_svc_oom(e);
	}
	for (i = 0; i < n; i++) {
		if (at < v[i].not_before || at >= v[i].not_after)
			continue;
		if ((scope = json_loads(v[i].scope, 0, NULL)) == NULL)
			continue;
		o = json_pack("{s:s, s:s, s:s, s:O, s:O, s:O, s:O, s:o, s:o, "
		    "s:s, s:O}", "id", v[i].id, "dossier", v[i].dossier_id,
		    "tenant", v[i].tenant,
		    "legal_name", json_object_get(scope, "legal_name"),
		    "country", json_object_get(scope, "country"),
		    "certificate_types", json_object_get(scope,
		    "certificate_types"),
		    "application_scenarios", json_object_get(scope,
		    "application_scenarios"),
		    "not_before", gw_svc_time_json(v[i].not_before),
		    "not_after", gw_svc_time_json(v[i].not_after),
		    "decision", v[i].decision_id,
		    "ca_certificates", json_object_get(scope,
		    "ca_certificates"));
		json_decref(scope);
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			st_recognitions_free(v, n);
			return gw_svc_oom(e);
		}
	}
	st_recognitions_free(v, n);
	if ((*out = json_pack("{s:o}", "recognitions", arr)) == NULL)
		return gw_svc_oom(e);
	return GW_SVC_OK;
}
