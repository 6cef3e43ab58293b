/*
 * test_tl_sync.c: `xbrg tl sync` end to end against a loopback HTTPS
 * server this test starts (libmicrohttpd + GnuTLS, 127.0.0.1, port 0,
 * certificate from fixtures/gen-26-tl-sync.sh, trusted through --cacert).
 *
 * Content: a LOTL whose pointers point at loopback cannot keep its real
 * signature, so the served lists are REAL lists from $XBRG_SHARED
 * (LOTL 390, DK 45, SE 62, FI 54, UK 25) re-signed with test keys by
 * $FIXBIN/tl_resign once the port is known:
 *   - pivot 1000 (signed by the test anchor) announces the LOTL signer;
 *   - the LOTL (seq 1001, signed by the LOTL signer, NOT an anchor) keeps
 *     the EU, AT, DK, SE, FI and UK pointers, rewritten to loopback URLs
 *     and to the test TL signer, and names the pivot in its
 *     SchemeInformationURI: it verifies only through the pivot walk;
 *   - the national lists are signed by the test TL signer; SE's pointer
 *     is plain http (as SK's in LOTL 390): sync fetches it as https.
 * Three sync runs against the same cache:
 *   1. everything new (AT always 404: fails with nothing cached);
 *   2. DK changed (seq 46: updated), SE and the LOTL unchanged (conditional
 *      GET: 304), FI fails to download (503: last good kept), UK went
 *      backwards (seq 24: rollback, last good seq 25 kept), the pivot comes
 *      from the cache (not fetched again);
 *   3. DK signed by a key its pointer does not announce (last good kept);
 *   4. a new LOTL names a pivot that cannot be fetched: chain broken, the
 *      last good LOTL is kept and still drives the national lists.
 *   5. a new LOTL points only to DK: SE, FI, UK stay cached and are
 *      reported as no longer pointed to.
 * Before all of them, a run whose LOTL URL is 404 (nothing cached).
 * Pinned time 2026-08-20T00:00:00Z.  Skips when $XBRG_SHARED is absent.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/evp.h>

#include "val.h"

#define AT_TIME	"2026-08-20T00:00:00Z"
#define NPATHS	8

struct served {
	const char	*path;		/* "/DK.xml" */
	unsigned char	*body[6];	/* per round (1..5); NULL: 404 */
	size_t		 len[6];
	int		 status[6];	/* 0: serve body; else this status */
	int		 hits;		/* 200 answers */
	int		 n304;
};

static struct served	 docs[NPATHS];
static size_t		 ndocs;
static volatile int	 round_no;

static char	 tmpdir[512], fix[512], fixbin[512], shared[512];
static const char *xbrg;
static struct MHD_Daemon *daemon_h;
static unsigned short	 port;

static void
etag_of(const unsigned char *p, size_t n, char out[40])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	int		 i;

	EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL);
	out[0] = '"';
	for (i = 0; i < 16; i++)
		sprintf(out + 1 + 2 * i, "%02x", md[i]);
	out[33] = '"';
	out[34] = '\0';
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upsize, void **con_cls)
{
	struct MHD_Response	*r;
	struct served		*d = NULL;
	const char		*inm;
	char			 etag[40];
	enum MHD_Result		 ret;
	size_t			 i;
	int			 rn = round_no, st;

	for (i = 0; i < ndocs; i++)
		if (strcmp(docs[i].path, url) == 0)
			d = &docs[i];
	if (d == NULL || (d->body[rn] == NULL && d->status[rn] == 0))
		st = MHD_HTTP_NOT_FOUND;
	else
		st = d->status[rn];
	if (st != 0) {
		r = MHD_create_response_from_buffer(6, (void *)"nope\r\n",
		    MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(c, (unsigned)st, r);
		MHD_destroy_response(r);
		return ret;
	}
	etag_of(d->body[rn], d->len[rn], etag);
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm != NULL && strcmp(inm, etag) == 0) {
		d->n304++;
		r = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
		ret = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, r);
		MHD_destroy_response(r);
		return ret;
	}
	d->hits++;
	r = MHD_create_response_from_buffer(d->len[rn], d->body[rn],
	    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/vnd.etsi.tsl+xml");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char	*buf;
	char		 err[512];

	if (val_read_file(path, 64 * 1024 * 1024, &buf, len, err,
	    sizeof(err)) != 0) {
		print_error("%s\n", err);
		return NULL;
	}
	return buf;
}

static struct served *
doc(const char *path)
{
	size_t	 i;

	for (i = 0; i < ndocs; i++)
		if (strcmp(docs[i].path, path) == 0)
			return &docs[i];
	assert_true(ndocs < NPATHS);
	docs[ndocs].path = path;
	return &docs[ndocs++];
}

/* Runs tl_resign with args (a printf format); loads OUT into rounds. */
static void
resign(const char *path, int r0, int r1, const char *out, const char *fmt,
    ...)
{
	char		 args[4096], cmd[8192], file[1024];
	struct served	*d;
	va_list		 ap;
	size_t		 len;
	int		 r;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(file, sizeof(file), "%s/%s", tmpdir, out);
	snprintf(cmd, sizeof(cmd), "%s/tl_resign %s %s", fixbin, args, file);
	if (system(cmd) != 0) {
		print_error("failed: %s\n", cmd);
		fail();
	}
	d = doc(path);
	for (r = r0; r <= r1; r++) {
		d->body[r] = slurp(file, &len);
		assert_non_null(d->body[r]);
		d->len[r] = len;
	}
}

static int
setup(void **state)
{
	const char	*s, *b;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *di;
	unsigned char	*key, *cert;
	size_t		 klen, clen;
	char		 p[1024];

	if ((s = getenv("XBRG_SHARED")) == NULL || access(s, R_OK) != 0) {
		*state = NULL;
		return 0;
	}
	snprintf(shared, sizeof(shared), "%s/trustlists-real", s);
	if (access(shared, R_OK) != 0) {
		*state = NULL;
		return 0;
	}
	xbrg = getenv("XBRG");
	b = getenv("BUILD");
	s = getenv("FIXTURES");
	if (xbrg == NULL || b == NULL || s == NULL) {
		print_error("XBRG, BUILD and FIXTURES must be set\n");
		return -1;
	}
	snprintf(fix, sizeof(fix), "%s/tl-sync", s);
	snprintf(fixbin, sizeof(fixbin), "%s/fixtures-bin", b);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp-tl-sync-XXXXXX", b);
	if (mkdtemp(tmpdir) == NULL) {
		print_error("mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	snprintf(p, sizeof(p), "%s/server.key", fix);
	key = slurp(p, &klen);
	snprintf(p, sizeof(p), "%s/server.pem", fix);
	cert = slurp(p, &clen);
	if (key == NULL || cert == NULL)
		return -1;
	key = realloc(key, klen + 1);
	cert = realloc(cert, clen + 1);
	key[klen] = cert[clen] = '\0';
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	daemon_h = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_TLS, 0, NULL, NULL, handler, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_HTTPS_MEM_KEY, (const char *)key,
	    MHD_OPTION_HTTPS_MEM_CERT, (const char *)cert,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
	    MHD_OPTION_END);
	free(key);
	free(cert);
	if (daemon_h == NULL) {
		print_error("MHD_start_daemon failed\n");
		return -1;
	}
	di = MHD_get_daemon_info(daemon_h, MHD_DAEMON_INFO_BIND_PORT);
	port = di != NULL ? di->port : 0;
	*state = (void *)1;
	return port != 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	size_t	 i;
	int	 r;
	char	 cmd[1100];

	if (daemon_h != NULL)
		MHD_stop_daemon(daemon_h);
	for (i = 0; i < ndocs; i++)
		for (r = 0; r < 6; r++)
			free(docs[i].body[r]);
	if (getenv("XBRG_KEEP_TMP") == NULL && tmpdir[0] != '\0' &&
	    strstr(tmpdir, "tmp-tl-sync-") != NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/* Runs one sync; returns the parsed JSON summary and the exit code. */
static json_t *
run_sync(const char *lotl_path, int *code)
{
	char		 cmd[4096], out[2 * 1024 * 1024];
	json_error_t	 je;
	json_t		*j;
	FILE		*f;
	size_t		 n;
	int		 st;

	snprintf(cmd, sizeof(cmd), "%s tl sync --lotl https://127.0.0.1:%u"
	    "%s --anchors %s/anchors --cache %s/cache --cacert "
	    "%s/tls-ca.pem --at " AT_TIME " 2>%s/sync.err", xbrg,
	    (unsigned)port, lotl_path, tmpdir, tmpdir, fix, tmpdir);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	st = pclose(f);
	assert_true(WIFEXITED(st));
	*code = WEXITSTATUS(st);
	j = json_loads(out, 0, &je);
	if (j == NULL) {
		snprintf(cmd, sizeof(cmd), "cat %s/sync.err >&2", tmpdir);
		(void)system(cmd);
		print_error("no JSON from tl sync (exit %d): %s\n", *code,
		    out);
		fail();
	}
	return j;
}

static json_t *
item(json_t *sum, const char *name)
{
	json_t	*arr = json_object_get(sum, "lists"), *it;
	size_t	 i;

	json_array_foreach(arr, i, it)
		if (strcmp(json_string_value(json_object_get(it, "name")),
		    name) == 0)
			return it;
	print_error("no item %s in the summary\n", name);
	fail();
	return NULL;
}

static int
has_code(json_t *it, const char *code)
{
	json_t	*f, *arr = json_object_get(it, "findings");
	size_t	 i;

	json_array_foreach(arr, i, f)
		if (strcmp(json_string_value(json_object_get(f, "code")),
		    code) == 0)
			return 1;
	return 0;
}

/* Checks one summary item against the expected state and sequence. */
static void
expect(json_t *sum, const char *name, const char *state, long long seq,
    int cached, const char *code)
{
	json_t	*it = item(sum, name), *sq;

	if (strcmp(json_string_value(json_object_get(it, "state")),
	    state) != 0) {
		char	*d = json_dumps(it, JSON_INDENT(1));

		print_error("%s: state %s, want %s: %s\n", name,
		    json_string_value(json_object_get(it, "state")), state, d);
		free(d);
		fail();
	}
	sq = json_object_get(it, "sequence");
	if (seq < 0)
		assert_true(json_is_null(sq));
	else
		assert_int_equal(json_integer_value(sq), seq);
	assert_int_equal(json_is_true(json_object_get(it, "cached")), cached);
	if (code != NULL && !has_code(it, code)) {
		print_error("%s: finding %s missing\n", name, code);
		fail();
	}
}

/* The cached list must be byte-identical to what round r served. */
static void
expect_cached(const char *name, const char *path, int r)
{
	char		 p[1024];
	unsigned char	*b;
	size_t		 len;
	struct served	*d = doc(path);
	json_t		*m;
	json_error_t	 je;

	snprintf(p, sizeof(p), "%s/cache/lists/%s.xml", tmpdir, name);
	b = slurp(p, &len);
	assert_non_null(b);
	assert_int_equal(len, d->len[r]);
	assert_memory_equal(b, d->body[r], len);
	free(b);
	snprintf(p, sizeof(p), "%s/cache/lists/%s.meta.json", tmpdir, name);
	m = json_load_file(p, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(m);
	assert_non_null(json_string_value(json_object_get(m, "etag")));
	assert_int_equal(strlen(json_string_value(json_object_get(m,
	    "sha256"))), 64);
	json_decref(m);
}

static void
test_sync(void **state)
{
	char		 base[128], hbase[128], k[2048], c[4096];
	struct served	*d;
	json_t		*sum;
	int		 code, r;

	if (*state == NULL) {
		print_message("XBRG_SHARED/trustlists-real is absent: the "
		    "sync test needs the real lists; skipped\n");
		skip();
	}
	snprintf(base, sizeof(base), "https://127.0.0.1:%u", (unsigned)port);
	/* SE's pointer is plain http (as SK's in LOTL 390): sync must
	 * fetch it as https at the same address. */
	snprintf(hbase, sizeof(hbase), "http://127.0.0.1:%u", (unsigned)port);
	snprintf(k, sizeof(k), "-k %s/tl-signer.key -c %s/tl-signer.pem", fix,
	    fix);

	/* The pivot: signed by the anchor, announces the LOTL signer. */
	resign("/eu-lotl-pivot-1000.xml", 1, 5, "pivot.xml",
	    "-k %s/anchor.key -c %s/anchor.pem -t 2026-07-01T00:00:00Z "
	    "-s 1000 -P EU=%s/lotl.xml -C EU=%s/lotl-signer.pem "
	    "-U https://eur-lex.example/oj %s/lotl/eu-lotl_v6_seq390_"
	    "2026-08-03.xml", fix, fix, base, fix, shared);
	/* The LOTL: signed by the LOTL signer, reachable via the pivot. */
	snprintf(c, sizeof(c), "-C DK=%s/tl-signer.pem -C SE=%s/tl-signer.pem "
	    "-C FI=%s/tl-signer.pem -C UK=%s/tl-signer.pem "
	    "-C AT=%s/tl-signer.pem", fix, fix, fix, fix, fix);
	resign("/lotl.xml", 1, 3, "lotl.xml",
	    "-k %s/lotl-signer.key -c %s/lotl-signer.pem "
	    "-t 2026-08-03T00:00:00Z -s 1001 -P EU=%s/lotl.xml "
	    "-P AT=%s/AT.xml -P DK=%s/DK.xml -P SE=%s/SE.xml -P FI=%s/FI.xml "
	    "-P UK=%s/UK.xml -C EU=%s/lotl-signer.pem %s "
	    "-U %s/eu-lotl-pivot-1000.xml -U https://eur-lex.example/oj "
	    "%s/lotl/eu-lotl_v6_seq390_2026-08-03.xml", fix, fix, base, base,
	    base, hbase, base, base, fix, c, base, shared);
	resign("/DK.xml", 1, 1, "DK45.xml", "%s -t 2026-05-26T12:00:00Z "
	    "%s/tl-2026/DK_v6_seq45.xml", k, shared);
	resign("/DK.xml", 2, 2, "DK46.xml", "%s -t 2026-08-10T12:00:00Z "
	    "-s 46 -i 2026-08-10T11:00:00Z -n 2027-02-10T11:00:00Z "
	    "%s/tl-2026/DK_v6_seq45.xml", k, shared);
	d = doc("/DK.xml");	/* rounds 4, 5 serve round 2's bytes again */
	for (r = 4; r <= 5; r++) {
		assert_non_null(d->body[r] = malloc(d->len[2]));
		memcpy(d->body[r], d->body[2], d->len[2]);
		d->len[r] = d->len[2];
	}
	resign("/lotl.xml", 5, 5, "lotl1003.xml",
	    "-k %s/lotl-signer.key -c %s/lotl-signer.pem "
	    "-t 2026-08-12T00:00:00Z -s 1003 -P EU=%s/lotl.xml "
	    "-P DK=%s/DK.xml -C EU=%s/lotl-signer.pem -C DK=%s/tl-signer.pem "
	    "-U %s/eu-lotl-pivot-1000.xml "
	    "%s/lotl/eu-lotl_v6_seq390_2026-08-03.xml", fix, fix, base, base,
	    fix, fix, base, shared);
	resign("/lotl.xml", 4, 4, "lotl1002.xml",
	    "-k %s/lotl-signer.key -c %s/lotl-signer.pem "
	    "-t 2026-08-10T00:00:00Z -s 1002 -P EU=%s/lotl.xml "
	    "-P DK=%s/DK.xml -C EU=%s/lotl-signer.pem -C DK=%s/tl-signer.pem "
	    "-U %s/eu-lotl-pivot-1001.xml -U %s/eu-lotl-pivot-1000.xml "
	    "%s/lotl/eu-lotl_v6_seq390_2026-08-03.xml", fix, fix, base, base,
	    fix, fix, base, base, shared);
	resign("/DK.xml", 3, 3, "DK47-other.xml", "-k %s/other-signer.key "
	    "-c %s/other-signer.pem -t 2026-08-15T12:00:00Z -s 47 "
	    "%s/tl-2026/DK_v6_seq45.xml", fix, fix, shared);
	resign("/SE.xml", 1, 4, "SE62.xml", "%s -t 2026-08-19T12:00:00Z "
	    "%s/tl-2026/SE_v6_seq62.xml", k, shared);
	resign("/FI.xml", 1, 4, "FI54.xml", "%s -t 2026-04-16T12:00:00Z "
	    "%s/tl-2026/FI_v6_seq54.xml", k, shared);
	doc("/FI.xml")->status[2] = MHD_HTTP_SERVICE_UNAVAILABLE;
	resign("/UK.xml", 1, 1, "UK25.xml", "%s -t 2026-01-01T00:00:00Z "
	    "%s/tl-2026/UK_v6_seq25_closed.xml", k, shared);
	resign("/UK.xml", 2, 4, "UK24.xml", "%s -t 2026-08-01T00:00:00Z "
	    "-s 24 %s/tl-2026/UK_v6_seq25_closed.xml", k, shared);
	(void)doc("/AT.xml");	/* never served: 404 */

	snprintf(c, sizeof(c), "mkdir -p %s/anchors && cp %s/anchor.pem "
	    "%s/anchors/ && echo 'not a certificate' > %s/anchors/README",
	    tmpdir, fix, tmpdir, tmpdir);
	assert_int_equal(system(c), 0);

	/* Round 0: the LOTL itself cannot be fetched, nothing cached. */
	round_no = 1;
	sum = run_sync("/no-such-lotl.xml", &code);
	assert_int_equal(code, 1);
	expect(sum, "EU-LOTL", "failed", -1, 0, "TLV-NO-LOTL");
	assert_int_equal(json_array_size(json_object_get(sum, "lists")), 1);
	json_decref(sum);

	/* Round 1: all new; AT fails to download with nothing cached. */
	round_no = 1;
	sum = run_sync("/lotl.xml", &code);
	assert_int_equal(code, 1);
	assert_false(json_is_true(json_object_get(sum, "ok")));
	expect(sum, "EU-LOTL", "updated", 1001, 1, NULL);
	expect(sum, "DK", "updated", 45, 1, NULL);
	expect(sum, "SE", "updated", 62, 1, NULL);
	assert_int_equal(strncmp(json_string_value(json_object_get(item(sum,
	    "SE"), "url")), "http://", 7), 0);
	expect(sum, "FI", "updated", 54, 1, NULL);
	expect(sum, "UK", "updated", 25, 1, "TLV-CLOSED");
	expect(sum, "AT", "failed", -1, 0, NULL);
	assert_non_null(strstr(json_string_value(json_object_get(item(sum,
	    "AT"), "error")), "404"));
	json_decref(sum);
	expect_cached("EU-LOTL", "/lotl.xml", 1);
	expect_cached("DK", "/DK.xml", 1);
	expect_cached("UK", "/UK.xml", 1);
	assert_int_equal(doc("/eu-lotl-pivot-1000.xml")->hits, 1);

	/* Round 2: changed, unchanged (304), download failure, rollback. */
	round_no = 2;
	sum = run_sync("/lotl.xml", &code);
	assert_int_equal(code, 1);
	expect(sum, "EU-LOTL", "unchanged", 1001, 1, NULL);
	expect(sum, "DK", "updated", 46, 1, NULL);
	expect(sum, "SE", "unchanged", 62, 1, NULL);
	expect(sum, "FI", "failed", 54, 1, NULL);
	assert_non_null(strstr(json_string_value(json_object_get(item(sum,
	    "FI"), "error")), "503"));
	expect(sum, "UK", "failed", 25, 1, "TLV-ROLLBACK");
	assert_int_equal(json_integer_value(json_object_get(item(sum, "UK"),
	    "fetched_sequence")), 24);
	json_decref(sum);
	assert_int_equal(doc("/SE.xml")->n304, 1);
	assert_int_equal(doc("/lotl.xml")->n304, 1);
	assert_int_equal(doc("/eu-lotl-pivot-1000.xml")->hits, 1);
	expect_cached("DK", "/DK.xml", 2);
	expect_cached("SE", "/SE.xml", 1);
	expect_cached("FI", "/FI.xml", 1);
	expect_cached("UK", "/UK.xml", 1);	/* last good: seq 25 */

	/* Round 3: DK signed by a key its pointer does not announce. */
	round_no = 3;
	sum = run_sync("/lotl.xml", &code);
	assert_int_equal(code, 1);
	expect(sum, "DK", "failed", 46, 1, "TLV-SIG-SIGNER");
	expect(sum, "FI", "unchanged", 54, 1, NULL);
	json_decref(sum);
	expect_cached("DK", "/DK.xml", 2);

	/*
	 * Round 4: a new LOTL names a pivot that cannot be fetched: the
	 * chain breaks, the LOTL refresh fails, the last good LOTL (1001)
	 * is kept and still drives the national lists.
	 */
	round_no = 4;
	sum = run_sync("/lotl.xml", &code);
	assert_int_equal(code, 1);
	expect(sum, "EU-LOTL", "failed", 1001, 1, "TLV-PIVOT-FETCH");
	expect(sum, "DK", "unchanged", 46, 1, NULL);
	expect(sum, "SE", "unchanged", 62, 1, NULL);
	json_decref(sum);
	expect_cached("EU-LOTL", "/lotl.xml", 1);

	/*
	 * Round 5: a new LOTL (1003) points only to DK.  SE, FI and UK stay
	 * cached and are reported (never dropped silently); AT never had a
	 * list.
	 */
	round_no = 5;
	sum = run_sync("/lotl.xml", &code);
	assert_int_equal(code, 1);
	expect(sum, "EU-LOTL", "updated", 1003, 1, NULL);
	expect(sum, "DK", "unchanged", 46, 1, NULL);
	expect(sum, "SE", "failed", 62, 1, NULL);
	expect(sum, "UK", "failed", 25, 1, NULL);
	assert_non_null(strstr(json_string_value(json_object_get(item(sum,
	    "FI"), "error")), "no longer pointed to"));
	assert_int_equal(json_array_size(json_object_get(sum, "lists")), 5);
	json_decref(sum);
	expect_cached("SE", "/SE.xml", 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync),
	};

	return cmocka_run_group_tests_name("tl_sync", tests, setup, teardown);
}
