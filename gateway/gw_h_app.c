/*
 * gw_h_app.c: the handlers' shared state and helpers, and the small
 * endpoints: /healthz, /metrics, /v1/whoami, /v1/admin/config.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_h.h"

struct gw_app *
gw_app_new(struct gw_server *srv, const struct gw_config *cfg, char *err,
    size_t errlen)
{
	struct gw_app		*a, *rc = NULL;
	struct gw_svc_conf	 sc;
	struct gw_revoc_policy	 rp;
	const struct gw_policy	*pol;
	char			 e[512];

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->srv = srv;
	a->cfg = cfg;
	if (cfg->signer_key != NULL) {
		a->signer = gw_signer_load(cfg->signer_key, cfg->signer_cert,
		    e, sizeof(e));
		if (a->signer == NULL) {
			snprintf(err, errlen, "signer: %s", e);
			goto out;
		}
		if (cfg->signer_alg != NULL &&
		    (strcmp(cfg->signer_alg, "sm2") == 0) !=
		    (gw_signer_alg(a->signer) == GW_SIG_SM2)) {
			snprintf(err, errlen, "signer.alg: '%s' but the key "
			    "is %s", cfg->signer_alg,
			    gw_sig_alg_name(gw_signer_alg(a->signer)));
			goto out;
		}
	}
	memset(&sc, 0, sizeof(sc));
	sc.db_path = cfg->store;
	sc.policy_path = cfg->policy;
	sc.profile_dir = cfg->profile_dir;
	sc.tl_cache_dir = cfg->tl_cache;
	sc.signer = a->signer;
	if ((a->svc = gw_svc_open(&sc, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "store: %s", e);
		goto out;
	}
	pol = gw_svc_policy(a->svc);
	memset(&rp, 0, sizeof(rp));
	rp.soft_fail = pol != NULL ? pol->revocation_soft_fail : 0;
	rp.fetch = cfg->revocation_fetch;
	rp.no_private = !cfg->revocation_private;
	rp.prefer_crl = 1;
	if ((a->revoc = gw_revoc_new(&rp)) == NULL ||
	    (a->vc = gw_vcache_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = a;
	a = NULL;
 out:
	gw_app_free(a);
	return rc;
}

void
gw_app_free(struct gw_app *a)
{
	if (a == NULL)
		return;
	gw_vcache_free(a->vc);
	gw_revoc_free(a->revoc);
	gw_svc_close(a->svc);
	gw_signer_free(a->signer);
	free(a);
}

void
gw_app_tick(struct gw_app *a, time_t now)
{
	struct gw_svc_err	 e;
	size_t			 n = 0;

	memset(&e, 0, sizeof(e));
	if (gw_svc_expire(a->svc, now, &n, &e) != GW_SVC_OK)
		fprintf(stderr, "xbrg serve: expiry: %s\n", e.message);
	else if (n > 0)
		fprintf(stderr, "xbrg serve: %zu recognition(s) expired\n", n);
}

void
gw_actor_of(struct gw_req *r, struct gw_actor *a)
{
	a->role = r->who.role;
	a->id = r->who.user != NULL ? r->who.user->name : "public";
	a->tenant = r->who.tenant;
}

int
gw_reply_svc(struct gw_req *r, enum gw_svc_status st, json_t *out,
    const struct gw_svc_err *e, unsigned ok_status)
{
	if (st == GW_SVC_OK)
		return gw_reply_json(r, ok_status, out);
	json_decref(out);
	return gw_reply_error(r, gw_svc_http_status(st),
	    e->code[0] ? e->code : "error", e->field[0] ? e->field : NULL,
	    "%s", e->message[0] ? e->message : "request refused");
}

int
gw_query_time(struct gw_req *r, const char *key, time_t def, time_t *out)
{
	const char	*s;

	if ((s = gw_req_query(r, key)) == NULL) {
		*out = def;
		return 0;
	}
	if (val_time_parse(s, out) != 0) {
		gw_reply_error(r, 400, "bad-time", key, "'%s' is not an RFC "
		    "3339 time (example: 2026-01-01T00:00:00Z)", key);
		return -1;
	}
	return 0;
}

/* snprintf into a new buffer. */
static int
asprintf_like(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
asprintf_like(char **out, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (*out = malloc((size_t)n + 1)) == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(*out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return n;
}

int
gw_h_healthz(struct gw_req *r)
{
	return gw_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int
gw_h_metrics(struct gw_req *r)
{
	char	*text;
	size_t	 len;
	int	 rc;

	struct gw_revoc_stats	 rs;
	char			*all;
	int			 n;

	if ((text = gw_metrics_render(r->srv, &len)) == NULL)
		return -1;
	memset(&rs, 0, sizeof(rs));
	gw_revoc_stats(gw_app_of(r)->revoc, &rs);
	n = asprintf_like(&all, "%s"
	    "# HELP xbrg_revocation_fetches_total CRL and OCSP fetches.\n"
	    "# TYPE xbrg_revocation_fetches_total counter\n"
	    "xbrg_revocation_fetches_total %lu\n"
	    "xbrg_revocation_fetch_errors_total %lu\n"
	    "# HELP xbrg_revocation_cache_hits_total Answers from the fetched "
	    "CRL/OCSP cache.\n"
	    "# TYPE xbrg_revocation_cache_hits_total counter\n"
	    "xbrg_revocation_cache_hits_total %lu\n"
	    "# HELP xbrg_revocation_cached Entries in that cache.\n"
	    "# TYPE xbrg_revocation_cached gauge\n"
	    "xbrg_revocation_cached %lu\n", text, rs.fetches,
	    rs.fetch_errors, rs.cache_hits, rs.cached);
	free(text);
	if (n < 0)
		return -1;
	rc = gw_reply_bytes(r, 200, "text/plain; version=0.0.4", all,
	    (size_t)n);
	free(all);
	return rc;
}

int
gw_h_whoami(struct gw_req *r)
{
	return gw_reply_json(r, 200, json_pack("{s:s, s:s, s:s?, s:s}",
	    "user", r->who.user->name, "role", gw_role_name(r->who.role),
	    "tenant", r->who.tenant, "certificate_sha256", r->who.sha256));
}

int
gw_h_admin_config(struct gw_req *r)
{
	const struct gw_app	*app = gw_app_of(r);
	const struct gw_config	*c = app->cfg;
	json_t			*users, *u, *crls;
	char			 fp[65] = "";
	size_t			 i;

	if ((users = json_array()) == NULL)
		return -1;
	for (i = 0; i < c->nusers; i++) {
		u = json_pack("{s:s, s:s, s:s?, s:s?, s:s?}",
		    "name", c->users[i].name,
		    "role", gw_role_name(c->users[i].role),
		    "tenant", c->users[i].tenant,
		    "sha256", c->users[i].sha256,
		    "subject", c->users[i].subject);
		if (u == NULL || json_array_append_new(users, u) != 0) {
			json_decref(users);
			return -1;
		}
	}
	if ((crls = json_array()) == NULL) {
		json_decref(users);
		return -1;
	}
	for (i = 0; i < c->ncrls; i++)
		if (json_array_append_new(crls, json_string(c->crls[i])) != 0) {
			json_decref(users);
			json_decref(crls);
			return -1;
		}
	if (app->signer != NULL)
		val_cert_sha256_hex(gw_signer_cert(app->signer), fp);
	/* Paths, fingerprints and limits only: never key material.  Unset
	 * optional paths say which default is in force. */
	return gw_reply_json(r, 200, json_pack("{s:{s:s, s:i}, s:b, "
	    "s:{s:s?, s:s?, s:o}, s:o, "
	    "s:s, s:s, s:s, s:s?, s:{s:s?, s:s?, s:s?}, s:b, s:b, "
	    "s:{s:I, s:i, s:i, s:I, s:i}}",
	    "listen", "address", c->address, "port",
	    (int)gw_server_port(r->srv),
	    "plain_http", c->plain_http,
	    "tls", "cert", c->tls_cert, "client_ca", c->client_ca,
	    "client_crls", crls,
	    "users", users,
	    "store", c->store,
	    "policy", c->policy != NULL ? c->policy :
	    "(default: policy.json in the profile folder)",
	    "profile_dir", c->profile_dir != NULL ? c->profile_dir :
	    "(default: $XBRG_PROFILE_DIR, else profiles/ of the source tree)",
	    "trust_list_cache", c->tl_cache,
	    "signer", "cert", c->signer_cert,
	    "alg", app->signer ? gw_sig_alg_name(gw_signer_alg(app->signer)) :
	    NULL, "cert_sha256", fp[0] ? fp : NULL,
	    "revocation_fetch", c->revocation_fetch,
	    "revocation_fetch_private", c->revocation_private,
	    "limits", "max_body", (json_int_t)c->max_body,
	    "connection_timeout", (int)c->conn_timeout,
	    "max_connections", (int)c->max_conn,
	    "connection_memory", (json_int_t)c->conn_memory,
	    "threads", (int)c->threads));
}
