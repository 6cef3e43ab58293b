/*
 * test_tl_fetch.c: tl_fetch() against a loopback HTTPS server this test
 * starts (libmicrohttpd + GnuTLS, 127.0.0.1, port 0; certificate from
 * fixtures/gen-26-tl-sync.sh): success with validators, conditional GET
 * (ETag and Last-Modified -> 304), byte cap, redirect cap, a redirect to
 * plain http refused, plain http refused, HTTP errors, total timeout, an
 * untrusted server certificate, a bad CA file, a refused connection.
 * Table-driven; no network beyond loopback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <microhttpd.h>

#include "tl.h"

#define LASTMOD	"Sat, 01 Aug 2026 00:00:00 GMT"

static struct MHD_Daemon *dmn;
static unsigned short	 port;
static char		 cacert[1024];
static char		 big[200 * 1024];

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned st, const char *body, size_t len,
    const char *hname, const char *hval)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(len, (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	if (hname != NULL)
		MHD_add_response_header(r, hname, hval);
	if (st == MHD_HTTP_OK || st == MHD_HTTP_NOT_MODIFIED) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, "\"e1\"");
		MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED,
		    LASTMOD);
	}
	ret = MHD_queue_response(c, st, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upsize, void **con_cls)
{
	const char	*inm, *ims;
	char		 loc[128];

	if (strcmp(url, "/ok") == 0) {
		inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_IF_NONE_MATCH);
		ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
		if ((inm != NULL && strcmp(inm, "\"e1\"") == 0) ||
		    (ims != NULL && strcmp(ims, LASTMOD) == 0))
			return reply(c, MHD_HTTP_NOT_MODIFIED, "", 0, NULL,
			    NULL);
		return reply(c, MHD_HTTP_OK, "hello", 5, NULL, NULL);
	}
	if (strcmp(url, "/big") == 0)
		return reply(c, MHD_HTTP_OK, big, sizeof(big), NULL, NULL);
	if (strcmp(url, "/loop") == 0)
		return reply(c, MHD_HTTP_FOUND, "", 0,
		    MHD_HTTP_HEADER_LOCATION, "/loop");
	if (strcmp(url, "/redir-ok") == 0)
		return reply(c, MHD_HTTP_FOUND, "", 0,
		    MHD_HTTP_HEADER_LOCATION, "/ok");
	if (strcmp(url, "/to-http") == 0) {
		snprintf(loc, sizeof(loc), "http://127.0.0.1:%u/ok",
		    (unsigned)port);
		return reply(c, MHD_HTTP_FOUND, "", 0,
		    MHD_HTTP_HEADER_LOCATION, loc);
	}
	if (strcmp(url, "/slow") == 0) {
		sleep(2);
		return reply(c, MHD_HTTP_OK, "late", 4, NULL, NULL);
	}
	if (strcmp(url, "/err") == 0)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "x", 1, NULL,
		    NULL);
	return reply(c, MHD_HTTP_NOT_FOUND, "nope", 4, NULL, NULL);
}

static char *
slurp0(const char *path)
{
	unsigned char	*b;
	size_t		 len;
	char		 err[256];

	if (val_read_file(path, 1 << 20, &b, &len, err, sizeof(err)) != 0)
		return NULL;
	b = realloc(b, len + 1);
	b[len] = '\0';
	return (char *)b;
}

static int
setup(void **state)
{
	const char		*fx = getenv("FIXTURES");
	const union MHD_DaemonInfo *di;
	struct sockaddr_in	 sa;
	char			 p[1024], *key, *cert;

	if (fx == NULL) {
		print_error("FIXTURES must be set\n");
		return -1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	memset(big, 'a', sizeof(big));
	snprintf(cacert, sizeof(cacert), "%s/tl-sync/tls-ca.pem", fx);
	snprintf(p, sizeof(p), "%s/tl-sync/server.key", fx);
	key = slurp0(p);
	snprintf(p, sizeof(p), "%s/tl-sync/server.pem", fx);
	cert = slurp0(p);
	if (key == NULL || cert == NULL)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	dmn = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_TLS, 0, NULL, NULL,
	    handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_HTTPS_MEM_CERT, cert,
	    MHD_OPTION_END);
	free(key);
	free(cert);
	if (dmn == NULL)
		return -1;
	di = MHD_get_daemon_info(dmn, MHD_DAEMON_INFO_BIND_PORT);
	port = di != NULL ? di->port : 0;
	return port != 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	if (dmn != NULL)
		MHD_stop_daemon(dmn);
	curl_global_cleanup();
	return 0;
}

/* A loopback port nothing listens on (bound, then closed). */
static unsigned short
closed_port(void)
{
	struct sockaddr_in	 sa;
	socklen_t		 sl = sizeof(sa);
	int			 fd;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

static void
test_fetch(void **state)
{
	static const struct {
		const char	*url;	/* "%P" = the server, "%C" = closed */
		int		 cacert; /* 0 none, 1 ours, 2 missing file */
		const char	*etag;
		const char	*lastmod;
		size_t		 max_bytes;
		long		 total_timeout;
		int		 rc;
		long		 status;
		const char	*body;	/* expected body, or NULL */
		const char	*err;	/* substring of err when rc -1 */
	} rows[] = {
		{ "https://%P/ok", 1, NULL, NULL, 0, 0, 0, 200, "hello", "" },
		{ "https://%P/ok", 1, "\"e1\"", NULL, 0, 0, 0, 304, NULL, "" },
		{ "https://%P/ok", 1, "\"old\"", NULL, 0, 0, 0, 200, "hello",
		    "" },
		{ "https://%P/ok", 1, NULL, LASTMOD, 0, 0, 0, 304, NULL, "" },
		{ "https://%P/redir-ok", 1, NULL, NULL, 0, 0, 0, 200, "hello",
		    "" },
		{ "https://%P/big", 1, NULL, NULL, 1000, 0, -1, 0, NULL,
		    "larger than 1000 bytes" },
		{ "https://%P/big", 1, NULL, NULL, 0, 0, 0, 200, NULL, "" },
		{ "https://%P/loop", 1, NULL, NULL, 0, 0, -1, 0, NULL,
		    "redirect" },
		{ "https://%P/to-http", 1, NULL, NULL, 0, 0, -1, 0, NULL,
		    "curl 1)" },
		{ "http://%P/ok", 1, NULL, NULL, 0, 0, -1, 0, NULL,
		    "only https" },
		{ "ftp://%P/ok", 1, NULL, NULL, 0, 0, -1, 0, NULL,
		    "only https" },
		{ "https://%P/missing", 1, NULL, NULL, 0, 0, -1, 404, NULL,
		    "HTTP status 404" },
		{ "https://%P/err", 1, NULL, NULL, 0, 0, -1, 500, NULL,
		    "HTTP status 500" },
		{ "https://%P/slow", 1, NULL, NULL, 0, 1, -1, 0, NULL,
		    "curl 28)" },
		{ "https://%P/ok", 0, NULL, NULL, 0, 0, -1, 0, NULL,
		    "curl 60)" },
		{ "https://%P/ok", 2, NULL, NULL, 0, 0, -1, 0, NULL,
		    "cannot load CA file" },
		{ "https://%C/ok", 1, NULL, NULL, 0, 0, -1, 0, NULL,
		    "curl 7)" },
	};
	struct tl_fetch_opts	 o;
	struct tl_fetch_res	 res;
	char			 url[256], err[1024], cport[16], sport[16];
	const char		*u;
	char			*w;
	size_t			 i;
	int			 rc;

	snprintf(sport, sizeof(sport), "127.0.0.1:%u", (unsigned)port);
	snprintf(cport, sizeof(cport), "127.0.0.1:%u",
	    (unsigned)closed_port());
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (u = rows[i].url, w = url; *u != '\0'; u++) {
			if (u[0] == '%' && (u[1] == 'P' || u[1] == 'C')) {
				w += sprintf(w, "%s", u[1] == 'P' ? sport :
				    cport);
				u++;
			} else
				*w++ = *u;
		}
		*w = '\0';
		memset(&o, 0, sizeof(o));
		o.cacert = rows[i].cacert == 1 ? cacert : rows[i].cacert == 2 ?
		    "/nonexistent/ca.pem" : NULL;
		o.etag = rows[i].etag;
		o.last_modified = rows[i].lastmod;
		o.max_bytes = rows[i].max_bytes;
		o.total_timeout = rows[i].total_timeout;
		o.connect_timeout = 5;
		err[0] = '\0';
		rc = tl_fetch(url, &o, &res, err, sizeof(err));
		if (rc != rows[i].rc || res.status != rows[i].status ||
		    (rc != 0 && strstr(err, rows[i].err) == NULL))
			fail_msg("row %zu %s: rc %d status %ld err '%s'", i,
			    url, rc, res.status, err);
		if (rc == 0) {
			assert_non_null(res.final_url);
			assert_string_equal(res.etag, "\"e1\"");
			assert_string_equal(res.last_modified, LASTMOD);
			if (rows[i].status == 304)
				assert_null(res.body);
			if (rows[i].body != NULL) {
				assert_int_equal(res.len,
				    strlen(rows[i].body));
				assert_memory_equal(res.body, rows[i].body,
				    res.len);
			}
			if (strstr(url, "redir-ok") != NULL)
				assert_non_null(strstr(res.final_url, "/ok"));
			if (strstr(url, "/big") != NULL)
				assert_int_equal(res.len, sizeof(big));
		}
		tl_fetch_res_free(&res);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch),
	};

	return cmocka_run_group_tests_name("tl_fetch", tests, setup,
	    teardown);
}
