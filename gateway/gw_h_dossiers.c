/*
 * gw_h_dossiers.c: POST/GET/PUT /v1/dossiers[/{id}], GET /v1/dossiers?
 * status=, POST /v1/dossiers/{id}/reviews.  Decoding, the checks, the
 * lifecycle, tenants and four-eyes are the service's (gw_svc.h); these
 * handlers pass the caller, the body and the request time, and render the
 * answer.  Bodies reach the service raw: it decodes them (duplicate keys
 * and unknown fields rejected, naming the field).
 */
#include <stdio.h>
#include <string.h>

#include "gw_h.h"

int
gw_h_dossier_create(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;
	const char		*id;
	char			 loc[128];

	if (gw_body_want_json(r) != 0)
		return 0;
	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_dossier_submit(gw_app_of(r)->svc, &a,
	    r->body ? r->body : "", r->len, r->now, &out, &e);
	if (st == GW_SVC_OK &&
	    (id = json_string_value(json_object_get(out, "id"))) != NULL) {
		snprintf(loc, sizeof(loc), "/v1/dossiers/%s", id);
		gw_reply_header(r, "Location", loc);
	}
	return gw_reply_svc(r, st, out, &e, 201);
}

int
gw_h_dossier_get(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_dossier_get(gw_app_of(r)->svc, &a, r->params[0], &out,
	    &e);
	return gw_reply_svc(r, st, out, &e, 200);
}

int
gw_h_dossier_amend(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	if (gw_body_want_json(r) != 0)
		return 0;
	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_dossier_amend(gw_app_of(r)->svc, &a, r->params[0],
	    r->body ? r->body : "", r->len, r->now, &out, &e);
	return gw_reply_svc(r, st, out, &e, 200);
}

int
gw_h_dossier_list(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_dossier_list(gw_app_of(r)->svc, &a,
	    gw_req_query(r, "status"), &out, &e);
	return gw_reply_svc(r, st, out, &e, 200);
}

int
gw_h_review(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	if (gw_body_want_json(r) != 0)
		return 0;
	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_review(gw_app_of(r)->svc, &a, r->params[0],
	    r->body ? r->body : "", r->len, r->now, &out, &e);
	if (st == GW_SVC_OK)
		r->verdict = "reviewed";
	return gw_reply_svc(r, st, out, &e, 200);
}
