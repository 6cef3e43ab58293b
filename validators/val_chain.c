/*
 * val_chain.c: RFC 5280 section 6 path validation through OpenSSL 3.0's
 * X509_STORE, at a caller-given time.
 *
 * What it checks (all through X509_verify_cert unless said otherwise):
 *  - path building from the leaf through the untrusted pool to one of the
 *    trust anchors, with a depth limit (max_depth, OpenSSL's meaning: the
 *    number of intermediates);
 *  - signatures, validity at `at` (notAfter and a CRL's nextUpdate
 *    inclusive, RFC 5280 4.1.2.5 and 6.3.3 (a)(2), where OpenSSL 3.0
 *    treats them as exclusive), basicConstraints, pathLenConstraint,
 *    keyUsage keyCertSign, name constraints, unknown critical extensions,
 *    X509_STRICT's RFC 5280 rules (unless VAL_CHAIN_NO_STRICT);
 *  - policies: the initial policy set (anyPolicy when none is given, which
 *    RFC 5280 says and OpenSSL does not), initial-explicit-policy,
 *    initial-policy-mapping-inhibit, initial-any-policy-inhibit;
 *  - revocation of every certificate of the path by CRLs when CRLs are
 *    given (CRL_CHECK_ALL, extended CRL support: indirect CRLs, distribution
 *    point scopes, delta CRLs); each CRL OpenSSL uses (base or delta, for
 *    the path or a CRL issuer's path) also goes through val_crl_extra()
 *    once (cRLNumber present, RFC 5280 5.2.3; AKI present, a warning), by
 *    wrapping OpenSSL's check_crl; CRLs it never picks are not judged;
 *  - SM2: the GM/T 0009 ID is set on every SM2-signed certificate before
 *    verification; SM2-signed CRLs are verified here with that ID (OpenSSL
 *    3.0 has none for CRLs): only CRLs that verify with it are given to
 *    OpenSSL, and its CRL signature failure is overridden only for a CRL
 *    whose signature we verified with the very issuer key it used (and
 *    every SM2 delta CRL of that issuer name with it too, since OpenSSL
 *    reports a delta's failure with current_crl still on the base); an
 *    SM2 certificate or CRL signed with the empty ID gets its own code;
 *  - the purpose, when given: peer DNS name (never the subject CN), IP and
 *    email through OpenSSL, serverAuth or clientAuth through OpenSSL's
 *    purposes (which check the CAs' EKUs too);
 *  - val_chain_extra() (val_chain_extra.c) on every chain that reaches an
 *    anchor, with or without a purpose: the checks OpenSSL misses (its
 *    always-on set: PKITS and the CFCA chain stay valid), and with a
 *    purpose the leaf's peer name, EKUs and key usage; its issuer-side
 *    structure rules only with VAL_PURPOSE_STRICT.
 *
 * Every OpenSSL error met is a finding (the verify callback records it and
 * lets verification go on, so one report lists every problem), except
 * where val_chain_extra() reports the same problem at the same certificate
 * under a more precise code (covered(): peer-name mismatches, the leaf's
 * EKU for a TLS purpose, and X509_STRICT's warnings under
 * VAL_PURPOSE_STRICT): one problem, one finding.  Ignored on
 * purpose: OCSP, AIA fetching, the trust anchors' own signatures and
 * validity (an anchor is a name and a key, RFC 5280 6.1.1 (d)).
 * Known gaps: what OpenSSL 3.0 cannot do (see README, PKITS section:
 * DSA parameter inheritance, a cRLIssuer covered only by its own indirect
 * CRL); an SM2 delta CRL of a same-named CA with another key is refused
 * rather than told apart; X509_STRICT's findings are warnings only.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "val.h"

/* Our own reason beside OpenSSL's X509_V_ERR_* (all positive). */
#define CHAIN_ERR_CERT_SM2_ID	(-1000)

#define CHAIN_MAX_SEEN		64	/* distinct (error, depth) pairs */
#define CHAIN_MAX_RAW		8	/* OpenSSL errors kept per finding */
#define CHAIN_MAX_SM2CRL	VAL_MAX_CRLS

static const struct val_rule chain_rules[] = {
	{ "CHAIN-CERT-EXPIRED", VAL_ERROR, "RFC 5280 6.1.3 (a)(2)",
	    "certificate has expired at the validation time" },
	{ "CHAIN-CERT-NOT-YET-VALID", VAL_ERROR, "RFC 5280 6.1.3 (a)(2)",
	    "certificate is not yet valid at the validation time" },
	{ "CHAIN-CERT-TIME-FIELD", VAL_ERROR, "RFC 5280 4.1.2.5",
	    "certificate validity time cannot be parsed" },
	{ "CHAIN-CERT-SIGNATURE", VAL_ERROR, "RFC 5280 6.1.3 (a)(1)",
	    "certificate signature does not verify with the issuer's key" },
	{ "CHAIN-CERT-SM2-ID", VAL_ERROR, "GM/T 0009-2012 10; RFC 5280 6.1.3 "
	    "(a)(1)", "SM2 certificate signed with the empty user ID, not "
	    "1234567812345678" },
	{ "CHAIN-ISSUER-NOT-FOUND", VAL_ERROR, "RFC 5280 6.1",
	    "no issuer found: the path does not reach a trust anchor" },
	{ "CHAIN-UNTRUSTED-ROOT", VAL_ERROR, "RFC 5280 6.1.1 (d)",
	    "the path ends in a self-signed certificate that is not an "
	    "anchor" },
	{ "CHAIN-ISSUER-MISMATCH", VAL_ERROR, "RFC 5280 4.2.1.1",
	    "key identifier or name does not match the issuer" },
	{ "CHAIN-CERT-REVOKED", VAL_ERROR, "RFC 5280 6.1.3 (a)(3)",
	    "certificate is revoked" },
	{ "CHAIN-CRL-MISSING", VAL_ERROR, "RFC 5280 6.3.3",
	    "no usable CRL covers this certificate" },
	{ "CHAIN-CRL-STALE", VAL_ERROR, "RFC 5280 6.3.3 (a)(2)",
	    "CRL nextUpdate is before the validation time" },
	{ "CHAIN-CRL-NOT-YET-VALID", VAL_ERROR, "RFC 5280 6.3.3 (a)",
	    "CRL thisUpdate is after the validation time" },
	{ "CHAIN-CRL-TIME-FIELD", VAL_ERROR, "RFC 5280 5.1.2.4",
	    "CRL thisUpdate or nextUpdate cannot be parsed" },
	{ "CHAIN-CRL-SIGNATURE", VAL_ERROR, "RFC 5280 6.3.3 (g)",
	    "CRL signature does not verify with the CRL issuer's key" },
	{ "CHAIN-CRL-SM2-ID", VAL_ERROR, "GM/T 0009-2012 10; RFC 5280 6.3.3 "
	    "(g)", "SM2 CRL signed with the empty user ID, not "
	    "1234567812345678; not used" },
	{ "CHAIN-CRL-ISSUER", VAL_ERROR, "RFC 5280 6.3.3 (f)",
	    "CRL issuer certificate not found or not valid" },
	{ "CHAIN-CRL-KU", VAL_ERROR, "RFC 5280 6.3.3 (f)",
	    "CRL issuer lacks the cRLSign key usage" },
	{ "CHAIN-CRL-SCOPE", VAL_ERROR, "RFC 5280 6.3.3 (b)",
	    "CRL scope does not cover the certificate" },
	{ "CHAIN-CRL-CRIT-EXT", VAL_ERROR, "RFC 5280 5.2, 5.3",
	    "CRL or CRL entry has an unhandled critical extension" },
	{ "CHAIN-REV-UNCHECKED", VAL_INFO, "RFC 5280 6.3",
	    "revocation not checked: no CRLs given" },
	{ "CHAIN-NOT-CA", VAL_ERROR, "RFC 5280 6.1.4 (k)",
	    "issuer is not a CA (basicConstraints cA absent or false)" },
	{ "CHAIN-CA-KU", VAL_ERROR, "RFC 5280 6.1.4 (n)",
	    "CA certificate lacks the keyCertSign key usage" },
	{ "CHAIN-PATHLEN", VAL_ERROR, "RFC 5280 6.1.4 (l), (m)",
	    "pathLenConstraint exceeded" },
	{ "CHAIN-DEPTH", VAL_ERROR, "RFC 5280 6.1; xbrg depth limit",
	    "more intermediates than the depth limit allows" },
	{ "CHAIN-CRIT-EXT", VAL_ERROR, "RFC 5280 6.1.4 (o)",
	    "unrecognised critical extension" },
	{ "CHAIN-EXT-INVALID", VAL_ERROR, "RFC 5280 4.2",
	    "extension cannot be parsed or is inconsistent" },
	{ "CHAIN-POLICY-EXT", VAL_ERROR, "RFC 5280 4.2.1.4",
	    "invalid certificate policy extension" },
	{ "CHAIN-POLICY", VAL_ERROR, "RFC 5280 6.1.5 (g)",
	    "explicit policy required and no acceptable policy is valid" },
	{ "CHAIN-NAME-PERMITTED", VAL_ERROR, "RFC 5280 6.1.3 (b)",
	    "name outside the permitted subtrees" },
	{ "CHAIN-NAME-EXCLUDED", VAL_ERROR, "RFC 5280 6.1.3 (c)",
	    "name within an excluded subtree" },
	{ "CHAIN-NAME-UNSUPPORTED", VAL_ERROR, "RFC 5280 4.2.1.10",
	    "name constraint of unsupported type or syntax" },
	{ "CHAIN-PURPOSE", VAL_ERROR, "RFC 5280 4.2.1.12",
	    "certificate not usable for the requested purpose" },
	{ "CHAIN-PEER-NAME", VAL_ERROR, "RFC 6125 6; RFC 5280 4.2.1.6",
	    "leaf does not match the expected peer name" },
	{ "CHAIN-WEAK", VAL_ERROR, "RFC 5280 4.1.2.7; OpenSSL security "
	    "level", "key too small or digest too weak" },
	{ "CHAIN-SIG-ALG", VAL_ERROR, "RFC 5280 4.1.1.2",
	    "signature algorithm unsupported, or differs from the inner one" },
	/*
	 * X509_STRICT's structural rules are warnings: real CAs (CFCA, the
	 * Chinese national root) break some, and the profiles (xbrg lint)
	 * judge structure.  Their findings never make a path invalid.
	 */
	{ "CHAIN-STRICT-AKI", VAL_WARN, "RFC 5280 4.2.1.1",
	    "authority key identifier missing or critical" },
	{ "CHAIN-STRICT-SKI", VAL_WARN, "RFC 5280 4.2.1.2",
	    "CA subject key identifier missing or critical" },
	{ "CHAIN-STRICT-BC", VAL_WARN, "RFC 5280 4.2.1.9",
	    "CA basicConstraints not critical, or pathLen on a non-CA" },
	{ "CHAIN-STRICT-KU", VAL_WARN, "RFC 5280 4.2.1.3",
	    "CA without keyUsage, or keyCertSign on a non-CA" },
	{ "CHAIN-STRICT-NAME", VAL_WARN, "RFC 5280 4.1.2.4, 4.1.2.6, "
	    "4.2.1.6", "empty issuer or subject, or empty or non-critical SAN" },
	{ "CHAIN-STRICT-VERSION", VAL_WARN, "RFC 5280 4.1.2.1",
	    "extensions present in a certificate that is not version 3" },
	{ "CHAIN-STRICT-EC-PARAMS", VAL_WARN, "RFC 5480 2.1.1",
	    "EC key with explicit curve parameters" },
	{ "CHAIN-OTHER", VAL_ERROR, "RFC 5280 6.1",
	    "path validation failed (other OpenSSL reason)" },
	{ NULL, 0, NULL, NULL }
};

static const struct {
	int		 err;
	const char	*code;
} chain_map[] = {
	{ X509_V_ERR_CERT_HAS_EXPIRED, "CHAIN-CERT-EXPIRED" },
	{ X509_V_ERR_CERT_NOT_YET_VALID, "CHAIN-CERT-NOT-YET-VALID" },
	{ X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, "CHAIN-CERT-TIME-FIELD" },
	{ X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, "CHAIN-CERT-TIME-FIELD" },
	{ X509_V_ERR_CERT_SIGNATURE_FAILURE, "CHAIN-CERT-SIGNATURE" },
	{ CHAIN_ERR_CERT_SM2_ID, "CHAIN-CERT-SM2-ID" },
	{ X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, "CHAIN-CERT-SIGNATURE" },
	{ X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY,
	    "CHAIN-CERT-SIGNATURE" },
	{ X509_V_ERR_NO_ISSUER_PUBLIC_KEY, "CHAIN-CERT-SIGNATURE" },
	{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, "CHAIN-ISSUER-NOT-FOUND" },
	{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	    "CHAIN-ISSUER-NOT-FOUND" },
	{ X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE,
	    "CHAIN-ISSUER-NOT-FOUND" },
	{ X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "CHAIN-UNTRUSTED-ROOT" },
	{ X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "CHAIN-UNTRUSTED-ROOT" },
	{ X509_V_ERR_CERT_UNTRUSTED, "CHAIN-UNTRUSTED-ROOT" },
	{ X509_V_ERR_CERT_REJECTED, "CHAIN-UNTRUSTED-ROOT" },
	{ X509_V_ERR_SUBJECT_ISSUER_MISMATCH, "CHAIN-ISSUER-MISMATCH" },
	{ X509_V_ERR_AKID_SKID_MISMATCH, "CHAIN-ISSUER-MISMATCH" },
	{ X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH, "CHAIN-ISSUER-MISMATCH" },
	{ X509_V_ERR_CERT_REVOKED, "CHAIN-CERT-REVOKED" },
	{ X509_V_ERR_UNABLE_TO_GET_CRL, "CHAIN-CRL-MISSING" },
	{ X509_V_ERR_CRL_HAS_EXPIRED, "CHAIN-CRL-STALE" },
	{ X509_V_ERR_CRL_NOT_YET_VALID, "CHAIN-CRL-NOT-YET-VALID" },
	{ X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD, "CHAIN-CRL-TIME-FIELD" },
	{ X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD, "CHAIN-CRL-TIME-FIELD" },
	{ X509_V_ERR_CRL_SIGNATURE_FAILURE, "CHAIN-CRL-SIGNATURE" },
	{ X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE, "CHAIN-CRL-SIGNATURE" },
	{ X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER, "CHAIN-CRL-ISSUER" },
	{ X509_V_ERR_CRL_PATH_VALIDATION_ERROR, "CHAIN-CRL-ISSUER" },
	{ X509_V_ERR_KEYUSAGE_NO_CRL_SIGN, "CHAIN-CRL-KU" },
	{ X509_V_ERR_DIFFERENT_CRL_SCOPE, "CHAIN-CRL-SCOPE" },
	{ X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION, "CHAIN-CRL-CRIT-EXT" },
	{ X509_V_ERR_INVALID_CA, "CHAIN-NOT-CA" },
	{ X509_V_ERR_INVALID_NON_CA, "CHAIN-NOT-CA" },
	{ X509_V_ERR_KEYUSAGE_NO_CERTSIGN, "CHAIN-CA-KU" },
	{ X509_V_ERR_PATH_LENGTH_EXCEEDED, "CHAIN-PATHLEN" },
	{ X509_V_ERR_CERT_CHAIN_TOO_LONG, "CHAIN-DEPTH" },
	{ X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, "CHAIN-CRIT-EXT" },
	{ X509_V_ERR_INVALID_EXTENSION, "CHAIN-EXT-INVALID" },
	{ X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE, "CHAIN-EXT-INVALID" },
	{ X509_V_ERR_INVALID_POLICY_EXTENSION, "CHAIN-POLICY-EXT" },
	{ X509_V_ERR_NO_EXPLICIT_POLICY, "CHAIN-POLICY" },
	{ X509_V_ERR_PERMITTED_VIOLATION, "CHAIN-NAME-PERMITTED" },
	{ X509_V_ERR_EXCLUDED_VIOLATION, "CHAIN-NAME-EXCLUDED" },
	{ X509_V_ERR_SUBTREE_MINMAX, "CHAIN-NAME-UNSUPPORTED" },
	{ X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, "CHAIN-NAME-UNSUPPORTED" },
	{ X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX, "CHAIN-NAME-UNSUPPORTED" },
	{ X509_V_ERR_UNSUPPORTED_NAME_SYNTAX, "CHAIN-NAME-UNSUPPORTED" },
	{ X509_V_ERR_INVALID_PURPOSE, "CHAIN-PURPOSE" },
	{ X509_V_ERR_HOSTNAME_MISMATCH, "CHAIN-PEER-NAME" },
	{ X509_V_ERR_EMAIL_MISMATCH, "CHAIN-PEER-NAME" },
	{ X509_V_ERR_IP_ADDRESS_MISMATCH, "CHAIN-PEER-NAME" },
	{ X509_V_ERR_EE_KEY_TOO_SMALL, "CHAIN-WEAK" },
	{ X509_V_ERR_CA_KEY_TOO_SMALL, "CHAIN-WEAK" },
	{ X509_V_ERR_CA_MD_TOO_WEAK, "CHAIN-WEAK" },
	{ X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM, "CHAIN-SIG-ALG" },
	{ X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH, "CHAIN-SIG-ALG" },
	{ X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY, "CHAIN-SIG-ALG" },
	{ X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, "CHAIN-STRICT-AKI" },
	{ X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, "CHAIN-STRICT-AKI" },
	{ X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER, "CHAIN-STRICT-SKI" },
	{ X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL, "CHAIN-STRICT-SKI" },
	{ X509_V_ERR_CA_BCONS_NOT_CRITICAL, "CHAIN-STRICT-BC" },
	{ X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA, "CHAIN-STRICT-BC" },
	{ X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, "CHAIN-STRICT-KU" },
	{ X509_V_ERR_CA_CERT_MISSING_KEY_USAGE, "CHAIN-STRICT-KU" },
	{ X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, "CHAIN-STRICT-KU" },
	{ X509_V_ERR_ISSUER_NAME_EMPTY, "CHAIN-STRICT-NAME" },
	{ X509_V_ERR_SUBJECT_NAME_EMPTY, "CHAIN-STRICT-NAME" },
	{ X509_V_ERR_EMPTY_SUBJECT_ALT_NAME, "CHAIN-STRICT-NAME" },
	{ X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, "CHAIN-STRICT-NAME" },
	{ X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3, "CHAIN-STRICT-VERSION" },
	{ X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, "CHAIN-STRICT-EC-PARAMS" },
};

/* An SM2 CRL we verified with the GM/T 0009 ID, and the key that did. */
struct sm2_ok {
	const X509_CRL	*crl;
	const EVP_PKEY	*key;
};

/* State of one val_chain_check() call, reached from the callback. */
struct chain_state {
	struct {
		int	 err;
		int	 depth;
		int	 crl_path;	/* in the path of a CRL issuer */
		char	*subject;	/* owned, may be NULL */
		int	 raw[CHAIN_MAX_RAW]; /* every error of the finding */
		size_t	 nraw;
	}		 seen[CHAIN_MAX_SEEN];
	size_t		 nseen;
	size_t		 more;		/* errors beyond CHAIN_MAX_SEEN */
	const X509_CRL	*last_crl;	/* the CRL of the last CRL error */
	int		 last_crl_depth;
	struct sm2_ok	*sm2;		/* owned array */
	STACK_OF(X509_CRL) *crls;	/* borrowed: the CRLs OpenSSL sees */
	size_t		 nsm2;
	/* OpenSSL's own check_crl, which crl_check() wraps. */
	X509_STORE_CTX_check_crl_fn ossl_check_crl;
	const struct val_crls *incrls;	/* borrowed: the caller's CRLs */
	time_t		 at;		/* the validation time */
	unsigned char	*crl_done;	/* owned: val_crl_extra() ran on it */
	struct val_report crlrep;	/* val_crl_extra()'s findings */
	int		 oom;
};

const struct val_rule *
val_chain_rule(const char *code)
{
	size_t	 i;

	for (i = 0; chain_rules[i].code != NULL; i++)
		if (strcmp(chain_rules[i].code, code) == 0)
			return &chain_rules[i];
	return NULL;
}

static const struct val_rule *
rule_for(int err)
{
	size_t	 i;

	for (i = 0; i < sizeof(chain_map) / sizeof(chain_map[0]); i++)
		if (chain_map[i].err == err)
			return val_chain_rule(chain_map[i].code);
	return val_chain_rule("CHAIN-OTHER");
}

static int
is_sm2_signed(const X509 *x)
{
	return X509_get_signature_nid(x) == NID_SM2_with_SM3;
}

/* Sets the GM/T 0009 ID on x when it is SM2-signed and has none. */
static int
sm2_prepare(X509 *x)
{
	ASN1_OCTET_STRING	*id;

	if (x == NULL || !is_sm2_signed(x) ||
	    X509_get0_distinguishing_id(x) != NULL)
		return 0;
	if ((id = ASN1_OCTET_STRING_new()) == NULL)
		return -1;
	if (!ASN1_OCTET_STRING_set(id, (const unsigned char *)VAL_SM2_ID,
	    VAL_SM2_ID_LEN)) {
		ASN1_OCTET_STRING_free(id);
		return -1;
	}
	X509_set0_distinguishing_id(x, id);	/* x owns id now */
	return 0;
}

int
val_chain_sm2_prepare(const struct val_certs *certs)
{
	size_t	 i;

	if (certs == NULL)
		return 0;
	for (i = 0; i < certs->n; i++)
		if (sm2_prepare(certs->v[i].x509) != 0)
			return -1;
	return 0;
}

/*
 * Reads the tag and length of the DER element at *p and moves *p to its
 * content, of *len bytes.  Returns 0, or -1 when it does not fit before
 * end (only the low tag numbers of X.509 are expected here).
 */
static int
der_hdr(const unsigned char **p, const unsigned char *end, size_t *len)
{
	const unsigned char	*q = *p;
	size_t			 n, i, l;

	if (end - q < 2)
		return -1;
	q++;
	if (*q < 0x80) {
		l = *q++;
	} else {
		n = *q++ & 0x7f;
		if (n == 0 || n > sizeof(size_t) || (size_t)(end - q) < n)
			return -1;
		for (l = 0, i = 0; i < n; i++)
			l = (l << 8) | *q++;
	}
	if ((size_t)(end - q) < l)
		return -1;
	*p = q;
	*len = l;
	return 0;
}

/*
 * Verifies the SM2 signature sig over the TBS part of the signed DER
 * object der (SEQUENCE { tbs, algorithm, signature }, the bytes exactly as
 * encoded: OpenSSL keeps the original encoding) with key and the user ID
 * id.  Returns 1 when it verifies, 0 when not.
 */
static int
sm2_verify_signed(const unsigned char *der, size_t len,
    const ASN1_BIT_STRING *sig, EVP_PKEY *key, const char *id, size_t idlen)
{
	const unsigned char	*p = der, *end = der + len, *tbs;
	size_t			 outerlen, tbslen;
	EVP_MD_CTX		*mctx = NULL;
	EVP_PKEY_CTX		*pctx = NULL;
	int			 ok = 0;

	if (key == NULL || sig == NULL || !EVP_PKEY_is_a(key, "SM2"))
		return 0;
	if (len < 2 || der[0] != 0x30 || der_hdr(&p, end, &outerlen) != 0)
		return 0;
	end = p + outerlen;
	tbs = p;
	if (*p != 0x30 || der_hdr(&p, end, &tbslen) != 0)
		return 0;
	tbslen += (size_t)(p - tbs);
	if ((mctx = EVP_MD_CTX_new()) == NULL ||
	    (pctx = EVP_PKEY_CTX_new(key, NULL)) == NULL)
		goto out;
	if (EVP_PKEY_CTX_set1_id(pctx, id, idlen) <= 0)
		goto out;
	EVP_MD_CTX_set_pkey_ctx(mctx, pctx);	/* borrowed: freed below */
	if (EVP_DigestVerifyInit(mctx, NULL, EVP_sm3(), NULL, key) != 1)
		goto out;
	ok = EVP_DigestVerify(mctx, sig->data, (size_t)sig->length, tbs,
	    tbslen) == 1;
 out:
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_CTX_free(pctx);
	ERR_clear_error();
	return ok;
}

/* An SM2-signed CRL against key with user ID id; 1 when it verifies. */
static int
sm2_crl_verify_id(X509_CRL *crl, EVP_PKEY *key, const char *id,
    size_t idlen)
{
	const ASN1_BIT_STRING	*sig;
	const X509_ALGOR	*alg;
	unsigned char		*der = NULL;
	int			 len, ok = 0;

	X509_CRL_get0_signature(crl, &sig, &alg);
	if ((len = i2d_X509_CRL(crl, &der)) > 0)
		ok = sm2_verify_signed(der, (size_t)len, sig, key, id, idlen);
	OPENSSL_free(der);
	return ok;
}

static int
sm2_crl_verify(X509_CRL *crl, EVP_PKEY *key)
{
	return sm2_crl_verify_id(crl, key, VAL_SM2_ID, VAL_SM2_ID_LEN);
}

/*
 * After a certificate signature failure: 1 when the SM2 certificate x
 * verifies under issuer with the EMPTY user ID (OpenSSL 3.0's default),
 * i.e. it was signed without the GM/T 0009 ID.
 */
static int
sm2_cert_empty_id(X509 *x, X509 *issuer)
{
	const ASN1_BIT_STRING	*sig;
	const X509_ALGOR	*alg;
	unsigned char		*der = NULL;
	int			 len, ok = 0;

	if (x == NULL || issuer == NULL || !is_sm2_signed(x))
		return 0;
	X509_get0_signature(&sig, &alg, x);
	if ((len = i2d_X509(x, &der)) > 0)
		ok = sm2_verify_signed(der, (size_t)len, sig,
		    X509_get0_pubkey(issuer), "", 0);
	OPENSSL_free(der);
	return ok;
}

static int
sm2_remember(struct chain_state *st, const X509_CRL *crl,
    const EVP_PKEY *key)
{
	struct sm2_ok	*grown;

	if (st->nsm2 >= CHAIN_MAX_SM2CRL)
		return 0;
	grown = reallocarray(st->sm2, st->nsm2 + 1, sizeof(*grown));
	if (grown == NULL)
		return -1;
	st->sm2 = grown;
	st->sm2[st->nsm2].crl = crl;
	st->sm2[st->nsm2].key = key;
	st->nsm2++;
	return 0;
}

/*
 * Tries crl against every certificate of certs named like its issuer.
 * Returns 1 when one verifies it, 0 when none does (*named says whether
 * one had the name, *emptyid whether one verifies it with the empty ID),
 * -1 when out of memory.
 */
static int
sm2_crl_try(struct chain_state *st, X509_CRL *crl,
    const struct val_certs *certs, int *named, int *emptyid)
{
	EVP_PKEY	*key;
	size_t		 i;

	if (certs == NULL)
		return 0;
	for (i = 0; i < certs->n; i++) {
		if (X509_NAME_cmp(X509_get_subject_name(certs->v[i].x509),
		    X509_CRL_get_issuer(crl)) != 0)
			continue;
		*named = 1;
		key = X509_get0_pubkey(certs->v[i].x509);
		if (sm2_crl_verify(crl, key)) {
			if (sm2_remember(st, crl, key) != 0)
				return -1;
			return 1;
		}
		if (sm2_crl_verify_id(crl, key, "", 0))
			*emptyid = 1;
	}
	return 0;
}

/*
 * The callback overrides a CRL signature failure only for an SM2 CRL
 * verified with the GM/T 0009 ID by the issuer key OpenSSL used.
 */
/* 1 when crl verifies with key and the GM/T 0009 ID (remembered). */
static int
sm2_crl_by(struct chain_state *st, X509_CRL *crl, EVP_PKEY *key)
{
	size_t	 i;

	for (i = 0; i < st->nsm2; i++)
		if (st->sm2[i].crl == crl && EVP_PKEY_eq(st->sm2[i].key,
		    key) == 1)
			return 1;
	if (!sm2_crl_verify(crl, key))
		return 0;
	if (sm2_remember(st, crl, key) != 0)
		st->oom = 1;
	return 1;
}

static int
sm2_crl_accept(struct chain_state *st, X509_STORE_CTX *ctx)
{
	X509_CRL	*crl, *other;
	X509		*issuer;
	STACK_OF(X509)	*chain;
	EVP_PKEY	*key;
	size_t		 i;
	int		 depth, last;

	/*
	 * OpenSSL 3.0 clears current_crl after reporting a CRL time error;
	 * the signature check that follows is for the same CRL.
	 */
	if ((crl = X509_STORE_CTX_get0_current_crl(ctx)) == NULL &&
	    st->last_crl_depth == X509_STORE_CTX_get_error_depth(ctx))
		crl = (X509_CRL *)st->last_crl;
	if (crl == NULL || X509_CRL_get_signature_nid(crl) != NID_SM2_with_SM3)
		return 0;
	/* The issuer as check_crl() in OpenSSL 3.0 picks it. */
	if ((issuer = X509_STORE_CTX_get0_current_issuer(ctx)) == NULL) {
		chain = X509_STORE_CTX_get0_chain(ctx);
		depth = X509_STORE_CTX_get_error_depth(ctx);
		last = sk_X509_num(chain) - 1;
		if (chain == NULL || last < 0)
			return 0;
		issuer = sk_X509_value(chain, depth < last ? depth + 1 : last);
	}
	if ((key = X509_get0_pubkey(issuer)) == NULL)
		return 0;
	if (!sm2_crl_by(st, crl, key))
		return 0;
	/*
	 * OpenSSL 3.0 checks a delta CRL's signature while current_crl still
	 * points at its base, so the CRL at hand may be the base of the one
	 * that failed: every SM2 delta CRL of this issuer name must verify
	 * with the same key too.
	 */
	for (i = 0; st->crls != NULL &&
	    i < (size_t)sk_X509_CRL_num(st->crls); i++) {
		other = sk_X509_CRL_value(st->crls, (int)i);
		if (other == crl ||
		    X509_CRL_get_signature_nid(other) != NID_SM2_with_SM3 ||
		    X509_CRL_get_ext_by_NID(other, NID_delta_crl, -1) < 0 ||
		    X509_NAME_cmp(X509_CRL_get_issuer(other),
		    X509_CRL_get_issuer(crl)) != 0)
			continue;
		if (!sm2_crl_by(st, other, key))
			return 0;
	}
	return 1;
}

/*
 * RFC 5280 4.1.2.5: the validity period runs from notBefore through
 * notAfter, inclusive; 6.3.3 (a)(2): a CRL is stale only when the time is
 * after its nextUpdate.  OpenSSL 3.0's X509_cmp_time() counts equality as
 * "before", so a certificate is expired, and a CRL stale, at the very
 * second of notAfter or nextUpdate.  1 when err is that case exactly (the
 * times are whole seconds: a validation time's fraction is dropped when
 * it is parsed, as RFC 5280's second-granular times are compared).
 */
static int
at_time_limit(const struct chain_state *st, X509_STORE_CTX *ctx, int err)
{
	const ASN1_TIME	*t = NULL;
	X509		*cur;
	X509_CRL	*crl;

	if (err == X509_V_ERR_CERT_HAS_EXPIRED &&
	    (cur = X509_STORE_CTX_get_current_cert(ctx)) != NULL)
		t = X509_get0_notAfter(cur);
	else if (err == X509_V_ERR_CRL_HAS_EXPIRED &&
	    (crl = X509_STORE_CTX_get0_current_crl(ctx)) != NULL)
		t = X509_CRL_get0_nextUpdate(crl);
	return t != NULL && ASN1_TIME_cmp_time_t(t, st->at) == 0;
}

static void
raw_add(int *raw, size_t *n, int err)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (raw[i] == err)
			return;
	if (*n < CHAIN_MAX_RAW)
		raw[(*n)++] = err;
	else
		raw[0] = 0;	/* too many to tell: never "covered" */
}

/*
 * Records every error and lets verification go on.  OpenSSL validates the
 * path of a CRL issuer in a child context that shares this callback but
 * not the app data: the state is the outermost context's.
 */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct chain_state	*st;
	X509_STORE_CTX		*top = ctx, *parent;
	X509			*cur;
	size_t			 i;
	int			 err, depth, crl_path = 0;
	char			*s;

	if (ok)
		return 1;
	while ((parent = X509_STORE_CTX_get0_parent_ctx(top)) != NULL) {
		top = parent;
		crl_path = 1;
	}
	if ((st = X509_STORE_CTX_get_app_data(top)) == NULL)
		return 0;
	err = X509_STORE_CTX_get_error(ctx);
	depth = X509_STORE_CTX_get_error_depth(ctx);
	if (X509_STORE_CTX_get0_current_crl(ctx) != NULL) {
		st->last_crl = X509_STORE_CTX_get0_current_crl(ctx);
		st->last_crl_depth = depth;
	}
	if (err == X509_V_ERR_CRL_SIGNATURE_FAILURE &&
	    sm2_crl_accept(st, ctx))
		return 1;
	if (at_time_limit(st, ctx, err))
		return 1;
	if (err == X509_V_ERR_CERT_SIGNATURE_FAILURE && !crl_path) {
		STACK_OF(X509)	*chain = X509_STORE_CTX_get0_chain(ctx);
		int		 last = sk_X509_num(chain) - 1;

		if (last >= 0 && depth <= last && sm2_cert_empty_id(
		    sk_X509_value(chain, depth), sk_X509_value(chain,
		    depth < last ? depth + 1 : last)))
			err = CHAIN_ERR_CERT_SM2_ID;
	}
	/* One finding per rule and depth; it keeps every error it stands for. */
	for (i = 0; i < st->nseen; i++)
		if (rule_for(st->seen[i].err) == rule_for(err) &&
		    st->seen[i].depth == depth &&
		    st->seen[i].crl_path == crl_path) {
			raw_add(&st->seen[i].raw[0], &st->seen[i].nraw, err);
			return 1;
		}
	if (st->nseen == CHAIN_MAX_SEEN) {
		st->more++;
		return 1;
	}
	st->seen[st->nseen].err = err;
	st->seen[st->nseen].depth = depth;
	st->seen[st->nseen].crl_path = crl_path;
	st->seen[st->nseen].subject = NULL;
	st->seen[st->nseen].raw[0] = err;
	st->seen[st->nseen].nraw = 1;
	if ((cur = X509_STORE_CTX_get_current_cert(ctx)) != NULL) {
		if ((s = val_name_text(X509_get_subject_name(cur))) == NULL)
			st->oom = 1;
		st->seen[st->nseen].subject = s;
	}
	st->nseen++;
	/* Go on: every problem becomes a finding; the verdict is ours. */
	return 1;
}

/* The outermost context's state (CRL issuer paths use child contexts). */
static struct chain_state *
top_state(X509_STORE_CTX *ctx)
{
	X509_STORE_CTX	*parent;

	while ((parent = X509_STORE_CTX_get0_parent_ctx(ctx)) != NULL)
		ctx = parent;
	return X509_STORE_CTX_get_app_data(ctx);
}

/*
 * OpenSSL's check_crl for every CRL (base or delta) it is about to use for
 * a certificate of the path or of a CRL issuer's path: first
 * val_crl_extra() on it (once per CRL), for what OpenSSL does not check
 * (cRLNumber, RFC 5280 5.2.3).  CRLs OpenSSL never picks are not judged.
 */
static int
crl_check(X509_STORE_CTX *ctx, X509_CRL *crl)
{
	struct chain_state	*st;
	size_t			 i;

	if ((st = top_state(ctx)) == NULL || st->ossl_check_crl == NULL)
		return 0;
	for (i = 0; crl != NULL && st->incrls != NULL &&
	    i < st->incrls->n; i++) {
		if (st->incrls->v[i].crl != crl || st->crl_done[i])
			continue;
		st->crl_done[i] = 1;
		if (val_crl_extra(crl, st->incrls->v[i].where,
		    &st->crlrep) != 0)
			st->oom = 1;
		break;
	}
	return st->ossl_check_crl(ctx, crl);
}

static int
chain_broken(int err)
{
	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_REJECTED:
	case X509_V_ERR_CERT_CHAIN_TOO_LONG:
		return 1;
	}
	return 0;
}

/* OpenSSL purposes that also check the CAs' EKUs. */
static const struct {
	const char	*oid;
	int		 purpose;
} chain_purposes[] = {
	{ "1.3.6.1.5.5.7.3.1", X509_PURPOSE_SSL_SERVER },
	{ "1.3.6.1.5.5.7.3.2", X509_PURPOSE_SSL_CLIENT },
};

static int
ossl_purpose(const struct val_purpose *pu, const char **oid)
{
	size_t	 i, j;

	if (pu == NULL || pu->ekus == NULL)
		return 0;
	for (i = 0; pu->ekus[i] != NULL; i++)
		for (j = 0; j < sizeof(chain_purposes) /
		    sizeof(chain_purposes[0]); j++)
			if (strcmp(pu->ekus[i], chain_purposes[j].oid) == 0) {
				*oid = chain_purposes[j].oid;
				return chain_purposes[j].purpose;
			}
	return 0;
}

/*
 * One problem, one finding: OpenSSL errors that val_chain_extra() reports
 * at the same certificate under a more precise code.  The X509_STRICT
 * ones (warnings here) are errors of its own with VAL_PURPOSE_STRICT; a
 * peer-name mismatch is CHAIN-PEER-DNS/IP/EMAIL-MISMATCH (or the name is
 * CHAIN-PEER-NAME-INVALID); the leaf's extKeyUsage without the TLS
 * purpose asked for is CHAIN-EKU-MISSING.  X509_V_ERR_CA_CERT_MISSING_-
 * KEY_USAGE and the rest have no counterpart there and are always kept.
 */
static const struct {
	int		 err;
	const char	*code;
} chain_cover[] = {
	{ X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, "CHAIN-AKI-MISSING" },
	{ X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, "CHAIN-AKI-CRITICAL" },
	{ X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER, "CHAIN-SKI-MISSING" },
	{ X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL, "CHAIN-SKI-CRITICAL" },
	{ X509_V_ERR_CA_BCONS_NOT_CRITICAL, "CHAIN-CA-BC-NOT-CRITICAL" },
	{ X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA, "CHAIN-PATHLEN-NOT-CA" },
	{ X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN,
	    "CHAIN-PATHLEN-NOT-CA" },
	{ X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA,
	    "CHAIN-CERTSIGN-NOT-CA" },
	{ X509_V_ERR_ISSUER_NAME_EMPTY, "CHAIN-ISSUER-EMPTY" },
	{ X509_V_ERR_SUBJECT_NAME_EMPTY, "CHAIN-SUBJECT-EMPTY" },
	{ X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, "CHAIN-SAN-NOT-CRITICAL" },
	{ X509_V_ERR_EMPTY_SUBJECT_ALT_NAME, "CHAIN-SAN-EMPTY" },
	{ X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3, "CHAIN-VERSION" },
	{ X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, "CHAIN-EC-EXPLICIT-CURVE" },
	{ X509_V_ERR_HOSTNAME_MISMATCH, "CHAIN-PEER-DNS-MISMATCH" },
	{ X509_V_ERR_IP_ADDRESS_MISMATCH, "CHAIN-PEER-IP-MISMATCH" },
	{ X509_V_ERR_EMAIL_MISMATCH, "CHAIN-PEER-EMAIL-MISMATCH" },
};

/* 1 when xrep has code at where (and, when detail is set, that detail). */
static int
xrep_has(const struct val_report *xrep, const char *code, const char *where,
    const char *detail)
{
	size_t	 i;

	for (i = 0; i < xrep->n; i++)
		if (strcmp(xrep->items[i].rule->code, code) == 0 &&
		    xrep->items[i].where != NULL &&
		    strcmp(xrep->items[i].where, where) == 0 &&
		    (detail == NULL || (xrep->items[i].detail != NULL &&
		    strcmp(xrep->items[i].detail, detail) == 0)))
			return 1;
	return 0;
}

/* 1 when val_chain_extra()'s report xrep covers every error of seen i. */
static int
covered(const struct chain_state *st, size_t i, const struct val_report *xrep,
    const struct val_purpose *pu)
{
	const char	*name;
	char		 where[48];
	size_t		 r, k;
	int		 err;

	if (xrep == NULL || st->seen[i].crl_path || st->seen[i].nraw == 0)
		return 0;
	snprintf(where, sizeof(where), "chain[%d]", st->seen[i].depth);
	for (r = 0; r < st->seen[i].nraw; r++) {
		err = st->seen[i].raw[r];
		/*
		 * The leaf refused for serverAuth/clientAuth: OpenSSL checks
		 * its extKeyUsage first, as val_chain_extra() does.  A CA's
		 * (depth > 0) is OpenSSL's alone.
		 */
		if (err == X509_V_ERR_INVALID_PURPOSE) {
			if (st->seen[i].depth != 0 ||
			    ossl_purpose(pu, &name) == 0 ||
			    !xrep_has(xrep, "CHAIN-EKU-MISSING", where, name))
				return 0;
			continue;
		}
		for (k = 0; k < sizeof(chain_cover) / sizeof(chain_cover[0]); k++)
			if (chain_cover[k].err == err)
				break;
		if (k == sizeof(chain_cover) / sizeof(chain_cover[0]))
			return 0;
		if (xrep_has(xrep, chain_cover[k].code, where, NULL))
			continue;
		/* A peer name val_chain_extra() refused as malformed. */
		name = pu == NULL ? NULL :
		    err == X509_V_ERR_HOSTNAME_MISMATCH ? pu->dns_name :
		    err == X509_V_ERR_IP_ADDRESS_MISMATCH ? pu->ip :
		    err == X509_V_ERR_EMAIL_MISMATCH ? pu->email : NULL;
		if (name == NULL || !xrep_has(xrep, "CHAIN-PEER-NAME-INVALID",
		    where, name))
			return 0;
	}
	return 1;
}

static int
set_policies(X509_VERIFY_PARAM *param, const char *const *policies)
{
	STACK_OF(ASN1_OBJECT)	*sk;
	ASN1_OBJECT		*o;
	size_t			 i;
	int			 rc = -1;

	if ((sk = sk_ASN1_OBJECT_new_null()) == NULL)
		return -1;
	if (policies == NULL) {
		if ((o = OBJ_txt2obj(VAL_ANY_POLICY, 1)) == NULL ||
		    !sk_ASN1_OBJECT_push(sk, o)) {
			ASN1_OBJECT_free(o);
			goto out;
		}
	} else {
		for (i = 0; policies[i] != NULL; i++) {
			if (i >= VAL_MAX_POLICIES)
				goto out;
			if ((o = OBJ_txt2obj(policies[i], 1)) == NULL)
				goto out;
			if (!sk_ASN1_OBJECT_push(sk, o)) {
				ASN1_OBJECT_free(o);
				goto out;
			}
		}
	}
	/* Copies the OIDs and sets X509_V_FLAG_POLICY_CHECK. */
	if (!X509_VERIFY_PARAM_set1_policies(param, sk))
		goto out;
	rc = 0;
 out:
	sk_ASN1_OBJECT_pop_free(sk, ASN1_OBJECT_free);
	return rc;
}

static int
set_purpose(X509_VERIFY_PARAM *param, X509_STORE_CTX *ctx,
    const struct val_purpose *pu)
{
	const char	*oid;
	int		 p;

	if (pu == NULL)
		return 0;
	/* RFC 9525: the subject CN is never a peer name. */
	X509_VERIFY_PARAM_set_hostflags(param,
	    X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
	if (pu->dns_name != NULL &&
	    !X509_VERIFY_PARAM_set1_host(param, pu->dns_name, 0))
		return -1;
	if (pu->email != NULL &&
	    !X509_VERIFY_PARAM_set1_email(param, pu->email, 0))
		return -1;
	if (pu->ip != NULL && !X509_VERIFY_PARAM_set1_ip_asc(param, pu->ip))
		return -1;
	if ((p = ossl_purpose(pu, &oid)) != 0 &&
	    !X509_STORE_CTX_set_purpose(ctx, p))
		return -1;
	return 0;
}

/*
 * The CRLs OpenSSL may use: all non-SM2 ones, and SM2 ones that verify
 * with the GM/T 0009 ID against a certificate named like their issuer.
 */
static STACK_OF(X509_CRL) *
usable_crls(const struct val_chain_in *in, struct chain_state *st,
    struct val_report *rep)
{
	STACK_OF(X509_CRL)	*sk;
	X509_CRL		*crl;
	struct val_certs	 leafset;
	struct val_cert		 leafcert;
	size_t			 i;
	int			 r, named, emptyid;

	memset(&leafcert, 0, sizeof(leafcert));
	leafcert.x509 = in->leaf;
	leafset.v = &leafcert;
	leafset.n = 1;
	if ((sk = sk_X509_CRL_new_null()) == NULL)
		return NULL;
	for (i = 0; i < in->crls->n; i++) {
		crl = in->crls->v[i].crl;
		if (in->crls->v[i].sm2_key != NULL) {
			/* Verified once by val_crls_sm2_prepare(). */
			if (sm2_remember(st, crl, in->crls->v[i].sm2_key) != 0)
				goto fail;
		} else if (X509_CRL_get_signature_nid(crl) ==
		    NID_SM2_with_SM3) {
			named = emptyid = 0;
			r = sm2_crl_try(st, crl, in->anchors, &named,
			    &emptyid);
			if (r == 0)
				r = sm2_crl_try(st, crl, in->untrusted, &named,
				    &emptyid);
			if (r == 0)
				r = sm2_crl_try(st, crl, &leafset, &named,
				    &emptyid);
			if (r < 0)
				goto fail;
			if (r == 0) {
				/* Unrelated CRLs are dropped silently. */
				if (named && val_report_add(rep,
				    val_chain_rule(emptyid ? "CHAIN-CRL-SM2-ID" :
				    "CHAIN-CRL-SIGNATURE"), in->crls->v[i].where,
				    "%s", emptyid ? "signed with the empty "
				    "SM2 ID" : "SM2 signature does not verify "
				    "with its issuer's key") != 0)
					goto fail;
				continue;
			}
		}
		if (!sk_X509_CRL_push(sk, crl))
			goto fail;
	}
	return sk;
 fail:
	sk_X509_CRL_free(sk);
	return NULL;
}

static STACK_OF(X509) *
certs_stack(const struct val_certs *certs)
{
	STACK_OF(X509)	*sk;
	size_t		 i;

	if ((sk = sk_X509_new_null()) == NULL)
		return NULL;
	for (i = 0; certs != NULL && i < certs->n; i++)
		if (!sk_X509_push(sk, certs->v[i].x509)) {
			sk_X509_free(sk);
			return NULL;
		}
	return sk;
}

int
val_chain_check(const struct val_chain_in *in, struct val_chain_out *out,
    struct val_report *rep)
{
	struct chain_state	*st = NULL;
	struct val_report	 xrep_buf, *xrep = NULL;
	X509_STORE		*store = NULL;
	X509_STORE_CTX		*ctx = NULL;
	X509_VERIFY_PARAM	*param;
	STACK_OF(X509)		*pool = NULL, *chain = NULL;
	STACK_OF(X509_CRL)	*crls = NULL;
	char			 where[48];
	unsigned long		 flags;
	size_t			 i;
	int			 depth, revocation, ret, broken = 0, rc = -1;

	if (out != NULL) {
		out->chain = NULL;
		out->ossl_error = X509_V_OK;
		out->ossl_depth = -1;
	}
	if (in == NULL || in->leaf == NULL || in->anchors == NULL ||
	    in->anchors->n == 0 || rep == NULL)
		return -1;
	depth = in->max_depth == 0 ? VAL_CHAIN_MAX_DEPTH : in->max_depth;
	if (depth < 0 || depth > VAL_CHAIN_DEPTH_LIMIT)
		return -1;
	val_report_init(&xrep_buf);
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return -1;
	val_report_init(&st->crlrep);
	st->at = in->at;
	if (sm2_prepare(in->leaf) != 0 ||
	    val_chain_sm2_prepare(in->anchors) != 0 ||
	    val_chain_sm2_prepare(in->untrusted) != 0)
		goto out;

	if ((store = X509_STORE_new()) == NULL)
		goto out;
	/*
	 * OpenSSL's default check_crl (a context initialised on a store
	 * without one gets it), wrapped by crl_check() for every context of
	 * this store, the CRL issuers' child contexts included.
	 */
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    !X509_STORE_CTX_init(ctx, store, in->leaf, NULL) ||
	    (st->ossl_check_crl = X509_STORE_CTX_get_check_crl(ctx)) == NULL)
		goto out;
	X509_STORE_CTX_free(ctx);
	ctx = NULL;
	X509_STORE_set_check_crl(store, crl_check);
	for (i = 0; i < in->anchors->n; i++)
		if (!X509_STORE_add_cert(store, in->anchors->v[i].x509))
			goto out;
	if ((pool = certs_stack(in->untrusted)) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL ||
	    !X509_STORE_CTX_init(ctx, store, in->leaf, pool))
		goto out;
	X509_STORE_CTX_set_app_data(ctx, st);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);

	revocation = in->crls != NULL && in->crls->n > 0 &&
	    !(in->flags & VAL_CHAIN_NO_REVOCATION);
	if (revocation) {
		if ((crls = usable_crls(in, st, rep)) == NULL)
			goto out;
		st->incrls = in->crls;
		if ((st->crl_done = calloc(in->crls->n, 1)) == NULL)
			goto out;
		X509_STORE_CTX_set0_crls(ctx, crls);
		st->crls = crls;
	} else if (val_report_add(rep, val_chain_rule("CHAIN-REV-UNCHECKED"),
	    NULL, NULL) != 0)
		goto out;

	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, in->at);
	X509_VERIFY_PARAM_set_depth(param, depth);
	if (set_policies(param, in->policies) != 0)
		goto out;
	flags = X509_V_FLAG_POLICY_CHECK;
	if (!(in->flags & VAL_CHAIN_NO_STRICT))
		flags |= X509_V_FLAG_X509_STRICT;
	if (in->flags & VAL_CHAIN_PARTIAL)
		flags |= X509_V_FLAG_PARTIAL_CHAIN;
	if (revocation)
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL |
		    X509_V_FLAG_EXTENDED_CRL_SUPPORT | X509_V_FLAG_USE_DELTAS;
	if (in->explicit_policy)
		flags |= X509_V_FLAG_EXPLICIT_POLICY;
	if (in->inhibit_mapping)
		flags |= X509_V_FLAG_INHIBIT_MAP;
	if (in->inhibit_any)
		flags |= X509_V_FLAG_INHIBIT_ANY;
	X509_VERIFY_PARAM_set_flags(param, flags);
	if (set_purpose(param, ctx, in->purpose) != 0)
		goto out;

	ret = X509_verify_cert(ctx);
	if (st->oom || X509_STORE_CTX_get_error(ctx) == X509_V_ERR_OUT_OF_MEM)
		goto out;
	/*
	 * A failure the callback never saw (OpenSSL sets some errors without
	 * calling it) must still make the path invalid.
	 */
	if (ret != 1 && st->nseen == 0) {
		st->seen[0].err = X509_STORE_CTX_get_error(ctx) != X509_V_OK ?
		    X509_STORE_CTX_get_error(ctx) : X509_V_ERR_UNSPECIFIED;
		st->seen[0].depth = X509_STORE_CTX_get_error_depth(ctx);
		st->seen[0].crl_path = 0;
		st->seen[0].subject = NULL;
		st->nseen = 1;
	}
	chain = X509_STORE_CTX_get1_chain(ctx);
	for (i = 0; i < st->nseen; i++)
		if (!st->seen[i].crl_path && chain_broken(st->seen[i].err))
			broken = 1;
	/*
	 * val_chain_extra() on every chain that reaches an anchor, with or
	 * without a purpose: its always-on checks (serial numbers, SAN and
	 * name-constraint syntax, undecodable extensions, ...) hold for any
	 * path; its issuer-side structure rules (CA basicConstraints and
	 * policyConstraints critical, AKI/SKI, ...), which RFC 5280 section
	 * 6, PKITS and real CAs such as CFCA do not meet, are errors only
	 * with VAL_PURPOSE_STRICT.  Its findings come last; an OpenSSL
	 * finding it states more precisely is dropped (covered()).
	 */
	if (!broken && chain != NULL) {
		xrep = &xrep_buf;
		if (val_chain_extra(chain, in->purpose, in->at, xrep) != 0)
			goto out;
	}
	for (i = 0; i < st->nseen; i++) {
		if (covered(st, i, xrep, in->purpose))
			continue;
		snprintf(where, sizeof(where), "%s[%d]", st->seen[i].crl_path ?
		    "crl-issuer-path" : "chain", st->seen[i].depth);
		if (val_report_add(rep, rule_for(st->seen[i].err), where,
		    "%s: %s", st->seen[i].err == CHAIN_ERR_CERT_SM2_ID ?
		    "verifies only with the empty SM2 user ID" :
		    X509_verify_cert_error_string(st->seen[i].err),
		    st->seen[i].subject != NULL ? st->seen[i].subject :
		    "?") != 0)
			goto out;
	}
	if (st->more > 0 && val_report_add(rep, val_chain_rule("CHAIN-OTHER"),
	    NULL, "%zu more OpenSSL errors not listed", st->more) != 0)
		goto out;
	/* val_crl_extra()'s findings on the CRLs OpenSSL used. */
	if (val_report_move(rep, &st->crlrep) != 0)
		goto out;
	if (xrep != NULL && val_report_move(rep, xrep) != 0)
		goto out;

	if (out != NULL) {
		out->chain = chain;
		chain = NULL;
		if (st->nseen > 0) {
			out->ossl_error = st->seen[0].err ==
			    CHAIN_ERR_CERT_SM2_ID ?
			    X509_V_ERR_CERT_SIGNATURE_FAILURE :
			    st->seen[0].err;
			out->ossl_depth = st->seen[0].depth;
		}
	}
	rc = 0;
 out:
	if (st != NULL) {
		for (i = 0; i < st->nseen; i++)
			free(st->seen[i].subject);
		free(st->sm2);
		free(st->crl_done);
		val_report_clear(&st->crlrep);
		free(st);
	}
	val_report_clear(&xrep_buf);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_CRL_free(crls);
	X509_STORE_CTX_free(ctx);
	sk_X509_free(pool);
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

void
val_chain_out_free(struct val_chain_out *out)
{
	if (out == NULL)
		return;
	sk_X509_pop_free(out->chain, X509_free);
	out->chain = NULL;
}

int
val_crls_sm2_prepare(struct val_crls *crls, const struct val_certs *issuers)
{
	EVP_PKEY	*key;
	X509_CRL	*crl;
	size_t		 i, j;
	int		 n = 0;

	if (crls == NULL || issuers == NULL)
		return 0;
	for (i = 0; i < crls->n; i++) {
		crl = crls->v[i].crl;
		if (crls->v[i].sm2_key != NULL) {
			n++;
			continue;
		}
		if (X509_CRL_get_signature_nid(crl) != NID_SM2_with_SM3)
			continue;
		for (j = 0; j < issuers->n; j++) {
			if (X509_NAME_cmp(X509_get_subject_name(
			    issuers->v[j].x509), X509_CRL_get_issuer(crl)) != 0)
				continue;
			key = X509_get0_pubkey(issuers->v[j].x509);
			if (!sm2_crl_verify(crl, key))
				continue;
			if (!EVP_PKEY_up_ref(key))
				return -1;
			crls->v[i].sm2_key = key;
			n++;
			break;
		}
	}
	return n;
}
