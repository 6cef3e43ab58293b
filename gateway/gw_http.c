/*
 * gw_http.c: the libmicrohttpd daemon of `xbrg serve`.
 *
 * Request lifecycle (libmicrohttpd's post_example.c, Taler's exchange):
 * the first call allocates per-request state, matches the route and
 * refuses an oversize Content-Length (413) or a wrong Content-Type (415);
 * later calls append body chunks under the route's cap; the final call
 * authenticates, runs the handler once and queues its one reply.  Replies
 * to successful requests are queued on a later call, never the first: on
 * 0.9.75 a reply queued in the first call makes MHD close the connection.
 * State is freed only in the NOTIFY_COMPLETED callback, which also writes
 * the access-log line and the metrics.
 *
 * Threads: MHD_USE_POLL_INTERNAL_THREAD with a pool of one thread per core
 * (the fastest mode measured with TLS on this stack).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <openssl/rand.h>

#include "gw_http.h"
#include "gw_h.h"

/* Status codes counted one by one; the rest fall in "other". */
static const unsigned statuses[] = { 200, 201, 400, 401, 403, 404, 405,
    409, 413, 415, 422, 500, 503 };
#define NSTATUS		(sizeof(statuses) / sizeof(statuses[0]) + 1)
/* Latency histogram bucket bounds, microseconds. */
static const unsigned buckets_us[] = { 250, 500, 1000, 2500, 5000, 10000,
    20000, 50000, 100000, 250000, 1000000 };
#define NBUCKET		(sizeof(buckets_us) / sizeof(buckets_us[0]) + 1)

static const char *const cache_names[GW_CACHE_N] = { "auth", "chain",
    "revocation", "recognition" };

struct gw_metrics {
	atomic_uint_fast64_t	*count;	/* [route][status] */
	atomic_uint_fast64_t	*hist;	/* [route][bucket] */
	atomic_uint_fast64_t	*sum_us;	/* [route] */
	atomic_uint_fast64_t	 cache[GW_CACHE_N][2];	/* misses, hits */
	atomic_uint_fast64_t	 in_flight;
};

struct gw_server {
	struct gw_config	*cfg;
	struct MHD_Daemon	*d;
	char			*tls_cert;	/* PEM, alive while d runs */
	char			*tls_key;
	char			*client_ca;
	struct gw_auth		*auth;
	struct gw_app		*app;
	unsigned		 port;
	uint32_t		 boot;		/* request id prefix */
	atomic_uint_fast64_t	 seq;
	struct gw_metrics	 m;
	time_t			 started;
};

const struct gw_config *
gw_server_config(const struct gw_server *s)
{
	return s->cfg;
}

void *
gw_server_svc(const struct gw_server *s)
{
	return s->app;
}

unsigned
gw_server_port(const struct gw_server *s)
{
	return s->port;
}

const char *
gw_req_query(struct gw_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    key);
}

const char *
gw_req_header(struct gw_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

void
gw_metrics_cache(struct gw_server *s, enum gw_cache c, int hit)
{
	atomic_fetch_add(&s->m.cache[c][hit ? 1 : 0], 1);
}

static size_t
status_slot(unsigned st)
{
	size_t	 i;

	for (i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == st)
			return i;
	return NSTATUS - 1;
}

/* Appends to a growing buffer; returns -1 on overflow of memory. */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 oom;
};

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*np;
	size_t	 ncap;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += n;
			return;
		}
		ncap = b->cap * 2 + n + 1;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
}

char *
gw_metrics_render(struct gw_server *s, size_t *len)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	size_t		 i, j, nr = gw_nroutes + 1;
	uint64_t	 v, cum, hits, misses;
	const char	*name;

	if ((b.p = malloc(8192)) == NULL)
		return NULL;
	b.cap = 8192;
	sb_printf(&b, "# HELP xbrg_http_requests_total HTTP requests by "
	    "route and status.\n# TYPE xbrg_http_requests_total counter\n");
	for (i = 0; i < nr; i++) {
		name = i < gw_nroutes ? gw_routes[i].name : "unmatched";
		for (j = 0; j < NSTATUS; j++) {
			v = atomic_load(&s->m.count[i * NSTATUS + j]);
			if (v == 0)
				continue;
			if (j < NSTATUS - 1)
				sb_printf(&b, "xbrg_http_requests_total{route="
				    "\"%s\",status=\"%u\"} %" PRIu64 "\n",
				    name, statuses[j], v);
			else
				sb_printf(&b, "xbrg_http_requests_total{route="
				    "\"%s\",status=\"other\"} %" PRIu64 "\n",
				    name, v);
		}
	}
	sb_printf(&b, "# HELP xbrg_http_request_duration_seconds Time from "
	    "request arrival to reply sent.\n"
	    "# TYPE xbrg_http_request_duration_seconds histogram\n");
	for (i = 0; i < nr; i++) {
		name = i < gw_nroutes ? gw_routes[i].name : "unmatched";
		cum = 0;
		for (j = 0; j < NBUCKET; j++)
			cum += atomic_load(&s->m.hist[i * NBUCKET + j]);
		if (cum == 0)
			continue;
		cum = 0;
		for (j = 0; j < NBUCKET; j++) {
			cum += atomic_load(&s->m.hist[i * NBUCKET + j]);
			if (j < NBUCKET - 1)
				sb_printf(&b, "xbrg_http_request_duration_"
				    "seconds_bucket{route=\"%s\",le=\"%g\"} %"
				    PRIu64 "\n", name, buckets_us[j] / 1e6,
				    cum);
			else
				sb_printf(&b, "xbrg_http_request_duration_"
				    "seconds_bucket{route=\"%s\",le=\"+Inf\"} "
				    "%" PRIu64 "\n", name, cum);
		}
		sb_printf(&b, "xbrg_http_request_duration_seconds_sum{route="
		    "\"%s\"} %.6f\n", name,
		    atomic_load(&s->m.sum_us[i]) / 1e6);
		sb_printf(&b, "xbrg_http_request_duration_seconds_count{route="
		    "\"%s\"} %" PRIu64 "\n", name, cum);
	}
	gw_auth_stats(s->auth, &hits, &misses);
	s->m.cache[GW_CACHE_AUTH][1] = hits;
	s->m.cache[GW_CACHE_AUTH][0] = misses;
	sb_printf(&b, "# HELP xbrg_cache_lookups_total Cache lookups by cache "
	    "and result.\n# TYPE xbrg_cache_lookups_total counter\n");
	for (i = 0; i < GW_CACHE_N; i++) {
		sb_printf(&b, "xbrg_cache_lookups_total{cache=\"%s\","
		    "result=\"hit\"} %" PRIu64 "\n", cache_names[i],
		    (uint64_t)atomic_load(&s->m.cache[i][1]));
		sb_printf(&b, "xbrg_cache_lookups_total{cache=\"%s\","
		    "result=\"miss\"} %" PRIu64 "\n", cache_names[i],
		    (uint64_t)atomic_load(&s->m.cache[i][0]));
	}
	sb_printf(&b, "# HELP xbrg_http_requests_in_flight Requests being "
	    "served.\n# TYPE xbrg_http_requests_in_flight gauge\n"
	    "xbrg_http_requests_in_flight %" PRIu64 "\n",
	    (uint64_t)atomic_load(&s->m.in_flight));
	sb_printf(&b, "# HELP xbrg_start_time_seconds Start time of the "
	    "process.\n# TYPE xbrg_start_time_seconds gauge\n"
	    "xbrg_start_time_seconds %lld\n", (long long)s->started);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

/* JSON-escapes s into out (always terminated, truncated to fit). */
static void
log_escape(char *out, size_t outsz, const char *s)
{
	size_t		 o = 0;
	unsigned char	 c;

	for (; *s != '\0' && o + 7 < outsz; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = c;
		} else if (c < 0x20 || c >= 0x7f)
			o += snprintf(out + o, outsz - o, "\\u%04x", c);
		else
			out[o++] = c;
	}
	out[o] = '\0';
}

static void
access_log(struct gw_server *s, struct gw_req *r, uint64_t us,
    int completed)
{
	char	 line[2048], path[GW_MAX_PATH + 1], ts[VAL_TIME_LEN];
	int	 n;

	log_escape(path, sizeof(path) / 2, r->path);
	val_time_format(r->now, ts);
	n = snprintf(line, sizeof(line), "{\"ts\":\"%s\",\"id\":\"%s\","
	    "\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,"
	    "\"role\":\"%s\",\"user\":%s%s%s,\"verdict\":%s%s%s,"
	    "\"ms\":%.3f%s}\n",
	    ts, r->id, r->method != NULL ? r->method : "?", path, r->status,
	    gw_role_name(r->who.role),
	    r->who.user ? "\"" : "", r->who.user ? r->who.user->name : "null",
	    r->who.user ? "\"" : "",
	    r->verdict ? "\"" : "", r->verdict ? r->verdict : "null",
	    r->verdict ? "\"" : "", us / 1000.0,
	    completed ? "" : ",\"aborted\":true");
	if (n > 0) {
		if ((size_t)n >= sizeof(line))
			n = sizeof(line) - 1;
		/* One write(2): lines from pool threads do not interleave. */
		(void)!write(STDERR_FILENO, line, n);
	}
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct gw_server	*s = cls;
	struct gw_req		*r = *req_cls;
	struct timespec		 t1;
	uint64_t		 us;
	size_t			 ri, j;

	if (r == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (uint64_t)(t1.tv_sec - r->t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - r->t0.tv_nsec) / 1000;
	if (!r->replied)
		r->status = 0;
	ri = gw_route_index(r->route);
	atomic_fetch_add(&s->m.count[ri * NSTATUS + status_slot(r->status)],
	    1);
	for (j = 0; j < NBUCKET - 1; j++)
		if (us <= buckets_us[j])
			break;
	atomic_fetch_add(&s->m.hist[ri * NBUCKET + j], 1);
	atomic_fetch_add(&s->m.sum_us[ri], us);
	atomic_fetch_sub(&s->m.in_flight, 1);
	access_log(s, r, us, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	free(r->body);
	free(r);
	*req_cls = NULL;
}

/* Reads the client certificate chain off the TLS session and maps it to a
 * principal.  Returns 0, or -1 having replied 401 (when required) or left
 * the caller anonymous (when not: public routes). */
static int
authenticate(struct gw_server *s, struct gw_req *r, int required)
{
	const union MHD_ConnectionInfo	*ci;
	const gnutls_datum_t		*peers;
	const unsigned char		*der[GW_AUTH_MAX_PEER];
	size_t				 len[GW_AUTH_MAX_PEER];
	unsigned int			 n = 0, i;
	const char			*why = "no client certificate";

	if (s->cfg->plain_http) {
		if (required)
			gw_reply_error(r, 401, "unauthenticated", NULL, "this "
			    "route needs a client certificate, and the server "
			    "runs plain HTTP (demo mode)");
		return -1;
	}
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (ci != NULL && ci->tls_session != NULL)
		peers = gnutls_certificate_get_peers(ci->tls_session, &n);
	else
		peers = NULL;
	if (peers == NULL || n == 0)
		goto deny;
	if (n > GW_AUTH_MAX_PEER)
		n = GW_AUTH_MAX_PEER;
	for (i = 0; i < n; i++) {
		der[i] = peers[i].data;
		len[i] = peers[i].size;
	}
	if (gw_auth_check(s->auth, der, len, n, r->now, &r->who, &why) == 0)
		return 0;
 deny:
	memset(&r->who, 0, sizeof(r->who));
	r->who.role = GW_ROLE_PUBLIC;
	if (required)
		gw_reply_error(r, 401, "unauthenticated", NULL,
		    "client certificate refused: %s", why);
	return -1;
}

/* Accepts "application/json" with optional parameters. */
static int
ctype_is_json(const char *ct)
{
	size_t	 n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* The first call for a request: state, route, early refusals. */
static enum MHD_Result
first_call(struct gw_server *s, struct MHD_Connection *c, const char *url,
    const char *method, void **req_cls)
{
	struct gw_req	*r;
	const char	*cl, *te;
	char		 allow[64], *end;
	unsigned long long n = 0;
	int		 st;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return MHD_NO;
	*req_cls = r;
	atomic_fetch_add(&s->m.in_flight, 1);
	r->srv = s;
	r->conn = c;
	r->method = method;
	r->now = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	snprintf(r->id, sizeof(r->id), "%08" PRIx32 "-%010" PRIx64, s->boot,
	    (uint64_t)atomic_fetch_add(&s->seq, 1));
	r->started = 1;
	if (strlen(url) > GW_MAX_PATH) {
		memcpy(r->path, url, GW_MAX_PATH);
		gw_reply_error(r, 404, "not-found", NULL, "path too long");
		return MHD_YES;
	}
	strcpy(r->path, url);
	r->route = gw_route_match(method, url, r->params, &st, allow,
	    sizeof(allow));
	if (r->route == NULL) {
		if (st == 405) {
			gw_reply_header(r, "Allow", allow);
			gw_reply_error(r, 405, "method-not-allowed", NULL,
			    "%s is not allowed here; allowed: %s", method,
			    allow);
		} else
			gw_reply_error(r, 404, "not-found", NULL,
			    "no such resource: %s", r->path);
		return MHD_YES;
	}
	r->max = r->route->max_body;
	if (s->cfg->max_body < r->max)
		r->max = s->cfg->max_body;
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (cl != NULL) {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno != 0 || end == cl || *end != '\0' || n > r->max) {
			r->too_big = 1;
			if (r->max == 0)
				gw_reply_error(r, 413, "body-too-large", NULL,
				    "%s %s takes no body", method,
				    r->route->pattern);
			else
				gw_reply_error(r, 413, "body-too-large", NULL,
				    "the body exceeds %zu bytes", r->max);
			return MHD_YES;
		}
	}
	if (r->max > 0 && ((cl != NULL && n > 0) || te != NULL) &&
	    !ctype_is_json(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE))) {
		gw_reply_error(r, 415, "unsupported-media-type",
		    "Content-Type", "the body must be application/json");
		return MHD_YES;
	}
	return MHD_YES;
}

static enum MHD_Result
append(struct gw_req *r, const char *data, size_t *size)
{
	size_t	 n = *size, ncap;
	char	*nb;

	*size = 0;
	if (r->replied)
		return MHD_YES;		/* discarding after an early reply */
	if (r->too_big || n > r->max - r->len) {
		/*
		 * 0.9.75 refuses a reply queued in the middle of an upload:
		 * drop the body, keep reading (up to GW_MAX_BODY_HARD more
		 * bytes, then close) and answer 413 at the end.
		 */
		r->too_big = 1;
		free(r->body);
		r->body = NULL;
		r->cap = 0;
		r->len += n;
		if (r->len > r->max + GW_MAX_BODY_HARD)
			return MHD_NO;
		return MHD_YES;
	}
	if (r->len + n + 1 > r->cap) {
		ncap = r->cap ? r->cap : 4096;
		while (ncap < r->len + n + 1)
			ncap *= 2;
		if (ncap > r->max + 1)
			ncap = r->max + 1;
		if ((nb = realloc(r->body, ncap)) == NULL)
			return MHD_NO;
		r->body = nb;
		r->cap = ncap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct gw_server	*s = cls;
	struct gw_req		*r = *req_cls;

	if (r == NULL)
		return first_call(s, c, url, method, req_cls);
	if (*upload_data_size > 0)
		return append(r, upload_data, upload_data_size);
	if (r->replied)
		return MHD_YES;
	if (r->too_big) {
		gw_reply_error(r, 413, "body-too-large", NULL,
		    "the body exceeds %zu bytes", r->max);
		return r->replied ? MHD_YES : MHD_NO;
	}
	if (r->route == NULL)
		return MHD_NO;	/* refused in the first call, reply failed */
	if (r->route->roles == 0)
		/* Public: a certificate, when presented and good, still says
		 * who calls (a reviewer reading a rejection, say). */
		(void)authenticate(s, r, 0);
	else {
		if (authenticate(s, r, 1) != 0)
			return r->replied ? MHD_YES : MHD_NO;
		if ((r->route->roles & GW_RB(r->who.role)) == 0) {
			gw_reply_error(r, 403, "forbidden", NULL, "role %s "
			    "may not %s %s", gw_role_name(r->who.role),
			    r->method, r->route->pattern);
			return r->replied ? MHD_YES : MHD_NO;
		}
	}
	if (r->route->fn(r) != 0 && !r->replied)
		gw_reply_error(r, 500, "internal", NULL,
		    "the request could not be completed; see the server log "
		    "for request %s", r->id);
	return r->replied ? MHD_YES : MHD_NO;
}

/*
 * Replies leave as two TLS records (headers, then body) on 0.9.75; with
 * Nagle on, the second waits for the peer's delayed ACK (up to 40 ms on
 * Linux).  Every reply is complete when queued, so send at once.
 */
static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo	*ci;
	int				 one = 1;

	if (toe != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL)
		(void)setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY,
		    &one, sizeof(one));
}

static void
mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char	 buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	fprintf(stderr, "xbrg serve: httpd: %s\n", buf);
}

static int
load_pem(const char *path, char **out, char *err, size_t errlen)
{
	return gw_read_text(path, 1024 * 1024, out, err, errlen);
}

int
gw_server_reload(struct gw_server *s, char *err, size_t errlen)
{
	return gw_auth_reload_crls(s->auth, err, errlen);
}

void
gw_server_tick(struct gw_server *s, time_t now)
{
	gw_app_tick(s->app, now);
}

void
gw_server_stop(struct gw_server *s)
{
	if (s == NULL)
		return;
	if (s->d != NULL)
		MHD_stop_daemon(s->d);
	gw_app_free(s->app);
	gw_auth_free(s->auth);
	if (s->tls_key != NULL)
		OPENSSL_cleanse(s->tls_key, strlen(s->tls_key));
	free(s->tls_key);
	free(s->tls_cert);
	free(s->client_ca);
	free(s->m.count);
	free(s->m.hist);
	free(s->m.sum_us);
	free(s);
}

struct gw_server *
gw_server_start(struct gw_config *cfg, const struct gw_server_opts *o,
    char *err, size_t errlen)
{
	struct gw_server	*s, *rc = NULL;
	struct MHD_OptionItem	 opts[16];
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		*sa;
	const union MHD_DaemonInfo *di;
	unsigned		 flags, port, threads;
	long			 ncpu;
	size_t			 no = 0, nr = gw_nroutes + 1;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = cfg;
	s->started = time(NULL);
	if (RAND_bytes((unsigned char *)&s->boot, sizeof(s->boot)) != 1)
		s->boot = (uint32_t)getpid();
	if ((s->m.count = calloc(nr * NSTATUS, sizeof(*s->m.count))) == NULL ||
	    (s->m.hist = calloc(nr * NBUCKET, sizeof(*s->m.hist))) == NULL ||
	    (s->m.sum_us = calloc(nr, sizeof(*s->m.sum_us))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if ((s->auth = gw_auth_new(cfg, err, errlen)) == NULL)
		goto out;
	if ((s->app = gw_app_new(s, cfg, err, errlen)) == NULL)
		goto out;

	port = o != NULL && o->has_port ? o->port_override : cfg->port;
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (strcmp(cfg->address, "localhost") == 0 ||
	    inet_pton(AF_INET, cfg->address, &sin.sin_addr) == 1) {
		if (strcmp(cfg->address, "localhost") == 0)
			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, cfg->address, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen, "listen.address: not a numeric IPv4 or "
		    "IPv6 address: '%s'", cfg->address);
		goto out;
	}
	if ((threads = cfg->threads) == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		threads = ncpu < 1 ? 1 : ncpu > GW_MAX_THREADS ?
		    GW_MAX_THREADS : (unsigned)ncpu;
	}
#define OPT(o_, v_, p_) do { opts[no].option = (o_); \
	opts[no].value = (intptr_t)(v_); opts[no].ptr_value = (p_); no++; \
	} while (0)
	OPT(MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s);
	OPT(MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s);
	OPT(MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout, NULL);
	OPT(MHD_OPTION_CONNECTION_LIMIT, cfg->max_conn, NULL);
	OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory, NULL);
	OPT(MHD_OPTION_THREAD_POOL_SIZE, threads, NULL);
	OPT(MHD_OPTION_SOCK_ADDR, 0, sa);
	/* No SO_REUSEPORT: a second server on a busy port must fail to
	 * bind, not share the port's requests with the first. */
	OPT(MHD_OPTION_LISTENING_ADDRESS_REUSE, 0, NULL);
	if (!cfg->plain_http) {
		if (load_pem(cfg->tls_cert, &s->tls_cert, err, errlen) != 0 ||
		    load_pem(cfg->tls_key, &s->tls_key, err, errlen) != 0)
			goto out;
		flags |= MHD_USE_TLS;
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key);
		if (cfg->client_ca != NULL) {
			if (load_pem(cfg->client_ca, &s->client_ca, err,
			    errlen) != 0)
				goto out;
			/* Makes GnuTLS ask for a certificate; the check
			 * itself is ours (gw_auth.c). */
			OPT(MHD_OPTION_HTTPS_MEM_TRUST, 0, s->client_ca);
		}
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
	s->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request,
	    s, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, s,
	    MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(err, errlen, "cannot start the HTTP daemon on %s "
		    "port %u (in use? see the log above)", cfg->address,
		    port);
		goto out;
	}
	if ((di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT)) ==
	    NULL || di->port == 0) {
		snprintf(err, errlen, "cannot read the bound port back");
		goto out;
	}
	s->port = di->port;
	rc = s;
	s = NULL;
 out:
	gw_server_stop(s);
	return rc;
}
