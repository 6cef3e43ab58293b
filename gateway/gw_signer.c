/*
 * gw_signer.c: the gateway's decision-signing key and certificate.
 *
 * The algorithm is detected from the key: an SM2 key signs SM2 with SM3
 * and the standard ID (GM/T 0009), an EC P-256 key ECDSA with SHA-256.
 * Anything else is refused, as is a key that does not match the
 * certificate.  A loaded signer is never modified, so threads may share it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gw.h"
#include "gw_cms_int.h"

const char *
gw_sig_alg_name(enum gw_sig_alg a)
{
	return a == GW_SIG_SM2 ? "sm2-sm3" : "ecdsa-p256-sha256";
}

/*
 * Classifies a public or private key.  Returns 0 and the algorithm, or -1
 * with a reason.  OpenSSL 3.0 types keys on the SM2 curve as "SM2", but a
 * key read from some encodings may come back as "EC" with the SM2 curve:
 * both count as SM2.
 */
int
gw_key_alg(const EVP_PKEY *k, enum gw_sig_alg *out, char *err, size_t errlen)
{
	char	 group[64];
	size_t	 glen = 0;

	if (EVP_PKEY_is_a(k, "SM2")) {
		*out = GW_SIG_SM2;
		return 0;
	}
	if (!EVP_PKEY_is_a(k, "EC")) {
		snprintf(err, errlen, "key type %s is not SM2 or EC P-256",
		    EVP_PKEY_get0_type_name(k) != NULL ?
		    EVP_PKEY_get0_type_name(k) : "unknown");
		return -1;
	}
	if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof(group), &glen) != 1) {
		snprintf(err, errlen, "EC key without a named curve");
		return -1;
	}
	if (strcmp(group, "SM2") == 0) {
		*out = GW_SIG_SM2;
		return 0;
	}
	if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0) {
		*out = GW_SIG_ECDSA_P256;
		return 0;
	}
	snprintf(err, errlen, "EC curve %s is not P-256 or SM2", group);
	return -1;
}

/* Also used by gw_cms.c. */
void
gw_ossl_err(char *err, size_t errlen, const char *what)
{
	unsigned long	 e;
	char		 buf[160];

	e = ERR_peek_last_error();
	ERR_clear_error();
	if (e == 0) {
		snprintf(err, errlen, "%s", what);
		return;
	}
	ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(err, errlen, "%s: %s", what, buf);
}

struct gw_signer *
gw_signer_load_mem(const char *key_pem, size_t keylen, const char *cert_pem,
    size_t certlen, char *err, size_t errlen)
{
	struct gw_signer	*s = NULL;
	BIO			*b = NULL;
	EVP_PKEY		*key = NULL;
	X509			*cert = NULL;
	EVP_PKEY		*pub;
	enum gw_sig_alg		 ka, ca;
	char			 why[160];

	if (keylen > INT_MAX || certlen > INT_MAX) {
		snprintf(err, errlen, "signer: input too large");
		goto out;
	}
	if ((b = BIO_new_mem_buf(key_pem, (int)keylen)) == NULL ||
	    (key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) == NULL) {
		gw_ossl_err(err, errlen, "signer key: not a PEM private key");
		goto out;
	}
	BIO_free(b);
	if ((b = BIO_new_mem_buf(cert_pem, (int)certlen)) == NULL ||
	    (cert = PEM_read_bio_X509(b, NULL, NULL, NULL)) == NULL) {
		gw_ossl_err(err, errlen, "signer certificate: not a PEM "
		    "certificate");
		goto out;
	}
	if (gw_key_alg(key, &ka, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "signer key: %s", why);
		goto out;
	}
	if ((pub = X509_get0_pubkey(cert)) == NULL ||
	    gw_key_alg(pub, &ca, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "signer certificate key: %s",
		    pub == NULL ? "unreadable" : why);
		goto out;
	}
	if (ka != ca || EVP_PKEY_eq(key, pub) != 1) {
		ERR_clear_error();
		snprintf(err, errlen, "signer key does not match the "
		    "certificate");
		goto out;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	s->key = key;
	s->cert = cert;
	s->alg = ka;
	key = NULL;
	cert = NULL;
 out:
	BIO_free(b);
	EVP_PKEY_free(key);
	X509_free(cert);
	return s;
}

struct gw_signer *
gw_signer_load(const char *key_path, const char *cert_path, char *err,
    size_t errlen)
{
	struct gw_signer	*s = NULL;
	unsigned char		*k = NULL, *c = NULL;
	size_t			 klen = 0, clen = 0;
	char			 why[256];

	if (val_read_file(key_path, 64 * 1024, &k, &klen, why,
	    sizeof(why)) != 0) {
		snprintf(err, errlen, "signer key %s: %s", key_path, why);
		goto out;
	}
	if (val_read_file(cert_path, 64 * 1024, &c, &clen, why,
	    sizeof(why)) != 0) {
		snprintf(err, errlen, "signer certificate %s: %s", cert_path,
		    why);
		goto out;
	}
	s = gw_signer_load_mem((char *)k, klen, (char *)c, clen, why,
	    sizeof(why));
	if (s == NULL)
		snprintf(err, errlen, "%s", why);
 out:
	if (k != NULL)
		OPENSSL_cleanse(k, klen);
	free(k);
	free(c);
	return s;
}

void
gw_signer_free(struct gw_signer *s)
{
	if (s == NULL)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	free(s);
}

enum gw_sig_alg
gw_signer_alg(const struct gw_signer *s)
{
	return s->alg;
}

X509 *
gw_signer_cert(const struct gw_signer *s)
{
	return s->cert;
}
