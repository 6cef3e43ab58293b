/*
 * test_revoc.c: revocation fetching and caching (gw_revoc.c) against a
 * loopback HTTP server started here (libmicrohttpd, port 0) that serves
 * the CRLs and OCSP responses of fixtures/mkrevoc.c.
 *
 * URL scheme: the fixture certificates name http://revoc.xbrg.test:8080/
 * (a name that never resolves); the policy's CURLOPT_CONNECT_TO entry
 * "revoc.xbrg.test:8080:127.0.0.1:PORT" sends those requests to this
 * test's server.  "Unreachable" points the mapping at a port that was
 * bound and closed.  All times are pinned: at = now = T0 = 2026-06-01.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>

#include "gw.h"
#include "helpers/test_util.h"

#define T0	1780272000L	/* 2026-06-01T00:00:00Z */
#define DAY	86400L

/* Server behaviour, set by each row. */
#define M_STALE		0x01	/* stale ica CRL and leaf OCSP answers */
#define M_EMPTYID	0x02	/* ica CRL signed with the empty SM2 ID */
#define M_OCSP_FAIL	0x04	/* OCSP answers 503 */
#define M_HUGE		0x08	/* ica CRL: 2 MiB of zeros (cap is 1 MiB) */
#define M_GARBAGE	0x10	/* ica CRL: not DER */
#define M_SLOW		0x20	/* ica CRL: answered after 1.5 s */
#define M_WRONG_CRL	0x40	/* ica CRL: the root's CRL instead */
#define M_REDIRECT	0x80	/* ica CRL: 302 to /ALG/moved/ica.crl */
#define M_LOOP		0x100	/* ica CRL: redirects to itself */
#define M_NOPRIV	0x200	/* policy: no_private (the server is on
				   127.0.0.1, so every fetch is refused) */

static struct MHD_Daemon	*mhd;
static unsigned			 port, dead_port;
static pthread_mutex_t		 mu = PTHREAD_MUTEX_INITIALIZER;
static int			 mode;
static unsigned long		 hits;

static const char *
fixdir(void)
{
	const char	*f = getenv("FIXTURES");

	return f != NULL ? f : "build/fixtures";
}

struct req {
	unsigned char	 b[8192];
	size_t		 n;
	int		 over;
};

static int
read_fix(const char *alg, const char *name, unsigned char **b, size_t *n)
{
	char	 p[512], err[256];

	snprintf(p, sizeof(p), "%s/revoc/%s/%s", fixdir(), alg, name);
	return val_read_file(p, 1 << 20, b, n, err, sizeof(err));
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, unsigned char *b, size_t n,
    const char *ctype)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(n, b != NULL ? b : (void *)"",
	    b != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", ctype);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *data_size, void **req_cls)
{
	struct req		*rq = *req_cls;
	char			 alg[16], rest[128], name[160];
	unsigned char		*b = NULL;
	size_t			 n;
	int			 m;
	const unsigned char	*p;
	OCSP_REQUEST		*oreq;
	OCSP_CERTID		*id;
	ASN1_INTEGER		*serial = NULL;
	long			 sn = 0;

	if (rq == NULL) {
		if ((rq = calloc(1, sizeof(*rq))) == NULL)
			return MHD_NO;
		*req_cls = rq;
		return MHD_YES;
	}
	if (*data_size > 0) {
		if (*data_size > sizeof(rq->b) - rq->n)
			rq->over = 1;
		else {
			memcpy(rq->b + rq->n, data, *data_size);
			rq->n += *data_size;
		}
		*data_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&mu);
	hits++;
	m = mode;
	pthread_mutex_unlock(&mu);
	if (sscanf(url, "/%15[^/]/%127s", alg, rest) != 2)
		return reply(c, 404, NULL, 0, "text/plain");
	if (strncmp(rest, "ocsp/", 5) == 0) {
		if (strcmp(method, "POST") != 0 || rq->over)
			return reply(c, 405, NULL, 0, "text/plain");
		if (m & M_OCSP_FAIL)
			return reply(c, 503, NULL, 0, "text/plain");
		if (strcmp(rest, "ocsp/root") == 0)
			snprintf(name, sizeof(name), "ocsp-ica.der");
		else {
			p = rq->b;
			oreq = d2i_OCSP_REQUEST(NULL, &p, (long)rq->n);
			if (oreq == NULL || OCSP_request_onereq_count(oreq) !=
			    1) {
				OCSP_REQUEST_free(oreq);
				return reply(c, 400, NULL, 0, "text/plain");
			}
			id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(oreq,
			    0));
			OCSP_id_get0_info(NULL, NULL, NULL, &serial, id);
			sn = ASN1_INTEGER_get(serial);
			OCSP_REQUEST_free(oreq);
			snprintf(name, sizeof(name), "%s", sn == 0x1002 ?
			    "ocsp-revoked.der" : (m & M_STALE) ?
			    "ocsp-good-stale.der" : "ocsp-good.der");
		}
		if (read_fix(alg, name, &b, &n) != 0)
			return reply(c, 404, NULL, 0, "text/plain");
		return reply(c, 200, b, n, "application/ocsp-response");
	}
	if (strcmp(rest, "ica.crl") == 0 && (m & (M_REDIRECT | M_LOOP))) {
		struct MHD_Response	*rr;
		enum MHD_Result		 ret;
		char			 loc[256];

		snprintf(loc, sizeof(loc), "http://revoc.xbrg.test:8080/%s/%s",
		    alg, (m & M_LOOP) ? "ica.crl" : "moved/ica.crl");
		rr = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
		if (rr == NULL)
			return MHD_NO;
		MHD_add_response_header(rr, "Location", loc);
		ret = MHD_queue_response(c, 302, rr);
		MHD_destroy_response(rr);
		return ret;
	}
	if (strcmp(rest, "moved/ica.crl") == 0)
		snprintf(rest, sizeof(rest), "ica.crl");
	if (strcmp(rest, "ica.crl") == 0 && (m & M_HUGE)) {
		if ((b = calloc(1, 2 << 20)) == NULL)
			return MHD_NO;
		return reply(c, 200, b, 2 << 20, "application/pkix-crl");
	}
	if (strcmp(rest, "ica.crl") == 0 && (m & M_GARBAGE)) {
		if ((b = (unsigned char *)strdup("not a CRL")) == NULL)
			return MHD_NO;
		return reply(c, 200, b, 9, "application/pkix-crl");
	}
	if (strcmp(rest, "ica.crl") == 0 && (m & M_SLOW))
		usleep(1500 * 1000);
	if (strcmp(rest, "ica.crl") == 0 && (m & M_WRONG_CRL))
		snprintf(name, sizeof(name), "root.crl");
	else if (strcmp(rest, "ica.crl") == 0 && (m & M_STALE))
		snprintf(name, sizeof(name), "ica-stale.crl");
	else if (strcmp(rest, "ica.crl") == 0 && (m & M_EMPTYID))
		snprintf(name, sizeof(name), "ica-emptyid.crl");
	else
		snprintf(name, sizeof(name), "%s", rest);
	if (strchr(name, '/') != NULL || read_fix(alg, name, &b, &n) != 0)
		return reply(c, 404, NULL, 0, "text/plain");
	return reply(c, 200, b, n, "application/pkix-crl");
}

static void
completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	free(*req_cls);
	*req_cls = NULL;
}

static int
setup(void **state)
{
	const union MHD_DaemonInfo	*di;
	struct sockaddr_in		 sa;
	socklen_t			 sl = sizeof(sa);
	int				 fd;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* A thread per connection: the slow case must not hold others. */
	mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL, 0, NULL, NULL,
	    handler, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_SOCK_ADDR, NULL, MHD_OPTION_END);
	if (mhd == NULL)
		return -1;
	if ((di = MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_BIND_PORT)) ==
	    NULL)
		return -1;
	port = di->port;
	/* A port nobody listens on: bind, read it, close. */
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	dead_port = ntohs(sa.sin_port);
	close(fd);
	return 0;
}

static int
teardown(void **state)
{
	MHD_stop_daemon(mhd);
	curl_global_cleanup();
	return 0;
}

static unsigned long
server_hits(void)
{
	unsigned long	 h;

	pthread_mutex_lock(&mu);
	h = hits;
	pthread_mutex_unlock(&mu);
	return h;
}

static void
set_mode(int m)
{
	pthread_mutex_lock(&mu);
	mode = m;
	pthread_mutex_unlock(&mu);
}

static X509 *
load(const char *alg, const char *name)
{
	unsigned char		*b;
	size_t			 n;
	BIO			*bio;
	X509			*x;

	if (read_fix(alg, name, &b, &n) != 0)
		fail_msg("fixture %s/%s missing", alg, name);
	bio = BIO_new_mem_buf(b, (int)n);
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(b);
	assert_non_null(x);
	return x;
}

static STACK_OF(X509) *
chain(const char *alg, const char *leaf)
{
	STACK_OF(X509)	*s = sk_X509_new_null();

	sk_X509_push(s, load(alg, leaf));
	sk_X509_push(s, load(alg, "ica.pem"));
	sk_X509_push(s, load(alg, "root.pem"));
	return s;
}

static void
connect_to(char *buf, size_t len, unsigned p)
{
	snprintf(buf, len, "revoc.xbrg.test:8080:127.0.0.1:%u", p);
}

/* Changes the last digit before the 'Z' of the first s in b. */
static void
tamper(unsigned char *b, size_t n, const char *s)
{
	size_t	 i, m = strlen(s);

	for (i = 0; i + m <= n; i++)
		if (memcmp(b + i, s, m) == 0) {
			b[i + m - 2] = '9';
			return;
		}
	fail_msg("'%s' not in the fixture", s);
}

static int
has_detail(const struct val_report *rep, const char *want)
{
	size_t	 i;

	for (i = 0; i < rep->n; i++)
		if (rep->items[i].detail != NULL &&
		    strstr(rep->items[i].detail, want) != NULL)
			return 1;
	val_report_print(stderr, rep);
	return 0;
}

/* Base64 of a fixture file as a JSON string. */
static json_t *
b64_fix(const char *alg, const char *name)
{
	unsigned char	*b, *o;
	size_t		 n;
	json_t		*s;

	assert_int_equal(read_fix(alg, name, &b, &n), 0);
	o = malloc(n * 2 + 8);
	EVP_EncodeBlock(o, b, (int)n);
	s = json_string((char *)o);
	free(o);
	free(b);
	return s;
}

enum sup { S_NONE, S_CRLS, S_OCSP_JSON, S_CRL_TAMPER, S_OCSP_TAMPER };

static void
test_table(void **state)
{
	static const struct {
		const char		*name;
		const char		*alg, *leaf;
		int			 mode;
		int			 fetch, prefer_crl, soft, dead;
		enum sup		 sup;
		const char		*want;	/* sorted codes */
		enum val_verdict	 verdict;
		enum gw_revoc_status	 st0;	/* leaf */
		enum gw_revoc_source	 src0;
		const char		*method0;
		enum gw_revoc_status	 st1;	/* intermediate */
		int			 net;	/* server requests made */
		long			 total_ms; /* 0: 3000 */
	} rows[] = {
		{ "p256 good ocsp", "p256", "good.pem", 0, 1, 0, 0, 0, S_NONE,
		    "", VAL_VERDICT_PASS, GW_REVOC_GOOD, GW_REVOC_SRC_FETCHED,
		    "ocsp", GW_REVOC_GOOD, 2, 0 },
		{ "p256 revoked ocsp", "p256", "revoked.pem", 0, 1, 0, 0, 0,
		    S_NONE, "REVOC-REVOKED", VAL_VERDICT_FAIL,
		    GW_REVOC_REVOKED, GW_REVOC_SRC_FETCHED, "ocsp",
		    GW_REVOC_GOOD, 2, 0 },
		{ "p256 good crl", "p256", "good.pem", 0, 1, 1, 0, 0, S_NONE,
		    "", VAL_VERDICT_PASS, GW_REVOC_GOOD, GW_REVOC_SRC_FETCHED,
		    "crl", GW_REVOC_GOOD, 2, 0 },
		{ "p256 revoked crl", "p256", "revoked.pem", 0, 1, 1, 0, 0,
		    S_NONE, "REVOC-REVOKED", VAL_VERDICT_FAIL,
		    GW_REVOC_REVOKED, GW_REVOC_SRC_FETCHED, "crl",
		    GW_REVOC_GOOD, 2, 0 },
		{ "sm2 good ocsp (delegated responder)", "sm2", "good.pem", 0,
		    1, 0, 0, 0, S_NONE, "", VAL_VERDICT_PASS, GW_REVOC_GOOD,
		    GW_REVOC_SRC_FETCHED, "ocsp", GW_REVOC_GOOD, 2, 0 },
		{ "sm2 revoked ocsp", "sm2", "revoked.pem", 0, 1, 0, 0, 0,
		    S_NONE, "REVOC-REVOKED", VAL_VERDICT_FAIL,
		    GW_REVOC_REVOKED, GW_REVOC_SRC_FETCHED, "ocsp",
		    GW_REVOC_GOOD, 2, 0 },
		{ "sm2 revoked crl", "sm2", "revoked.pem", 0, 1, 1, 0, 0,
		    S_NONE, "REVOC-REVOKED", VAL_VERDICT_FAIL,
		    GW_REVOC_REVOKED, GW_REVOC_SRC_FETCHED, "crl",
		    GW_REVOC_GOOD, 2, 0 },
		{ "sm2 ocsp down, crl fallback", "sm2", "good.pem",
		    M_OCSP_FAIL, 1, 0, 0, 0, S_NONE, "REVOC-FETCH REVOC-FETCH",
		    VAL_VERDICT_PASS, GW_REVOC_GOOD, GW_REVOC_SRC_FETCHED,
		    "crl", GW_REVOC_GOOD, 4, 0 },
		{ "sm2 crl with empty ID", "sm2", "revoked.pem",
		    M_OCSP_FAIL | M_EMPTYID, 1, 1, 0, 0, S_NONE,
		    "REVOC-FETCH REVOC-SM2-ID REVOC-UNKNOWN", VAL_VERDICT_FAIL,
		    GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL, GW_REVOC_GOOD,
		    3, 0 },
		{ "p256 stale", "p256", "good.pem", M_STALE, 1, 0, 0, 0,
		    S_NONE, "REVOC-STALE REVOC-STALE REVOC-UNKNOWN",
		    VAL_VERDICT_FAIL, GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_GOOD, 3, 0 },
		{ "p256 stale soft-fail", "p256", "good.pem", M_STALE, 1, 0,
		    1, 0, S_NONE, "REVOC-STALE REVOC-STALE REVOC-UNKNOWN",
		    VAL_VERDICT_WARN, GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_GOOD, 3, 0 },
		{ "unreachable", "p256", "good.pem", 0, 1, 0, 0, 1, S_NONE,
		    "REVOC-FETCH REVOC-FETCH REVOC-FETCH REVOC-FETCH "
		    "REVOC-UNKNOWN REVOC-UNKNOWN", VAL_VERDICT_FAIL,
		    GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_UNKNOWN, 0, 0 },
		{ "unreachable soft-fail", "sm2", "good.pem", 0, 1, 0, 1, 1,
		    S_NONE, "REVOC-FETCH REVOC-FETCH REVOC-FETCH REVOC-FETCH "
		    "REVOC-UNKNOWN REVOC-UNKNOWN", VAL_VERDICT_WARN,
		    GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_UNKNOWN, 0, 0 },
		{ "supplied crls, offline", "p256", "revoked.pem", 0, 0, 0, 0,
		    0, S_CRLS, "REVOC-REVOKED", VAL_VERDICT_FAIL,
		    GW_REVOC_REVOKED, GW_REVOC_SRC_SUPPLIED, "crl",
		    GW_REVOC_GOOD, 0, 0 },
		{ "supplied sm2 ocsp json, offline", "sm2", "good.pem", 0, 0,
		    0, 0, 0, S_OCSP_JSON, "", VAL_VERDICT_PASS, GW_REVOC_GOOD,
		    GW_REVOC_SRC_SUPPLIED, "ocsp", GW_REVOC_GOOD, 0, 0 },
		{ "supplied sm2 crls beat the network", "sm2", "revoked.pem",
		    0, 1, 0, 0, 0, S_CRLS, "REVOC-REVOKED", VAL_VERDICT_FAIL,
		    GW_REVOC_REVOKED, GW_REVOC_SRC_SUPPLIED, "crl",
		    GW_REVOC_GOOD, 0, 0 },
		{ "nothing, offline", "p256", "good.pem", 0, 0, 0, 0, 0,
		    S_NONE, "REVOC-UNKNOWN REVOC-UNKNOWN", VAL_VERDICT_FAIL,
		    GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_UNKNOWN, 0, 0 },
		{ "supplied tampered sm2 crl", "sm2", "revoked.pem", 0, 0, 0,
		    0, 0, S_CRL_TAMPER, "REVOC-BAD-SIG REVOC-UNKNOWN",
		    VAL_VERDICT_FAIL, GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_GOOD, 0, 0 },
		{ "supplied tampered p256 ocsp", "p256", "good.pem", 0, 0, 0,
		    0, 0, S_OCSP_TAMPER, "REVOC-BAD-SIG REVOC-UNKNOWN "
		    "REVOC-UNKNOWN", VAL_VERDICT_FAIL, GW_REVOC_UNKNOWN,
		    GW_REVOC_SRC_NONE, NULL, GW_REVOC_UNKNOWN, 0, 0 },
		{ "crl moved (one redirect)", "sm2", "revoked.pem",
		    M_REDIRECT | M_OCSP_FAIL, 1, 1, 0, 0, S_NONE,
		    "REVOC-REVOKED", VAL_VERDICT_FAIL, GW_REVOC_REVOKED,
		    GW_REVOC_SRC_FETCHED, "crl", GW_REVOC_GOOD, 3, 0 },
		{ "crl redirect loop", "p256", "good.pem",
		    M_LOOP | M_OCSP_FAIL, 1, 1, 0, 0, S_NONE,
		    "REVOC-FETCH REVOC-FETCH REVOC-UNKNOWN", VAL_VERDICT_FAIL,
		    GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL, GW_REVOC_GOOD,
		    5, 0 },
		{ "private addresses refused", "sm2", "good.pem", M_NOPRIV, 1,
		    0, 0, 0, S_NONE, "REVOC-FETCH REVOC-FETCH REVOC-FETCH "
		    "REVOC-FETCH REVOC-UNKNOWN REVOC-UNKNOWN",
		    VAL_VERDICT_FAIL, GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_UNKNOWN, 0, 0 },
		{ "crl over the size cap", "p256", "good.pem",
		    M_HUGE | M_OCSP_FAIL, 1, 1, 0, 0, S_NONE,
		    "REVOC-FETCH REVOC-FETCH REVOC-UNKNOWN", VAL_VERDICT_FAIL,
		    GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL, GW_REVOC_GOOD,
		    3, 0 },
		{ "crl not DER", "sm2", "good.pem", M_GARBAGE | M_OCSP_FAIL,
		    1, 1, 0, 0, S_NONE, "REVOC-FETCH REVOC-MALFORMED "
		    "REVOC-UNKNOWN", VAL_VERDICT_FAIL, GW_REVOC_UNKNOWN,
		    GW_REVOC_SRC_NONE, NULL, GW_REVOC_GOOD, 3, 0 },
		{ "crl of another issuer", "p256", "revoked.pem",
		    M_WRONG_CRL | M_OCSP_FAIL, 1, 1, 0, 0, S_NONE,
		    "REVOC-FETCH REVOC-MALFORMED REVOC-UNKNOWN",
		    VAL_VERDICT_FAIL, GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL,
		    GW_REVOC_GOOD, 3, 0 },
		{ "crl too slow (total timeout)", "p256", "good.pem",
		    M_SLOW | M_OCSP_FAIL, 1, 1, 0, 0, S_NONE,
		    "REVOC-FETCH REVOC-FETCH REVOC-UNKNOWN", VAL_VERDICT_FAIL,
		    GW_REVOC_UNKNOWN, GW_REVOC_SRC_NONE, NULL, GW_REVOC_GOOD,
		    3, 400 },
	};
	struct gw_revoc_policy		 pol;
	struct gw_revoc			*r;
	struct gw_revoc_supplied	*sup;
	struct gw_revoc_result		 res[2];
	struct val_report		 rep;
	STACK_OF(X509)			*ch;
	unsigned char			*b;
	size_t				 i, n;
	unsigned long			 before;
	char				 ct[64], got[512], err[256];
	json_t				*req, *js;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&pol, 0, sizeof(pol));
		pol.fetch = rows[i].fetch;
		pol.prefer_crl = rows[i].prefer_crl;
		pol.soft_fail = rows[i].soft;
		pol.connect_ms = 1000;
		pol.total_ms = rows[i].total_ms != 0 ? rows[i].total_ms : 3000;
		pol.max_bytes = 1 << 20;
		pol.no_private = (rows[i].mode & M_NOPRIV) != 0;
		connect_to(ct, sizeof(ct), rows[i].dead ? dead_port : port);
		pol.connect_to = ct;
		assert_non_null(r = gw_revoc_new(&pol));
		sup = NULL;
		if (rows[i].sup == S_CRLS) {
			assert_int_equal(read_fix(rows[i].alg, "ica.crl", &b,
			    &n), 0);
			assert_int_equal(gw_revoc_supplied_add_crl(&sup, b, n,
			    err, sizeof(err)), 0);
			free(b);
			assert_int_equal(read_fix(rows[i].alg, "root.crl", &b,
			    &n), 0);
			assert_int_equal(gw_revoc_supplied_add_crl(&sup, b, n,
			    err, sizeof(err)), 0);
			free(b);
		} else if (rows[i].sup == S_CRL_TAMPER ||
		    rows[i].sup == S_OCSP_TAMPER) {
			/* One digit of thisUpdate changed: signed bytes. */
			int	 crl = rows[i].sup == S_CRL_TAMPER;

			assert_int_equal(read_fix(rows[i].alg, crl ?
			    "ica.crl" : "ocsp-good.der", &b, &n), 0);
			tamper(b, n, crl ? "260531230000Z" :
			    "20260531230000Z");
			assert_int_equal(crl ?
			    gw_revoc_supplied_add_crl(&sup, b, n, err,
			    sizeof(err)) : gw_revoc_supplied_add_ocsp(&sup, b,
			    n, err, sizeof(err)), 0);
			free(b);
			if (crl) {
				assert_int_equal(read_fix(rows[i].alg,
				    "root.crl", &b, &n), 0);
				assert_int_equal(gw_revoc_supplied_add_crl(&sup,
				    b, n, err, sizeof(err)), 0);
				free(b);
			}
		} else if (rows[i].sup == S_OCSP_JSON) {
			req = json_object();
			js = json_array();
			json_array_append_new(js, b64_fix(rows[i].alg,
			    "ocsp-ica.der"));
			json_array_append_new(js, b64_fix(rows[i].alg,
			    "ocsp-good.der"));
			json_object_set_new(req, "ocsp", js);
			if (gw_revoc_supplied_from_json(req, &sup, err,
			    sizeof(err)) != 0)
				fail_msg("%s", err);
			json_decref(req);
		}
		set_mode(rows[i].mode);
		ch = chain(rows[i].alg, rows[i].leaf);
		val_report_init(&rep);
		before = server_hits();
		assert_int_equal(gw_revoc_check(rows[i].fetch ? r : NULL, ch,
		    sup, T0, T0, res, 2, &rep), 0);
		tu_codes(&rep, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0) {
			val_report_print(stderr, &rep);
			fail_msg("%s: codes '%s', want '%s'", rows[i].name,
			    got, rows[i].want);
		}
		if ((rows[i].mode & M_HUGE) &&
		    !has_detail(&rep, "aximum file size exceeded"))
			fail_msg("%s: no size-cap detail", rows[i].name);
		if ((rows[i].mode & M_NOPRIV) && !has_detail(&rep,
		    "refused: a loopback"))
			fail_msg("%s: no refusal detail", rows[i].name);
		if ((rows[i].mode & M_SLOW) && !has_detail(&rep, "timed out"))
			fail_msg("%s: no timeout detail", rows[i].name);
		if (val_report_verdict(&rep) != rows[i].verdict)
			fail_msg("%s: verdict %d", rows[i].name,
			    val_report_verdict(&rep));
		assert_int_equal(res[0].status, rows[i].st0);
		assert_int_equal(res[0].source, rows[i].src0);
		if (rows[i].method0 == NULL)
			assert_null(res[0].method);
		else
			assert_string_equal(res[0].method, rows[i].method0);
		assert_int_equal(res[1].status, rows[i].st1);
		if (res[0].status == GW_REVOC_REVOKED)
			assert_int_equal(res[0].revoked_at, T0 - 10 * DAY);
		if (server_hits() - before != (unsigned long)rows[i].net)
			fail_msg("%s: %lu requests, want %d", rows[i].name,
			    server_hits() - before, rows[i].net);
		/* The JSON rendering names status and source. */
		js = gw_revoc_json(ch, res, 2);
		assert_non_null(js);
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(js, 0), "source")),
		    gw_revoc_source_name(rows[i].src0));
		json_decref(js);
		val_report_clear(&rep);
		sk_X509_pop_free(ch, X509_free);
		gw_revoc_supplied_free(sup);
		gw_revoc_free(r);
	}
	set_mode(0);
}

/*
 * A second call is answered from the cache until the answers' nextUpdate
 * (T0+7d) by the caller's clock; the validation time stays T0.  A row
 * with fresh set starts a new cache with its method order.
 */
static void
test_cache(void **state)
{
	static const struct {
		int			 fresh, prefer_crl;
		time_t			 now;
		enum gw_revoc_source	 src;
		int			 net;
	} rows[] = {
		{ 1, 0, T0, GW_REVOC_SRC_FETCHED, 2 },
		{ 0, 0, T0, GW_REVOC_SRC_CACHE, 0 },
		{ 0, 0, T0 + DAY, GW_REVOC_SRC_CACHE, 0 },
		{ 0, 0, T0 + 8 * DAY, GW_REVOC_SRC_FETCHED, 2 },
		{ 1, 1, T0, GW_REVOC_SRC_FETCHED, 2 },
		{ 0, 1, T0 + 2 * DAY, GW_REVOC_SRC_CACHE, 0 },
		{ 0, 1, T0 + 7 * DAY, GW_REVOC_SRC_FETCHED, 2 },
	};
	struct gw_revoc_policy	 pol;
	struct gw_revoc		*r = NULL;
	struct gw_revoc_result	 res[2];
	struct gw_revoc_stats	 st;
	struct val_report	 rep;
	STACK_OF(X509)		*ch;
	unsigned long		 before;
	char			 ct[64];
	size_t			 i;

	memset(&pol, 0, sizeof(pol));
	pol.fetch = 1;
	connect_to(ct, sizeof(ct), port);
	pol.connect_to = ct;
	ch = chain("sm2", "good.pem");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].fresh) {
			gw_revoc_free(r);
			pol.prefer_crl = rows[i].prefer_crl;
			assert_non_null(r = gw_revoc_new(&pol));
		}
		val_report_init(&rep);
		before = server_hits();
		assert_int_equal(gw_revoc_check(r, ch, NULL, T0, rows[i].now,
		    res, 2, &rep), 0);
		if (rep.n != 0) {
			val_report_print(stderr, &rep);
			fail_msg("row %zu: findings", i);
		}
		assert_int_equal(res[0].status, GW_REVOC_GOOD);
		assert_int_equal(res[0].source, rows[i].src);
		assert_int_equal(res[1].source, rows[i].src);
		assert_string_equal(res[0].method, rows[i].prefer_crl ? "crl" :
		    "ocsp");
		if (server_hits() - before != (unsigned long)rows[i].net)
			fail_msg("row %zu: %lu requests, want %d", i,
			    server_hits() - before, rows[i].net);
		val_report_clear(&rep);
	}
	gw_revoc_stats(r, &st);
	assert_int_equal(st.cached, 2);
	assert_int_equal(st.cache_hits, 2);	/* row 5: two certificates */
	assert_int_equal(st.fetches, 4);
	gw_revoc_free(r);
	sk_X509_pop_free(ch, X509_free);
}

/* Supplied CRLs are verified once per issuer key, then remembered. */
static void
test_supplied_cache(void **state)
{
	struct gw_revoc_policy		 pol;
	struct gw_revoc			*r;
	struct gw_revoc_supplied	*sup = NULL;
	struct gw_revoc_result		 res[2];
	struct gw_revoc_stats		 st;
	struct val_report		 rep;
	STACK_OF(X509)			*ch;
	unsigned char			*b;
	size_t				 n;
	char				 err[256];
	int				 k;
	static const char *const	 files[] = { "ica.crl", "root.crl" };

	memset(&pol, 0, sizeof(pol));	/* offline */
	assert_non_null(r = gw_revoc_new(&pol));
	for (k = 0; k < 2; k++) {
		assert_int_equal(read_fix("sm2", files[k], &b, &n), 0);
		assert_int_equal(gw_revoc_supplied_add_crl(&sup, b, n, err,
		    sizeof(err)), 0);
		free(b);
	}
	ch = chain("sm2", "revoked.pem");
	for (k = 0; k < 3; k++) {
		val_report_init(&rep);
		assert_int_equal(gw_revoc_check(r, ch, sup, T0, T0, res, 2,
		    &rep), 0);
		assert_int_equal(rep.n, 1);
		assert_true(val_report_has(&rep, "REVOC-REVOKED"));
		assert_int_equal(res[0].source, GW_REVOC_SRC_SUPPLIED);
		assert_int_equal(res[1].status, GW_REVOC_GOOD);
		val_report_clear(&rep);
		gw_revoc_stats(r, &st);
		assert_int_equal(st.cache_hits, (unsigned long)k * 2);
		assert_int_equal(st.fetches, 0);
	}
	sk_X509_pop_free(ch, X509_free);
	gw_revoc_supplied_free(sup);
	gw_revoc_free(r);
}

struct thr {
	struct gw_revoc	*r;
	STACK_OF(X509)	*ch;
	int		 bad;
};

static void *
worker(void *arg)
{
	struct thr		*t = arg;
	struct gw_revoc_result	 res[2];
	struct val_report	 rep;
	int			 i;

	for (i = 0; i < 25; i++) {
		val_report_init(&rep);
		if (gw_revoc_check(t->r, t->ch, NULL, T0, T0, res, 2,
		    &rep) != 0 || rep.n != 1 ||
		    !val_report_has(&rep, "REVOC-REVOKED") ||
		    res[0].status != GW_REVOC_REVOKED)
			t->bad++;
		val_report_clear(&rep);
	}
	return NULL;
}

/* Threads share one cache (the HTTP service is multi-threaded). */
static void
test_threads(void **state)
{
	struct gw_revoc_policy	 pol;
	struct thr		 t[4];
	pthread_t		 id[4];
	STACK_OF(X509)		*ch[4];
	struct gw_revoc		*r;
	struct gw_revoc_stats	 st;
	char			 ct[64];
	int			 i;

	memset(&pol, 0, sizeof(pol));
	pol.fetch = 1;
	pol.prefer_crl = 1;
	connect_to(ct, sizeof(ct), port);
	pol.connect_to = ct;
	assert_non_null(r = gw_revoc_new(&pol));
	for (i = 0; i < 4; i++) {
		ch[i] = chain("p256", "revoked.pem");
		t[i].r = r;
		t[i].ch = ch[i];
		t[i].bad = 0;
		assert_int_equal(pthread_create(&id[i], NULL, worker, &t[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(id[i], NULL), 0);
		assert_int_equal(t[i].bad, 0);
		sk_X509_pop_free(ch[i], X509_free);
	}
	gw_revoc_stats(r, &st);
	/* 100 checks of 2 certificates: nearly all from the cache. */
	assert_true(st.fetches <= 8);
	assert_true(st.cache_hits >= 192);
	gw_revoc_free(r);
}

static void
test_supplied_json_errors(void **state)
{
	static const struct {
		const char	*json;
		const char	*want;
	} rows[] = {
		{ "{\"crls\": \"x\"}", "crls: not an array" },
		{ "{\"crls\": [\"!!!!\"]}", "crls[0]: not base64" },
		{ "{\"ocsp\": [\"AAAA\"]}", "ocsp[0]: not a DER OCSP" },
		{ "{\"crls\": [\"MAA=\"]}", "crls[0]: not a DER CRL" },
		{ "{\"crls\": [1]}", "crls[0]: not base64" },
	};
	struct gw_revoc_supplied	*s;
	json_t				*j;
	char				 err[256];
	size_t				 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_non_null(j = json_loads(rows[i].json, 0, NULL));
		err[0] = '\0';
		assert_int_equal(gw_revoc_supplied_from_json(j, &s, err,
		    sizeof(err)), -1);
		assert_null(s);
		if (strstr(err, rows[i].want) == NULL)
			fail_msg("'%s' lacks '%s'", err, rows[i].want);
		json_decref(j);
	}
	assert_non_null(j = json_loads("{\"chain\": []}", 0, NULL));
	assert_int_equal(gw_revoc_supplied_from_json(j, &s, err,
	    sizeof(err)), 0);
	assert_null(s);
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_supplied_cache),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_supplied_json_errors),
	};

	return cmocka_run_group_tests_name("revoc", tests, setup, teardown);
}
