/*
 * gw_http.h: the HTTP layer of `xbrg serve`, internal to gateway/.
 *
 * gw_config.c  reads the JSON configuration file.
 * gw_http.c    runs the libmicrohttpd daemon: request state, bodies,
 *              authentication, access log, metrics.
 * gw_route.c   the route table (data), matched first to last.
 * gw_body.c    JSON request bodies (duplicate keys rejected).
 * gw_reply.c   JSON replies and the one error body shape.
 * gw_auth.c    client certificates -> role and tenant.
 * gw_h_*.c     one file per family of endpoints.
 *
 * Only gw_* reads the clock: the time of a request is taken once, when it
 * arrives (req->now), and passed down.
 */
#ifndef GW_HTTP_H
#define GW_HTTP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "gw.h"
#include "gw_svc.h"

/* Hard limits, kept together for review. */
#define GW_MAX_CONFIG_BYTES	(256 * 1024)
#define GW_MAX_USERS		1024
#define GW_MAX_CRL_FILES	64
#define GW_MAX_BODY_VALIDATE	(1024 * 1024)
#define GW_MAX_BODY_HARD	(8 * 1024 * 1024) /* config may not exceed */
#define GW_DEF_CONN_TIMEOUT	30	/* seconds idle before close */
#define GW_DEF_MAX_CONN		512
#define GW_DEF_CONN_MEMORY	(32 * 1024) /* request line and headers */
#define GW_MAX_THREADS		64
#define GW_TICK_SECONDS		60	/* housekeeping period */
#define GW_MAX_PATH_PARAMS	2
#define GW_MAX_PATH		1024	/* bytes of a request path */
#define GW_MAX_QUERY_VALUE	256
#define GW_MAX_REPLY_HEADERS	4
#define GW_AUTH_CACHE_SLOTS	256	/* verified client certificates */
#define GW_AUTH_CACHE_TTL	300	/* seconds a verified cert is trusted */
#define GW_AUTH_MAX_PEER	8	/* certificates of a client chain */

/* Roles (enum gw_role, gw_svc.h) as bits, so that a route can allow
 * several. */
#define GW_RB(role)	(1u << (role))

/* One configured user: a client certificate (by SHA-256 of its DER, or by
 * subject in RFC 2253 form) mapped to a role and, for submitters, the
 * tenant (the foreign CA) it acts for. */
struct gw_user {
	char		*name;		/* "reviewer-a": audit and logs */
	char		*sha256;	/* 64 lower-case hex, or NULL */
	char		*subject;	/* RFC 2253, or NULL */
	enum gw_role	 role;
	char		*tenant;	/* submitters: required; others NULL */
};

struct gw_config {
	char		*dir;		/* folder of the file: base of paths */
	char		*address;	/* listen address, "127.0.0.1" */
	unsigned	 port;		/* 0: any */
	int		 plain_http;	/* no TLS: loopback only, loud */
	char		*tls_cert;	/* server certificate chain, PEM */
	char		*tls_key;	/* its key, PEM */
	char		*client_ca;	/* CA(s) issuing client certs, PEM */
	char		**crls;		/* CRL files for client certs */
	size_t		 ncrls;
	struct gw_user	*users;
	size_t		 nusers;
	char		*store;		/* SQLite file */
	char		*policy;	/* policy file (store/validation) */
	char		*profile_dir;
	char		*tl_cache;	/* trust lists' verified cache */
	char		*signer_key;	/* decision signer */
	char		*signer_cert;
	char		*signer_alg;	/* "sm2" (default) or "ecdsa" */
	size_t		 max_body;	/* cap over every route's own cap */
	unsigned	 conn_timeout;
	unsigned	 max_conn;
	size_t		 conn_memory;
	unsigned	 threads;	/* 0: one per core */
	int		 revocation_fetch; /* fetch CRL/OCSP over network */
	int		 revocation_private; /* may fetch from loopback/private */
};

/*
 * Reads and checks the configuration file.  Unknown keys are errors, and
 * relative paths are resolved against the file's folder.  Returns an owned
 * config (pass to gw_config_free()) or NULL with a message in err.
 */
struct gw_config *gw_config_load(const char *path, char *err, size_t errlen);
void		 gw_config_free(struct gw_config *);	/* NULL-safe */
/* Reads a whole text file, NUL-terminated, with a cap.  Returns 0 and an
 * owned string, or -1 with a message naming the file. */
int		 gw_read_text(const char *path, size_t cap, char **out,
		    char *err, size_t errlen);
/* Returns 1 when addr names a loopback address. */
int		 gw_addr_is_loopback(const char *addr);

/* Who made a request. Pointers borrow from the config. */
struct gw_principal {
	const struct gw_user	*user;	/* NULL: anonymous */
	enum gw_role		 role;	/* GW_ROLE_PUBLIC: anonymous */
	const char		*tenant;
	char			 sha256[65]; /* of the client cert, or "" */
};

struct gw_auth;
/*
 * Loads the client CA and CRLs named in cfg.  Returns an owned verifier or
 * NULL with a message in err.  With plain HTTP (no TLS) it still loads and
 * then refuses every certificate-protected request.
 */
struct gw_auth	*gw_auth_new(const struct gw_config *, char *err,
		    size_t errlen);
void		 gw_auth_free(struct gw_auth *);	/* NULL-safe */
/*
 * Checks a client certificate chain (DER, leaf first, as the TLS peer sent
 * it) at time now: path to the configured client CA with CRLs, then the
 * role mapping.  Returns 0 and fills who, or -1 with a short reason in
 * why (static string).  Thread-safe; verified results are cached.
 */
int		 gw_auth_check(struct gw_auth *, const unsigned char *const *der,
		    const size_t *derlen, size_t n, time_t now,
		    struct gw_principal *who, const char **why);
/* Reads the configured CRL files again (SIGHUP) and forgets every
 * verified certificate.  Returns 0, or -1 with a message (the old CRLs
 * stay in force). */
int		 gw_auth_reload_crls(struct gw_auth *, char *err, size_t errlen);
/* Cache statistics for /metrics. */
void		 gw_auth_stats(struct gw_auth *, uint64_t *hits,
		    uint64_t *misses);

struct gw_server;
struct gw_req;

/* A route handler renders exactly one reply with gw_reply_*() and returns
 * 0, or returns -1 having replied nothing (then the client gets a 500). */
typedef int	(*gw_handler)(struct gw_req *);

struct gw_route {
	const char	*method;
	const char	*pattern;	/* "/v1/dossiers/{}", "/v1/d/{}.p7m" */
	unsigned	 roles;		/* 0: public; else GW_RB() bits */
	size_t		 max_body;	/* 0: no body accepted */
	gw_handler	 fn;
	const char	*name;		/* metrics label */
};

/* Handlers (gw_h_*.c). */
int	gw_h_dossier_create(struct gw_req *);
int	gw_h_dossier_list(struct gw_req *);
int	gw_h_dossier_get(struct gw_req *);
int	gw_h_dossier_amend(struct gw_req *);
int	gw_h_review(struct gw_req *);
int	gw_h_decision_list(struct gw_req *);
int	gw_h_decision_get(struct gw_req *);
int	gw_h_decision_p7m(struct gw_req *);
int	gw_h_recognitions(struct gw_req *);
int	gw_h_validate(struct gw_req *);
int	gw_h_complaint_create(struct gw_req *);
int	gw_h_complaint_list(struct gw_req *);
int	gw_h_healthz(struct gw_req *);
int	gw_h_metrics(struct gw_req *);
int	gw_h_whoami(struct gw_req *);
int	gw_h_admin_config(struct gw_req *);

/* The table itself and its size (gw_route.c). */
extern const struct gw_route gw_routes[];
extern const size_t gw_nroutes;

/*
 * Matches method and path.  Returns the route, or NULL with *status 404
 * (unknown path) or 405 (known path, other method; allow then lists the
 * methods, comma-separated).  Captured segments are copied into params
 * (GW_MAX_PATH_PARAMS, each at most parsz bytes).
 */
const struct gw_route *gw_route_match(const char *method, const char *path,
		    char params[][128], int *status, char *allow,
		    size_t allowsz);
/* Index of r in gw_routes (for metrics), gw_nroutes for none. */
size_t		 gw_route_index(const struct gw_route *);

/* Per-request state: allocated on the first call, freed only when the
 * request completes (MHD_OPTION_NOTIFY_COMPLETED). */
struct gw_req {
	struct gw_server	*srv;
	void			*conn;	/* struct MHD_Connection */
	char			 id[24];
	const char		*method;	/* borrowed from MHD */
	char			 path[GW_MAX_PATH + 1];
	const struct gw_route	*route;
	char			 params[GW_MAX_PATH_PARAMS][128];
	char			*body;
	size_t			 len;
	size_t			 cap;
	size_t			 max;
	int			 too_big;
	int			 started;	/* first call done */
	int			 replied;
	int			 status;
	const char		*verdict;	/* static, for the log */
	struct gw_principal	 who;
	time_t			 now;		/* wall clock, at arrival */
	struct timespec		 t0;		/* monotonic, at arrival */
	char			 hname[GW_MAX_REPLY_HEADERS][32];
	char			 hval[GW_MAX_REPLY_HEADERS][256];
	size_t			 nhdr;
};

/* Query argument of the request, or NULL. Borrowed. */
const char	*gw_req_query(struct gw_req *, const char *key);
/* Request header, or NULL. Borrowed. */
const char	*gw_req_header(struct gw_req *, const char *key);
/* The server's services (opaque to the HTTP layer). */
struct gw_server_ctx;

/* Replies (gw_reply.c).  Each returns 0 when queued, -1 when not. */
int		 gw_reply_json(struct gw_req *, unsigned status, json_t *v);
int		 gw_reply_bytes(struct gw_req *, unsigned status,
		    const char *ctype, const void *buf, size_t len);
int		 gw_reply_error(struct gw_req *, unsigned status,
		    const char *code, const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* v as compact JSON, the text json_dumps(JSON_COMPACT) gives, with room
 * for two more bytes.  Returns an owned string and its length, or NULL. */
char		*gw_json_compact(json_t *, size_t *len);
/* Adds a header to the next reply of this request (Allow, Location). */
int		 gw_reply_header(struct gw_req *, const char *name,
		    const char *value);

/*
 * Bodies (gw_body.c).  Parses the collected body as one JSON object with
 * duplicate keys rejected.  Returns an owned object, or NULL having
 * replied 400 (naming line and column) or 415.
 */
json_t		*gw_body_json(struct gw_req *);
/*
 * The hot path's scanner for one object of ASCII strings and arrays of
 * strings.  Returns an owned object, or NULL when the body is not of that
 * simple shape (then use gw_body_json(), which judges it).  Replies
 * nothing.
 */
json_t		*gw_body_json_fast(const char *, size_t);
/* Checks that the body is application/json.  Returns 0, or -1 having
 * replied 415.  For bodies the service layer decodes itself. */
int		 gw_body_want_json(struct gw_req *);
/* Checks that obj has only the listed keys (NULL-terminated).  Returns 0,
 * or -1 having replied 400 naming the first unknown field. */
int		 gw_body_only(struct gw_req *, json_t *obj,
		    const char *const *keys);
/* Gets a string member; required or not.  Returns 0 with *out (borrowed,
 * NULL when absent and optional), or -1 having replied 400/422. */
int		 gw_body_str(struct gw_req *, json_t *obj, const char *key,
		    int required, const char **out);

/* Metrics (gw_http.c). */
enum gw_cache {
	GW_CACHE_AUTH,
	GW_CACHE_CHAIN,
	GW_CACHE_REVOC,
	GW_CACHE_RECOG,
	GW_CACHE_N
};
void		 gw_metrics_cache(struct gw_server *, enum gw_cache, int hit);
/* Renders the Prometheus text exposition.  Returns owned text or NULL. */
char		*gw_metrics_render(struct gw_server *, size_t *len);

/* The running service. */
struct gw_server_opts {
	unsigned	 port_override;	/* used when has_port */
	int		 has_port;
};

/*
 * Starts the daemon on cfg (borrowed for the server's lifetime).  Returns
 * an owned server or NULL with a message in err.
 */
struct gw_server *gw_server_start(struct gw_config *, const struct
		    gw_server_opts *, char *err, size_t errlen);
unsigned	 gw_server_port(const struct gw_server *);
/* SIGHUP: reloads the client-certificate CRLs.  Returns 0 or -1 with a
 * message. */
int		 gw_server_reload(struct gw_server *, char *err, size_t errlen);
/* Periodic housekeeping at time now (expiry of recognitions). */
void		 gw_server_tick(struct gw_server *, time_t now);
/* Stops the daemon, waits for requests in flight, frees. NULL-safe. */
void		 gw_server_stop(struct gw_server *);
/* The loaded configuration and services, for handlers. */
const struct gw_config *gw_server_config(const struct gw_server *);
void		*gw_server_svc(const struct gw_server *);

#endif /* GW_HTTP_H */
