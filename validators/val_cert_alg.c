/*
 * val_cert_alg.c: algorithms.  Parameter encodings (RFC 3279, RFC 4055,
 * RFC 5758) and a profile's algorithm policy: the signature algorithms,
 * key algorithms and curves it allows, the smallest RSA modulus and
 * public exponent (profile parameters signature_algorithms,
 * key_algorithms, curves, min_rsa_bits, min_rsa_exponent).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "val_cert_int.h"

static int
is_rsa_pkcs1_sig(int nid)
{
	switch (nid) {
	case NID_md2WithRSAEncryption:
	case NID_md4WithRSAEncryption:
	case NID_md5WithRSAEncryption:
	case NID_sha1WithRSAEncryption:
	case NID_sha224WithRSAEncryption:
	case NID_sha256WithRSAEncryption:
	case NID_sha384WithRSAEncryption:
	case NID_sha512WithRSAEncryption:
	case NID_sm3WithRSAEncryption:
		return 1;
	}
	return 0;
}

/* ECDSA and DSA: parameters absent (RFC 3279 2.2.2, 2.2.3, RFC 5758). */
static int
is_ecdsa_sig(int nid)
{
	switch (nid) {
	case NID_ecdsa_with_SHA1:
	case NID_ecdsa_with_SHA224:
	case NID_ecdsa_with_SHA256:
	case NID_ecdsa_with_SHA384:
	case NID_ecdsa_with_SHA512:
	case NID_dsaWithSHA1:
	case NID_dsa_with_SHA224:
	case NID_dsa_with_SHA256:
		return 1;
	}
	return 0;
}

static int
is_weak_sig(int nid)
{
	switch (nid) {
	case NID_md2WithRSAEncryption:
	case NID_md4WithRSAEncryption:
	case NID_md5WithRSAEncryption:
	case NID_sha1WithRSAEncryption:
	case NID_ecdsa_with_SHA1:
	case NID_dsaWithSHA1:
	case NID_shaWithRSAEncryption:
	case NID_sha1WithRSA:
	case NID_md5WithRSA:
		return 1;
	}
	return 0;
}

/* One AlgorithmIdentifier's parameters against its algorithm's rule. */
static void
one_params(struct val_cctx *ctx, const struct val_rule *r, const char *path,
    const X509_ALGOR *a, int spki)
{
	const ASN1_OBJECT	*o;
	const void		*pv;
	int			 pt, nid;

	X509_ALGOR_get0(&o, &pt, &pv, a);
	nid = OBJ_obj2nid(o);
	if ((spki && nid == NID_rsaEncryption) ||
	    (!spki && is_rsa_pkcs1_sig(nid))) {
		if (pt != V_ASN1_NULL)
			val_cfind(ctx, r, path, "%s parameters must be NULL",
			    OBJ_nid2sn(nid));
	} else if (!spki && is_ecdsa_sig(nid)) {
		if (pt != V_ASN1_UNDEF && pt != -1)
			val_cfind(ctx, r, path, "%s parameters must be "
			    "absent", OBJ_nid2sn(nid));
	} else if (!spki && (nid == NID_ED25519 || nid == NID_ED448)) {
		if (pt != V_ASN1_UNDEF && pt != -1)
			val_cfind(ctx, r, path, "%s parameters must be "
			    "absent", OBJ_nid2sn(nid));
	}
}

static void
chk_params(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_BIT_STRING	*sig;
	const X509_ALGOR	*outer, *kalg;
	X509_PUBKEY		*pub;

	one_params(ctx, r, "tbsCertificate.signature",
	    X509_get0_tbs_sigalg(ctx->x), 0);
	X509_get0_signature(&sig, &outer, ctx->x);
	one_params(ctx, r, "signatureAlgorithm", outer, 0);
	if ((pub = X509_get_X509_PUBKEY(ctx->x)) != NULL &&
	    X509_PUBKEY_get0_param(NULL, NULL, NULL, (X509_ALGOR **)&kalg,
	    pub) == 1)
		one_params(ctx, r, "subjectPublicKeyInfo.algorithm", kalg, 1);
}

static const ASN1_OBJECT *
sig_oid(const struct val_cctx *ctx)
{
	const ASN1_BIT_STRING	*sig;
	const X509_ALGOR	*outer;
	const ASN1_OBJECT	*o;

	X509_get0_signature(&sig, &outer, ctx->x);
	X509_ALGOR_get0(&o, NULL, NULL, outer);
	return o;
}

static void
chk_sig_weak(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_OBJECT	*o = sig_oid(ctx);
	int			 nid = OBJ_obj2nid(o);

	if (is_weak_sig(nid))
		val_cfind(ctx, r, "signatureAlgorithm", "%s",
		    OBJ_nid2sn(nid));
}

static void
name_of(const ASN1_OBJECT *o, char *buf, size_t len)
{
	int	 nid = OBJ_obj2nid(o);

	if (nid != NID_undef)
		snprintf(buf, len, "%s", OBJ_nid2sn(nid));
	else
		OBJ_obj2txt(buf, (int)len, o, 1);
}

static void
chk_sig_allowed(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_OBJECT	*o = sig_oid(ctx);
	char			 n[80];

	if (is_weak_sig(OBJ_obj2nid(o)))
		return;		/* ALG-SIG-WEAK says it */
	if (val_param_has_oid(ctx->p, "signature_algorithms", o) == 0) {
		name_of(o, n, sizeof(n));
		val_cfind(ctx, r, "signatureAlgorithm", "%s", n);
	}
}

static const ASN1_OBJECT *
key_oid(const struct val_cctx *ctx, const void **pv, int *pt)
{
	X509_PUBKEY		*pub;
	X509_ALGOR		*a;
	const ASN1_OBJECT	*o = NULL;

	if ((pub = X509_get_X509_PUBKEY(ctx->x)) == NULL ||
	    X509_PUBKEY_get0_param(NULL, NULL, NULL, &a, pub) != 1)
		return NULL;
	X509_ALGOR_get0(&o, pt, pv, a);
	return o;
}

static void
chk_key_allowed(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_OBJECT	*o;
	const void		*pv;
	char			 n[80];
	int			 pt;

	if ((o = key_oid(ctx, &pv, &pt)) == NULL)
		return;
	if (val_param_has_oid(ctx->p, "key_algorithms", o) == 0) {
		name_of(o, n, sizeof(n));
		val_cfind(ctx, r, "subjectPublicKeyInfo.algorithm", "%s", n);
	}
}

/* The curve of an EC or SM2 key: the namedCurve parameter, or SM2 when
 * the algorithm is 1.2.156.10197.1.301 itself without one. */
static const ASN1_OBJECT *
key_curve(const struct val_cctx *ctx, int *is_ec)
{
	const ASN1_OBJECT	*o;
	const void		*pv;
	int			 pt = -1, nid;

	*is_ec = 0;
	if ((o = key_oid(ctx, &pv, &pt)) == NULL)
		return NULL;
	nid = OBJ_obj2nid(o);
	if (nid != NID_X9_62_id_ecPublicKey && nid != NID_sm2)
		return NULL;
	*is_ec = 1;
	if (pt == V_ASN1_OBJECT)
		return pv;
	if (nid == NID_sm2)
		return o;
	return NULL;
}

static void
chk_curve(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_OBJECT	*c;
	char			 n[80];
	int			 is_ec;

	c = key_curve(ctx, &is_ec);
	if (!is_ec)
		return;
	if (c == NULL) {
		val_cfind(ctx, r, "subjectPublicKeyInfo.algorithm",
		    "explicit or missing curve parameters");
		return;
	}
	if (val_param_has_oid(ctx->p, "curves", c) == 0) {
		name_of(c, n, sizeof(n));
		val_cfind(ctx, r, "subjectPublicKeyInfo.algorithm", "%s", n);
	}
}

static void
chk_rsa_bits(struct val_cctx *ctx, const struct val_rule *r)
{
	EVP_PKEY	*k = X509_get0_pubkey(ctx->x);
	long		 min;

	if (k == NULL || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA)
		return;
	min = val_param_int(ctx->p, "min_rsa_bits", 2048);
	if (EVP_PKEY_get_bits(k) < min)
		val_cfind(ctx, r, "subjectPublicKeyInfo", "%d bits, at least "
		    "%ld", EVP_PKEY_get_bits(k), min);
}

static void
chk_rsa_exp(struct val_cctx *ctx, const struct val_rule *r)
{
	EVP_PKEY	*k = X509_get0_pubkey(ctx->x);
	BIGNUM		*e = NULL;
	long		 min;

	if (k == NULL || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA)
		return;
	if (EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) != 1)
		return;
	min = val_param_int(ctx->p, "min_rsa_exponent", 65537);
	if (!BN_is_odd(e))
		val_cfind(ctx, r, "subjectPublicKeyInfo", "even exponent");
	else if (BN_num_bits(e) < 32 && (long)BN_get_word(e) < min)
		val_cfind(ctx, r, "subjectPublicKeyInfo", "exponent %lu, at "
		    "least %ld", (unsigned long)BN_get_word(e), min);
	BN_free(e);
}

const struct val_check val_checks_alg[] = {
	{ "CERT-ALG-PARAMS", chk_params },
	{ "ALG-SIG-WEAK", chk_sig_weak },
	{ "ALG-SIG-NOT-ALLOWED", chk_sig_allowed },
	{ "ALG-KEY-NOT-ALLOWED", chk_key_allowed },
	{ "ALG-CURVE-NOT-ALLOWED", chk_curve },
	{ "ALG-RSA-SMALL", chk_rsa_bits },
	{ "ALG-RSA-EXPONENT", chk_rsa_exp },
	{ NULL, NULL }
};
