/*
 * gw_h.h: what the endpoint handlers (gw_h_*.c) share: the application
 * state the server owns for them (services, caches).
 */
#ifndef GW_H_H
#define GW_H_H

#include "gw_http.h"

struct gw_app {
	struct gw_server	*srv;
	const struct gw_config	*cfg;
};

/* Opens the services named in cfg.  Returns an owned app or NULL with a
 * message in err. */
struct gw_app	*gw_app_new(struct gw_server *, const struct gw_config *,
		    char *err, size_t errlen);
void		 gw_app_free(struct gw_app *);	/* NULL-safe */

static inline struct gw_app *
gw_app_of(struct gw_req *r)
{
	return gw_server_svc(r->srv);
}

#endif /* GW_H_H */
