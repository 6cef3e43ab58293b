/*
 * gw_h_app.c: the handlers' shared state, and the small endpoints:
 * /healthz, /metrics, /v1/whoami, /v1/admin/config.
 */
#include <stdlib.h>
#include <string.h>

#include "gw_h.h"

struct gw_app *
gw_app_new(struct gw_server *srv, const struct gw_config *cfg, char *err,
    size_t errlen)
{
	struct gw_app	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->srv = srv;
	a->cfg = cfg;
	return a;
}

void
gw_app_free(struct gw_app *a)
{
	if (a == NULL)
		return;
	free(a);
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

	if ((text = gw_metrics_render(r->srv, &len)) == NULL)
		return -1;
	rc = gw_reply_bytes(r, 200, "text/plain; version=0.0.4", text, len);
	free(text);
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
	const struct gw_config	*c = gw_app_of(r)->cfg;
	json_t			*users, *u;
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
	/* Paths and limits only: never key material. */
	return gw_reply_json(r, 200, json_pack("{s:{s:s, s:i}, s:b, s:o, "
	    "s:s, s:s?, s:s?, s:s?, s:{s:s?, s:s}, s:b, s:{s:I, s:i, s:i, "
	    "s:I, s:i}}",
	    "listen", "address", c->address, "port", (int)gw_server_port(r->srv),
	    "plain_http", c->plain_http,
	    "users", users,
	    "store", c->store,
	    "policy", c->policy,
	    "profile_dir", c->profile_dir,
	    "trust_list_cache", c->tl_cache,
	    "signer", "cert", c->signer_cert,
	    "alg", c->signer_alg ? c->signer_alg : "sm2",
	    "revocation_fetch", c->revocation_fetch,
	    "limits", "max_body", (json_int_t)c->max_body,
	    "connection_timeout", (int)c->conn_timeout,
	    "max_connections", (int)c->max_conn,
	    "connection_memory", (json_int_t)c->conn_memory,
	    "threads", (int)c->threads));
}
