/*
 * test_http_server.c: the HTTP layer of `xbrg serve`, end to end over real
 * HTTP and HTTPS: routing (404/405), body limits (413), content type (415),
 * client-certificate authentication and roles, the access log, /healthz,
 * /metrics, slow clients, configuration errors and clean shutdown.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "helpers/gw_testsrv.h"

static struct gw_testsrv	tls_srv, plain_srv;

static int
setup(void **state)
{
	struct gw_testsrv_opts	 o;

	if (!gw_testsrv_available())
		return 0;
	memset(&o, 0, sizeof(o));
	o.conn_timeout = 2;
	if (gw_testsrv_start(&tls_srv, &o) != 0)
		return -1;
	o.plain = 1;
	if (gw_testsrv_start(&plain_srv, &o) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	if (tls_srv.pid > 0)
		assert_int_equal(gw_testsrv_stop(&tls_srv), 0);
	if (plain_srv.pid > 0)
		assert_int_equal(gw_testsrv_stop(&plain_srv), 0);
	gw_testsrv_cleanup(&tls_srv);
	gw_testsrv_cleanup(&plain_srv);
	return 0;
}

#define NEED_SERVER() do { if (tls_srv.pid <= 0) \
	skip(); } while (0)

static void
test_routing(void **state)
{
	static const struct {
		int		 plain;
		const char	*method;
		const char	*path;
		long		 status;
		const char	*code;
		const char	*allow;
	} rows[] = {
		{ 0, "GET", "/healthz", 200, "", "" },
		{ 1, "GET", "/healthz", 200, "", "" },
		{ 0, "GET", "/nope", 404, "not-found", "" },
		/* A path that decodes to bytes that are not UTF-8: still a
		 * 404, and the server lives on for the rows below. */
		{ 0, "GET", "/%ff%fe", 404, "not-found", "" },
		{ 1, "GET", "/x%c3%28", 404, "not-found", "" },
		{ 0, "GET", "/v1/dossiers/x/y/z", 404, "not-found", "" },
		{ 0, "DELETE", "/healthz", 405, "method-not-allowed", "GET" },
		{ 0, "PATCH", "/v1/dossiers/abc", 405, "method-not-allowed",
		    "GET, PUT" },
		{ 0, "GET", "/v1/validate", 405, "method-not-allowed",
		    "POST" },
		{ 1, "GET", "/v1/dossiers", 401, "unauthenticated", "" },
		{ 1, "GET", "/v1/recognitions", 200, "", "" },
		{ 0, "GET", "/v1/recognitions?at=yesterday", 422, "bad-time",
		    "" },
	};
	struct gw_resp	 r;
	size_t		 i;

	NEED_SERVER();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(gw_http(rows[i].plain ? &plain_srv : &tls_srv,
		    NULL, rows[i].method, rows[i].path, NULL, NULL, 0, &r), 0);
		if (r.status != rows[i].status)
			fail_msg("row %zu: %s %s: %ld, want %ld: %s", i,
			    rows[i].method, rows[i].path, r.status,
			    rows[i].status, r.body);
		assert_string_equal(gw_resp_error_code(&r), rows[i].code);
		assert_string_equal(r.allow, rows[i].allow);
		assert_true(strlen(r.reqid) > 8);
		if (rows[i].status >= 400) {
			/* One error shape: code, message, field. */
			json_t *e = json_object_get(r.json, "error");
			assert_non_null(json_object_get(e, "message"));
			assert_non_null(json_object_get(e, "field"));
		}
		gw_resp_free(&r);
	}
}

static void
test_auth(void **state)
{
	static const struct {
		const char	*who;
		const char	*path;
		long		 status;
		const char	*role;	/* whoami's role when 200 */
		const char	*why;	/* in the 401 message */
	} rows[] = {
		{ NULL, "/v1/whoami", 401, NULL, "no client certificate" },
		{ "submitter-a", "/v1/whoami", 200, "submitter", NULL },
		{ "submitter-b", "/v1/whoami", 200, "submitter", NULL },
		{ "reviewer-a", "/v1/whoami", 200, "reviewer", NULL },
		{ "reviewer-b", "/v1/whoami", 200, "reviewer", NULL },
		{ "admin", "/v1/whoami", 200, "admin", NULL },
		{ "revoked-reviewer", "/v1/whoami", 401, NULL, "revoked" },
		{ "unmapped", "/v1/whoami", 401, NULL, "not mapped" },
		{ "rogue-reviewer", "/v1/whoami", 401, NULL,
		    "not issued by the configured client CA" },
		{ "submitter-a", "/v1/admin/config", 403, NULL, NULL },
		{ "reviewer-a", "/v1/admin/config", 403, NULL, NULL },
		{ "admin", "/v1/admin/config", 200, NULL, NULL },
		{ "admin", "/v1/whoami", 200, "admin", NULL },	/* cached */
		{ NULL, "/healthz", 200, NULL, NULL },
		{ "revoked-reviewer", "/healthz", 200, NULL, NULL },
	};
	struct gw_resp	 r;
	const char	*msg;
	size_t		 i;

	NEED_SERVER();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(gw_http(&tls_srv, rows[i].who, "GET",
		    rows[i].path, NULL, NULL, 0, &r), 0);
		if (r.status != rows[i].status)
			fail_msg("row %zu (%s %s): %ld, want %ld: %s", i,
			    rows[i].who ? rows[i].who : "-", rows[i].path,
			    r.status, rows[i].status, r.body);
		if (rows[i].role != NULL) {
			assert_string_equal(json_string_value(json_object_get(
			    r.json, "role")), rows[i].role);
			assert_string_equal(json_string_value(json_object_get(
			    r.json, "user")), rows[i].who);
		}
		if (rows[i].why != NULL) {
			msg = json_string_value(json_object_get(
			    json_object_get(r.json, "error"), "message"));
			assert_non_null(msg);
			if (strstr(msg, rows[i].why) == NULL)
				fail_msg("row %zu: '%s' lacks '%s'", i, msg,
				    rows[i].why);
		}
		gw_resp_free(&r);
	}
	/* Submitters carry their tenant. */
	assert_int_equal(gw_http(&tls_srv, "submitter-b", "GET", "/v1/whoami",
	    NULL, NULL, 0, &r), 0);
	assert_string_equal(json_string_value(json_object_get(r.json,
	    "tenant")), "ca-b");
	gw_resp_free(&r);
	/* The admin view of the config never shows key material. */
	assert_int_equal(gw_http(&tls_srv, "admin", "GET", "/v1/admin/config",
	    NULL, NULL, 0, &r), 0);
	assert_null(strstr(r.body, "PRIVATE"));
	assert_null(strstr(r.body, ".key"));
	/* ... but shows the TLS files and the policy in force. */
	assert_non_null(json_object_get(json_object_get(r.json, "tls"),
	    "client_ca"));
	assert_true(json_is_array(json_object_get(json_object_get(r.json,
	    "tls"), "client_crls")));
	assert_non_null(json_string_value(json_object_get(r.json, "policy")));
	/* The SSRF guard is on unless the config turns it off. */
	assert_true(json_is_false(json_object_get(r.json,
	    "revocation_fetch_private")));
	gw_resp_free(&r);
}

static void
test_bodies(void **state)
{
	static const struct {
		const char	*ctype;
		size_t		 len;	/* of a body of spaces */
		long		 status;
		const char	*code;
	} rows[] = {
		{ "text/plain", 10, 415, "unsupported-media-type" },
		{ "application/jsonx", 10, 415, "unsupported-media-type" },
		{ NULL, 10, 415, "unsupported-media-type" },
		{ "application/json", 100 * 1024, 413, "body-too-large" },
		{ "application/json", 3 * 1024 * 1024, 413,
		    "body-too-large" },
	};
	struct gw_resp	 r;
	char		*body;
	size_t		 i;

	NEED_SERVER();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		body = malloc(rows[i].len);
		assert_non_null(body);
		memset(body, ' ', rows[i].len);
		/* complaints take at most 64 KiB, validate 1 MiB. */
		assert_int_equal(gw_http(&tls_srv, NULL, "POST",
		    rows[i].len > 1024 * 1024 ? "/v1/validate" :
		    "/v1/complaints", rows[i].ctype, body, rows[i].len, &r), 0);
		free(body);
		if (r.status != rows[i].status)
			fail_msg("row %zu: %ld, want %ld: %s", i, r.status,
			    rows[i].status, r.body);
		assert_string_equal(gw_resp_error_code(&r), rows[i].code);
		gw_resp_free(&r);
	}
	/* A body where none is taken. */
	assert_int_equal(gw_http(&tls_srv, NULL, "GET", "/healthz",
	    "application/json", "{}", 2, &r), 0);
	assert_int_equal(r.status, 413);
	gw_resp_free(&r);
}

/* A chunked upload has no Content-Length: the cap applies while
 * appending. */
static size_t
chunk_src(char *buf, size_t sz, size_t nm, void *ud)
{
	size_t	*left = ud, n = sz * nm;

	if (n > *left)
		n = *left;
	memset(buf, ' ', n);
	*left -= n;
	return n;
}

static void
test_chunked_oversize(void **state)
{
	CURL			*c;
	struct curl_slist	*h = NULL;
	char			 url[128], ca[600];
	size_t			 left = 3 * 1024 * 1024;
	long			 st = 0;

	NEED_SERVER();
	c = curl_easy_init();
	assert_non_null(c);
	snprintf(url, sizeof(url), "%s/v1/validate", tls_srv.base);
	snprintf(ca, sizeof(ca), "%s/ca.pem", tls_srv.pki);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Transfer-Encoding: chunked");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, chunk_src);
	curl_easy_setopt(c, CURLOPT_READDATA, &left);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fwrite);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, stderr);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
	assert_int_equal(st, 413);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

/* A client that sends half a request and stalls is dropped after the
 * connection timeout (2 s here), and others are served meanwhile. */
static void
test_slow_client(void **state)
{
	static const char	*half = "POST /v1/complaints HTTP/1.1\r\n"
	    "Host: x\r\nContent-Type: application/json\r\n"
	    "Content-Length: 100\r\n\r\n{";
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	struct gw_resp		 r;
	char			 buf[256];
	time_t			 t0;
	int			 fd, n;

	NEED_SERVER();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(plain_srv.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	assert_int_equal(write(fd, half, strlen(half)), (ssize_t)strlen(half));
	t0 = time(NULL);
	assert_int_equal(gw_http(&plain_srv, NULL, "GET", "/healthz", NULL,
	    NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	gw_resp_free(&r);
	pfd.fd = fd;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	n = read(fd, buf, sizeof(buf));
	assert_true(n <= 0);	/* closed, no reply */
	assert_true(time(NULL) - t0 <= 8);
	close(fd);
}

static void
test_access_log_and_metrics(void **state)
{
	struct gw_resp	 r;
	char		 needle[128], *log;

	NEED_SERVER();
	assert_int_equal(gw_http(&tls_srv, "reviewer-a", "POST",
	    "/v1/complaints", "text/plain", "SECRET-BODY-TEXT", 16, &r), 0);
	assert_int_equal(r.status, 415);
	snprintf(needle, sizeof(needle), "\"id\":\"%s\"", r.reqid);
	gw_resp_free(&r);
	assert_int_equal(gw_http(&tls_srv, "reviewer-a", "GET", "/v1/whoami",
	    NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	gw_resp_free(&r);
	usleep(200000);
	assert_int_equal(gw_testsrv_log_count(&tls_srv, needle), 1);
	assert_int_equal(gw_testsrv_log_count(&tls_srv, "SECRET-BODY"), 0);
	assert_true(gw_testsrv_log_count(&tls_srv, "\"path\":\"/v1/whoami\","
	    "\"status\":200,\"role\":\"reviewer\",\"user\":\"reviewer-a\"")
	    >= 1);
	log = gw_test_read(tls_srv.log, NULL);
	assert_non_null(log);
	assert_null(strstr(log, "PRIVATE KEY"));
	free(log);

	assert_int_equal(gw_http(&tls_srv, NULL, "GET", "/metrics", NULL, NULL,
	    0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.ctype, "text/plain"));
	assert_non_null(strstr(r.body, "xbrg_http_requests_total{route="
	    "\"whoami\",status=\"200\"}"));
	assert_non_null(strstr(r.body, "xbrg_http_request_duration_seconds_"
	    "bucket{route=\"whoami\",le=\"+Inf\"}"));
	assert_non_null(strstr(r.body, "xbrg_cache_lookups_total{cache="
	    "\"auth\",result=\"hit\"}"));
	assert_null(strstr(r.body, "xbrg_cache_lookups_total{cache=\"auth\","
	    "result=\"hit\"} 0\n"));
	gw_resp_free(&r);
}

/* SIGHUP reloads the client CRLs: a certificate revoked after start-up is
 * refused from then on; an unreadable CRL file leaves the old ones. */
static void
test_crl_reload(void **state)
{
	static const struct {
		const char	*crl;	/* file put in place, or NULL */
		const char	*who;
		long		 status;
	} rows[] = {
		{ NULL, "reviewer-b", 200 },
		{ NULL, "revoked-reviewer", 401 },
		{ "ca.crl2.pem", "reviewer-b", 401 },
		{ NULL, "reviewer-a", 200 },
		{ "garbage", "reviewer-a", 200 },
		{ NULL, "reviewer-b", 401 },
	};
	struct gw_testsrv	 t;
	struct gw_testsrv_opts	 o;
	struct gw_resp		 r;
	char			 cmd[1400];
	FILE			*fp;
	size_t			 i;

	NEED_SERVER();
	memset(&o, 0, sizeof(o));
	o.own_crl = 1;
	assert_int_equal(gw_testsrv_start(&t, &o), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].crl != NULL) {
			if (strcmp(rows[i].crl, "garbage") == 0) {
				snprintf(cmd, sizeof(cmd), "%s/client-crl.pem",
				    t.dir);
				fp = fopen(cmd, "w");
				assert_non_null(fp);
				fputs("not a CRL\n", fp);
				fclose(fp);
			} else {
				snprintf(cmd, sizeof(cmd), "cp '%s/%s' "
				    "'%s/client-crl.pem'", t.pki, rows[i].crl,
				    t.dir);
				assert_int_equal(system(cmd), 0);
			}
			assert_int_equal(kill(t.pid, SIGHUP), 0);
			usleep(300000);
		}
		assert_int_equal(gw_http(&t, rows[i].who, "GET", "/v1/whoami",
		    NULL, NULL, 0, &r), 0);
		if (r.status != rows[i].status)
			fail_msg("row %zu (%s): %ld, want %ld: %s", i,
			    rows[i].who, r.status, rows[i].status, r.body);
		gw_resp_free(&r);
	}
	assert_int_equal(gw_testsrv_log_count(&t, "client certificate CRLs "
	    "reloaded"), 1);
	assert_int_equal(gw_testsrv_log_count(&t, "old CRLs stay in force"),
	    1);
	assert_int_equal(gw_testsrv_stop(&t), 0);
	gw_testsrv_cleanup(&t);
}

/* A second server on a port in use fails to bind instead of sharing the
 * port (SO_REUSEPORT) and splitting requests between two stores. */
static void
test_port_in_use(void **state)
{
	char	 cmd[1024];
	int	 st;

	NEED_SERVER();
	snprintf(cmd, sizeof(cmd), "timeout 20 '%s' serve --config '%s' "
	    "--port %u >/dev/null 2>&1", getenv("XBRG"), tls_srv.config,
	    tls_srv.port);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	/* 124 would be timeout(1) ending a server that did start. */
	assert_int_not_equal(WEXITSTATUS(st), 0);
	assert_int_not_equal(WEXITSTATUS(st), 124);
}

/* `xbrg serve` refuses bad configurations naming what is wrong. */
static void
test_config_errors(void **state)
{
	static const struct {
		const char	*json;
		const char	*want;
	} rows[] = {
		{ "{\"store\": \"x.db\", \"plain_http\": true, \"bogus\": 1}",
		    "unknown key 'bogus'" },
		{ "{\"store\": \"x.db\", \"plain_http\": true, \"listen\": "
		    "{\"address\": \"0.0.0.0\"}}", "only on a loopback" },
		{ "{\"plain_http\": true}", "store: required" },
		{ "{\"store\": \"x.db\"}", "tls: required" },
		{ "{\"store\": \"x.db\", \"store\": \"y.db\"}", "duplicate" },
		{ "{\"store\": \"x.db\", \"plain_http\": true, \"users\": "
		    "[{\"name\": \"s\", \"role\": \"submitter\", \"sha256\": "
		    "\"00\"}]}", "sha256" },
		{ "{\"store\": \"x.db\", \"plain_http\": true, \"users\": "
		    "[{\"name\": \"s\", \"role\": \"boss\", \"subject\": "
		    "\"CN=x\"}]}", "role" },
		{ "{\"store\": \"x.db\", \"plain_http\": true, \"limits\": "
		    "{\"max_body\": -1}}", "max_body" },
		{ "{\"store\": \"x.db\", \"plain_http\": true, "
		    "\"revocation_fetch_private\": 1}",
		    "revocation_fetch_private" },
		{ "{\"store\": \"x.db\", \"tls\": {\"cert\": \"t.pem\", "
		    "\"key\": \"t.key\", \"client_ca\": \"ca.pem\"}}",
		    "tls.crls: required" },
	};
	char		 dir[] = "/tmp/xbrg-cfg-XXXXXX", path[128], cmd[512];
	char		*out;
	FILE		*fp;
	size_t		 i;
	int		 st;

	if (!gw_testsrv_available())
		skip();
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(path, sizeof(path), "%s/c%zu.json", dir, i);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(rows[i].json, fp);
		fclose(fp);
		snprintf(cmd, sizeof(cmd), "'%s' serve --config '%s' "
		    "--port 0 >/dev/null 2>'%s/err'", getenv("XBRG"), path,
		    dir);
		st = system(cmd);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 2);
		snprintf(path, sizeof(path), "%s/err", dir);
		out = gw_test_read(path, NULL);
		assert_non_null(out);
		if (strstr(out, rows[i].want) == NULL)
			fail_msg("row %zu: '%s' lacks '%s'", i, out,
			    rows[i].want);
		free(out);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routing),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_chunked_oversize),
		cmocka_unit_test(test_slow_client),
		cmocka_unit_test(test_access_log_and_metrics),
		cmocka_unit_test(test_crl_reload),
		cmocka_unit_test(test_port_in_use),
		cmocka_unit_test(test_config_errors),
	};
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!gw_testsrv_available())
		fprintf(stderr, "test_http_server: $XBRG or $FIXTURES/http "
		    "missing: skipping\n");
	rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
