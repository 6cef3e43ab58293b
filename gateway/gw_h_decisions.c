/*
 * gw_h_decisions.c: GET /v1/decisions?dossier=, /v1/decisions/{id},
 * /v1/decisions/{id}.p7m (DER CMS SignedData), GET /v1/recognitions[?at=],
 * POST and GET /v1/complaints.
 */
#include <stdlib.h>
#include <string.h>

#include "gw_h.h"

int
gw_h_decision_list(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_decision_list(gw_app_of(r)->svc, &a,
	    gw_req_query(r, "dossier"), &out, &e);
	return gw_reply_svc(r, st, out, &e, 200);
}

int
gw_h_decision_get(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_decision_get(gw_app_of(r)->svc, &a, r->params[0], &out,
	    &e);
	return gw_reply_svc(r, st, out, &e, 200);
}

int
gw_h_decision_p7m(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	unsigned char		*der = NULL;
	size_t			 len = 0;
	char			 disp[200];
	int			 rc;

	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_decision_der(gw_app_of(r)->svc, &a, r->params[0], &der,
	    &len, &e);
	if (st != GW_SVC_OK)
		return gw_reply_svc(r, st, NULL, &e, 200);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.p7m\"",
	    r->params[0]);
	gw_reply_header(r, "Content-Disposition", disp);
	rc = gw_reply_bytes(r, 200, "application/pkcs7-mime; "
	    "smime-type=signed-data", der, len);
	free(der);
	return rc;
}

int
gw_h_recognitions(struct gw_req *r)
{
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;
	time_t			 at;

	if (gw_query_time(r, "at", r->now, &at) != 0)
		return 0;
	memset(&e, 0, sizeof(e));
	st = gw_svc_recognition_list(gw_app_of(r)->svc, at, &out, &e);
	return gw_reply_svc(r, st, out, &e, 200);
}

int
gw_h_complaint_create(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	if (gw_body_want_json(r) != 0)
		return 0;
	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_complaint_file(gw_app_of(r)->svc, &a,
	    r->body ? r->body : "", r->len, r->now, &out, &e);
	return gw_reply_svc(r, st, out, &e, 201);
}

int
gw_h_complaint_list(struct gw_req *r)
{
	struct gw_actor		 a;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	json_t			*out = NULL;

	gw_actor_of(r, &a);
	memset(&e, 0, sizeof(e));
	st = gw_svc_complaint_list(gw_app_of(r)->svc, &a,
	    gw_req_query(r, "dossier"), &out, &e);
	return gw_reply_svc(r, st, out, &e, 200);
}
