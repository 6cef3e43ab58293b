/*
 * gw_cms_int.h: shared by gw_signer.c, gw_cms.c and gw_decision.c only
 * (and by tests/test_cms.c, which signs with a non-standard SM2 ID to
 * prove the verifier catches it).  Not part of the public interface.
 */
#ifndef GW_CMS_INT_H
#define GW_CMS_INT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "gw.h"

struct gw_signer {
	EVP_PKEY	*key;
	X509		*cert;
	enum gw_sig_alg	 alg;
};

/* "what: <OpenSSL's last error>" (or just what) into err; clears the
 * OpenSSL error queue. */
void	gw_ossl_err(char *err, size_t errlen, const char *what);

/* Classifies a key as SM2 or EC P-256.  Returns 0, or -1 with err. */
int	gw_key_alg(const EVP_PKEY *, enum gw_sig_alg *, char *err,
	    size_t errlen);

/*
 * gw_cms_sign() with an explicit SM2 signer ID (id, idlen; idlen 0 is the
 * empty ID OpenSSL uses by default; ignored for ECDSA), and detached
 * (the content left out of the SignedData).
 */
int	gw_cms_sign_id(const struct gw_signer *, const unsigned char *,
	    size_t, time_t, const char *id, size_t idlen, int detached,
	    unsigned char **der, size_t *derlen, char *err, size_t errlen);

/*
 * Verifies a SIGNED{} encoding (certificate, CRL, BasicOCSPResponse:
 * SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING, ... }) with key: SM2
 * with SM3 and the GM/T 0009 ID, else the algorithm's digest (ECDSA, RSA
 * PKCS#1 v1.5).  Returns 1 when it verifies; else 0 with why, and
 * *empty_id 1 when an SM2 signature verifies only with the empty ID.
 */
int	gw_verify_signed(const unsigned char *der, size_t len, EVP_PKEY *key,
	    int *empty_id, char *why, size_t whylen);

/* The BasicOCSPResponse bytes inside a DER OCSPResponse (borrowed from
 * der).  Returns 0, or -1 when the outer structure is not as expected. */
int	gw_ocsp_basic_der(const unsigned char *der, size_t len,
	    const unsigned char **basic, size_t *blen);

#endif /* GW_CMS_INT_H */
