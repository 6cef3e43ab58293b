/*
 * gw_auth.c: who is calling.  GnuTLS in libmicrohttpd only asks for a
 * client certificate (MHD_OPTION_HTTPS_MEM_TRUST): the handshake succeeds
 * without one, or with an untrusted or revoked one, because GnuTLS's check
 * ignores CRLs.  So every protected request's certificate chain is
 * verified here at the request's time: a path to the configured client CA,
 * the CRLs along the whole path, the clientAuth purpose; then the leaf is
 * mapped to a configured user by the SHA-256 of its DER or by its subject.
 *
 * Verified results are cached by the leaf's SHA-256 until the earliest of
 * GW_AUTH_CACHE_TTL seconds, the leaf's notAfter and the next update of
 * the CRLs used; refusals are not cached.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "gw_http.h"

struct auth_slot {
	char			 sha256[65];
	const struct gw_user	*user;
	time_t			 until;
};

struct gw_auth {
	const struct gw_config	*cfg;
	struct val_certs	 cas;		/* client CA(s): the anchors */
	pthread_rwlock_t	 crl_lock;	/* guards crls and crl_next */
	struct val_crls		 crls;		/* for every path certificate */
	time_t			 crl_next;	/* earliest nextUpdate */
	pthread_mutex_t		 mu;
	uint64_t		 crl_gen;	/* reloads, under mu */
	struct auth_slot	 slots[GW_AUTH_CACHE_SLOTS];
	uint64_t		 hits;
	uint64_t		 misses;
};

void
gw_auth_free(struct gw_auth *a)
{
	if (a == NULL)
		return;
	val_certs_free(&a->cas);
	val_crls_free(&a->crls);
	pthread_rwlock_destroy(&a->crl_lock);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

void
gw_auth_stats(struct gw_auth *a, uint64_t *hits, uint64_t *misses)
{
	pthread_mutex_lock(&a->mu);
	*hits = a->hits;
	*misses = a->misses;
	pthread_mutex_unlock(&a->mu);
}

/* Sets the GM/T 0009 ID on SM2 certificates once, caches extensions:
 * the anchors are then shared read-only by every thread. */
static void
share(struct val_certs *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		X509_check_purpose(c->v[i].x509, -1, 0);
	val_chain_sm2_prepare(c);
}

/* Loads every configured CRL file into out; *next gets the earliest
 * nextUpdate (0: none).  Returns 0, or -1 with a message. */
static int
load_crls(const struct gw_config *cfg, struct val_crls *out, time_t *next,
    char *err, size_t errlen)
{
	const ASN1_TIME	*nu;
	time_t		 t;
	char		 e[256];
	size_t		 i;

	*next = 0;
	for (i = 0; i < cfg->ncrls; i++) {
		if (val_crls_load_file(cfg->crls[i], out, e, sizeof(e)) != 0) {
			snprintf(err, errlen, "tls.crls: %s", e);
			return -1;
		}
	}
	for (i = 0; i < out->n; i++) {
		nu = X509_CRL_get0_nextUpdate(out->v[i].crl);
		if (nu != NULL && val_asn1_time(nu, &t) == 0 &&
		    (*next == 0 || t < *next))
			*next = t;
	}
	return 0;
}

int
gw_auth_reload_crls(struct gw_auth *a, char *err, size_t errlen)
{
	struct val_crls	 n = { NULL, 0 }, old;
	time_t		 next;
	size_t		 i;

	if (load_crls(a->cfg, &n, &next, err, errlen) != 0) {
		val_crls_free(&n);
		return -1;
	}
	pthread_rwlock_wrlock(&a->crl_lock);
	old = a->crls;
	a->crls = n;
	a->crl_next = next;
	pthread_rwlock_unlock(&a->crl_lock);
	/* Every verified certificate is checked again. */
	pthread_mutex_lock(&a->mu);
	a->crl_gen++;
	for (i = 0; i < GW_AUTH_CACHE_SLOTS; i++)
		a->slots[i].user = NULL;
	pthread_mutex_unlock(&a->mu);
	val_crls_free(&old);
	return 0;
}

struct gw_auth *
gw_auth_new(const struct gw_config *cfg, char *err, size_t errlen)
{
	struct gw_auth	*a, *rc = NULL;
	char		 e[256];

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_rwlock_init(&a->crl_lock, NULL);
	a->cfg = cfg;
	if (cfg->client_ca != NULL) {
		if (val_certs_load_file(cfg->client_ca, &a->cas, e,
		    sizeof(e)) != 0) {
			snprintf(err, errlen, "tls.client_ca: %s", e);
			goto out;
		}
		share(&a->cas);
	}
	if (load_crls(cfg, &a->crls, &a->crl_next, err, errlen) != 0)
		goto out;
	if (!cfg->plain_http && cfg->client_ca == NULL && cfg->nusers > 0) {
		snprintf(err, errlen, "tls.client_ca: required when users "
		    "are configured");
		goto out;
	}
	rc = a;
	a = NULL;
 out:
	gw_auth_free(a);
	return rc;
}

/* Short reasons for the 401 message, by finding code, first match in
 * this order wins (a forged look-alike also lacks a CRL: say forged). */
static const struct {
	const char	*code;
	const char	*why;
} reasons[] = {
	{ "CHAIN-CERT-SIGNATURE", "not issued by the configured client CA" },
	{ "CHAIN-ISSUER-NOT-FOUND", "not issued by the configured client CA" },
	{ "CHAIN-UNTRUSTED-ROOT", "not issued by the configured client CA" },
	{ "CHAIN-CERT-REVOKED", "certificate revoked" },
	{ "CHAIN-CERT-EXPIRED", "certificate expired" },
	{ "CHAIN-CERT-NOT-YET-VALID", "certificate not yet valid" },
	{ "CHAIN-CRL-MISSING", "no CRL for the client CA" },
	{ "CHAIN-CRL-STALE", "the client CA's CRL is stale" },
	{ "CHAIN-LEAF-EKU", "certificate not for client authentication" },
	{ "CHAIN-PURPOSE", "certificate not for client authentication" },
};

/*
 * Path validation of the peer's chain at time now (val_chain_check()):
 * the configured client CA as the only anchor, the configured CRLs for
 * every certificate of the path, the clientAuth EKU.  Returns 0 when
 * valid, else -1 with the reason.
 */
static int
verify_peer(struct gw_auth *a, const struct val_certs *peer, time_t now,
    const char **why)
{
	static const char *const ekus[] = { "1.3.6.1.5.5.7.3.2", NULL };
	struct val_chain_in	 in;
	struct val_purpose	 pur;
	struct val_certs	 untrusted = { NULL, 0 };
	struct val_report	 rep;
	size_t			 i;
	int			 rc = -1;

	*why = "not issued by the configured client CA";
	val_report_init(&rep);
	if (a->cas.n == 0)
		return -1;
	/* The peer's other certificates, borrowed, as untrusted. */
	untrusted.v = peer->v + 1;
	untrusted.n = peer->n - 1;
	memset(&pur, 0, sizeof(pur));
	pur.ekus = ekus;
	memset(&in, 0, sizeof(in));
	in.leaf = peer->v[0].x509;
	in.anchors = &a->cas;
	in.untrusted = &untrusted;
	in.at = now;
	in.purpose = &pur;
	pthread_rwlock_rdlock(&a->crl_lock);
	in.crls = a->crls.n > 0 ? &a->crls : NULL;
	rc = val_chain_check(&in, NULL, &rep);
	pthread_rwlock_unlock(&a->crl_lock);
	if (rc != 0) {
		rc = -1;
		*why = "cannot verify";
		goto out;
	}
	rc = -1;
	if (val_report_verdict(&rep) != VAL_VERDICT_FAIL) {
		rc = 0;
		goto out;
	}
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (val_report_has(&rep, reasons[i].code)) {
			*why = reasons[i].why;
			break;
		}
 out:
	val_report_clear(&rep);
	return rc;
}

static const struct gw_user *
map_user(const struct gw_config *cfg, X509 *leaf, const char *hex)
{
	BIO		*b;
	char		 subj[1024];
	int		 n;
	size_t		 i;

	for (i = 0; i < cfg->nusers; i++)
		if (cfg->users[i].sha256 != NULL &&
		    strcmp(cfg->users[i].sha256, hex) == 0)
			return &cfg->users[i];
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	n = X509_NAME_print_ex(b, X509_get_subject_name(leaf), 0,
	    XN_FLAG_RFC2253);
	if (n < 0 || (n = BIO_read(b, subj, sizeof(subj) - 1)) < 0)
		n = 0;
	subj[n] = '\0';
	BIO_free(b);
	for (i = 0; i < cfg->nusers; i++)
		if (cfg->users[i].subject != NULL &&
		    strcmp(cfg->users[i].subject, subj) == 0)
			return &cfg->users[i];
	return NULL;
}

static void
fill(struct gw_principal *who, const struct gw_user *u, const char *hex)
{
	who->user = u;
	who->role = u->role;
	who->tenant = u->tenant;
	memcpy(who->sha256, hex, 65);
}

int
gw_auth_check(struct gw_auth *a, const unsigned char *const *der,
    const size_t *derlen, size_t n, time_t now, struct gw_principal *who,
    const char **why)
{
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen;
	char			 hex[65];
	struct auth_slot	*sl;
	const struct gw_user	*u = NULL;
	X509			*leaf = NULL;
	struct val_certs	 peer = { NULL, 0 };
	char			 name[48], ebuf[256];
	time_t			 until, na;
	uint64_t		 gen;
	size_t			 i, h;
	int			 rc = -1;

	*why = "no client certificate";
	if (n == 0)
		return -1;
	if (EVP_Digest(der[0], derlen[0], md, &mdlen, EVP_sha256(), NULL) != 1)
		return -1;
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	h = ((size_t)md[0] << 8 | md[1]) % GW_AUTH_CACHE_SLOTS;
	sl = &a->slots[h];
	pthread_mutex_lock(&a->mu);
	if (sl->user != NULL && strcmp(sl->sha256, hex) == 0 &&
	    now < sl->until) {
		a->hits++;
		fill(who, sl->user, hex);
		pthread_mutex_unlock(&a->mu);
		return 0;
	}
	a->misses++;
	pthread_mutex_unlock(&a->mu);

	/* The project's strict loader; a chain longer than any sane one
	 * is cut (the path is built from what remains). */
	*why = "unreadable certificate";
	for (i = 0; i < n && i < GW_AUTH_MAX_PEER; i++) {
		snprintf(name, sizeof(name), "client certificate #%zu", i);
		if (val_certs_load_mem(der[i], derlen[i], name, &peer, ebuf,
		    sizeof(ebuf)) != 0)
			goto out;
		if (peer.v[peer.n - 1].der_error != NULL) {
			*why = "certificate is not strict DER";
			goto out;
		}
	}
	if (peer.n == 0)
		goto out;
	leaf = peer.v[0].x509;
	X509_check_purpose(leaf, -1, 0);
	/* A verdict reached with CRLs that a reload replaced meanwhile
	 * answers this request but is not remembered. */
	pthread_mutex_lock(&a->mu);
	gen = a->crl_gen;
	pthread_mutex_unlock(&a->mu);
	if (verify_peer(a, &peer, now, why) != 0)
		goto out;
	if ((u = map_user(a->cfg, leaf, hex)) == NULL) {
		*why = "certificate valid but not mapped to any user";
		goto out;
	}
	until = now + GW_AUTH_CACHE_TTL;
	if (val_asn1_time(X509_get0_notAfter(leaf), &na) == 0 && na < until)
		until = na;
	pthread_rwlock_rdlock(&a->crl_lock);
	if (a->crl_next != 0 && a->crl_next < until)
		until = a->crl_next;
	pthread_rwlock_unlock(&a->crl_lock);
	pthread_mutex_lock(&a->mu);
	if (a->crl_gen == gen) {
		memcpy(sl->sha256, hex, sizeof(hex));
		sl->user = u;
		sl->until = until;
	}
	pthread_mutex_unlock(&a->mu);
	fill(who, u, hex);
	rc = 0;
 out:
	ERR_clear_error();
	val_certs_free(&peer);
	return rc;
}
