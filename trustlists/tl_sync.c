/*
 * tl_sync.c: `xbrg tl sync`: LOTL, pivots, national lists, cache.
 *
 * 1. The LOTL: fetched (conditional GET with the cached validators), then
 *    verified.  Its SchemeInformationURI names the pivot LOTLs (URIs whose
 *    file name contains "pivot" and ends in ".xml", newest first as the EU
 *    lists them).  Each pivot is taken from DIR/pivots/ or fetched, and
 *    the pivots are walked oldest first (tl_pivot_walk): the oldest must
 *    verify against the anchors (the OJ certificates), each next one
 *    against the EU self-pointer of the one before; the LOTL itself then
 *    verifies against the newest pivot's EU pointer (against the anchors
 *    when it names no pivot).  A pivot that cannot be fetched or does not
 *    verify breaks the chain: the LOTL is not trusted (as in the EU
 *    procedure and DSS), the failure is reported, and the last good
 *    cached LOTL is used for step 2.
 * 2. Every pointer of the LOTL in use whose MIME type is XML (or, with no
 *    MIME type, whose location ends in .xml/.xtsl), one per territory, the
 *    EU self-pointer excepted: fetched, verified against that pointer's
 *    certificates, territory and rollback (sequence) checked.  A 304 or
 *    the same bytes re-verify the cached list against the current pointer
 *    (a signer the LOTL dropped no longer vouches for it).  A plain-http
 *    pointer (SK in LOTL 390) is fetched as https at the same address; if
 *    that fails the refresh fails.
 * 3. Only verified bytes reach DIR/lists/.  A failed refresh (download,
 *    signature, rollback) leaves the last good list in place, and the item
 *    says so (state "failed", cached true).  A cached list the LOTL no
 *    longer points to is kept too, and reported as failed ("no longer
 *    pointed to by the LOTL").
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tl.h"

static const struct val_rule r_pivot_fetch = { "TLV-PIVOT-FETCH",
    VAL_ERROR, "ETSI TS 119 612 D.5; EU LOTL pivot procedure",
    "a pivot LOTL named by the LOTL could not be fetched" };
static const struct val_rule r_no_lotl = { "TLV-NO-LOTL", VAL_ERROR,
    "ETSI TS 119 612 5.3.13",
    "no verified LOTL: national lists cannot be refreshed" };

void
tl_sync_result_free(struct tl_sync_result *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].url);
		free(r->v[i].error);
		val_report_clear(&r->v[i].rep);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static struct tl_sync_item *
item_new(struct tl_sync_result *r, const char *name, const char *terr,
    const char *url)
{
	struct tl_sync_item	*g, *it;

	if ((g = reallocarray(r->v, r->n + 1, sizeof(*g))) == NULL)
		return NULL;
	r->v = g;
	it = &r->v[r->n];
	memset(it, 0, sizeof(*it));
	val_report_init(&it->rep);
	snprintf(it->name, sizeof(it->name), "%s", name);
	snprintf(it->territory, sizeof(it->territory), "%s", terr);
	it->seq = it->fetched_seq = -1;
	it->issued = it->next_update = TL_NO_TIME;
	if (url != NULL && (it->url = strdup(url)) == NULL)
		return NULL;
	r->n++;
	return it;
}

static void	 item_error(struct tl_sync_item *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
item_error(struct tl_sync_item *it, const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;

	it->state = TL_SYNC_FAILED;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(it->error);
	it->error = strdup(buf);
}

/* The code of the first error-or-worse finding, for progress lines. */
static const char *
first_error(const struct val_report *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (r->items[i].rule->sev >= VAL_ERROR)
			return r->items[i].rule->code;
	return "no finding";
}

static void
item_from_meta(struct tl_sync_item *it, const struct tl_cache_meta *m)
{
	it->cached = 1;
	it->seq = m->seq;
	it->issued = m->issued;
	it->next_update = m->next_update;
	memcpy(it->signer_sha256, m->signer_sha256,
	    sizeof(it->signer_sha256));
}

static void
progress(const struct tl_sync_opts *o, const struct tl_sync_item *it)
{
	if (o->progress == NULL)
		return;
	fprintf(o->progress, "tl sync: %-8s %-9s", it->name,
	    it->state == TL_SYNC_UPDATED ? "updated" :
	    it->state == TL_SYNC_UNCHANGED ? "unchanged" : "FAILED");
	if (it->seq >= 0)
		fprintf(o->progress, " seq %lld", it->seq);
	if (it->state == TL_SYNC_FAILED)
		fprintf(o->progress, " (%s; %s)", it->error != NULL ?
		    it->error : "verification failed", it->cached ?
		    "last good list kept" : "no list cached");
	fprintf(o->progress, " %s\n", it->url != NULL ? it->url : "");
	fflush(o->progress);
}

/*
 * Fetches url with the cached validators when a cached list exists;
 * upgrades a plain-http URL to https when http is not allowed.
 */
static int
fetch_list(const struct tl_sync_opts *o, const char *url,
    const struct tl_cache_meta *m, int have_cache, struct tl_fetch_res *res,
    char *err, size_t errlen)
{
	struct tl_fetch_opts	 fo;
	char			 up[TL_MAX_URL + 16], why[1024];

	memset(&fo, 0, sizeof(fo));
	fo.cacert = o->cacert;
	fo.allow_http = o->allow_http;
	if (have_cache && m->url != NULL && strcmp(m->url, url) == 0) {
		fo.etag = m->etag;
		fo.last_modified = m->last_modified;
	}
	if (!o->allow_http && strncmp(url, "http://", 7) == 0) {
		snprintf(up, sizeof(up), "https://%s", url + 7);
		if (tl_fetch(up, &fo, res, err, errlen) == 0)
			return 0;
		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "plain-http URL, https upgrade "
		    "failed: %.400s", why);
		return -1;
	}
	return tl_fetch(url, &fo, res, err, errlen);
}

/*
 * Verifies buf and, when valid, stores it (new bytes) or refreshes the
 * meta (same bytes).  Returns 1 when the bytes were accepted, 0 when not
 * (it->rep says why), -1 on a local error (it->error).
 */
static int
accept_list(const struct tl_sync_opts *o, struct tl_sync_item *it,
    const unsigned char *buf, size_t len, const struct tl_verify_in *in,
    const struct tl_fetch_res *fr, const struct tl_cache_meta *old,
    int have_cache, struct tl_verified *v)
{
	struct tl_cache_meta	 m;
	char			 err[512];
	int			 rc = -1;

	memset(&m, 0, sizeof(m));
	if (tl_verify(buf, len, it->url != NULL ? it->url : it->name, in, v,
	    &it->rep) != 0) {
		item_error(it, "%s", "out of memory");
		return -1;
	}
	it->fetched_seq = v->scheme.seq;
	if (val_report_verdict(&it->rep) == VAL_VERDICT_FAIL)
		return 0;
	snprintf(m.name, sizeof(m.name), "%s", it->name);
	snprintf(m.territory, sizeof(m.territory), "%s", it->territory);
	m.url = it->url;
	m.etag = fr != NULL ? fr->etag : (have_cache ? old->etag : NULL);
	m.last_modified = fr != NULL ? fr->last_modified :
	    (have_cache ? old->last_modified : NULL);
	m.fetched_at = time(NULL);
	m.seq = v->scheme.seq;
	m.issued = v->scheme.issued;
	m.next_update = v->scheme.next_update;
	memcpy(m.signer_sha256, v->signer_sha256, sizeof(m.signer_sha256));
	memcpy(m.sha256, v->sha256, sizeof(m.sha256));
	if (have_cache && strcmp(old->sha256, v->sha256) == 0) {
		it->state = TL_SYNC_UNCHANGED;
		if (tl_cache_meta_store(o->cache_dir, &m, err,
		    sizeof(err)) != 0)
			goto fail;
	} else {
		it->state = TL_SYNC_UPDATED;
		if (tl_cache_store(o->cache_dir, it->name, buf, len, &m, err,
		    sizeof(err)) != 0)
			goto fail;
	}
	it->cached = 1;
	it->seq = m.seq;
	it->issued = m.issued;
	it->next_update = m.next_update;
	memcpy(it->signer_sha256, m.signer_sha256, sizeof(m.signer_sha256));
	rc = 1;
	return rc;
 fail:
	item_error(it, "cache: %s", err);
	if (have_cache)
		item_from_meta(it, old);
	else
		it->cached = 0;
	return -1;
}

/* The file name part of a URL, for the pivot cache. */
static const char *
url_base(const char *u)
{
	const char	*b = strrchr(u, '/');

	return b != NULL ? b + 1 : u;
}

/*
 * Gets every pivot the LOTL names (cache first, else fetch) and walks
 * them.  Returns 0 with signers filled, -1 with findings in it->rep.
 */
static int
walk_pivots(const struct tl_sync_opts *o, struct tl_sync_item *it,
    char *const *urls, size_t n, struct val_certs *signers)
{
	struct tl_blob_in	 pv[TL_MAX_PIVOTS];
	unsigned char		*bufs[TL_MAX_PIVOTS];
	int			 fetched[TL_MAX_PIVOTS];
	struct tl_fetch_res	 fr;
	struct tl_fetch_opts	 fo;
	char			 err[512];
	size_t			 i, len;
	int			 rc = -1, r;

	memset(bufs, 0, sizeof(bufs));
	memset(fetched, 0, sizeof(fetched));
	if (n > TL_MAX_PIVOTS)
		n = TL_MAX_PIVOTS;
	for (i = 0; i < n; i++) {
		pv[i].name = urls[i];
		r = tl_cache_pivot_load(o->cache_dir, url_base(urls[i]),
		    &bufs[i], &len, err, sizeof(err));
		if (r == 0) {
			pv[i].p = bufs[i];
			pv[i].len = len;
			continue;
		}
		memset(&fo, 0, sizeof(fo));
		fo.cacert = o->cacert;
		fo.allow_http = o->allow_http;
		if (r < 0 || tl_fetch(urls[i], &fo, &fr, err,
		    sizeof(err)) != 0 || fr.status != 200) {
			val_report_add(&it->rep, &r_pivot_fetch, urls[i], "%s",
			    err);
			goto out;
		}
		bufs[i] = fr.body;
		pv[i].p = fr.body;
		pv[i].len = fr.len;
		fr.body = NULL;
		tl_fetch_res_free(&fr);
		fetched[i] = 1;
	}
	if (tl_pivot_walk(pv, n, o->anchors, o->at, signers, &it->rep) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if (fetched[i] && tl_cache_pivot_store(o->cache_dir,
		    url_base(urls[i]), pv[i].p, pv[i].len, err,
		    sizeof(err)) != 0 && o->progress != NULL)
			fprintf(o->progress, "tl sync: pivot %s not cached: "
			    "%s\n", urls[i], err);
	rc = 0;
 out:
	for (i = 0; i < n; i++)
		free(bufs[i]);
	return rc;
}

/*
 * Step 1.  Returns the parsed LOTL to use for the pointers (the new
 * verified one or the last good cached one), or NULL.
 */
static struct tl_list *
sync_lotl(const struct tl_sync_opts *o, struct tl_sync_item *it)
{
	struct tl_cache_meta	 meta;
	struct tl_fetch_res	 fr;
	struct tl_verify_in	 in;
	struct tl_verified	 v0, v;
	struct val_certs	 signers = { NULL, 0 };
	struct val_report	 scratch;
	struct tl_list		*use = NULL;
	unsigned char		*cbuf = NULL;
	const unsigned char	*buf;
	size_t			 clen = 0, len;
	char			 err[512];
	int			 have = 0, r;

	memset(&fr, 0, sizeof(fr));
	memset(&v0, 0, sizeof(v0));
	memset(&v, 0, sizeof(v));
	val_report_init(&scratch);
	r = tl_cache_meta_load(o->cache_dir, it->name, &meta, err,
	    sizeof(err));
	if (r == 0 && tl_cache_list_load(o->cache_dir, it->name, &cbuf, &clen,
	    err, sizeof(err)) == 0)
		have = 1;
	if (fetch_list(o, it->url, &meta, have, &fr, err, sizeof(err)) != 0) {
		item_error(it, "%s", err);
		goto fallback;
	}
	if (fr.status == 304 && !have) {
		item_error(it, "%s", "304 without a cached list");
		goto fallback;
	}
	if (fr.status == 304) {
		buf = cbuf;
		len = clen;
	} else {
		buf = fr.body;
		len = fr.len;
	}
	/* Pass 1 only reads the pivots the (not yet trusted) LOTL names:
	 * no signers, so no signature work. */
	memset(&in, 0, sizeof(in));
	in.signers = NULL;
	in.at = o->at;
	in.prev_seq = -1;
	if (tl_verify(buf, len, it->url, &in, &v0, &scratch) != 0) {
		item_error(it, "%s", "out of memory");
		goto fallback;
	}
	if (v0.npivots > 0) {
		if (walk_pivots(o, it, v0.pivots, v0.npivots, &signers) != 0) {
			item_error(it, "%s", "pivot LOTL chain broken");
			goto fallback;
		}
	} else if (tl_certs_append(&signers, o->anchors) != 0) {
		item_error(it, "%s", "out of memory");
		goto fallback;
	}
	in.signers = &signers;
	in.lotl = 1;
	in.prev_seq = have ? meta.seq : -1;
	in.prev_sha256 = have ? meta.sha256 : NULL;
	r = accept_list(o, it, buf, len, &in, fr.status == 304 ? NULL : &fr,
	    &meta, have, &v);
	if (r > 0) {
		use = v.list;
		v.list = NULL;
		goto out;
	}
	if (r == 0)
		item_error(it, "LOTL does not verify (%s)",
		    first_error(&it->rep));
 fallback:
	if (have) {
		item_from_meta(it, &meta);
		val_report_clear(&scratch);
		use = tl_parse(cbuf, clen, it->name, &scratch);
	} else
		val_report_add(&it->rep, &r_no_lotl, it->url, NULL);
 out:
	progress(o, it);
	val_report_clear(&scratch);
	tl_verified_free(&v0);
	tl_verified_free(&v);
	val_certs_free(&signers);
	tl_fetch_res_free(&fr);
	tl_cache_meta_free(&meta);
	free(cbuf);
	return use;
}

static int
is_xml_pointer(const struct tl_pointer *p)
{
	size_t	 n;

	if (p->location == NULL || p->territory == NULL)
		return 0;
	if (p->mime_type != NULL)
		return strstr(p->mime_type, "xml") != NULL;
	n = strlen(p->location);
	return (n > 4 && strcasecmp(p->location + n - 4, ".xml") == 0) ||
	    (n > 5 && strcasecmp(p->location + n - 5, ".xtsl") == 0);
}

/* Step 2 for one territory. */
static void
sync_one(const struct tl_sync_opts *o, const struct tl_list *lotl,
    struct tl_sync_item *it)
{
	struct tl_cache_meta	 meta;
	struct tl_fetch_res	 fr;
	struct tl_verify_in	 in;
	struct tl_verified	 v;
	struct val_certs	 signers = { NULL, 0 };
	unsigned char		*cbuf = NULL;
	size_t			 clen = 0;
	char			 err[512];
	int			 have = 0, r;

	memset(&fr, 0, sizeof(fr));
	memset(&v, 0, sizeof(v));
	r = tl_cache_meta_load(o->cache_dir, it->name, &meta, err,
	    sizeof(err));
	if (r < 0)
		fprintf(o->progress != NULL ? o->progress : stderr,
		    "tl sync: %s: ignoring unreadable meta: %s\n", it->name,
		    err);
	if (r == 0 && tl_cache_list_load(o->cache_dir, it->name, &cbuf, &clen,
	    err, sizeof(err)) == 0)
		have = 1;
	if (have)
		item_from_meta(it, &meta);
	if (tl_pointer_certs(lotl, it->territory, &signers, err,
	    sizeof(err)) < 0) {
		item_error(it, "pointer certificates: %s", err);
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.signers = &signers;
	in.at = o->at;
	in.territory = it->territory;
	in.prev_seq = have ? meta.seq : -1;
	in.prev_sha256 = have ? meta.sha256 : NULL;
	if (fetch_list(o, it->url, &meta, have, &fr, err, sizeof(err)) != 0) {
		item_error(it, "%s", err);
		goto out;
	}
	if (fr.status == 304)
		r = accept_list(o, it, cbuf, clen, &in, NULL, &meta, have, &v);
	else
		r = accept_list(o, it, fr.body, fr.len, &in, &fr, &meta, have,
		    &v);
	if (r == 0) {
		if (val_report_has(&it->rep, "TLV-ROLLBACK"))
			item_error(it, "%s", "rollback: sequence number went "
			    "backwards");
		else
			item_error(it, "%s (%s)", fr.status == 304 ?
			    "cached list no longer verifies against the "
			    "pointer" : "list does not verify",
			    first_error(&it->rep));
	}
	if (r <= 0 && have)
		item_from_meta(it, &meta);
 out:
	progress(o, it);
	tl_verified_free(&v);
	val_certs_free(&signers);
	tl_fetch_res_free(&fr);
	tl_cache_meta_free(&meta);
	free(cbuf);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Cached lists the LOTL in use no longer points to: kept (never silently
 * dropped), reported as failed so the operator sees them.  Returns 0 or
 * -1 (out of memory).
 */
static int
report_orphans(const struct tl_sync_opts *o, struct tl_sync_result *res)
{
	struct tl_sync_item	*it;
	struct tl_cache_meta	 m;
	struct dirent		*e;
	DIR			*d;
	char			 path[4096], err[512], **names = NULL, **g;
	size_t			 n = 0, i, j, l;
	int			 rc = 0, dup;

	snprintf(path, sizeof(path), "%s/lists", o->cache_dir);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		l = strlen(e->d_name);
		if (l <= 10 || l > 40 || strcmp(e->d_name + l - 10,
		    ".meta.json") != 0)
			continue;
		if ((g = reallocarray(names, n + 1, sizeof(*g))) == NULL ||
		    (g[n] = strndup(e->d_name, l - 10)) == NULL) {
			if (g != NULL)
				names = g;
			rc = -1;
			break;
		}
		names = g;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmpstr);
	for (i = 0; i < n && rc == 0; i++) {
		if (!tl_cache_name_ok(names[i]) ||
		    strcmp(names[i], TL_CACHE_LOTL) == 0)
			continue;
		for (j = 0, dup = 0; j < res->n && !dup; j++)
			dup = strcmp(res->v[j].name, names[i]) == 0;
		if (dup || tl_cache_meta_load(o->cache_dir, names[i], &m, err,
		    sizeof(err)) != 0)
			continue;
		if ((it = item_new(res, names[i], m.territory[0] != '\0' ?
		    m.territory : names[i], m.url)) == NULL) {
			tl_cache_meta_free(&m);
			rc = -1;
			break;
		}
		item_from_meta(it, &m);
		item_error(it, "%s", "no longer pointed to by the LOTL");
		progress(o, it);
		tl_cache_meta_free(&m);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
tl_sync(const struct tl_sync_opts *o, struct tl_sync_result *res,
    char *err, size_t errlen)
{
	struct tl_sync_item	*it;
	struct tl_list		*lotl = NULL;
	const struct tl_pointer	*p;
	size_t			 i, j;
	int			 dup;

	memset(res, 0, sizeof(*res));
	if (o->lotl_url == NULL || o->anchors == NULL || o->cache_dir == NULL) {
		snprintf(err, errlen, "LOTL URL, anchors and cache required");
		return -1;
	}
	if (strlen(o->lotl_url) > TL_MAX_URL) {
		snprintf(err, errlen, "LOTL URL too long");
		return -1;
	}
	if ((it = item_new(res, TL_CACHE_LOTL, TL_LOTL_TERRITORY,
	    o->lotl_url)) == NULL)
		goto nomem;
	lotl = sync_lotl(o, it);
	if (lotl == NULL)
		return 0;
	for (i = 0; i < lotl->npointers; i++) {
		p = &lotl->pointers[i];
		if (!is_xml_pointer(p) ||
		    strcmp(p->territory, TL_LOTL_TERRITORY) == 0)
			continue;
		for (j = 1, dup = 0; j < res->n && !dup; j++)
			dup = strcmp(res->v[j].territory, p->territory) == 0;
		if (dup)
			continue;
		if ((it = item_new(res, p->territory, p->territory,
		    p->location)) == NULL)
			goto nomem;
		if (!tl_cache_name_ok(p->territory) ||
		    strlen(p->territory) >= sizeof(it->territory)) {
			item_error(it, "unusable territory code '%s'",
			    p->territory);
			progress(o, it);
			continue;
		}
		if (strlen(p->location) > TL_MAX_URL) {
			item_error(it, "%s", "pointer URL too long");
			progress(o, it);
			continue;
		}
		sync_one(o, lotl, it);
	}
	tl_list_free(lotl);
	lotl = NULL;
	if (report_orphans(o, res) != 0)
		goto nomem;
	return 0;
 nomem:
	tl_list_free(lotl);
	tl_sync_result_free(res);
	snprintf(err, errlen, "out of memory");
	return -1;
}
