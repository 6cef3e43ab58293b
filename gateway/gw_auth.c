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
	X509_STORE		*store;		/* client CA + CRLs */
	int			 crl_check;
	time_t			 crl_next;	/* earliest nextUpdate */
	pthread_mutex_t		 mu;
	struct auth_slot	 slots[GW_AUTH_CACHE_SLOTS];
	uint64_t		 hits;
	uint64_t		 misses;
};

void
gw_auth_free(struct gw_auth *a)
{
	if (a == NULL)
		return;
	X509_STORE_free(a->store);
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

static int
load_cas(struct gw_auth *a, const char *path, char *err, size_t errlen)
{
	BIO	*b;
	X509	*x;
	int	 n = 0;

	if ((b = BIO_new_file(path, "r")) == NULL) {
		snprintf(err, errlen, "tls.client_ca: cannot open %s", path);
		return -1;
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_cert(a->store, x) != 1) {
			X509_free(x);
			BIO_free(b);
			snprintf(err, errlen, "tls.client_ca: %s: cannot add "
			    "certificate %d", path, n + 1);
			return -1;
		}
		X509_free(x);
		n++;
	}
	ERR_clear_error();
	BIO_free(b);
	if (n == 0) {
		snprintf(err, errlen, "tls.client_ca: %s: no PEM certificate",
		    path);
		return -1;
	}
	return 0;
}

static int
load_crl(struct gw_auth *a, const char *path, char *err, size_t errlen)
{
	BIO		*b;
	X509_CRL	*crl;
	time_t		 next;
	const ASN1_TIME	*nu;

	if ((b = BIO_new_file(path, "r")) == NULL) {
		snprintf(err, errlen, "tls.crls: cannot open %s", path);
		return -1;
	}
	crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
	if (crl == NULL) {
		(void)BIO_reset(b);
		crl = d2i_X509_CRL_bio(b, NULL);
	}
	BIO_free(b);
	ERR_clear_error();
	if (crl == NULL) {
		snprintf(err, errlen, "tls.crls: %s: not a PEM or DER CRL",
		    path);
		return -1;
	}
	if ((nu = X509_CRL_get0_nextUpdate(crl)) != NULL &&
	    val_asn1_time(nu, &next) == 0 &&
	    (a->crl_next == 0 || next < a->crl_next))
		a->crl_next = next;
	if (X509_STORE_add_crl(a->store, crl) != 1) {
		X509_CRL_free(crl);
		snprintf(err, errlen, "tls.crls: %s: cannot add", path);
		return -1;
	}
	X509_CRL_free(crl);
	return 0;
}

struct gw_auth *
gw_auth_new(const struct gw_config *cfg, char *err, size_t errlen)
{
	struct gw_auth	*a, *rc = NULL;
	size_t		 i;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&a->mu, NULL);
	a->cfg = cfg;
	if ((a->store = X509_STORE_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (cfg->client_ca != NULL &&
	    load_cas(a, cfg->client_ca, err, errlen) != 0)
		goto out;
	for (i = 0; i < cfg->ncrls; i++)
		if (load_crl(a, cfg->crls[i], err, errlen) != 0)
			goto out;
	a->crl_check = cfg->ncrls > 0;
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

/*
 * Path validation of the peer's chain at time now with the client CA as
 * the only anchor and every configured CRL.  Returns 0 when valid, else -1
 * with the reason.
 */
static int
verify_peer(struct gw_auth *a, X509 *leaf, STACK_OF(X509) *extra,
    time_t now, const char **why)
{
	X509_STORE_CTX		*ctx;
	X509_VERIFY_PARAM	*vp;
	int			 rc = -1, e;

	*why = "cannot verify";
	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return -1;
	if (X509_STORE_CTX_init(ctx, a->store, leaf, extra) != 1)
		goto out;
	vp = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(vp, now);
	X509_VERIFY_PARAM_set_depth(vp, 8);
	X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_X509_STRICT |
	    (a->crl_check ? X509_V_FLAG_CRL_CHECK |
	    X509_V_FLAG_CRL_CHECK_ALL : 0));
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	if (X509_verify_cert(ctx) == 1) {
		rc = 0;
		goto out;
	}
	e = X509_STORE_CTX_get_error(ctx);
	switch (e) {
	case X509_V_ERR_CERT_REVOKED:
		*why = "certificate revoked";
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		*why = "certificate expired";
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		*why = "certificate not yet valid";
		break;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
		*why = "no current CRL for the client CA";
		break;
	case X509_V_ERR_INVALID_PURPOSE:
		*why = "certificate not for client authentication";
		break;
	default:
		*why = "not issued by the configured client CA";
		break;
	}
 out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
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
	X509			*leaf = NULL, *x;
	STACK_OF(X509)		*extra = NULL;
	const unsigned char	*p;
	time_t			 until, na;
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

	*why = "unreadable certificate";
	p = der[0];
	if ((leaf = d2i_X509(NULL, &p, derlen[0])) == NULL ||
	    p != der[0] + derlen[0])
		goto out;
	if ((extra = sk_X509_new_null()) == NULL)
		goto out;
	for (i = 1; i < n; i++) {
		p = der[i];
		if ((x = d2i_X509(NULL, &p, derlen[i])) == NULL)
			goto out;
		if (!sk_X509_push(extra, x)) {
			X509_free(x);
			goto out;
		}
	}
	if (verify_peer(a, leaf, extra, now, why) != 0)
		goto out;
	if ((u = map_user(a->cfg, leaf, hex)) == NULL) {
		*why = "certificate valid but not mapped to any user";
		goto out;
	}
	until = now + GW_AUTH_CACHE_TTL;
	if (val_asn1_time(X509_get0_notAfter(leaf), &na) == 0 && na < until)
		until = na;
	if (a->crl_next != 0 && a->crl_next < until)
		until = a->crl_next;
	pthread_mutex_lock(&a->mu);
	memcpy(sl->sha256, hex, sizeof(hex));
	sl->user = u;
	sl->until = until;
	pthread_mutex_unlock(&a->mu);
	fill(who, u, hex);
	rc = 0;
 out:
	ERR_clear_error();
	X509_free(leaf);
	sk_X509_pop_free(extra, X509_free);
	return rc;
}
