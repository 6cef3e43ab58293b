/*
 * gw_h.h: what the endpoint handlers (gw_h_*.c) share: the application
 * state the server owns for them (services, signer, revocation, caches)
 * and small helpers to turn service answers into replies.
 */
#ifndef GW_H_H
#define GW_H_H

#include <pthread.h>

#include "gw_http.h"

/* Hot-path caches of /v1/validate (gw_h_validate.c). */
#define GW_CERT_CACHE_SLOTS	1024	/* parsed certificates by PEM hash */
#define GW_CHAIN_CACHE_SLOTS	512	/* validated paths */
#define GW_SUP_CACHE_SLOTS	128	/* supplied CRL/OCSP sets */
#define GW_MAX_VALIDATE_CHAIN	10	/* certificates in one request */

struct gw_vcache;	/* gw_h_validate.c */

struct gw_app {
	struct gw_server	*srv;
	const struct gw_config	*cfg;
	struct gw_signer	*signer;
	struct gw_svc		*svc;
	struct gw_revoc		*revoc;
	struct gw_vcache	*vc;
};

/* Opens the services named in cfg.  Returns an owned app or NULL with a
 * message in err. */
struct gw_app	*gw_app_new(struct gw_server *, const struct gw_config *,
		    char *err, size_t errlen);
void		 gw_app_free(struct gw_app *);	/* NULL-safe */
/* Housekeeping: expires recognitions whose end date passed. */
void		 gw_app_tick(struct gw_app *, time_t now);

struct gw_vcache *gw_vcache_new(void);
void		 gw_vcache_free(struct gw_vcache *);	/* NULL-safe */

static inline struct gw_app *
gw_app_of(struct gw_req *r)
{
	return gw_server_svc(r->srv);
}

/* The caller as the service layer sees it. */
void		 gw_actor_of(struct gw_req *, struct gw_actor *);
/*
 * Replies with a service answer: out (stolen) with ok_status on
 * GW_SVC_OK, else the mapped status and the error body.  Returns 0 when
 * a reply was queued.
 */
int		 gw_reply_svc(struct gw_req *, enum gw_svc_status, json_t *out,
		    const struct gw_svc_err *, unsigned ok_status);
/* Reads an optional RFC 3339 query argument; default def.  Returns 0, or
 * -1 having replied 400. */
int		 gw_query_time(struct gw_req *, const char *key, time_t def,
		    time_t *out);

#endif /* GW_H_H */
