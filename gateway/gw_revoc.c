/*
 * gw_revoc.c: revocation status for relying-party validation.
 *
 * For each certificate of a validated chain (leaf first, trust anchor
 * last, the anchor not checked) with its issuer next in the chain:
 *   1. supplied data (the request's "crls"/"ocsp", base64 DER): an OCSP
 *      response about the certificate, else a CRL from its issuer;
 *   2. the in-memory cache, keyed by URL (CRL) or URL + certificate ID
 *      (OCSP), each entry kept until its nextUpdate (by the caller's
 *      clock `now`, never the wall clock here);
 *   3. the network when the policy allows: OCSP from the AIA (RFC 6960,
 *      HTTP POST, no nonce so answers can be cached) and CRLs from the
 *      CRL distribution points (RFC 5280 4.2.1.13), http only (two
 *      redirects at most, to http), with connect and total timeouts and a
 *      byte cap (libcurl).
 * OCSP comes first unless the policy prefers CRLs.  An answer is used
 * when its signature verifies (SM2 with SM3 and the GM/T 0009 ID by hand,
 * since OpenSSL 3.0 cannot set the ID for CRLs or OCSP; other algorithms
 * through EVP), it comes from the issuer (CRL issuer name and key; OCSP
 * signed by the issuer or by a responder certificate the issuer issued with
 * id-kp-OCSPSigning, RFC 6960 4.2.2.2), and its nextUpdate is after the
 * validation time `at`.  Revoked means a revocation date at or before
 * `at`.  Nothing usable gives REVOC-UNKNOWN: an error, or a warning when
 * the policy soft-fails.
 *
 * Ignored on purpose: delta CRLs, CRLs whose issuing distribution point
 * narrows their scope (only-some-reasons, indirect, only-attribute or
 * only-CA/user certificates not matching) are not used, OCSP nonces (we
 * cache answers) and producedAt.  The cache is one mutex-protected table
 * (GW_REVOC_CACHE_MAX entries, least recently used evicted): fetches
 * happen outside the lock, so two threads may fetch the same URL once each.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "gw.h"
#include "gw_cms_int.h"

#define MAX_URLS	4	/* per certificate and method */
#define SKEW		300	/* seconds a thisUpdate may be ahead */
#define NO_NEXT_TTL	3600	/* cache time without a nextUpdate */
#define MAX_REDIRS	2	/* HTTP redirects followed */

static const struct val_rule r_revoked = { "REVOC-REVOKED", VAL_ERROR,
	"RFC 5280 6.3.3; RFC 6960 2.2", "certificate is revoked" };
static const struct val_rule r_unknown = { "REVOC-UNKNOWN", VAL_ERROR,
	"RFC 5280 6.3.3; RFC 6960 2.2",
	"revocation status unknown (no usable CRL or OCSP answer)" };
static const struct val_rule r_unknown_soft = { "REVOC-UNKNOWN", VAL_WARN,
	"RFC 5280 6.3.3; RFC 6960 2.2",
	"revocation status unknown (soft-fail policy)" };
static const struct val_rule r_stale = { "REVOC-STALE", VAL_WARN,
	"RFC 5280 5.1.2.5; RFC 6960 4.2.2.1",
	"revocation data past its nextUpdate: not used" };
static const struct val_rule r_bad_sig = { "REVOC-BAD-SIG", VAL_WARN,
	"RFC 5280 6.3.3 (f); RFC 6960 3.2",
	"revocation data not signed by the issuer or its responder: not used" };
static const struct val_rule r_sm2_id = { "REVOC-SM2-ID", VAL_WARN,
	"GM/T 0009-2012 10", "SM2 revocation data signed with the empty ID, "
	"not 1234567812345678: not used" };
static const struct val_rule r_fetch = { "REVOC-FETCH", VAL_INFO,
	"RFC 5280 4.2.1.13; RFC 6960 A.1", "revocation source unreachable" };
static const struct val_rule r_malformed = { "REVOC-MALFORMED", VAL_WARN,
	"RFC 5280 5.1; RFC 6960 4.2.1",
	"revocation data does not parse or is not applicable" };

const char *
gw_revoc_status_name(enum gw_revoc_status s)
{
	switch (s) {
	case GW_REVOC_GOOD:
		return "good";
	case GW_REVOC_REVOKED:
		return "revoked";
	default:
		return "unknown";
	}
}

const char *
gw_revoc_source_name(enum gw_revoc_source s)
{
	switch (s) {
	case GW_REVOC_SRC_SUPPLIED:
		return "supplied";
	case GW_REVOC_SRC_CACHE:
		return "cache";
	case GW_REVOC_SRC_FETCHED:
		return "fetched";
	default:
		return "none";
	}
}

/* ------------------------------------------------------------------ */
/* Supplied data. */

struct gw_revoc_supplied {
	STACK_OF(X509_CRL)	*crls;
	OCSP_RESPONSE		*ocsp[GW_REVOC_MAX_SUPPLIED];
	unsigned char		*ocsp_der[GW_REVOC_MAX_SUPPLIED]; /* raw */
	size_t			 ocsp_len[GW_REVOC_MAX_SUPPLIED];
	int			 nocsp;
};

void
gw_revoc_supplied_free(struct gw_revoc_supplied *s)
{
	if (s == NULL)
		return;
	sk_X509_CRL_pop_free(s->crls, X509_CRL_free);
	while (s->nocsp > 0) {
		s->nocsp--;
		OCSP_RESPONSE_free(s->ocsp[s->nocsp]);
		free(s->ocsp_der[s->nocsp]);
	}
	free(s);
}

static struct gw_revoc_supplied *
supplied_get(struct gw_revoc_supplied **sp)
{
	if (*sp == NULL && (*sp = calloc(1, sizeof(**sp))) == NULL)
		return NULL;
	if ((*sp)->crls == NULL && ((*sp)->crls = sk_X509_CRL_new_null()) ==
	    NULL)
		return NULL;
	return *sp;
}

static X509_CRL *
crl_parse(const unsigned char *der, size_t len, char *err, size_t errlen)
{
	const unsigned char	*p = der;
	X509_CRL		*c;

	if (len > GW_REVOC_MAX_BYTES || len > LONG_MAX) {
		snprintf(err, errlen, "CRL larger than %d bytes",
		    GW_REVOC_MAX_BYTES);
		return NULL;
	}
	if ((c = d2i_X509_CRL(NULL, &p, (long)len)) == NULL ||
	    p != der + len) {
		X509_CRL_free(c);
		ERR_clear_error();
		snprintf(err, errlen, "not a DER CRL");
		return NULL;
	}
	return c;
}

static OCSP_RESPONSE *
ocsp_parse(const unsigned char *der, size_t len, char *err, size_t errlen)
{
	const unsigned char	*p = der;
	OCSP_RESPONSE		*o;

	if (len > GW_REVOC_MAX_BYTES || len > LONG_MAX) {
		snprintf(err, errlen, "OCSP response larger than %d bytes",
		    GW_REVOC_MAX_BYTES);
		return NULL;
	}
	if ((o = d2i_OCSP_RESPONSE(NULL, &p, (long)len)) == NULL ||
	    p != der + len) {
		OCSP_RESPONSE_free(o);
		ERR_clear_error();
		snprintf(err, errlen, "not a DER OCSP response");
		return NULL;
	}
	return o;
}

int
gw_revoc_supplied_add_crl(struct gw_revoc_supplied **sp,
    const unsigned char *der, size_t len, char *err, size_t errlen)
{
	struct gw_revoc_supplied	*s;
	X509_CRL			*c;

	if ((s = supplied_get(sp)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sk_X509_CRL_num(s->crls) >= GW_REVOC_MAX_SUPPLIED) {
		snprintf(err, errlen, "more than %d CRLs",
		    GW_REVOC_MAX_SUPPLIED);
		return -1;
	}
	if ((c = crl_parse(der, len, err, errlen)) == NULL)
		return -1;
	if (!sk_X509_CRL_push(s->crls, c)) {
		X509_CRL_free(c);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int
gw_revoc_supplied_add_ocsp(struct gw_revoc_supplied **sp,
    const unsigned char *der, size_t len, char *err, size_t errlen)
{
	struct gw_revoc_supplied	*s;
	OCSP_RESPONSE			*o;

	if ((s = supplied_get(sp)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (s->nocsp >= GW_REVOC_MAX_SUPPLIED) {
		snprintf(err, errlen, "more than %d OCSP responses",
		    GW_REVOC_MAX_SUPPLIED);
		return -1;
	}
	if ((o = ocsp_parse(der, len, err, errlen)) == NULL)
		return -1;
	if ((s->ocsp_der[s->nocsp] = malloc(len)) == NULL) {
		OCSP_RESPONSE_free(o);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(s->ocsp_der[s->nocsp], der, len);
	s->ocsp_len[s->nocsp] = len;
	s->ocsp[s->nocsp++] = o;
	return 0;
}

/* Strict base64 (RFC 4648 4, no whitespace).  Returns 0 or -1. */
static int
b64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen)
{
	unsigned char	*b;
	size_t		 pad = 0;
	int		 r;

	if (n == 0 || n % 4 != 0 || n > (size_t)INT_MAX ||
	    n / 4 * 3 > GW_REVOC_MAX_BYTES)
		return -1;
	if (s[n - 1] == '=')
		pad++;
	if (s[n - 2] == '=')
		pad++;
	if ((b = malloc(n / 4 * 3 + 1)) == NULL)
		return -1;
	r = EVP_DecodeBlock(b, (const unsigned char *)s, (int)n);
	if (r < 0 || (size_t)r != n / 4 * 3) {
		free(b);
		return -1;
	}
	*out = b;
	*outlen = (size_t)r - pad;
	return 0;
}

int
gw_revoc_supplied_from_json(const json_t *req,
    struct gw_revoc_supplied **out, char *err, size_t errlen)
{
	static const char *const members[] = { "crls", "ocsp" };
	struct gw_revoc_supplied	*s = NULL;
	const json_t			*a, *v;
	unsigned char			*der;
	size_t				 i, k, len;
	char				 why[160];
	int				 rc;

	*out = NULL;
	for (k = 0; k < 2; k++) {
		if ((a = json_object_get(req, members[k])) == NULL)
			continue;
		if (!json_is_array(a)) {
			snprintf(err, errlen, "%s: not an array of base64 "
			    "strings", members[k]);
			goto fail;
		}
		if (json_array_size(a) > GW_REVOC_MAX_SUPPLIED) {
			snprintf(err, errlen, "%s: more than %d entries",
			    members[k], GW_REVOC_MAX_SUPPLIED);
			goto fail;
		}
		for (i = 0; i < json_array_size(a); i++) {
			v = json_array_get(a, i);
			if (!json_is_string(v) ||
			    b64_decode(json_string_value(v),
			    json_string_length(v), &der, &len) != 0) {
				snprintf(err, errlen, "%s[%zu]: not base64 "
				    "(at most %d bytes decoded)", members[k],
				    i, GW_REVOC_MAX_BYTES);
				goto fail;
			}
			rc = k == 0 ?
			    gw_revoc_supplied_add_crl(&s, der, len, why,
			    sizeof(why)) :
			    gw_revoc_supplied_add_ocsp(&s, der, len, why,
			    sizeof(why));
			free(der);
			if (rc != 0) {
				snprintf(err, errlen, "%s[%zu]: %s",
				    members[k], i, why);
				goto fail;
			}
		}
	}
	*out = s;
	return 0;
 fail:
	gw_revoc_supplied_free(s);
	return -1;
}

/* ------------------------------------------------------------------ */
/* The cache. */

struct centry {
	char		*key;
	X509_CRL	*crl;		/* CRL entries */
	int		 ostatus;	/* OCSP: V_OCSP_CERTSTATUS_* */
	int		 oreason;
	time_t		 orevoked;
	time_t		 this_update, next_update;
	time_t		 expires;	/* by the caller's clock */
	unsigned char	 issuer[32];	/* SHA-256 of the issuer key */
	unsigned long	 used;
};

struct gw_revoc {
	struct gw_revoc_policy	 pol;
	char			*connect_to;
	pthread_mutex_t		 mu;
	struct centry		 v[GW_REVOC_CACHE_MAX];
	size_t			 n;
	unsigned long		 tick;
	struct gw_revoc_stats	 st;
};

struct gw_revoc *
gw_revoc_new(const struct gw_revoc_policy *pol)
{
	struct gw_revoc	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->pol = *pol;
	if (r->pol.connect_ms <= 0)
		r->pol.connect_ms = GW_REVOC_CONNECT_MS;
	if (r->pol.total_ms <= 0)
		r->pol.total_ms = GW_REVOC_TOTAL_MS;
	if (r->pol.max_bytes == 0 || r->pol.max_bytes > GW_REVOC_MAX_BYTES)
		r->pol.max_bytes = GW_REVOC_MAX_BYTES;
	if (pol->connect_to != NULL &&
	    (r->connect_to = strdup(pol->connect_to)) == NULL) {
		free(r);
		return NULL;
	}
	r->pol.connect_to = r->connect_to;
	if (pthread_mutex_init(&r->mu, NULL) != 0) {
		free(r->connect_to);
		free(r);
		return NULL;
	}
	return r;
}

static void
centry_clear(struct centry *e)
{
	free(e->key);
	X509_CRL_free(e->crl);
	memset(e, 0, sizeof(*e));
}

void
gw_revoc_free(struct gw_revoc *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		centry_clear(&r->v[i]);
	pthread_mutex_destroy(&r->mu);
	free(r->connect_to);
	free(r);
}

void
gw_revoc_stats(struct gw_revoc *r, struct gw_revoc_stats *out)
{
	pthread_mutex_lock(&r->mu);
	*out = r->st;
	out->cached = r->n;
	pthread_mutex_unlock(&r->mu);
}

/* Copies a live entry for key into *out (CRL up-referenced).  1 on hit. */
static int
cache_get(struct gw_revoc *r, const char *key, time_t now,
    struct centry *out)
{
	size_t	 i;
	int	 hit = 0;

	pthread_mutex_lock(&r->mu);
	for (i = 0; i < r->n; i++) {
		if (strcmp(r->v[i].key, key) != 0)
			continue;
		if (now >= r->v[i].expires) {
			centry_clear(&r->v[i]);
			r->v[i] = r->v[--r->n];
			memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
			break;
		}
		*out = r->v[i];
		out->key = NULL;
		if (out->crl != NULL && !X509_CRL_up_ref(out->crl))
			break;
		r->v[i].used = ++r->tick;
		r->st.cache_hits++;
		hit = 1;
		break;
	}
	pthread_mutex_unlock(&r->mu);
	return hit;
}

/* Stores e under key (taking a reference to e->crl). */
static void
cache_put(struct gw_revoc *r, const char *key, const struct centry *e)
{
	size_t	 i, victim = 0;
	char	*k;

	if ((k = strdup(key)) == NULL)
		return;
	if (e->crl != NULL && !X509_CRL_up_ref(e->crl)) {
		free(k);
		return;
	}
	pthread_mutex_lock(&r->mu);
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].key, key) == 0)
			break;
	if (i == r->n && r->n == GW_REVOC_CACHE_MAX) {
		for (i = 1; i < r->n; i++)
			if (r->v[i].used < r->v[victim].used)
				victim = i;
		i = victim;
	}
	if (i < r->n)
		centry_clear(&r->v[i]);
	else
		r->n++;
	r->v[i] = *e;
	r->v[i].key = k;
	r->v[i].used = ++r->tick;
	pthread_mutex_unlock(&r->mu);
}

/* ------------------------------------------------------------------ */
/* Fetching. */

/* Is this a loopback, private, link-local, CGNAT or multicast address? */
static int
private_addr(const struct sockaddr *sa)
{
	const unsigned char	*a;
	const struct sockaddr_in6 *s6;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };
	int			 i, zero = 1;

	if (sa->sa_family == AF_INET) {
		a = (const unsigned char *)
		    &((const struct sockaddr_in *)sa)->sin_addr;
 v4:
		return a[0] == 0 || a[0] == 10 || a[0] == 127 ||
		    (a[0] == 169 && a[1] == 254) ||
		    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
		    (a[0] == 192 && a[1] == 168) ||
		    (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] >= 224;
	}
	if (sa->sa_family != AF_INET6)
		return 1;
	s6 = (const struct sockaddr_in6 *)sa;
	a = s6->sin6_addr.s6_addr;
	if (memcmp(a, mapped, 12) == 0) {
		a += 12;
		goto v4;
	}
	for (i = 0; i < 15; i++)
		if (a[i] != 0)
			zero = 0;
	return (zero && (a[15] == 0 || a[15] == 1)) ||	/* :: and ::1 */
	    (a[0] & 0xfe) == 0xfc ||			/* fc00::/7 */
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||	/* fe80::/10 */
	    a[0] == 0xff;				/* multicast */
}

/* curl's socket opener: refuses private addresses when asked to. */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	int	*refused = arg;

	if (purpose == CURLSOCKTYPE_IPCXN &&
	    private_addr(&addr->addr)) {
		*refused = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

struct body {
	unsigned char	*p;
	size_t		 n, cap;
};

static size_t
body_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body	*b = arg;
	size_t		 len = size * nmemb;
	unsigned char	*np;

	if (len > b->cap - b->n)
		return 0;	/* over the cap: curl aborts */
	if ((np = realloc(b->p, b->n + len + 1)) == NULL)
		return 0;
	b->p = np;
	memcpy(b->p + b->n, data, len);
	b->n += len;
	return len;
}

/*
 * GET url, or POST post/postlen with content type ctype.  Returns 0 and
 * an owned body, or -1 with err (curl's message, or the HTTP status).
 */
static int
fetch(struct gw_revoc *r, const char *url, const unsigned char *post,
    size_t postlen, const char *ctype, unsigned char **out, size_t *outlen,
    char *err, size_t errlen)
{
	CURL			*c;
	CURLcode		 cc;
	struct curl_slist	*hdr = NULL, *ct = NULL;
	struct body		 b = { NULL, 0, r->pol.max_bytes };
	char			 ebuf[CURL_ERROR_SIZE] = "";
	long			 status = 0;
	int			 rc = -1, refused = 0;

	pthread_mutex_lock(&r->mu);
	r->st.fetches++;
	pthread_mutex_unlock(&r->mu);
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "curl_easy_init failed");
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, r->pol.connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->pol.total_ms);
	/* A few redirects, to http only (some CDPs move their CRLs). */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRS);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "xbrg-revocation/1");
	if (r->pol.max_bytes <= LONG_MAX)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE,
		    (long)r->pol.max_bytes);
	if (r->connect_to != NULL) {
		if ((ct = curl_slist_append(NULL, r->connect_to)) == NULL)
			goto out;
		curl_easy_setopt(c, CURLOPT_CONNECT_TO, ct);
	}
	if (r->pol.no_private) {
		curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
		curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &refused);
	}
	if (post != NULL) {
		char	 h[128];

		snprintf(h, sizeof(h), "Content-Type: %s", ctype);
		if ((hdr = curl_slist_append(NULL, h)) == NULL)
			goto out;
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)postlen);
	}
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		snprintf(err, errlen, "%s", refused ? "refused: a loopback, "
		    "private or link-local address" : cc == CURLE_WRITE_ERROR ?
		    "response larger than the cap" : ebuf[0] != '\0' ? ebuf :
		    curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		snprintf(err, errlen, "HTTP status %ld", status);
		goto out;
	}
	*out = b.p;
	*outlen = b.n;
	b.p = NULL;
	rc = 0;
 out:
	if (rc != 0) {
		pthread_mutex_lock(&r->mu);
		r->st.fetch_errors++;
		pthread_mutex_unlock(&r->mu);
	}
	free(b.p);
	curl_slist_free_all(hdr);
	curl_slist_free_all(ct);
	curl_easy_cleanup(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Evaluating answers. */

/* What one source said about one certificate. */
struct answer {
	enum gw_revoc_status	 status;
	time_t			 this_update, next_update, revoked_at;
	int			 reason;
};

struct ctx {
	X509			*cert, *issuer;
	unsigned char		 ikey[32];	/* SHA-256, issuer key */
	time_t			 at, now;
	struct val_report	*rep;
	char			 where[64];
};

static void
key_hash(X509 *x, unsigned char out[32])
{
	unsigned int	 n;

	memset(out, 0, 32);
	X509_pubkey_digest(x, EVP_sha256(), out, &n);
}

static int
asn1_t(const ASN1_TIME *t, time_t *out)
{
	return t != NULL && val_asn1_time(t, out) == 0 ? 0 : -1;
}

/* Verifies a SIGNED{} DER object against x's key, adding findings. */
static int
signed_by(const unsigned char *der, size_t len, X509 *x, struct ctx *c,
    const char *what, const char *src)
{
	char	 why[160];
	int	 empty;

	if (X509_get0_pubkey(x) == NULL) {
		ERR_clear_error();
		return 0;
	}
	if (gw_verify_signed(der, len, X509_get0_pubkey(x), &empty, why,
	    sizeof(why)))
		return 1;
	val_report_add(c->rep, empty ? &r_sm2_id : &r_bad_sig, c->where,
	    "%s from %s: %s", what, src, why);
	return 0;
}

/* Is the CRL's scope one we can apply to this certificate? */
static int
crl_scope_ok(X509_CRL *crl, X509 *cert)
{
	ISSUING_DIST_POINT	*idp;
	int			 crit, ok = 1, ca;

	if (X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0)
		return 0;
	idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point,
	    &crit, NULL);
	if (idp == NULL)
		return crit == -1;	/* absent; -2: present twice */
	ca = X509_check_ca(cert) != 0;
	if (idp->onlysomereasons != NULL || idp->indirectCRL ||
	    idp->onlyattr || (idp->onlyuser && ca) || (idp->onlyCA && !ca))
		ok = 0;
	ISSUING_DIST_POINT_free(idp);
	return ok;
}

/*
 * Evaluates a CRL for c->cert.  verify: check the signature (not for a
 * cache hit verified with the same issuer key).  Returns 1 with *a when
 * usable, 0 when not (findings added).
 */
static int
crl_eval(X509_CRL *crl, struct ctx *c, int verify, const char *src,
    struct answer *a)
{
	X509_REVOKED		*rv = NULL;
	ASN1_ENUMERATED		*reason;
	unsigned char		*der = NULL;
	int			 len, r;
	time_t			 t;
	char			 b1[VAL_TIME_LEN];

	memset(a, 0, sizeof(*a));
	a->reason = -1;
	if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
	    X509_get_issuer_name(c->cert)) != 0)
		return 0;	/* another issuer's CRL: not ours */
	if (!crl_scope_ok(crl, c->cert)) {
		val_report_add(c->rep, &r_malformed, c->where, "CRL from %s: "
		    "delta or partial-scope CRL", src);
		return 0;
	}
	if (verify) {
		if ((len = i2d_X509_CRL(crl, &der)) <= 0)
			return 0;
		r = signed_by(der, (size_t)len, c->issuer, c, "CRL", src);
		OPENSSL_free(der);
		if (!r)
			return 0;
	}
	if (asn1_t(X509_CRL_get0_lastUpdate(crl), &a->this_update) != 0 ||
	    asn1_t(X509_CRL_get0_nextUpdate(crl), &a->next_update) != 0) {
		val_report_add(c->rep, &r_malformed, c->where, "CRL from %s: "
		    "no or bad thisUpdate/nextUpdate", src);
		return 0;
	}
	if (a->next_update <= c->at || a->this_update > c->now + SKEW) {
		val_time_format(a->next_update, b1);
		val_report_add(c->rep, &r_stale, c->where, "CRL from %s: "
		    "nextUpdate %s", src, b1);
		return 0;
	}
	a->status = GW_REVOC_GOOD;
	if (X509_CRL_get0_by_serial(crl, &rv,
	    X509_get0_serialNumber(c->cert)) == 1 && rv != NULL &&
	    asn1_t(X509_REVOKED_get0_revocationDate(rv), &t) == 0 &&
	    t <= c->at) {
		a->status = GW_REVOC_REVOKED;
		a->revoked_at = t;
		reason = X509_REVOKED_get_ext_d2i(rv, NID_crl_reason, NULL,
		    NULL);
		if (reason != NULL)
			a->reason = (int)ASN1_ENUMERATED_get(reason);
		ASN1_ENUMERATED_free(reason);
	}
	ERR_clear_error();
	return 1;
}

/* Is signer allowed to answer for c->issuer (RFC 6960 4.2.2.2)? */
static int
ocsp_signer_ok(X509 *signer, struct ctx *c, const char *src)
{
	unsigned char	*der = NULL;
	int		 len, ok;
	time_t		 nb, na;

	if (X509_cmp(signer, c->issuer) == 0)
		return 1;
	if (X509_NAME_cmp(X509_get_issuer_name(signer),
	    X509_get_subject_name(c->issuer)) != 0 ||
	    !(X509_get_extension_flags(signer) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(signer) & XKU_OCSP_SIGN) ||
	    asn1_t(X509_get0_notBefore(signer), &nb) != 0 ||
	    asn1_t(X509_get0_notAfter(signer), &na) != 0 ||
	    c->at < nb || c->at > na) {
		val_report_add(c->rep, &r_bad_sig, c->where, "OCSP from %s: "
		    "responder is not the issuer nor an OCSP signer it "
		    "issued, valid at the time", src);
		return 0;
	}
	if ((len = i2d_X509(signer, &der)) <= 0)
		return 0;
	ok = signed_by(der, (size_t)len, c->issuer, c, "OCSP responder "
	    "certificate", src);
	OPENSSL_free(der);
	return ok;
}

/*
 * Evaluates an OCSP response for c->cert.  Returns 1 with *a when usable,
 * 0 when not about this certificate or not usable (findings added for the
 * latter).
 */
static int
ocsp_eval(OCSP_RESPONSE *resp, const unsigned char *raw, size_t rawlen,
    struct ctx *c, int verify, const char *src, struct answer *a)
{
	const unsigned char	*bder;
	size_t			 blen;
	OCSP_BASICRESP		*bs = NULL;
	OCSP_CERTID		*id = NULL;
	STACK_OF(X509)		*extra = NULL;
	X509			*signer = NULL;
	ASN1_GENERALIZEDTIME	*rev = NULL, *thisu = NULL, *nextu = NULL;
	unsigned char		*der = NULL;
	int			 st, reason = -1, len, ok = 0, k;
	const EVP_MD		*mds[2];
	char			 b1[VAL_TIME_LEN];

	memset(a, 0, sizeof(*a));
	a->reason = -1;
	if (OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		val_report_add(c->rep, &r_malformed, c->where, "OCSP from %s: "
		    "response status %s", src, OCSP_response_status_str(
		    OCSP_response_status(resp)));
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		val_report_add(c->rep, &r_malformed, c->where, "OCSP from %s: "
		    "not a basic response", src);
		goto out;
	}
	/* Is it about this certificate?  SHA-1 or SHA-256 certificate IDs. */
	mds[0] = EVP_sha1();
	mds[1] = EVP_sha256();
	for (k = 0; k < 2; k++) {
		OCSP_CERTID_free(id);
		if ((id = OCSP_cert_to_id(mds[k], c->cert, c->issuer)) ==
		    NULL)
			goto out;
		if (OCSP_resp_find_status(bs, id, &st, &reason, &rev, &thisu,
		    &nextu) == 1)
			break;
	}
	if (k == 2)
		goto out;	/* another certificate's answer */
	if (!verify)
		goto verified;
	if ((extra = sk_X509_new_null()) == NULL ||
	    !sk_X509_push(extra, c->issuer))
		goto out;
	if (!OCSP_resp_get0_signer(bs, &signer, extra)) {
		val_report_add(c->rep, &r_bad_sig, c->where, "OCSP from %s: "
		    "responder certificate not found", src);
		goto out;
	}
	if (!ocsp_signer_ok(signer, c, src))
		goto out;
	/* The signature covers the bytes as the responder sent them. */
	if (raw == NULL || gw_ocsp_basic_der(raw, rawlen, &bder, &blen) != 0) {
		if ((len = i2d_OCSP_BASICRESP(bs, &der)) <= 0)
			goto out;
		bder = der;
		blen = (size_t)len;
	}
	if (!signed_by(bder, blen, signer, c, "OCSP response", src))
		goto out;
 verified:
	if (asn1_t(thisu, &a->this_update) != 0 || (nextu != NULL &&
	    asn1_t(nextu, &a->next_update) != 0)) {
		val_report_add(c->rep, &r_malformed, c->where, "OCSP from %s: "
		    "bad thisUpdate/nextUpdate", src);
		goto out;
	}
	/* Without nextUpdate the answer is only as fresh as thisUpdate. */
	if ((nextu != NULL && a->next_update <= c->at) ||
	    (nextu == NULL && a->this_update + NO_NEXT_TTL <= c->at) ||
	    a->this_update > c->now + SKEW) {
		val_time_format(nextu != NULL ? a->next_update :
		    a->this_update, b1);
		val_report_add(c->rep, &r_stale, c->where, "OCSP from %s: %s "
		    "%s", src, nextu != NULL ? "nextUpdate" : "thisUpdate",
		    b1);
		goto out;
	}
	if (st == V_OCSP_CERTSTATUS_GOOD)
		a->status = GW_REVOC_GOOD;
	else if (st == V_OCSP_CERTSTATUS_REVOKED) {
		if (asn1_t(rev, &a->revoked_at) != 0)
			goto out;
		a->reason = reason;
		a->status = a->revoked_at <= c->at ? GW_REVOC_REVOKED :
		    GW_REVOC_GOOD;
	} else {
		val_report_add(c->rep, &r_malformed, c->where, "OCSP from %s: "
		    "responder says unknown", src);
		goto out;
	}
	ok = 1;
 out:
	ERR_clear_error();
	OPENSSL_free(der);
	sk_X509_free(extra);
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	return ok;
}

/* ------------------------------------------------------------------ */
/* URLs. */

static int
http_url(const char *u)
{
	return strncmp(u, "http://", 7) == 0 && strlen(u) < GW_REVOC_MAX_URL;
}

/* The http URIs of the CRL distribution points (at most MAX_URLS). */
static size_t
cdp_urls(X509 *x, char urls[MAX_URLS][GW_REVOC_MAX_URL])
{
	STACK_OF(DIST_POINT)	*dps;
	DIST_POINT		*dp;
	GENERAL_NAME		*gn;
	const char		*u;
	int			 i, j;
	size_t			 n = 0;

	dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	for (i = 0; dps != NULL && i < sk_DIST_POINT_num(dps); i++) {
		dp = sk_DIST_POINT_value(dps, i);
		if (dp->distpoint == NULL || dp->distpoint->type != 0 ||
		    dp->reasons != NULL || dp->CRLissuer != NULL)
			continue;
		for (j = 0; j < sk_GENERAL_NAME_num(
		    dp->distpoint->name.fullname); j++) {
			gn = sk_GENERAL_NAME_value(
			    dp->distpoint->name.fullname, j);
			if (gn->type != GEN_URI)
				continue;
			u = (const char *)ASN1_STRING_get0_data(
			    gn->d.uniformResourceIdentifier);
			if (n < MAX_URLS && http_url(u) &&
			    strlen(u) == (size_t)ASN1_STRING_length(
			    gn->d.uniformResourceIdentifier))
				snprintf(urls[n++], GW_REVOC_MAX_URL, "%s", u);
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	ERR_clear_error();
	return n;
}

static size_t
ocsp_urls(X509 *x, char urls[MAX_URLS][GW_REVOC_MAX_URL])
{
	STACK_OF(OPENSSL_STRING)	*s;
	const char			*u;
	int				 i;
	size_t				 n = 0;

	s = X509_get1_ocsp(x);
	for (i = 0; s != NULL && i < sk_OPENSSL_STRING_num(s); i++) {
		u = sk_OPENSSL_STRING_value(s, i);
		if (n < MAX_URLS && http_url(u))
			snprintf(urls[n++], GW_REVOC_MAX_URL, "%s", u);
	}
	X509_email_free(s);
	ERR_clear_error();
	return n;
}

/* ------------------------------------------------------------------ */
/* One certificate. */

static void
set_result(struct gw_revoc_result *res, const struct answer *a,
    enum gw_revoc_source src, const char *method, const char *url)
{
	res->status = a->status;
	res->source = src;
	res->method = method;
	snprintf(res->url, sizeof(res->url), "%s", url);
	res->this_update = a->this_update;
	res->next_update = a->next_update;
	res->revoked_at = a->status == GW_REVOC_REVOKED ? a->revoked_at : 0;
	res->reason = a->status == GW_REVOC_REVOKED ? a->reason : -1;
}

/* The cache key of an OCSP answer: URL, issuer key, serial. */
static void
ocsp_key(struct ctx *c, const char *url, char *key, size_t keylen)
{
	const ASN1_INTEGER	*s = X509_get0_serialNumber(c->cert);
	size_t			 o;
	int			 i;

	o = (size_t)snprintf(key, keylen, "ocsp %s ", url);
	for (i = 0; i < 8 && o + 3 < keylen; i++, o += 2)
		snprintf(key + o, 3, "%02x", c->ikey[i]);
	if (o + 2 < keylen)
		key[o++] = ' ';
	for (i = 0; i < s->length && o + 3 < keylen; i++, o += 2)
		snprintf(key + o, 3, "%02x", s->data[i]);
	key[o < keylen ? o : keylen - 1] = '\0';
}

/* Tries OCSP at url: cache, then network. 1: res set. */
static int
try_ocsp(struct gw_revoc *r, struct ctx *c, const char *url,
    struct gw_revoc_result *res)
{
	struct centry		 e;
	struct answer		 a;
	OCSP_REQUEST		*req = NULL;
	OCSP_CERTID		*id = NULL;
	OCSP_RESPONSE		*resp = NULL;
	unsigned char		*q = NULL, *body = NULL;
	size_t			 blen;
	int			 qlen, ok = 0;
	char			 key[GW_REVOC_MAX_URL + 128], err[256];

	ocsp_key(c, url, key, sizeof(key));
	if (cache_get(r, key, c->now, &e)) {
		memset(&a, 0, sizeof(a));
		a.status = e.ostatus == V_OCSP_CERTSTATUS_REVOKED &&
		    e.orevoked <= c->at ? GW_REVOC_REVOKED : GW_REVOC_GOOD;
		a.this_update = e.this_update;
		a.next_update = e.next_update;
		a.revoked_at = e.orevoked;
		a.reason = e.oreason;
		if (e.next_update == 0 || e.next_update > c->at) {
			set_result(res, &a, GW_REVOC_SRC_CACHE, "ocsp", url);
			return 1;
		}
	}
	if ((req = OCSP_REQUEST_new()) == NULL ||
	    (id = OCSP_cert_to_id(NULL, c->cert, c->issuer)) == NULL ||
	    OCSP_request_add0_id(req, id) == NULL)
		goto out;
	id = NULL;
	if ((qlen = i2d_OCSP_REQUEST(req, &q)) <= 0)
		goto out;
	if (fetch(r, url, q, (size_t)qlen, "application/ocsp-request", &body,
	    &blen, err, sizeof(err)) != 0) {
		val_report_add(c->rep, &r_fetch, c->where, "OCSP %s: %s", url,
		    err);
		goto out;
	}
	if ((resp = ocsp_parse(body, blen, err, sizeof(err))) == NULL) {
		val_report_add(c->rep, &r_malformed, c->where, "OCSP %s: %s",
		    url, err);
		goto out;
	}
	if (!ocsp_eval(resp, body, blen, c, 1, url, &a))
		goto out;
	memset(&e, 0, sizeof(e));
	e.ostatus = a.status == GW_REVOC_GOOD && a.revoked_at == 0 ?
	    V_OCSP_CERTSTATUS_GOOD : V_OCSP_CERTSTATUS_REVOKED;
	e.orevoked = a.revoked_at;
	e.oreason = a.reason;
	e.this_update = a.this_update;
	e.next_update = a.next_update;
	e.expires = a.next_update != 0 ? a.next_update : c->now + NO_NEXT_TTL;
	memcpy(e.issuer, c->ikey, sizeof(e.issuer));
	cache_put(r, key, &e);
	set_result(res, &a, GW_REVOC_SRC_FETCHED, "ocsp", url);
	ok = 1;
 out:
	ERR_clear_error();
	OCSP_CERTID_free(id);
	OCSP_REQUEST_free(req);
	OCSP_RESPONSE_free(resp);
	OPENSSL_free(q);
	free(body);
	return ok;
}

/* Tries the CRL at url: cache, then network. 1: res set. */
static int
try_crl(struct gw_revoc *r, struct ctx *c, const char *url,
    struct gw_revoc_result *res)
{
	struct centry	 e;
	struct answer	 a;
	X509_CRL	*crl = NULL;
	unsigned char	*body = NULL;
	size_t		 blen;
	int		 ok = 0;
	char		 key[GW_REVOC_MAX_URL + 8], err[256];

	snprintf(key, sizeof(key), "crl %s", url);
	if (cache_get(r, key, c->now, &e)) {
		ok = crl_eval(e.crl, c, memcmp(e.issuer, c->ikey, 32) != 0,
		    url, &a);
		X509_CRL_free(e.crl);
		if (ok) {
			set_result(res, &a, GW_REVOC_SRC_CACHE, "crl", url);
			return 1;
		}
	}
	if (fetch(r, url, NULL, 0, NULL, &body, &blen, err,
	    sizeof(err)) != 0) {
		val_report_add(c->rep, &r_fetch, c->where, "CRL %s: %s", url,
		    err);
		goto out;
	}
	if ((crl = crl_parse(body, blen, err, sizeof(err))) == NULL) {
		val_report_add(c->rep, &r_malformed, c->where, "CRL %s: %s",
		    url, err);
		goto out;
	}
	if (!crl_eval(crl, c, 1, url, &a)) {
		if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
		    X509_get_issuer_name(c->cert)) != 0)
			val_report_add(c->rep, &r_malformed, c->where,
			    "CRL %s: issued by another CA", url);
		goto out;
	}
	memset(&e, 0, sizeof(e));
	e.crl = crl;
	e.this_update = a.this_update;
	e.next_update = a.next_update;
	e.expires = a.next_update;
	memcpy(e.issuer, c->ikey, sizeof(e.issuer));
	cache_put(r, key, &e);
	set_result(res, &a, GW_REVOC_SRC_FETCHED, "crl", url);
	ok = 1;
 out:
	X509_CRL_free(crl);
	free(body);
	return ok;
}

/*
 * The cache key recording that the object with DER digest md verified
 * with c's issuer key: supplied CRLs and responses come again with each
 * request, their signatures are checked once.
 */
static void
verified_key(const unsigned char md[32], const struct ctx *c, char *key,
    size_t keylen)
{
	size_t	 o, i;

	o = (size_t)snprintf(key, keylen, "verified ");
	for (i = 0; i < 32 && o + 3 < keylen; i++, o += 2)
		snprintf(key + o, 3, "%02x", md[i]);
	if (o + 2 < keylen)
		key[o++] = ' ';
	for (i = 0; i < 8 && o + 3 < keylen; i++, o += 2)
		snprintf(key + o, 3, "%02x", c->ikey[i]);
	key[o < keylen ? o : keylen - 1] = '\0';
}

static void
verified_put(struct gw_revoc *r, const char *key, const struct ctx *c,
    const struct answer *a)
{
	struct centry	 e;

	memset(&e, 0, sizeof(e));
	e.expires = a->next_update != 0 ? a->next_update :
	    c->now + NO_NEXT_TTL;
	cache_put(r, key, &e);
}

static int
try_supplied(struct gw_revoc *r, const struct gw_revoc_supplied *s,
    struct ctx *c, struct gw_revoc_result *res)
{
	struct answer	 a;
	struct centry	 e;
	unsigned char	 md[32];
	unsigned int	 mdlen;
	char		 src[32], key[128];
	int		 i, verify;

	for (i = 0; i < s->nocsp; i++) {
		snprintf(src, sizeof(src), "ocsp[%d]", i);
		verify = 1;
		key[0] = '\0';
		if (r != NULL && EVP_Digest(s->ocsp_der[i], s->ocsp_len[i],
		    md, &mdlen, EVP_sha256(), NULL) == 1) {
			verified_key(md, c, key, sizeof(key));
			if (cache_get(r, key, c->now, &e))
				verify = 0;
		}
		if (ocsp_eval(s->ocsp[i], s->ocsp_der[i], s->ocsp_len[i], c,
		    verify, src, &a)) {
			if (verify && key[0] != '\0')
				verified_put(r, key, c, &a);
			set_result(res, &a, GW_REVOC_SRC_SUPPLIED, "ocsp", "");
			return 1;
		}
	}
	for (i = 0; s->crls != NULL && i < sk_X509_CRL_num(s->crls); i++) {
		X509_CRL	*crl = sk_X509_CRL_value(s->crls, i);

		snprintf(src, sizeof(src), "crls[%d]", i);
		verify = 1;
		key[0] = '\0';
		if (r != NULL && X509_NAME_cmp(X509_CRL_get_issuer(crl),
		    X509_get_issuer_name(c->cert)) == 0 &&
		    X509_CRL_digest(crl, EVP_sha256(), md, &mdlen) == 1) {
			verified_key(md, c, key, sizeof(key));
			if (cache_get(r, key, c->now, &e))
				verify = 0;
		}
		if (crl_eval(crl, c, verify, src, &a)) {
			if (verify && key[0] != '\0')
				verified_put(r, key, c, &a);
			set_result(res, &a, GW_REVOC_SRC_SUPPLIED, "crl", "");
			return 1;
		}
	}
	return 0;
}

static void
check_one(struct gw_revoc *r, const struct gw_revoc_supplied *s,
    struct ctx *c, struct gw_revoc_result *res)
{
	char	 urls[MAX_URLS][GW_REVOC_MAX_URL];
	size_t	 n, i;
	int	 m, soft = r != NULL && r->pol.soft_fail, tried = 0;
	int	 ocsp_first = r == NULL || !r->pol.prefer_crl;
	char	 b[VAL_TIME_LEN];

	memset(res, 0, sizeof(*res));
	res->status = GW_REVOC_UNKNOWN;
	res->source = GW_REVOC_SRC_NONE;
	res->reason = -1;
	if (s != NULL && try_supplied(r, s, c, res))
		goto done;
	if (r != NULL && r->pol.fetch) {
		for (m = 0; m < 2; m++) {
			int	 ocsp = (m == 0) == ocsp_first;

			n = ocsp ? ocsp_urls(c->cert, urls) :
			    cdp_urls(c->cert, urls);
			for (i = 0; i < n; i++) {
				tried++;
				if (ocsp ? try_ocsp(r, c, urls[i], res) :
				    try_crl(r, c, urls[i], res))
					goto done;
			}
		}
	}
	val_report_add(c->rep, soft ? &r_unknown_soft : &r_unknown, c->where,
	    "%s", r == NULL || !r->pol.fetch ? "no usable supplied CRL or "
	    "OCSP response (fetching off)" : tried == 0 ? "no http CRL "
	    "distribution point or OCSP responder, nothing supplied" :
	    "no usable answer from any source");
	return;
 done:
	if (res->status == GW_REVOC_REVOKED) {
		val_time_format(res->revoked_at, b);
		val_report_add(c->rep, &r_revoked, c->where, "revoked %s%s%s "
		    "(%s, %s)", b, res->reason >= 0 ? ", reason " : "",
		    res->reason >= 0 ? OCSP_crl_reason_str(res->reason) : "",
		    res->method, gw_revoc_source_name(res->source));
	}
}

int
gw_revoc_check(struct gw_revoc *r, STACK_OF(X509) *chain,
    const struct gw_revoc_supplied *s, time_t at, time_t now,
    struct gw_revoc_result *out, size_t nout, struct val_report *rep)
{
	struct ctx	 c;
	int		 i, n;

	if (chain == NULL || (n = sk_X509_num(chain)) < 1 ||
	    nout < (size_t)n - 1)
		return -1;	/* a lone anchor has nothing to check */
	for (i = 0; i < n - 1; i++) {
		memset(&c, 0, sizeof(c));
		c.cert = sk_X509_value(chain, i);
		c.issuer = sk_X509_value(chain, i + 1);
		c.at = at;
		c.now = now;
		c.rep = rep;
		key_hash(c.issuer, c.ikey);
		snprintf(c.where, sizeof(c.where), "chain[%d]", i);
		check_one(r, s, &c, &out[i]);
	}
	return rep->oom ? -1 : 0;
}

json_t *
gw_revoc_json(STACK_OF(X509) *chain, const struct gw_revoc_result *res,
    size_t n)
{
	json_t	*a, *o;
	char	*subj, t1[VAL_TIME_LEN], t2[VAL_TIME_LEN], t3[VAL_TIME_LEN];
	size_t	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		subj = chain != NULL && (int)i < sk_X509_num(chain) ?
		    val_name_text(X509_get_subject_name(
		    sk_X509_value(chain, (int)i))) : NULL;
		val_time_format(res[i].this_update, t1);
		val_time_format(res[i].next_update, t2);
		val_time_format(res[i].revoked_at, t3);
		o = json_pack("{s:I, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s?, "
		    "s:s?, s:s?}",
		    "index", (json_int_t)i, "subject", subj,
		    "status", gw_revoc_status_name(res[i].status),
		    "source", gw_revoc_source_name(res[i].source),
		    "method", res[i].method,
		    "url", res[i].url[0] != '\0' ? res[i].url : NULL,
		    "this_update", res[i].this_update != 0 ? t1 : NULL,
		    "next_update", res[i].next_update != 0 ? t2 : NULL,
		    "revoked_at", res[i].revoked_at != 0 ? t3 : NULL,
		    "reason", res[i].reason >= 0 ?
		    OCSP_crl_reason_str(res[i].reason) : NULL);
		free(subj);
		if (o == NULL || json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}
