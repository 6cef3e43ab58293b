/*
 * gw_h_validate.c: POST /v1/validate, the relying parties' hot path.
 *
 * Request: {"chain": ["PEM", ...]} (leaf first) or {"cms": "base64",
 * "content": "base64"} (content for a detached signature), with optional
 * "at" (RFC 3339, default now), "scenario", "crls" and "ocsp" (arrays of
 * base64 DER, used before any cache or network source).
 *
 * Answer: "verdict" is "recognized" (valid AND chains to a foreign CA
 * whose active recognition covers the leaf's certificate type and the
 * scenario), "not-recognized" (valid, or validly chained to a CA we do not
 * know, but no covering recognition; "reason" says why) or "invalid"; with
 * the recognition and decision relied on, the chain built, the revocation
 * answers (and their source) and every finding.
 *
 * Path validation is val_chain_check() against the certificates of the
 * recognized CAs (plus the request's own self-signed root, so that a
 * chain to an unknown CA can still be judged valid); revocation is
 * gw_revoc_check() on the built path; recognition is gw_svc_recognized().
 *
 * Caches (all bounded, thread-safe):
 *   certificates	PEM text hash -> parsed X509 (d2i is slow in 3.0)
 *   paths		(certificates, anchor generation) -> built path and
 *			its findings, reused while `at` lies inside every
 *			certificate's validity
 *   anchors		the recognized CAs' certificates, rebuilt when
 *			gw_svc_recognition_gen() moved
 *   supplied		"crls"/"ocsp" sets parsed once (by their hash)
 *   revocation		in gw_revoc (by URL, until nextUpdate; supplied
 *			CRL signatures checked once)
 *   recognition	in gw_svc (invalidated by every recognition change)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "gw_h.h"

#define MAX_B64_IN	(GW_MAX_BODY_VALIDATE)

static const struct val_rule rule_cms_sig = { "VALIDATE-CMS-SIGNATURE",
    VAL_ERROR, "RFC 5652 5.6", "the CMS signature does not verify" };
static const struct val_rule rule_cms_signer = { "VALIDATE-CMS-SIGNER",
    VAL_FATAL, "RFC 5652 5.3", "the CMS signer certificate is not in the "
    "SignedData" };
static const struct val_rule rule_no_path = { "VALIDATE-NO-PATH", VAL_ERROR,
    "RFC 5280 6.1", "no path to a recognized CA or to a self-signed root "
    "in the request" };

struct cert_slot {
	unsigned char	 key[32];	/* of the PEM text */
	X509		*x;
	unsigned char	 der_sha[32];	/* of the DER */
};

/* Display strings of a built path, kept with it in the cache. */
struct path_info {
	char		 subject[256];
	char		 sha256[65];
};

/* Supplied revocation data, parsed once per distinct set of strings. */
struct sup_ref {
	atomic_int			 refs;
	struct gw_revoc_supplied	*s;
};

struct sup_slot {
	unsigned char	 key[32];
	struct sup_ref	*ref;
};

struct anchor_set {
	atomic_int	 refs;
	uint64_t	 gen;		/* ours: part of the path cache key */
	unsigned long	 svc_gen;	/* gw_svc_recognition_gen() it matches */
	struct val_certs certs;		/* owned */
};

struct chain_slot {
	unsigned char	 key[32];
	STACK_OF(X509)	*chain;		/* owned refs, leaf first */
	struct path_info *info;		/* one per chain element */
	struct val_report rep;		/* path findings */
	int		 ossl_error;
	time_t		 lo;		/* latest notBefore */
	time_t		 hi;		/* earliest notAfter */
};

struct gw_vcache {
	pthread_mutex_t		 cmu;
	struct cert_slot	 certs[GW_CERT_CACHE_SLOTS];
	pthread_mutex_t		 pmu;
	struct chain_slot	 paths[GW_CHAIN_CACHE_SLOTS];
	pthread_mutex_t		 smu;
	struct sup_slot		 sups[GW_SUP_CACHE_SLOTS];
	pthread_mutex_t		 amu;
	struct anchor_set	*anchors;
	uint64_t		 gen;
};

static void
anchors_put(struct anchor_set *a)
{
	size_t	 i;

	if (a == NULL || atomic_fetch_sub(&a->refs, 1) != 1)
		return;
	/* The X509s are shared with the certificate cache's style of
	 * ownership: each entry holds its own reference. */
	for (i = 0; i < a->certs.n; i++)
		X509_free(a->certs.v[i].x509);
	free(a->certs.v);
	free(a);
}

static void
sup_put(struct sup_ref *r)
{
	if (r == NULL || atomic_fetch_sub(&r->refs, 1) != 1)
		return;
	gw_revoc_supplied_free(r->s);
	free(r);
}

struct gw_vcache *
gw_vcache_new(void)
{
	struct gw_vcache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	pthread_mutex_init(&c->cmu, NULL);
	pthread_mutex_init(&c->pmu, NULL);
	pthread_mutex_init(&c->smu, NULL);
	pthread_mutex_init(&c->amu, NULL);
	return c;
}

void
gw_vcache_free(struct gw_vcache *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < GW_CERT_CACHE_SLOTS; i++)
		X509_free(c->certs[i].x);
	for (i = 0; i < GW_CHAIN_CACHE_SLOTS; i++) {
		sk_X509_pop_free(c->paths[i].chain, X509_free);
		free(c->paths[i].info);
		val_report_clear(&c->paths[i].rep);
	}
	for (i = 0; i < GW_SUP_CACHE_SLOTS; i++)
		sup_put(c->sups[i].ref);
	pthread_mutex_destroy(&c->smu);
	anchors_put(c->anchors);
	pthread_mutex_destroy(&c->cmu);
	pthread_mutex_destroy(&c->pmu);
	pthread_mutex_destroy(&c->amu);
	free(c);
}

static void
sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int	 l;

	EVP_Digest(p, n, out, &l, EVP_sha256(), NULL);
}

/* Readies a certificate for sharing between threads: extensions cached,
 * the SM2 ID set. */
static void
prepare(X509 *x)
{
	struct val_cert		 vc;
	struct val_certs	 one;

	X509_check_purpose(x, -1, 0);
	memset(&vc, 0, sizeof(vc));
	vc.x509 = x;
	one.v = &vc;
	one.n = 1;
	val_chain_sm2_prepare(&one);
}

/*
 * One PEM string of the request to certificates (a bundle may hold more
 * than one).  Cached by the hash of the text.  Appends owned references
 * to out and the SHA-256 of each DER to hashes (room for
 * GW_MAX_VALIDATE_CHAIN; *nh counts).  Returns 0, or -1 with a message.
 */
static int
cert_get(struct gw_app *app, const char *pem, size_t len, const char *name,
    STACK_OF(X509) *out, unsigned char (*hashes)[32], size_t *nh,
    char *err, size_t errlen)
{
	struct gw_vcache	*c = app->vc;
	struct cert_slot	*s;
	struct val_certs	 vcs = { NULL, 0 };
	unsigned char		 key[32], dh[32];
	unsigned int		 dl;
	X509			*x;
	size_t			 i;

	sha256(pem, len, key);
	s = &c->certs[(key[0] << 8 | key[1]) % GW_CERT_CACHE_SLOTS];
	pthread_mutex_lock(&c->cmu);
	if (s->x != NULL && memcmp(s->key, key, 32) == 0) {
		X509_up_ref(s->x);
		x = s->x;
		memcpy(dh, s->der_sha, 32);
		pthread_mutex_unlock(&c->cmu);
		if (*nh >= GW_MAX_VALIDATE_CHAIN) {
			X509_free(x);
			snprintf(err, errlen, "more than %d certificates",
			    GW_MAX_VALIDATE_CHAIN);
			return -1;
		}
		if (!sk_X509_push(out, x)) {
			X509_free(x);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(hashes[(*nh)++], dh, 32);
		return 0;
	}
	pthread_mutex_unlock(&c->cmu);
	if (val_certs_load_mem((const unsigned char *)pem, len, name, &vcs,
	    err, errlen) != 0)
		return -1;
	if (*nh + vcs.n > GW_MAX_VALIDATE_CHAIN) {
		val_certs_free(&vcs);
		snprintf(err, errlen, "more than %d certificates",
		    GW_MAX_VALIDATE_CHAIN);
		return -1;
	}
	for (i = 0; i < vcs.n; i++) {
		prepare(vcs.v[i].x509);
		X509_up_ref(vcs.v[i].x509);
		if (!sk_X509_push(out, vcs.v[i].x509)) {
			X509_free(vcs.v[i].x509);
			val_certs_free(&vcs);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		X509_digest(vcs.v[i].x509, EVP_sha256(), hashes[*nh], &dl);
		(*nh)++;
	}
	if (vcs.n == 1) {
		pthread_mutex_lock(&c->cmu);
		X509_free(s->x);
		X509_up_ref(vcs.v[0].x509);
		s->x = vcs.v[0].x509;
		memcpy(s->key, key, 32);
		memcpy(s->der_sha, hashes[*nh - 1], 32);
		pthread_mutex_unlock(&c->cmu);
	}
	val_certs_free(&vcs);
	return 0;
}

static int
have(const struct val_certs *set, X509 *x)
{
	size_t	 i;

	for (i = 0; i < set->n; i++)
		if (X509_cmp(set->v[i].x509, x) == 0)
			return 1;
	return 0;
}

/* Adds the CA certificates of one dossier (as an admin sees it) to set. */
static int
add_dossier_cas(struct gw_app *app, const char *dossier,
    struct val_certs *set)
{
	struct gw_actor		 a = { GW_ROLE_ADMIN, "validate", NULL };
	struct gw_svc_err	 e;
	json_t			*out = NULL, *chain, *v;
	struct val_certs	 got = { NULL, 0 };
	struct val_cert		*grown;
	char			 err[256];
	size_t			 i;
	int			 rc = -1;

	if (gw_svc_dossier_get(app->svc, &a, dossier, &out, &e) != GW_SVC_OK)
		return -1;
	chain = json_object_get(json_object_get(out, "dossier"), "ca_chain");
	json_array_foreach(chain, i, v) {
		if (!json_is_string(v))
			continue;
		if (val_certs_load_mem((const unsigned char *)
		    json_string_value(v), json_string_length(v), dossier,
		    &got, err, sizeof(err)) != 0)
			goto out;
	}
	if (got.n == 0) {
		rc = 0;
		goto out;
	}
	grown = realloc(set->v, (set->n + got.n) * sizeof(*grown));
	if (grown == NULL)
		goto out;
	set->v = grown;
	for (i = 0; i < got.n; i++) {
		if (have(set, got.v[i].x509))
			continue;
		prepare(got.v[i].x509);
		memset(&set->v[set->n], 0, sizeof(set->v[0]));
		set->v[set->n].x509 = got.v[i].x509;
		X509_up_ref(got.v[i].x509);
		set->n++;
	}
	rc = 0;
 out:
	val_certs_free(&got);
	json_decref(out);
	return rc;
}

/*
 * The recognized CAs' certificates, as a referenced snapshot (release with
 * anchors_put()).  Rebuilt when the service's recognition generation
 * changed (gw_svc_recognition_gen(): every approval, suspension,
 * reinstatement, revocation, withdrawal and expiry).  Certificates of
 * recognitions that ended stay in the set: it only serves to build paths,
 * gw_svc_recognized() decides; so the answer for a suspended CA's chain
 * says "suspended".  NULL when none could be built.
 */
static struct anchor_set *
anchors_get(struct gw_app *app, time_t now)
{
	struct gw_vcache	*c = app->vc;
	struct anchor_set	*a, *n = NULL;
	struct gw_svc_err	 e;
	json_t			*list = NULL, *v;
	unsigned long		 sg;
	size_t			 i;

	sg = gw_svc_recognition_gen(app->svc);
	pthread_mutex_lock(&c->amu);
	a = c->anchors;
	if (a != NULL && a->svc_gen == sg) {
		atomic_fetch_add(&a->refs, 1);
		pthread_mutex_unlock(&c->amu);
		gw_metrics_cache(app->srv, GW_CACHE_RECOG, 1);
		return a;
	}
	pthread_mutex_unlock(&c->amu);
	gw_metrics_cache(app->srv, GW_CACHE_RECOG, 0);

	/* Every recognition that is not over (suspended ones too: their
	 * chains are still judged valid, and the lookup says why). */
	if (gw_svc_recognition_list(app->svc, now, &list, &e) != GW_SVC_OK)
		goto keep;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		goto keep;
	atomic_init(&n->refs, 1);
	pthread_mutex_lock(&c->amu);
	if ((a = c->anchors) != NULL)
		atomic_fetch_add(&a->refs, 1);
	pthread_mutex_unlock(&c->amu);
	for (i = 0; a != NULL && i < a->certs.n; i++) {
		struct val_cert *g = realloc(n->certs.v, (n->certs.n + 1) *
		    sizeof(*g));

		if (g == NULL)
			break;
		n->certs.v = g;
		memset(&g[n->certs.n], 0, sizeof(*g));
		X509_up_ref(a->certs.v[i].x509);
		g[n->certs.n++].x509 = a->certs.v[i].x509;
	}
	anchors_put(a);
	json_array_foreach(json_object_get(list, "recognitions"), i, v) {
		const char *d = json_string_value(json_object_get(v,
		    "dossier"));

		if (d != NULL)
			(void)add_dossier_cas(app, d, &n->certs);
	}
	n->svc_gen = sg;
	pthread_mutex_lock(&c->amu);
	n->gen = ++c->gen;
	a = c->anchors;
	c->anchors = n;
	pthread_mutex_unlock(&c->amu);
	anchors_put(a);
 keep:
	json_decref(list);
	pthread_mutex_lock(&c->amu);
	if ((a = c->anchors) != NULL)
		atomic_fetch_add(&a->refs, 1);
	pthread_mutex_unlock(&c->amu);
	return a;
}

/* Copies the findings of src to dst, leaving out code skip. */
static int
copy_findings(struct val_report *dst, const struct val_report *src,
    const char *skip)
{
	const struct val_finding	*f;
	size_t				 i;

	for (i = 0; i < src->n; i++) {
		f = &src->items[i];
		if (skip != NULL && strcmp(f->rule->code, skip) == 0)
			continue;
		if (f->detail != NULL) {
			if (val_report_add(dst, f->rule, f->where, "%s",
			    f->detail) != 0)
				return -1;
		} else if (val_report_add(dst, f->rule, f->where, NULL) != 0)
			return -1;
	}
	return 0;
}

static STACK_OF(X509) *
chain_dup(STACK_OF(X509) *c)
{
	STACK_OF(X509)	*d;
	int		 i;

	if ((d = sk_X509_new_null()) == NULL)
		return NULL;
	for (i = 0; i < sk_X509_num(c); i++) {
		X509_up_ref(sk_X509_value(c, i));
		if (!sk_X509_push(d, sk_X509_value(c, i))) {
			X509_free(sk_X509_value(c, i));
			sk_X509_pop_free(d, X509_free);
			return NULL;
		}
	}
	return d;
}

/* Validity window shared by every certificate of c. */
static void
window(STACK_OF(X509) *c, time_t *lo, time_t *hi)
{
	time_t	 t;
	int	 i;

	*lo = 0;
	*hi = (time_t)INT64_MAX;
	for (i = 0; i < sk_X509_num(c); i++) {
		if (val_asn1_time(X509_get0_notBefore(sk_X509_value(c, i)),
		    &t) == 0 && t > *lo)
			*lo = t;
		if (val_asn1_time(X509_get0_notAfter(sk_X509_value(c, i)),
		    &t) == 0 && t < *hi)
			*hi = t;
	}
}

/* Display strings for every element of c (owned array), or NULL. */
static struct path_info *
path_info_of(STACK_OF(X509) *c)
{
	struct path_info	*pi;
	int			 i;

	if ((pi = calloc(sk_X509_num(c) + 1, sizeof(*pi))) == NULL)
		return NULL;
	for (i = 0; i < sk_X509_num(c); i++) {
		char *t = val_name_text(X509_get_subject_name(
		    sk_X509_value(c, i)));

		snprintf(pi[i].subject, sizeof(pi[i].subject), "%s",
		    t != NULL ? t : "?");
		free(t);
		val_cert_sha256_hex(sk_X509_value(c, i), pi[i].sha256);
	}
	return pi;
}

static json_t *
chain_json(const struct path_info *pi, int n)
{
	json_t		*a, *o;
	int		 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; pi != NULL && i < n; i++) {
		o = json_pack("{s:i, s:s, s:s}", "index", i, "subject",
		    pi[i].subject, "sha256", pi[i].sha256);
		if (o == NULL || json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int
no_path_error(int e)
{
	return e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	    e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    e == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	    e == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	    e == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

/*
 * Path validation of certs[0] with certs[1..] untrusted (hashes: SHA-256
 * of each DER), against the recognized CAs plus the request's own
 * self-signed root.  Fills *chain (owned, NULL when none was built), *cj
 * (the chain as JSON), *ossl_error and rep.  Uses and fills the path
 * cache.  Returns 0, or -1 when the checks could not run.
 */
static int
validate_path(struct gw_app *app, STACK_OF(X509) *certs,
    unsigned char (*hashes)[32], time_t at, time_t now,
    STACK_OF(X509) **chain, json_t **cj, int *ossl_error,
    struct val_report *rep)
{
	struct gw_vcache	*c = app->vc;
	struct anchor_set	*as;
	struct chain_slot	*s;
	struct val_chain_in	 in;
	struct val_chain_out	 out;
	struct val_certs	 anchors = { NULL, 0 }, untrusted = { NULL, 0 };
	struct val_report	 crep;
	EVP_MD_CTX		*md = NULL;
	struct path_info	*pi = NULL;
	unsigned char		 key[32];
	unsigned int		 kl;
	X509			*last;
	uint64_t		 gen;
	time_t			 lo, hi;
	size_t			 i, n;
	int			 rc = -1, self_root;

	*chain = NULL;
	*ossl_error = 0;
	val_report_init(&crep);
	memset(&out, 0, sizeof(out));
	as = anchors_get(app, now);
	gen = as != NULL ? as->gen : 0;
	n = sk_X509_num(certs);
	last = sk_X509_value(certs, n - 1);
	/*
	 * The request's own root is an anchor only when it really signed
	 * itself: OpenSSL checks no anchor's self-signature, and EXFLAG_SS
	 * says only that subject and issuer match.
	 */
	self_root = n > 1 && (X509_get_extension_flags(last) & EXFLAG_SS) &&
	    X509_cmp(last, sk_X509_value(certs, 0)) != 0 &&
	    X509_verify(last, X509_get0_pubkey(last)) == 1;
	ERR_clear_error();

	/* The key: the anchor generation and every certificate. */
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, &gen, sizeof(gen)) != 1)
		goto out;
	for (i = 0; i < n; i++)
		if (EVP_DigestUpdate(md, hashes[i], 32) != 1)
			goto out;
	if (EVP_DigestFinal_ex(md, key, &kl) != 1)
		goto out;
	s = &c->paths[(key[0] << 8 | key[1]) % GW_CHAIN_CACHE_SLOTS];
	pthread_mutex_lock(&c->pmu);
	if (s->chain != NULL && memcmp(s->key, key, 32) == 0 &&
	    at >= s->lo && at <= s->hi) {
		*chain = chain_dup(s->chain);
		*ossl_error = s->ossl_error;
		*cj = chain_json(s->info, sk_X509_num(s->chain));
		rc = *chain != NULL && *cj != NULL ?
		    copy_findings(rep, &s->rep, NULL) : -1;
		pthread_mutex_unlock(&c->pmu);
		gw_metrics_cache(app->srv, GW_CACHE_CHAIN, 1);
		goto out;
	}
	pthread_mutex_unlock(&c->pmu);
	gw_metrics_cache(app->srv, GW_CACHE_CHAIN, 0);

	/* Borrowed views: val_certs entries point at our references. */
	if ((anchors.v = calloc((as ? as->certs.n : 0) + 1,
	    sizeof(*anchors.v))) == NULL ||
	    (untrusted.v = calloc(n, sizeof(*untrusted.v))) == NULL)
		goto out;
	for (i = 0; as != NULL && i < as->certs.n; i++)
		anchors.v[anchors.n++].x509 = as->certs.v[i].x509;
	if (self_root)
		anchors.v[anchors.n++].x509 = last;
	for (i = 1; i < n; i++)
		untrusted.v[untrusted.n++].x509 = sk_X509_value(certs, i);
	memset(&in, 0, sizeof(in));
	in.leaf = sk_X509_value(certs, 0);
	in.anchors = &anchors;
	in.untrusted = &untrusted;
	in.crls = NULL;		/* revocation: gw_revoc_check() below */
	in.at = at;
	in.flags = VAL_CHAIN_NO_REVOCATION;
	if (anchors.n == 0) {
		*ossl_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
		if ((*cj = json_array()) == NULL)
			goto out;
		rc = val_report_add(rep, &rule_no_path, "chain[0]", NULL);
		goto out;
	}
	if (val_chain_check(&in, &out, &crep) != 0)
		goto out;
	*ossl_error = out.ossl_error;
	if (copy_findings(rep, &crep, "CHAIN-REV-UNCHECKED") != 0)
		goto out;
	if (out.chain != NULL) {
		*chain = out.chain;
		out.chain = NULL;
		if ((pi = path_info_of(*chain)) == NULL)
			goto out;
	}
	if ((*cj = chain_json(pi, *chain ? sk_X509_num(*chain) : 0)) == NULL)
		goto out;
	/* Cache a built path that passed; failures are rare and cheap. */
	if (*chain != NULL && val_report_verdict(rep) != VAL_VERDICT_FAIL) {
		window(*chain, &lo, &hi);
		pthread_mutex_lock(&c->pmu);
		sk_X509_pop_free(s->chain, X509_free);
		free(s->info);
		val_report_clear(&s->rep);
		s->info = pi;
		pi = NULL;
		s->chain = chain_dup(*chain);
		memcpy(s->key, key, 32);
		s->ossl_error = *ossl_error;
		s->lo = lo;
		s->hi = hi;
		if (s->chain != NULL &&
		    copy_findings(&s->rep, rep, NULL) != 0) {
			sk_X509_pop_free(s->chain, X509_free);
			s->chain = NULL;
		}
		pthread_mutex_unlock(&c->pmu);
	}
	rc = 0;
 out:
	free(pi);
	EVP_MD_CTX_free(md);
	val_chain_out_free(&out);
	val_report_clear(&crep);
	free(anchors.v);
	free(untrusted.v);
	anchors_put(as);
	return rc;
}

/* Base64 (with or without line breaks) to bytes.  Returns 0 or -1. */
static int
b64_decode(const char *s, size_t len, unsigned char **out, size_t *outlen)
{
	EVP_ENCODE_CTX	*ctx;
	unsigned char	*buf;
	int		 n = 0, m = 0;

	if (len > MAX_B64_IN || (buf = malloc(len / 4 * 3 + 4)) == NULL)
		return -1;
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL) {
		free(buf);
		return -1;
	}
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, buf, &n, (const unsigned char *)s,
	    (int)len) < 0 || EVP_DecodeFinal(ctx, buf + n, &m) != 1 ||
	    n + m == 0) {
		EVP_ENCODE_CTX_free(ctx);
		free(buf);
		return -1;
	}
	EVP_ENCODE_CTX_free(ctx);
	*out = buf;
	*outlen = (size_t)(n + m);
	return 0;
}

/*
 * CMS: verifies the signature (detached when content is given) and puts
 * the signer certificate first in certs, the SignedData's other
 * certificates after it.  Signature problems are findings in rep.
 * Returns 0, or -1 having replied (422).
 */
static int
cms_signer(struct gw_req *r, const char *b64, size_t b64len,
    const char *cb64, size_t cb64len, STACK_OF(X509) *certs,
    struct val_report *rep)
{
	unsigned char		*der = NULL, *content = NULL;
	const unsigned char	*p;
	size_t			 derlen, clen = 0;
	CMS_ContentInfo		*cms = NULL;
	STACK_OF(X509)		*signers = NULL, *all = NULL;
	BIO			*cbio = NULL;
	X509			*x;
	EVP_PKEY		*pk;
	int			 rc = -1, i, ok;

	if (b64_decode(b64, b64len, &der, &derlen) != 0) {
		gw_reply_error(r, 422, "bad-base64", "cms", "'cms' is not "
		    "base64");
		goto out;
	}
	if (cb64 != NULL && b64_decode(cb64, cb64len, &content, &clen) != 0) {
		gw_reply_error(r, 422, "bad-base64", "content", "'content' is "
		    "not base64");
		goto out;
	}
	p = der;
	if ((cms = d2i_CMS_ContentInfo(NULL, &p, (long)derlen)) == NULL ||
	    p != der + derlen ||
	    OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		gw_reply_error(r, 422, "bad-cms", "cms", "'cms' is not a DER "
		    "CMS SignedData");
		goto out;
	}
	if (content == NULL && CMS_is_detached(cms) == 1) {
		gw_reply_error(r, 422, "missing-field", "content", "the "
		    "signature is detached: 'content' is required");
		goto out;
	}
	if (content != NULL &&
	    (cbio = BIO_new_mem_buf(content, (int)clen)) == NULL)
		goto out;
	/* Match each SignerInfo with its certificate in the SignedData. */
	(void)CMS_set1_signers_certs(cms, NULL, 0);
	signers = CMS_get0_signers(cms);
	ERR_clear_error();
	if (signers == NULL || sk_X509_num(signers) != 1) {
		if (val_report_add(rep, &rule_cms_signer, "cms", NULL) != 0)
			goto out;
		rc = 0;
		goto out;
	}
	pk = X509_get0_pubkey(sk_X509_value(signers, 0));
	if (pk != NULL && EVP_PKEY_is_a(pk, "SM2")) {
		/*
		 * OpenSSL 3.0's CMS cannot verify SM2 with the GM/T 0009 ID:
		 * the gateway's own SignedData verifier does, encapsulated
		 * or detached.
		 */
		if (gw_cms_verify_any(der, derlen, content, clen, NULL,
		    rep) != 0)
			goto out;
	} else {
		ok = CMS_verify(cms, NULL, NULL, cbio, NULL,
		    CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | CMS_NOCRL);
		ERR_clear_error();
		if (ok != 1 && val_report_add(rep, &rule_cms_sig, "cms",
		    NULL) != 0)
			goto out;
	}
	x = sk_X509_value(signers, 0);
	prepare(x);
	X509_up_ref(x);
	if (!sk_X509_push(certs, x)) {
		X509_free(x);
		goto out;
	}
	all = CMS_get1_certs(cms);
	for (i = 0; all != NULL && i < sk_X509_num(all); i++) {
		x = sk_X509_value(all, i);
		if (X509_cmp(x, sk_X509_value(certs, 0)) == 0)
			continue;
		prepare(x);
		X509_up_ref(x);
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			goto out;
		}
	}
	rc = 0;
 out:
	if (rc != 0 && !r->replied)
		gw_reply_error(r, 500, "internal", NULL, "CMS processing "
		    "failed");
	sk_X509_free(signers);
	sk_X509_pop_free(all, X509_free);
	BIO_free(cbio);
	CMS_ContentInfo_free(cms);
	free(der);
	free(content);
	return rc;
}

/* 1 when every error in rep says only that no path was found. */
static int
only_path_errors(const struct val_report *rep)
{
	static const char *const codes[] = { "VALIDATE-NO-PATH",
	    "CHAIN-ISSUER-NOT-FOUND", "CHAIN-UNTRUSTED-ROOT", NULL };
	size_t	 i, j;
	int	 n = 0;

	for (i = 0; i < rep->n; i++) {
		if (rep->items[i].rule->sev < VAL_ERROR)
			continue;
		for (j = 0; codes[j] != NULL; j++)
			if (strcmp(rep->items[i].rule->code, codes[j]) == 0)
				break;
		if (codes[j] == NULL)
			return 0;
		n++;
	}
	return n > 0 && rep->dropped == 0 && !rep->oom;
}

/*
 * The request's "crls" and "ocsp", parsed and cached by the hash of their
 * strings (parsing DER CRLs is a good part of a request otherwise).
 * Returns 0 with *ref (NULL when the request has neither; release with
 * sup_put()), or -1 with a message naming the bad member.
 */
static int
sup_get(struct gw_app *app, json_t *req, struct sup_ref **ref, char *err,
    size_t errlen)
{
	static const char *const members[] = { "crls", "ocsp" };
	struct gw_vcache	*c = app->vc;
	struct sup_slot		*sl;
	struct sup_ref		*n = NULL, *old;
	EVP_MD_CTX		*md;
	json_t			*a, *v;
	unsigned char		 key[32];
	unsigned int		 kl;
	size_t			 i, k, cnt;
	int			 any = 0, ok = 1;

	*ref = NULL;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (k = 0; k < 2; k++) {
		if ((a = json_object_get(req, members[k])) == NULL)
			continue;
		any = 1;
		if (!json_is_array(a)) {
			ok = 0;
			continue;
		}
		/* Member index, item count, then each item's length and
		 * bytes: no two different requests share an encoding. */
		cnt = json_array_size(a);
		EVP_DigestUpdate(md, &k, sizeof(k));
		EVP_DigestUpdate(md, &cnt, sizeof(cnt));
		json_array_foreach(a, i, v) {
			if (!json_is_string(v)) {
				ok = 0;
				continue;
			}
			cnt = json_string_length(v);
			EVP_DigestUpdate(md, &cnt, sizeof(cnt));
			EVP_DigestUpdate(md, json_string_value(v), cnt);
		}
	}
	EVP_DigestFinal_ex(md, key, &kl);
	EVP_MD_CTX_free(md);
	if (!any)
		return 0;
	sl = &c->sups[(key[0] << 8 | key[1]) % GW_SUP_CACHE_SLOTS];
	if (ok) {
		pthread_mutex_lock(&c->smu);
		if (sl->ref != NULL && memcmp(sl->key, key, 32) == 0) {
			atomic_fetch_add(&sl->ref->refs, 1);
			*ref = sl->ref;
			pthread_mutex_unlock(&c->smu);
			gw_metrics_cache(app->srv, GW_CACHE_REVOC, 1);
			return 0;
		}
		pthread_mutex_unlock(&c->smu);
	}
	gw_metrics_cache(app->srv, GW_CACHE_REVOC, 0);
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	atomic_init(&n->refs, 1);
	if (gw_revoc_supplied_from_json(req, &n->s, err, errlen) != 0) {
		free(n);
		return -1;
	}
	atomic_fetch_add(&n->refs, 1);	/* the cache's */
	pthread_mutex_lock(&c->smu);
	old = sl->ref;
	sl->ref = n;
	memcpy(sl->key, key, 32);
	pthread_mutex_unlock(&c->smu);
	sup_put(old);
	*ref = n;
	return 0;
}

int
gw_h_validate(struct gw_req *r)
{
	static const char *const keys[] = { "chain", "cms", "content", "at",
	    "scenario", "crls", "ocsp", NULL };
	struct gw_app			*app = gw_app_of(r);
	const struct gw_policy		*pol = gw_svc_policy(app->svc);
	struct sup_ref			*sup = NULL;
	struct gw_revoc_result		*res = NULL;
	unsigned char			 hashes[GW_MAX_VALIDATE_CHAIN][32];
	struct gw_svc_err		 e;
	struct val_report		 rep;
	STACK_OF(X509)			*certs = NULL, *chain = NULL;
	json_t				*req, *v, *arr, *rec = NULL, *reply;
	json_t				*revj = NULL, *cj = NULL;
	const char			*scenario = NULL, *at_s = NULL;
	const char			*verdict, *reason = NULL;
	const char			*cms = NULL, *content = NULL;
	char				 err[256], field[32], ts[VAL_TIME_LEN];
	time_t				 at = r->now;
	size_t				 i, nres = 0, nh = 0;
	unsigned int			 dl;
	int				 oerr = 0, rc = -1, ok;
	enum gw_svc_status		 st;

	val_report_init(&rep);
	memset(&e, 0, sizeof(e));
	if (gw_body_want_json(r) != 0)
		return 0;
	if ((req = gw_body_json_fast(r->body, r->len)) == NULL &&
	    (req = gw_body_json(r)) == NULL)
		return 0;
	if (gw_body_only(r, req, keys) != 0 ||
	    gw_body_str(r, req, "scenario", 0, &scenario) != 0 ||
	    gw_body_str(r, req, "at", 0, &at_s) != 0 ||
	    gw_body_str(r, req, "cms", 0, &cms) != 0 ||
	    gw_body_str(r, req, "content", 0, &content) != 0) {
		rc = 0;
		goto out;
	}
	if (at_s != NULL && val_time_parse(at_s, &at) != 0) {
		rc = gw_reply_error(r, 422, "bad-time", "at", "'at' is not an "
		    "RFC 3339 time");
		goto out;
	}
	if (scenario != NULL && pol != NULL &&
	    !gw_policy_scenario_ok(pol, scenario)) {
		rc = gw_reply_error(r, 422, "unknown-scenario", "scenario",
		    "'%s' is not in the policy's scenario vocabulary",
		    scenario);
		goto out;
	}
	arr = json_object_get(req, "chain");
	if (arr != NULL && cms != NULL) {
		rc = gw_reply_error(r, 400, "conflicting-fields", "cms",
		    "give exactly one of 'chain' and 'cms', not both");
		goto out;
	}
	if (arr == NULL && cms == NULL) {
		rc = gw_reply_error(r, 400, "missing-field", "chain", "give "
		    "exactly one of 'chain' and 'cms'");
		goto out;
	}
	if (sup_get(app, req, &sup, err, sizeof(err)) != 0) {
		snprintf(field, sizeof(field), "%.*s",
		    (int)strcspn(err, "[:"), err);
		rc = gw_reply_error(r, 422, "bad-revocation-data", field,
		    "%s", err);
		goto out;
	}
	if ((certs = sk_X509_new_null()) == NULL)
		goto out;
	if (arr != NULL) {
		if (!json_is_array(arr)) {
			rc = gw_reply_error(r, 400, "wrong-type", "chain",
			    "'chain' must be an array of PEM strings");
			goto out;
		}
		if (json_array_size(arr) == 0 ||
		    json_array_size(arr) > GW_MAX_VALIDATE_CHAIN) {
			rc = gw_reply_error(r, 422, "bad-chain", "chain",
			    "'chain' must be an array of 1 to %d PEM "
			    "certificates, leaf first", GW_MAX_VALIDATE_CHAIN);
			goto out;
		}
		json_array_foreach(arr, i, v) {
			snprintf(field, sizeof(field), "chain[%zu]", i);
			if (!json_is_string(v)) {
				rc = gw_reply_error(r, 422, "wrong-type",
				    field, "%s must be a PEM string", field);
				goto out;
			}
			if (cert_get(app, json_string_value(v),
			    json_string_length(v), field, certs, hashes, &nh,
			    err, sizeof(err)) != 0) {
				rc = gw_reply_error(r, 422, "bad-certificate",
				    field, "%s", err);
				goto out;
			}
		}
		if (sk_X509_num(certs) > GW_MAX_VALIDATE_CHAIN) {
			rc = gw_reply_error(r, 422, "bad-chain", "chain",
			    "more than %d certificates", GW_MAX_VALIDATE_CHAIN);
			goto out;
		}
	} else {
		if (cms_signer(r, cms, strlen(cms), content,
		    content ? strlen(content) : 0, certs, &rep) != 0) {
			rc = 0;
			goto out;
		}
		while (sk_X509_num(certs) > GW_MAX_VALIDATE_CHAIN)
			X509_free(sk_X509_pop(certs));
		for (nh = 0; nh < (size_t)sk_X509_num(certs); nh++)
			X509_digest(sk_X509_value(certs, nh), EVP_sha256(),
			    hashes[nh], &dl);
	}

	if (sk_X509_num(certs) > 0 && !val_report_fatal(&rep) &&
	    validate_path(app, certs, hashes, at, r->now, &chain, &cj, &oerr,
	    &rep) != 0)
		goto out;
	if (chain != NULL && sk_X509_num(chain) > 1 &&
	    val_report_verdict(&rep) != VAL_VERDICT_FAIL) {
		nres = sk_X509_num(chain) - 1;
		if ((res = calloc(nres, sizeof(*res))) == NULL)
			goto out;
		if (gw_revoc_check(app->revoc, chain, sup ? sup->s : NULL, at,
		    r->now, res, nres, &rep) != 0)
			goto out;
		revj = gw_revoc_json(chain, res, nres);
	}
	if (val_report_verdict(&rep) == VAL_VERDICT_FAIL) {
		verdict = "invalid";
		/* Only "no path to anything we know": it may be a good
		 * certificate of a CA nobody recognized. */
		if (no_path_error(oerr) && only_path_errors(&rep)) {
			verdict = "not-recognized";
			reason = "unknown-ca";
		}
	} else {
		st = gw_svc_recognized(app->svc, chain, scenario, at, &rec,
		    &e);
		if (st == GW_SVC_OK)
			verdict = "recognized";
		else if (st == GW_SVC_NOT_FOUND) {
			verdict = "not-recognized";
			reason = json_string_value(json_object_get(rec,
			    "reason"));
		} else {
			rc = gw_reply_svc(r, st, rec, &e, 200);
			rec = NULL;
			goto out;
		}
	}
	r->verdict = verdict;
	val_time_format(at, ts);
	ok = strcmp(verdict, "recognized") == 0;
	reply = json_pack("{s:s, s:s, s:s?, s:s?, s:O?, s:O?, s:O?, s:o, s:o, "
	    "s:o}",
	    "verdict", verdict,
	    "at", ts,
	    "scenario", scenario,
	    "reason", reason,
	    "certificate_type", json_object_get(rec, "certificate_type"),
	    "recognition", ok ? rec : NULL,
	    "decision", ok ? json_object_get(rec, "decision") : NULL,
	    "chain", cj ? cj : json_array(),
	    "revocation", revj ? revj : json_array(),
	    "findings", gw_json_findings(&rep));
	revj = cj = NULL;
	if (reply == NULL)
		goto out;
	rc = gw_reply_json(r, 200, reply);
 out:
	json_decref(revj);
	json_decref(cj);
	json_decref(rec);
	json_decref(req);
	free(res);
	sup_put(sup);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(chain, X509_free);
	val_report_clear(&rep);
	return rc;
}
