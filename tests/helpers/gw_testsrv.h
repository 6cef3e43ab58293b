/*
 * gw_testsrv.h: end-to-end test helpers for `xbrg serve`: start the real
 * binary ($XBRG) as a subprocess on port 0 with a generated configuration
 * over the PKI of fixtures/gen-40-demo.sh ($FIXTURES/http), read the port
 * back from its first line, stop or kill it; and a libcurl client that
 * presents a role's client certificate.
 */
#ifndef GW_TESTSRV_H
#define GW_TESTSRV_H

#include <sys/types.h>
#include <stddef.h>

#include <jansson.h>

struct gw_testsrv_opts {
	int		 plain;		/* plain HTTP on loopback, no TLS */
	unsigned	 conn_timeout;	/* seconds; 0: 5 */
	const char	*signer;	/* "sm2" (default) or "ecdsa" */
	const char	*extra;		/* more top-level members, JSON text
					 * without braces, or NULL */
	size_t		 max_body;	/* 0: the server's default */
	int		 own_crl;	/* client CRL copied to dir/client-crl.pem
					 * (tests replace it and send SIGHUP) */
};

struct gw_testsrv {
	pid_t		 pid;
	unsigned	 port;
	int		 plain;
	char		 dir[256];	/* config, store, log */
	char		 pki[512];	/* $FIXTURES/http, absolute */
	char		 base[64];	/* "https://127.0.0.1:PORT" */
	char		 log[300];	/* the server's stderr */
	char		 config[300];
};

/* Returns 1 when $XBRG and $FIXTURES/http are there (else tests skip). */
int	gw_testsrv_available(void);
/* Writes the config into a new temporary folder and starts the server.
 * Returns 0, or -1 with a message on stderr. */
int	gw_testsrv_start(struct gw_testsrv *, const struct gw_testsrv_opts *);
/* Starts the server again on the same folder (same store). */
int	gw_testsrv_restart(struct gw_testsrv *);
/* SIGTERM and wait; returns the exit status (0 on a clean stop). */
int	gw_testsrv_stop(struct gw_testsrv *);
/* SIGKILL and wait. */
void	gw_testsrv_kill9(struct gw_testsrv *);
/* Removes the temporary folder. */
void	gw_testsrv_cleanup(struct gw_testsrv *);

struct gw_resp {
	long		 status;	/* 0: transport failure */
	char		*body;		/* NUL-terminated */
	size_t		 len;
	char		 ctype[128];
	char		 reqid[64];
	char		 allow[64];
	char		 error[256];	/* curl's message on failure */
	json_t		*json;		/* parsed body when JSON, else NULL */
};

/*
 * One request.  who names a client certificate of $FIXTURES/http
 * ("reviewer-a"), or NULL for none.  ctype may be NULL (no body type).
 * Returns 0 when a reply came (any status), -1 on transport failure.
 */
int	gw_http(const struct gw_testsrv *, const char *who, const char *method,
	    const char *path, const char *ctype, const void *body, size_t len,
	    struct gw_resp *out);
/* A JSON request: body is serialised, ctype application/json. */
int	gw_http_json(const struct gw_testsrv *, const char *who,
	    const char *method, const char *path, json_t *body,
	    struct gw_resp *out);
void	gw_resp_free(struct gw_resp *);
/* The "error.code" of a JSON error body, or "". */
const char *gw_resp_error_code(const struct gw_resp *);

/* Reads a whole file into a NUL-terminated buffer; NULL on failure. */
char	*gw_test_read(const char *path, size_t *len);
/* Counts lines of the server log containing needle. */
int	 gw_testsrv_log_count(const struct gw_testsrv *, const char *needle);

#endif /* GW_TESTSRV_H */
