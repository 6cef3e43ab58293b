/*
 * tl_fetch.c: download one trust list with libcurl.
 *
 * Returns bytes, the final URL, the HTTP status and the ETag/Last-Modified
 * validators, and nothing more: no parsing, no cache, no trust decision.
 *
 * What it enforces:
 *  - https only, for the first request and for every redirect (plain http
 *    only when the caller sets allow_http, which only tests do);
 *  - connect and total timeouts, and a low-speed abort;
 *  - a byte cap, enforced in the write callback (so a lying or absent
 *    Content-Length and a compression bomb are both cut off), and early
 *    from Content-Length through CURLOPT_MAXFILESIZE;
 *  - a redirect cap;
 *  - conditional GET: If-None-Match / If-Modified-Since from the caller's
 *    stored validators; a 304 comes back as status 304 with no body;
 *  - certificate and host name verification always on; an optional extra
 *    CA file is ADDED to the system roots (for private mirrors and tests);
 *  - curl's error buffer goes into the returned error text.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tl.h"

struct fetch_state {
	unsigned char	*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 max;
	int		 too_big;
	int		 oom;
	char		*etag;
	char		*last_modified;
	const char	*cacert;
	int		 cacert_failed;
};

static size_t
fetch_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct fetch_state	*st = arg;
	size_t			 n = size * nmemb, ncap;
	unsigned char		*grown;

	if (n > st->max - st->len) {
		st->too_big = 1;
		return 0;	/* aborts the transfer: CURLE_WRITE_ERROR */
	}
	if (st->len + n > st->cap) {
		ncap = st->cap ? st->cap : 64 * 1024;
		while (ncap < st->len + n)
			ncap *= 2;
		if (ncap > st->max)
			ncap = st->max;
		if ((grown = realloc(st->buf, ncap)) == NULL) {
			st->oom = 1;
			return 0;
		}
		st->buf = grown;
		st->cap = ncap;
	}
	memcpy(st->buf + st->len, p, n);
	st->len += n;
	return n;
}

/* Copies a header value without surrounding blanks; NULL when empty. */
static char *
header_value(const char *p, size_t n)
{
	char	*s;

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	if (n == 0 || n > TL_MAX_HEADER)
		return NULL;
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static size_t
fetch_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct fetch_state	*st = arg;
	size_t			 n = size * nmemb;

	/* A new status line starts a new response (redirect hops). */
	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		free(st->etag);
		free(st->last_modified);
		st->etag = st->last_modified = NULL;
	} else if (n > 5 && strncasecmp(p, "ETag:", 5) == 0) {
		free(st->etag);
		st->etag = header_value(p + 5, n - 5);
	} else if (n > 14 && strncasecmp(p, "Last-Modified:", 14) == 0) {
		free(st->last_modified);
		st->last_modified = header_value(p + 14, n - 14);
	}
	return n;
}

/* Adds the caller's CA file to the system roots OpenSSL already loaded. */
static CURLcode
fetch_ssl_ctx(CURL *curl, void *sslctx, void *arg)
{
	struct fetch_state	*st = arg;
	X509_STORE		*store;

	store = SSL_CTX_get_cert_store((SSL_CTX *)sslctx);
	if (store == NULL || X509_STORE_load_file(store, st->cacert) != 1) {
		st->cacert_failed = 1;
		return CURLE_SSL_CACERT_BADFILE;
	}
	return CURLE_OK;
}

static int
url_scheme_ok(const char *url, int allow_http)
{
	if (strncasecmp(url, "https://", 8) == 0)
		return 1;
	return allow_http && strncasecmp(url, "http://", 7) == 0;
}

void
tl_fetch_res_free(struct tl_fetch_res *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r->final_url);
	free(r->etag);
	free(r->last_modified);
	memset(r, 0, sizeof(*r));
}

int
tl_fetch(const char *url, const struct tl_fetch_opts *o,
    struct tl_fetch_res *out, char *err, size_t errlen)
{
	struct tl_fetch_opts	 defo;
	struct fetch_state	 st;
	struct curl_slist	*hdrs = NULL, *h;
	char			 ebuf[CURL_ERROR_SIZE], line[TL_MAX_HEADER + 32];
	const char		*protos;
	char			*eff = NULL;
	CURL			*curl = NULL;
	CURLcode		 cc;
	long			 status = 0;
	int			 rc = -1;

	memset(&st, 0, sizeof(st));
	memset(out, 0, sizeof(*out));
	ebuf[0] = '\0';
	if (o == NULL) {
		memset(&defo, 0, sizeof(defo));
		o = &defo;
	}
	if (url == NULL || strlen(url) > TL_MAX_URL) {
		snprintf(err, errlen, "URL missing or longer than %d bytes",
		    TL_MAX_URL);
		goto out;
	}
	if (!url_scheme_ok(url, o->allow_http)) {
		snprintf(err, errlen, "%s: refused: only https:// URLs are "
		    "fetched", url);
		goto out;
	}
	st.max = o->max_bytes ? o->max_bytes : TL_MAX_LIST_BYTES;
	st.cacert = o->cacert;
	protos = o->allow_http ? "http,https" : "https";

	if ((curl = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "%s: curl_easy_init failed", url);
		goto out;
	}
	if (o->etag != NULL && strlen(o->etag) <= TL_MAX_HEADER &&
	    strpbrk(o->etag, "\r\n") == NULL) {
		snprintf(line, sizeof(line), "If-None-Match: %s", o->etag);
		if ((h = curl_slist_append(hdrs, line)) == NULL)
			goto nomem;
		hdrs = h;
	}
	if (o->last_modified != NULL &&
	    strlen(o->last_modified) <= TL_MAX_HEADER &&
	    strpbrk(o->last_modified, "\r\n") == NULL) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s",
		    o->last_modified);
		if ((h = curl_slist_append(hdrs, line)) == NULL)
			goto nomem;
		hdrs = h;
	}

	if (curl_easy_setopt(curl, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protos) !=
	    CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, protos) !=
	    CURLE_OK) {
		snprintf(err, errlen, "%s: curl refused the URL or protocol "
		    "set", url);
		goto out;
	}
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, o->max_redirects > 0 ?
	    o->max_redirects : (long)TL_FETCH_MAX_REDIRECTS);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ?
	    o->connect_timeout : (long)TL_FETCH_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, o->total_timeout > 0 ?
	    o->total_timeout : (long)TL_FETCH_TOTAL_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 512L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)st.max);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "xbrg-tl/1");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fetch_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &st);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, fetch_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &st);
	if (hdrs != NULL)
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	if (o->cacert != NULL) {
		if (curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION,
		    fetch_ssl_ctx) != CURLE_OK) {
			snprintf(err, errlen, "%s: this libcurl cannot add a "
			    "CA file (not built with OpenSSL)", url);
			goto out;
		}
		curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &st);
	}

	cc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK) {
		if (st.too_big || cc == CURLE_FILESIZE_EXCEEDED)
			snprintf(err, errlen, "%s: response larger than %zu "
			    "bytes", url, st.max);
		else if (st.oom)
			snprintf(err, errlen, "%s: out of memory", url);
		else if (st.cacert_failed)
			snprintf(err, errlen, "%s: cannot load CA file %s",
			    url, o->cacert);
		else
			snprintf(err, errlen, "%s: %s (curl %d)", url,
			    ebuf[0] != '\0' ? ebuf : curl_easy_strerror(cc),
			    (int)cc);
		goto out;
	}
	if (status != 200 && status != 304) {
		snprintf(err, errlen, "%s: HTTP status %ld", url, status);
		out->status = status;
		goto out;
	}
	if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &eff) !=
	    CURLE_OK || eff == NULL)
		eff = (char *)url;
	if ((out->final_url = strdup(eff)) == NULL)
		goto nomem;
	out->status = status;
	if (status == 200) {
		out->body = st.buf;
		out->len = st.len;
		st.buf = NULL;
		if (out->body == NULL && (out->body = malloc(1)) == NULL)
			goto nomem;
	}
	out->etag = st.etag;
	out->last_modified = st.last_modified;
	st.etag = st.last_modified = NULL;
	rc = 0;
	goto out;
 nomem:
	snprintf(err, errlen, "%s: out of memory", url);
 out:
	if (rc != 0) {
		status = out->status;
		tl_fetch_res_free(out);
		out->status = status;
	}
	free(st.buf);
	free(st.etag);
	free(st.last_modified);
	curl_slist_free_all(hdrs);
	if (curl != NULL)
		curl_easy_cleanup(curl);
	return rc;
}
