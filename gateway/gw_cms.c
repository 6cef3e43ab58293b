/*
 * gw_cms.c: CMS SignedData (RFC 5652) for signed recognition decisions,
 * assembled and verified by hand with a small DER writer and reader and
 * OpenSSL's EVP signature interfaces.
 *
 * Why by hand: OpenSSL 3.0's CMS code cannot produce SM2 SignedData with
 * the standard user ID 1234567812345678 (it leaves the signature algorithm
 * empty, and signs with the empty ID when forced), and CMS_verify() has no
 * way to take the ID (../shared/PLATFORM-NOTES.md).  One code path serves
 * both algorithms, so `openssl cms -verify` on ECDSA output is also a check
 * of our assembly.
 *
 * What we write (DER throughout):
 *   ContentInfo { id-signedData, [0] SignedData {
 *     version 1, digestAlgorithms { sm3 | sha256 },
 *     encapContentInfo { id-data, [0] OCTET STRING document },
 *     certificates [0] { signer certificate },
 *     signerInfos { SignerInfo {
 *       version 1, sid issuerAndSerialNumber, digestAlgorithm,
 *       signedAttrs [0] { contentType id-data, signingTime,
 *         messageDigest, signingCertificateV2 (SHA-256, issuerSerial) }
 *         (in DER SET OF order),
 *       signatureAlgorithm sm2-with-sm3 (1.2.156.10197.1.501) |
 *         ecdsa-with-SHA256, signature } } } }
 * The content-type OIDs are RFC 5652's (not GM/T 0010's 1.2.156.10197.6.1.
 * 4.2.x): that is the form other SM2 CMS implementations exchange.  The
 * SM2 signature is over SM3(Z || DER(SET OF signedAttrs)) with Z computed
 * from the ID 1234567812345678 (GM/T 0009 clause 10).  Algorithm
 * parameters are absent (RFC 5754 3, RFC 5758 3.2).
 *
 * What verification checks: strict DER (definite minimal lengths, no
 * constructed strings), no trailing bytes, signedData with exactly one
 * SignerInfo and encapsulated id-data content, signed attributes present,
 * single-valued, unique and in DER order, content-type attribute, message
 * digest, signing time (within the signer certificate's validity), the
 * signature over the DER SET OF signed attributes, the signer certificate
 * matching the SignerIdentifier (issuerAndSerialNumber or subject key
 * identifier), signingCertificateV2 when present, and the pinned signer.
 * It does not build or check a chain for the signer: relying parties pin
 * the gateway's published decision-signing certificate.  Accepted on input
 * besides what we write: SM2 signature OIDs 1.2.156.10197.1.301(.1),
 * algorithm parameters NULL, SignerInfo version 3 with a key identifier,
 * unsigned attributes and CRLs (ignored).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "gw.h"
#include "gw_cms_int.h"

/* OIDs, content octets only. */
static const unsigned char oid_signed_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const unsigned char oid_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
static const unsigned char oid_content_type[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
static const unsigned char oid_message_digest[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };
static const unsigned char oid_signing_time[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05 };
static const unsigned char oid_signing_cert_v2[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f };
static const unsigned char oid_sm3[] = {
	0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11 };
static const unsigned char oid_sm2_sm3[] = {
	0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75 };
static const unsigned char oid_sm2[] = {
	0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d };
static const unsigned char oid_sm2_sign[] = {
	0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d, 0x01 };
static const unsigned char oid_sha256[] = {
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const unsigned char oid_ecdsa_sha256[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
/* Accepted by gw_cms_verify_any() only. */
static const unsigned char oid_sha384[] = {
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 };
static const unsigned char oid_sha512[] = {
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 };
static const unsigned char oid_ecdsa_sha384[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
static const unsigned char oid_ecdsa_sha512[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 };
static const unsigned char oid_ec_public_key[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const unsigned char oid_rsa[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const unsigned char oid_rsa_sha256[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b };
static const unsigned char oid_rsa_sha384[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c };
static const unsigned char oid_rsa_sha512[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d };

#define OIDEQ(p, n, o)	((n) == sizeof(o) && memcmp((p), (o), (n)) == 0)

/* DER tags we use (single-byte, low tag numbers). */
#define T_INT		0x02
#define T_OCTETS	0x04
#define T_NULL		0x05
#define T_OID		0x06
#define T_UTCTIME	0x17
#define T_GENTIME	0x18
#define T_SEQ		0x30
#define T_SET		0x31
#define T_CTX0		0xa0	/* [0] constructed */
#define T_CTX1		0xa1
#define T_CTX0_PRIM	0x80	/* [0] primitive: subjectKeyIdentifier */
#define T_CTX4		0xa4	/* GeneralName directoryName */

static const struct val_rule r_too_large = { "CMS-TOO-LARGE", VAL_FATAL,
	"xbrg GW_MAX_CMS_BYTES", "signed data larger than the limit" };
static const struct val_rule r_pem = { "CMS-PEM", VAL_FATAL,
	"RFC 7468 9", "PEM input is not a CMS or PKCS7 block" };
static const struct val_rule r_truncated = { "CMS-TRUNCATED", VAL_FATAL,
	"X.690 8.1.3; RFC 5652 3", "input ends inside the ContentInfo" };
static const struct val_rule r_trailing = { "CMS-TRAILING", VAL_FATAL,
	"X.690 10.1; RFC 5652 3", "bytes after the ContentInfo" };
static const struct val_rule r_der = { "CMS-DER", VAL_FATAL,
	"X.690 10; RFC 5652 5.1", "not a strict DER SignedData" };
static const struct val_rule r_not_signed = { "CMS-NOT-SIGNED-DATA",
	VAL_FATAL, "RFC 5652 3, 5.1", "content type is not id-signedData" };
static const struct val_rule r_version = { "CMS-VERSION", VAL_ERROR,
	"RFC 5652 5.1, 5.3", "unexpected SignedData or SignerInfo version" };
static const struct val_rule r_econtent = { "CMS-ECONTENT-TYPE", VAL_ERROR,
	"RFC 5652 5.2", "encapsulated content type is not id-data" };
static const struct val_rule r_no_content = { "CMS-NO-CONTENT", VAL_FATAL,
	"RFC 5652 5.2", "no encapsulated content (detached signature)" };
static const struct val_rule r_signer_count = { "CMS-SIGNER-COUNT",
	VAL_FATAL, "RFC 5652 5.1", "not exactly one SignerInfo" };
static const struct val_rule r_no_attrs = { "CMS-NO-SIGNED-ATTRS", VAL_FATAL,
	"RFC 5652 5.3", "no signed attributes" };
static const struct val_rule r_attr_missing = { "CMS-ATTR-MISSING",
	VAL_ERROR, "RFC 5652 5.3, 11",
	"a required signed attribute is missing" };
static const struct val_rule r_attr_dup = { "CMS-ATTR-DUP", VAL_ERROR,
	"RFC 5652 5.3, 11", "signed attribute repeated or not single-valued" };
static const struct val_rule r_attr_order = { "CMS-ATTR-ORDER", VAL_ERROR,
	"RFC 5652 5.4; X.690 11.6",
	"signed attributes not in DER SET OF order" };
static const struct val_rule r_ct_attr = { "CMS-CONTENT-TYPE-ATTR",
	VAL_ERROR, "RFC 5652 11.1",
	"content-type attribute does not match the encapsulated content type" };
static const struct val_rule r_digest_alg = { "CMS-DIGEST-ALG", VAL_FATAL,
	"GM/T 0010 6; RFC 5754 2", "unsupported or inconsistent digest "
	"algorithm" };
static const struct val_rule r_sig_alg = { "CMS-SIG-ALG", VAL_FATAL,
	"GM/T 0010 6; RFC 5753 7.1", "signature algorithm unsupported or not "
	"that of the signer's key" };
static const struct val_rule r_digest = { "CMS-DIGEST-MISMATCH", VAL_ERROR,
	"RFC 5652 5.4, 11.2", "message digest does not match the content" };
static const struct val_rule r_signature = { "CMS-SIGNATURE", VAL_ERROR,
	"RFC 5652 5.6",
	"signature over the signed attributes does not verify" };
static const struct val_rule r_sm2_id = { "CMS-SM2-ID", VAL_ERROR,
	"GM/T 0009-2012 10; GM/T 0010-2012 7",
	"SM2 signature made with the empty ID, not 1234567812345678" };
static const struct val_rule r_no_signer = { "CMS-SIGNER-NOT-FOUND",
	VAL_FATAL, "RFC 5652 5.3, 10.2.4",
	"no certificate matches the SignerIdentifier" };
static const struct val_rule r_pin = { "CMS-SIGNER-PIN", VAL_ERROR,
	"xbrg decisions", "signer is not the pinned decision-signing "
	"certificate" };
static const struct val_rule r_validity = { "CMS-SIGNER-VALIDITY",
	VAL_ERROR, "RFC 5280 4.1.2.5",
	"signing time outside the signer certificate's validity" };
static const struct val_rule r_stime = { "CMS-SIGNING-TIME", VAL_ERROR,
	"RFC 5652 11.3", "signing time is malformed" };
static const struct val_rule r_ess = { "CMS-ESS-CERT", VAL_ERROR,
	"RFC 5035 3", "signingCertificateV2 does not identify the signer" };
static const struct val_rule r_bad_cert = { "CMS-CERT", VAL_ERROR,
	"RFC 5652 10.2.3", "an included certificate does not parse" };

/* ------------------------------------------------------------------ */
/* DER writer: a growable buffer; errors are sticky. */

struct dw {
	unsigned char	*p;
	size_t		 n, cap;
	int		 bad;
};

static void
dw_put(struct dw *w, const void *b, size_t len)
{
	unsigned char	*np;
	size_t		 ncap;

	if (w->bad)
		return;
	if (len > GW_MAX_CMS_BYTES || w->n + len > GW_MAX_CMS_BYTES) {
		w->bad = 1;
		return;
	}
	if (w->n + len > w->cap) {
		ncap = w->cap == 0 ? 256 : w->cap;
		while (ncap < w->n + len)
			ncap *= 2;
		if ((np = realloc(w->p, ncap)) == NULL) {
			w->bad = 1;
			return;
		}
		w->p = np;
		w->cap = ncap;
	}
	if (len > 0)
		memcpy(w->p + w->n, b, len);
	w->n += len;
}

static void
dw_tlv(struct dw *w, unsigned char tag, const void *c, size_t len)
{
	unsigned char	 h[6];
	size_t		 hn = 0, i, nb;

	h[hn++] = tag;
	if (len < 0x80)
		h[hn++] = (unsigned char)len;
	else {
		for (nb = 0, i = len; i > 0; i >>= 8)
			nb++;
		h[hn++] = (unsigned char)(0x80 | nb);
		while (nb-- > 0)
			h[hn++] = (unsigned char)(len >> (8 * nb));
	}
	dw_put(w, h, hn);
	dw_put(w, c, len);
}

/* Wraps inner as the content of tag and frees inner. */
static void
dw_wrap(struct dw *w, unsigned char tag, struct dw *inner)
{
	if (inner->bad)
		w->bad = 1;
	dw_tlv(w, tag, inner->p, inner->n);
	free(inner->p);
	memset(inner, 0, sizeof(*inner));
}

static void
dw_free(struct dw *w)
{
	free(w->p);
	memset(w, 0, sizeof(*w));
}

/* AlgorithmIdentifier with absent parameters. */
static void
dw_alg(struct dw *w, const unsigned char *oid, size_t oidlen)
{
	struct dw	 a = { 0 };

	dw_tlv(&a, T_OID, oid, oidlen);
	dw_wrap(w, T_SEQ, &a);
}

/* An OpenSSL object as DER, appended. */
static void
dw_i2d(struct dw *w, int len, unsigned char *der)
{
	if (len <= 0 || der == NULL)
		w->bad = 1;
	else
		dw_put(w, der, (size_t)len);
	OPENSSL_free(der);
}

static void
dw_name(struct dw *w, const X509_NAME *n)
{
	unsigned char	*d = NULL;
	int		 len;

	len = i2d_X509_NAME(n, &d);
	dw_i2d(w, len, d);
}

static void
dw_serial(struct dw *w, const ASN1_INTEGER *s)
{
	unsigned char	*d = NULL;
	int		 len;

	len = i2d_ASN1_INTEGER(s, &d);
	dw_i2d(w, len, d);
}

/* RFC 5652 11.3: UTCTime through 2049, GeneralizedTime after. */
static int
dw_time(struct dw *w, time_t t)
{
	struct tm	 tm;
	char		 buf[32];
	int		 n;

	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	if (tm.tm_year + 1900 >= 1950 && tm.tm_year + 1900 < 2050) {
		n = snprintf(buf, sizeof(buf), "%02d%02d%02d%02d%02d%02dZ",
		    tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		dw_tlv(w, T_UTCTIME, buf, (size_t)n);
	} else {
		n = snprintf(buf, sizeof(buf), "%04d%02d%02d%02d%02d%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		if (n != 15)
			return -1;
		dw_tlv(w, T_GENTIME, buf, (size_t)n);
	}
	return 0;
}

/* One attribute: SEQUENCE { type, SET { value } }; value is a whole TLV. */
static void
dw_attr(struct dw *w, const unsigned char *oid, size_t oidlen,
    const struct dw *value)
{
	struct dw	 a = { 0 }, set = { 0 };

	dw_tlv(&a, T_OID, oid, oidlen);
	if (value->bad)
		set.bad = 1;
	dw_put(&set, value->p, value->n);
	dw_wrap(&a, T_SET, &set);
	dw_wrap(w, T_SEQ, &a);
}

/* ------------------------------------------------------------------ */
/* DER reader. */

struct dr {
	const unsigned char	*p;	/* next byte */
	size_t			 n;	/* bytes left */
};

struct tlv {
	unsigned char		 tag;
	const unsigned char	*c;	/* content */
	size_t			 len;
	const unsigned char	*raw;	/* whole encoding */
	size_t			 rawlen;
};

enum { DR_OK, DR_END, DR_TRUNC, DR_BAD };

/*
 * Reads one TLV from r.  DR_TRUNC: the length runs beyond what is left;
 * DR_BAD: a high tag number, indefinite or non-minimal length.
 */
static int
dr_next(struct dr *r, struct tlv *t, const char **why)
{
	size_t	 hl = 2, len, nb, i;

	if (r->n == 0)
		return DR_END;
	if (r->n < 2) {
		*why = "header cut short";
		return DR_TRUNC;
	}
	t->tag = r->p[0];
	if ((t->tag & 0x1f) == 0x1f) {
		*why = "high tag number";
		return DR_BAD;
	}
	len = r->p[1];
	if (len == 0x80) {
		*why = "indefinite length";
		return DR_BAD;
	}
	if (len > 0x80) {
		nb = len & 0x7f;
		if (nb > 4) {
			*why = "length of more than four octets";
			return DR_BAD;
		}
		if (r->n < 2 + nb) {
			*why = "length cut short";
			return DR_TRUNC;
		}
		if (r->p[2] == 0) {
			*why = "non-minimal length";
			return DR_BAD;
		}
		for (len = 0, i = 0; i < nb; i++)
			len = (len << 8) | r->p[2 + i];
		if (len < 0x80) {
			*why = "non-minimal length";
			return DR_BAD;
		}
		hl += nb;
	}
	if (len > r->n - hl) {
		*why = "length beyond the enclosing data";
		return DR_TRUNC;
	}
	t->raw = r->p;
	t->rawlen = hl + len;
	t->c = r->p + hl;
	t->len = len;
	r->p += t->rawlen;
	r->n -= t->rawlen;
	return DR_OK;
}

static void
dr_init(struct dr *r, const struct tlv *t)
{
	r->p = t->c;
	r->n = t->len;
}

/*
 * Whole-input strict DER walk: every length definite and minimal, no
 * constructed universal string types, no high tags.  Returns 0, or -1
 * with an offset and reason in why.
 */
static int
der_strict(const unsigned char *base, const unsigned char *p, size_t n,
    int depth, char *why, size_t whylen)
{
	struct dr	 r = { p, n };
	struct tlv	 t;
	const char	*w = NULL;
	int		 rc, num;

	if (depth > VAL_MAX_DER_DEPTH) {
		snprintf(why, whylen, "nesting deeper than %d",
		    VAL_MAX_DER_DEPTH);
		return -1;
	}
	while ((rc = dr_next(&r, &t, &w)) == DR_OK) {
		if ((t.tag & 0x20) == 0)
			continue;
		num = t.tag & 0x1f;
		if ((t.tag & 0xc0) == 0 && num != 16 && num != 17) {
			snprintf(why, whylen, "offset %zu: constructed "
			    "encoding of universal type %d",
			    (size_t)(t.raw - base), num);
			return -1;
		}
		if (der_strict(base, t.c, t.len, depth + 1, why, whylen) != 0)
			return -1;
	}
	if (rc != DR_END) {
		snprintf(why, whylen, "offset %zu: %s", (size_t)(r.p - base),
		    w);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Signing. */

static int
digest(const EVP_MD *md, const unsigned char *b, size_t n,
    unsigned char *out, unsigned int *outlen)
{
	return EVP_Digest(b, n, out, outlen, md, NULL) == 1 ? 0 : -1;
}

/*
 * Makes an EVP_MD_CTX ready to sign or verify with key: SM2 with SM3 and
 * id (idlen may be 0: the empty ID), or ECDSA with SHA-256.  *pcp gets
 * the key context the MD_CTX borrows: free it after the MD_CTX.
 */
static EVP_MD_CTX *
sig_ctx(EVP_PKEY *key, enum gw_sig_alg alg, int sign, const char *id,
    size_t idlen, EVP_PKEY_CTX **pcp)
{
	EVP_MD_CTX	*m = NULL;
	EVP_PKEY_CTX	*pc = NULL;
	const EVP_MD	*md = alg == GW_SIG_SM2 ? EVP_sm3() : EVP_sha256();
	int		 ok = 0;

	*pcp = NULL;
	if ((m = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (alg == GW_SIG_SM2) {
		if ((pc = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) == NULL)
			goto out;
		if (idlen > 0 && EVP_PKEY_CTX_set1_id(pc, id, idlen) <= 0)
			goto out;
		EVP_MD_CTX_set_pkey_ctx(m, pc);
	}
	if (sign ? EVP_DigestSignInit(m, NULL, md, NULL, key) != 1 :
	    EVP_DigestVerifyInit(m, NULL, md, NULL, key) != 1)
		goto out;
	ok = 1;
 out:
	if (!ok) {
		EVP_MD_CTX_free(m);
		EVP_PKEY_CTX_free(pc);
		return NULL;
	}
	*pcp = pc;
	return m;
}

int
gw_cms_sign_id(const struct gw_signer *s, const unsigned char *content,
    size_t len, time_t t, const char *id, size_t idlen, int detached,
    unsigned char **der, size_t *derlen, char *err, size_t errlen)
{
	struct dw	 attrs[4], sorted = { 0 }, tmp = { 0 }, val = { 0 };
	struct dw	 si = { 0 }, sd = { 0 }, ci = { 0 }, out = { 0 };
	const EVP_MD	*md;
	EVP_MD_CTX	*m = NULL;
	EVP_PKEY_CTX	*pc = NULL;
	const unsigned char *dalg, *salg;
	size_t		 dalglen, salglen, i, j, siglen;
	unsigned char	 h[EVP_MAX_MD_SIZE], ch[32], *sig = NULL, *sa;
	unsigned int	 hlen, chlen;
	int		 rc = -1, used[4] = { 0 }, best;

	memset(attrs, 0, sizeof(attrs));
	if (len > GW_MAX_DECISION_JSON) {
		snprintf(err, errlen, "content of %zu bytes exceeds %d", len,
		    GW_MAX_DECISION_JSON);
		return -1;
	}
	if (s->alg == GW_SIG_SM2) {
		md = EVP_sm3();
		dalg = oid_sm3, dalglen = sizeof(oid_sm3);
		salg = oid_sm2_sm3, salglen = sizeof(oid_sm2_sm3);
	} else {
		md = EVP_sha256();
		dalg = oid_sha256, dalglen = sizeof(oid_sha256);
		salg = oid_ecdsa_sha256, salglen = sizeof(oid_ecdsa_sha256);
	}

	/* Signed attributes. */
	dw_tlv(&val, T_OID, oid_data, sizeof(oid_data));
	dw_attr(&attrs[0], oid_content_type, sizeof(oid_content_type), &val);
	dw_free(&val);
	if (dw_time(&val, t) != 0) {
		snprintf(err, errlen, "signing time out of range");
		goto out;
	}
	dw_attr(&attrs[1], oid_signing_time, sizeof(oid_signing_time), &val);
	dw_free(&val);
	if (digest(md, content, len, h, &hlen) != 0) {
		gw_ossl_err(err, errlen, "digest");
		goto out;
	}
	dw_tlv(&val, T_OCTETS, h, hlen);
	dw_attr(&attrs[2], oid_message_digest, sizeof(oid_message_digest),
	    &val);
	dw_free(&val);
	/* signingCertificateV2 { { ESSCertIDv2 { certHash, issuerSerial } } }
	 * with the default hash, SHA-256. */
	if (X509_digest(s->cert, EVP_sha256(), ch, &chlen) != 1) {
		gw_ossl_err(err, errlen, "certificate hash");
		goto out;
	}
	{
		struct dw	 id2 = { 0 }, is = { 0 }, gn = { 0 };
		struct dw	 gns = { 0 }, seq = { 0 };

		dw_tlv(&id2, T_OCTETS, ch, chlen);
		dw_name(&gn, X509_get_issuer_name(s->cert));
		dw_wrap(&gns, T_CTX4, &gn);
		dw_wrap(&is, T_SEQ, &gns);
		dw_serial(&is, X509_get0_serialNumber(s->cert));
		dw_wrap(&id2, T_SEQ, &is);
		dw_wrap(&seq, T_SEQ, &id2);
		dw_wrap(&tmp, T_SEQ, &seq);
		dw_wrap(&val, T_SEQ, &tmp);
	}
	dw_attr(&attrs[3], oid_signing_cert_v2, sizeof(oid_signing_cert_v2),
	    &val);
	dw_free(&val);
	for (i = 0; i < 4; i++)
		if (attrs[i].bad) {
			snprintf(err, errlen, "encoding signed attributes");
			goto out;
		}
	/* DER SET OF: ascending order of the encodings (X.690 11.6). */
	for (i = 0; i < 4; i++) {
		best = -1;
		for (j = 0; j < 4; j++) {
			if (used[j])
				continue;
			if (best < 0 || memcmp(attrs[j].p, attrs[best].p,
			    attrs[j].n < attrs[best].n ? attrs[j].n :
			    attrs[best].n) < 0 || (memcmp(attrs[j].p,
			    attrs[best].p, attrs[j].n < attrs[best].n ?
			    attrs[j].n : attrs[best].n) == 0 &&
			    attrs[j].n < attrs[best].n))
				best = (int)j;
		}
		used[best] = 1;
		dw_put(&sorted, attrs[best].p, attrs[best].n);
	}
	/* The signature covers the attributes tagged as SET (RFC 5652 5.4). */
	dw_wrap(&tmp, T_SET, &sorted);
	if (tmp.bad) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if ((m = sig_ctx(s->key, s->alg, 1, id, idlen, &pc)) == NULL ||
	    EVP_DigestSign(m, NULL, &siglen, tmp.p, tmp.n) != 1 ||
	    (sig = malloc(siglen)) == NULL ||
	    EVP_DigestSign(m, sig, &siglen, tmp.p, tmp.n) != 1) {
		gw_ossl_err(err, errlen, "signing");
		goto out;
	}
	sa = tmp.p;
	sa[0] = T_CTX0;		/* [0] IMPLICIT in the SignerInfo */

	/* SignerInfo. */
	{
		unsigned char	 one = 1;
		struct dw	 ias = { 0 };

		dw_tlv(&si, T_INT, &one, 1);
		dw_name(&ias, X509_get_issuer_name(s->cert));
		dw_serial(&ias, X509_get0_serialNumber(s->cert));
		dw_wrap(&si, T_SEQ, &ias);
		dw_alg(&si, dalg, dalglen);
		dw_put(&si, tmp.p, tmp.n);
		dw_alg(&si, salg, salglen);
		dw_tlv(&si, T_OCTETS, sig, siglen);
	}

	/* SignedData. */
	{
		unsigned char	 one = 1, *cd = NULL;
		struct dw	 algs = { 0 }, eci = { 0 }, ec = { 0 };
		struct dw	 certs = { 0 }, sis = { 0 };
		int		 cl;

		dw_tlv(&sd, T_INT, &one, 1);
		dw_alg(&algs, dalg, dalglen);
		dw_wrap(&sd, T_SET, &algs);
		dw_tlv(&eci, T_OID, oid_data, sizeof(oid_data));
		if (!detached) {
			dw_tlv(&ec, T_OCTETS, content, len);
			dw_wrap(&eci, T_CTX0, &ec);
		}
		dw_wrap(&sd, T_SEQ, &eci);
		cl = i2d_X509(s->cert, &cd);
		dw_i2d(&certs, cl, cd);
		dw_wrap(&sd, T_CTX0, &certs);
		dw_wrap(&sis, T_SEQ, &si);
		dw_wrap(&sd, T_SET, &sis);
	}
	dw_tlv(&ci, T_OID, oid_signed_data, sizeof(oid_signed_data));
	{
		struct dw	 ex = { 0 };

		dw_wrap(&ex, T_SEQ, &sd);
		dw_wrap(&ci, T_CTX0, &ex);
	}
	dw_wrap(&out, T_SEQ, &ci);
	if (out.bad) {
		snprintf(err, errlen, "encoding SignedData failed (size or "
		    "memory)");
		goto out;
	}
	*der = out.p;
	*derlen = out.n;
	out.p = NULL;
	rc = 0;
 out:
	for (i = 0; i < 4; i++)
		dw_free(&attrs[i]);
	dw_free(&sorted);
	dw_free(&tmp);
	dw_free(&val);
	dw_free(&si);
	dw_free(&sd);
	dw_free(&ci);
	dw_free(&out);
	EVP_MD_CTX_free(m);
	EVP_PKEY_CTX_free(pc);
	free(sig);
	return rc;
}

int
gw_cms_sign(const struct gw_signer *s, const unsigned char *content,
    size_t len, time_t t, unsigned char **der, size_t *derlen, char *err,
    size_t errlen)
{
	return gw_cms_sign_id(s, content, len, t, VAL_SM2_ID, VAL_SM2_ID_LEN,
	    0, der, derlen, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Verification. */

void
gw_cms_info_free(struct gw_cms_info *info)
{
	if (info == NULL)
		return;
	free(info->content);
	X509_free(info->signer);
	sk_X509_pop_free(info->certs, X509_free);
	memset(info, 0, sizeof(*info));
}

/* The parsed pieces of one SignedData; pointers into the input. */
struct sd {
	struct tlv	 content;	/* eContent OCTET STRING */
	struct tlv	 econtent_type;
	struct tlv	 sid;		/* issuerAndSerial or [0] skid */
	struct tlv	 dalg_oid;	/* SignerInfo digestAlgorithm */
	struct tlv	 salg_oid;
	struct tlv	 attrs;		/* [0] signedAttrs, raw */
	struct tlv	 sig;
	STACK_OF(X509)	*certs;
	int		 si_version;
	int		 dalg_listed;	/* in digestAlgorithms */
	int		 detached;	/* no eContent */
	int		 has_attrs;
};

/* AlgorithmIdentifier: OID with absent or NULL parameters. */
static int
parse_alg(const struct tlv *a, struct tlv *oid)
{
	struct dr	 r;
	struct tlv	 p;
	const char	*w;

	if (a->tag != T_SEQ)
		return -1;
	dr_init(&r, a);
	if (dr_next(&r, oid, &w) != DR_OK || oid->tag != T_OID)
		return -1;
	switch (dr_next(&r, &p, &w)) {
	case DR_END:
		return 0;
	case DR_OK:
		if (p.tag != T_NULL || p.len != 0)
			return -1;
		return r.n == 0 ? 0 : -1;
	default:
		return -1;
	}
}

static int
small_int(const struct tlv *t, int *out)
{
	if (t->tag != T_INT || t->len != 1 || t->c[0] > 0x7f)
		return -1;
	*out = t->c[0];
	return 0;
}

/*
 * Parses ContentInfo/SignedData down to the single SignerInfo.  Adds a
 * fatal finding and returns -1 on what makes the rest meaningless.
 */
static int
parse_signed_data(const unsigned char *der, size_t len, int any,
    struct sd *sd, struct val_report *rep)
{
	struct dr	 r, s, e, si;
	struct tlv	 ci, t, oid, sdseq, x, y;
	const char	*w = NULL;
	int		 rc, v, nsi = 0;
	char		 why[160];

	r.p = der;
	r.n = len;
	if (len > 0 && der[0] != T_SEQ) {
		val_report_add(rep, &r_der, "ContentInfo",
		    "starts with 0x%02x, not a SEQUENCE", der[0]);
		return -1;
	}
	rc = dr_next(&r, &ci, &w);
	if (rc == DR_TRUNC || rc == DR_END) {
		val_report_add(rep, &r_truncated, "ContentInfo",
		    "%zu bytes, %s", len, rc == DR_END ? "empty" : w);
		return -1;
	}
	if (rc != DR_OK || ci.tag != T_SEQ) {
		val_report_add(rep, &r_der, "ContentInfo", "%s",
		    rc != DR_OK ? w : "not a SEQUENCE");
		return -1;
	}
	if (r.n != 0) {
		val_report_add(rep, &r_trailing, "ContentInfo",
		    "%zu bytes after offset %zu", r.n, ci.rawlen);
		return -1;
	}
	if (der_strict(der, der, len, 0, why, sizeof(why)) != 0) {
		val_report_add(rep, &r_der, "ContentInfo", "%s", why);
		return -1;
	}
	/* From here on every length is known to be well formed. */
	dr_init(&s, &ci);
	if (dr_next(&s, &oid, &w) != DR_OK || oid.tag != T_OID) {
		val_report_add(rep, &r_der, "ContentInfo.contentType", NULL);
		return -1;
	}
	if (!OIDEQ(oid.c, oid.len, oid_signed_data)) {
		val_report_add(rep, &r_not_signed, "ContentInfo.contentType",
		    NULL);
		return -1;
	}
	if (dr_next(&s, &t, &w) != DR_OK || t.tag != T_CTX0 || s.n != 0) {
		val_report_add(rep, &r_der, "ContentInfo.content", NULL);
		return -1;
	}
	dr_init(&e, &t);
	if (dr_next(&e, &sdseq, &w) != DR_OK || sdseq.tag != T_SEQ ||
	    e.n != 0) {
		val_report_add(rep, &r_der, "SignedData", NULL);
		return -1;
	}
	dr_init(&s, &sdseq);
	/* version */
	if (dr_next(&s, &t, &w) != DR_OK || small_int(&t, &v) != 0) {
		val_report_add(rep, &r_der, "SignedData.version", NULL);
		return -1;
	}
	if (v != 1 && v != 3)
		val_report_add(rep, &r_version, "SignedData.version", "%d", v);
	/* digestAlgorithms: remember them to check the signer's below. */
	if (dr_next(&s, &t, &w) != DR_OK || t.tag != T_SET) {
		val_report_add(rep, &r_der, "SignedData.digestAlgorithms",
		    NULL);
		return -1;
	}
	x = t;		/* the SET, re-read below */
	/* encapContentInfo */
	if (dr_next(&s, &t, &w) != DR_OK || t.tag != T_SEQ) {
		val_report_add(rep, &r_der, "SignedData.encapContentInfo",
		    NULL);
		return -1;
	}
	dr_init(&e, &t);
	if (dr_next(&e, &sd->econtent_type, &w) != DR_OK ||
	    sd->econtent_type.tag != T_OID) {
		val_report_add(rep, &r_der, "encapContentInfo.eContentType",
		    NULL);
		return -1;
	}
	if (!any && !OIDEQ(sd->econtent_type.c, sd->econtent_type.len,
	    oid_data))
		val_report_add(rep, &r_econtent,
		    "encapContentInfo.eContentType", NULL);
	rc = dr_next(&e, &t, &w);
	if (rc == DR_END && !any) {
		val_report_add(rep, &r_no_content, "encapContentInfo", NULL);
		return -1;
	}
	if (rc == DR_END)
		sd->detached = 1;
	else if (rc != DR_OK || t.tag != T_CTX0 || e.n != 0) {
		val_report_add(rep, &r_der, "encapContentInfo.eContent", NULL);
		return -1;
	} else {
		dr_init(&e, &t);
		if (dr_next(&e, &sd->content, &w) != DR_OK ||
		    sd->content.tag != T_OCTETS || e.n != 0) {
			val_report_add(rep, &r_der, "encapContentInfo.eContent",
			    "not one primitive OCTET STRING");
			return -1;
		}
	}
	/* certificates [0], crls [1], signerInfos */
	if (dr_next(&s, &t, &w) != DR_OK) {
		val_report_add(rep, &r_der, "SignedData.signerInfos",
		    "missing");
		return -1;
	}
	if (t.tag == T_CTX0) {
		int	 nc = 0;

		if ((sd->certs = sk_X509_new_null()) == NULL)
			return -1;
		dr_init(&e, &t);
		while (dr_next(&e, &y, &w) == DR_OK) {
			const unsigned char	*cp = y.raw;
			X509			*c;

			if (++nc > GW_MAX_CMS_CERTS) {
				val_report_add(rep, &r_der,
				    "SignedData.certificates",
				    "more than %d", GW_MAX_CMS_CERTS);
				return -1;
			}
			c = NULL;
			if (y.tag != T_SEQ || y.rawlen > LONG_MAX ||
			    (c = d2i_X509(NULL, &cp, (long)y.rawlen)) ==
			    NULL || cp != y.raw + y.rawlen) {
				X509_free(c);
				ERR_clear_error();
				val_report_add(rep, &r_bad_cert,
				    "SignedData.certificates", "#%d", nc);
				continue;
			}
			if (!sk_X509_push(sd->certs, c)) {
				X509_free(c);
				return -1;
			}
		}
		if (dr_next(&s, &t, &w) != DR_OK) {
			val_report_add(rep, &r_der, "SignedData.signerInfos",
			    "missing");
			return -1;
		}
	}
	if (t.tag == T_CTX1 && dr_next(&s, &t, &w) != DR_OK) {
		val_report_add(rep, &r_der, "SignedData.signerInfos",
		    "missing");
		return -1;
	}
	if (t.tag != T_SET || s.n != 0) {
		val_report_add(rep, &r_der, "SignedData.signerInfos", NULL);
		return -1;
	}
	dr_init(&e, &t);
	while (dr_next(&e, &y, &w) == DR_OK) {
		if (++nsi == 1)
			t = y;
	}
	if (nsi != 1) {
		val_report_add(rep, &r_signer_count, "SignedData.signerInfos",
		    "%d", nsi);
		return -1;
	}
	if (t.tag != T_SEQ) {
		val_report_add(rep, &r_der, "SignerInfo", NULL);
		return -1;
	}
	dr_init(&si, &t);
	if (dr_next(&si, &y, &w) != DR_OK ||
	    small_int(&y, &sd->si_version) != 0) {
		val_report_add(rep, &r_der, "SignerInfo.version", NULL);
		return -1;
	}
	if (dr_next(&si, &sd->sid, &w) != DR_OK ||
	    (sd->sid.tag != T_SEQ && sd->sid.tag != T_CTX0_PRIM)) {
		val_report_add(rep, &r_der, "SignerInfo.sid", NULL);
		return -1;
	}
	if ((sd->sid.tag == T_SEQ && sd->si_version != 1) ||
	    (sd->sid.tag == T_CTX0_PRIM && sd->si_version != 3))
		val_report_add(rep, &r_version, "SignerInfo.version", "%d",
		    sd->si_version);
	if (dr_next(&si, &y, &w) != DR_OK ||
	    parse_alg(&y, &sd->dalg_oid) != 0) {
		val_report_add(rep, &r_der, "SignerInfo.digestAlgorithm",
		    NULL);
		return -1;
	}
	/* Is the signer's digest algorithm among digestAlgorithms? */
	dr_init(&e, &x);
	while (dr_next(&e, &y, &w) == DR_OK) {
		if (parse_alg(&y, &oid) == 0 && oid.len == sd->dalg_oid.len &&
		    memcmp(oid.c, sd->dalg_oid.c, oid.len) == 0)
			sd->dalg_listed = 1;
	}
	if (dr_next(&si, &y, &w) != DR_OK) {
		val_report_add(rep, &r_der, "SignerInfo", "cut short");
		return -1;
	}
	if (y.tag == T_CTX0) {
		sd->attrs = y;
		sd->has_attrs = 1;
		if (dr_next(&si, &y, &w) != DR_OK) {
			val_report_add(rep, &r_der, "SignerInfo",
			    "cut short");
			return -1;
		}
	} else if (!any) {
		val_report_add(rep, &r_no_attrs, "SignerInfo.signedAttrs",
		    NULL);
		return -1;
	}
	if (parse_alg(&y, &sd->salg_oid) != 0) {
		val_report_add(rep, &r_der, "SignerInfo.signatureAlgorithm",
		    NULL);
		return -1;
	}
	if (dr_next(&si, &sd->sig, &w) != DR_OK || sd->sig.tag != T_OCTETS) {
		val_report_add(rep, &r_der, "SignerInfo.signature", NULL);
		return -1;
	}
	rc = dr_next(&si, &y, &w);
	if (rc == DR_OK && y.tag == 0xa1)
		rc = dr_next(&si, &y, &w);
	if (rc != DR_END) {
		val_report_add(rep, &r_der, "SignerInfo",
		    "unexpected element after the signature");
		return -1;
	}
	return 0;
}

/* Does cert match the SignerIdentifier? */
static int
sid_match(const struct tlv *sid, X509 *cert)
{
	struct dr		 r;
	struct tlv		 name, serial;
	const unsigned char	*p;
	const char		*w;
	X509_NAME		*n = NULL;
	ASN1_INTEGER		*i = NULL;
	const ASN1_OCTET_STRING	*skid;
	int			 ok = 0;

	if (sid->tag == T_CTX0_PRIM) {
		skid = X509_get0_subject_key_id(cert);
		return skid != NULL && (size_t)skid->length == sid->len &&
		    memcmp(skid->data, sid->c, sid->len) == 0;
	}
	dr_init(&r, sid);
	if (dr_next(&r, &name, &w) != DR_OK || name.tag != T_SEQ ||
	    dr_next(&r, &serial, &w) != DR_OK || serial.tag != T_INT ||
	    r.n != 0)
		return 0;
	p = name.raw;
	if ((n = d2i_X509_NAME(NULL, &p, (long)name.rawlen)) == NULL)
		goto out;
	p = serial.raw;
	if ((i = d2i_ASN1_INTEGER(NULL, &p, (long)serial.rawlen)) == NULL)
		goto out;
	ok = X509_NAME_cmp(n, X509_get_issuer_name(cert)) == 0 &&
	    ASN1_INTEGER_cmp(i, X509_get0_serialNumber(cert)) == 0;
 out:
	ERR_clear_error();
	X509_NAME_free(n);
	ASN1_INTEGER_free(i);
	return ok;
}

/* The attributes we check, single-valued: the value TLV of each. */
struct attrs {
	struct tlv	 ct, md, st, scv2;
	int		 has_ct, has_md, has_st, has_scv2;
};

static void
parse_attrs(const struct tlv *a, struct attrs *at, struct val_report *rep)
{
	struct dr		 r, e, v;
	struct tlv		 attr, oid, set, val, more;
	const unsigned char	*prev = NULL;
	size_t			 prevlen = 0, m;
	const char		*w;
	struct tlv		*slot;
	int			*has;

	dr_init(&r, a);
	while (dr_next(&r, &attr, &w) == DR_OK) {
		/* X.690 11.6: ascending order of the encodings. */
		if (prev != NULL) {
			m = prevlen < attr.rawlen ? prevlen : attr.rawlen;
			if (memcmp(prev, attr.raw, m) > 0 ||
			    (memcmp(prev, attr.raw, m) == 0 &&
			    prevlen > attr.rawlen))
				val_report_add(rep, &r_attr_order,
				    "SignerInfo.signedAttrs", NULL);
		}
		prev = attr.raw;
		prevlen = attr.rawlen;
		dr_init(&e, &attr);
		if (attr.tag != T_SEQ || dr_next(&e, &oid, &w) != DR_OK ||
		    oid.tag != T_OID || dr_next(&e, &set, &w) != DR_OK ||
		    set.tag != T_SET || e.n != 0) {
			val_report_add(rep, &r_der, "SignerInfo.signedAttrs",
			    "malformed Attribute");
			continue;
		}
		if (OIDEQ(oid.c, oid.len, oid_content_type))
			slot = &at->ct, has = &at->has_ct;
		else if (OIDEQ(oid.c, oid.len, oid_message_digest))
			slot = &at->md, has = &at->has_md;
		else if (OIDEQ(oid.c, oid.len, oid_signing_time))
			slot = &at->st, has = &at->has_st;
		else if (OIDEQ(oid.c, oid.len, oid_signing_cert_v2))
			slot = &at->scv2, has = &at->has_scv2;
		else
			continue;
		dr_init(&v, &set);
		if (*has || dr_next(&v, &val, &w) != DR_OK ||
		    dr_next(&v, &more, &w) != DR_END) {
			val_report_add(rep, &r_attr_dup,
			    "SignerInfo.signedAttrs", "%s",
			    slot == &at->ct ? "contentType" :
			    slot == &at->md ? "messageDigest" :
			    slot == &at->st ? "signingTime" :
			    "signingCertificateV2");
			*has = 2;	/* unusable */
			continue;
		}
		*slot = val;
		*has = 1;
	}
}

/* signingCertificateV2: the first ESSCertIDv2 names the signer. */
static void
check_ess(const struct tlv *v, X509 *signer, struct val_report *rep)
{
	struct dr	 r, e;
	struct tlv	 certs, id, first, h;
	const char	*w;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	const EVP_MD	*alg = EVP_sha256();
	struct tlv	 oid;

	dr_init(&r, v);
	if (v->tag != T_SEQ || dr_next(&r, &certs, &w) != DR_OK ||
	    certs.tag != T_SEQ)
		goto bad;
	dr_init(&e, &certs);
	if (dr_next(&e, &id, &w) != DR_OK || id.tag != T_SEQ)
		goto bad;
	dr_init(&e, &id);
	if (dr_next(&e, &first, &w) != DR_OK)
		goto bad;
	if (first.tag == T_SEQ) {
		if (parse_alg(&first, &oid) != 0)
			goto bad;
		if (OIDEQ(oid.c, oid.len, oid_sm3))
			alg = EVP_sm3();
		else if (!OIDEQ(oid.c, oid.len, oid_sha256))
			goto bad;
		if (dr_next(&e, &h, &w) != DR_OK)
			goto bad;
	} else
		h = first;
	if (h.tag != T_OCTETS ||
	    X509_digest(signer, alg, md, &mdlen) != 1 ||
	    h.len != mdlen || memcmp(h.c, md, mdlen) != 0)
		goto bad;
	return;
 bad:
	val_report_add(rep, &r_ess, "SignerInfo.signedAttrs."
	    "signingCertificateV2", NULL);
}

/* Verifies sig over tbs with key; 1 good, 0 bad. */
static int
sig_verify_key(EVP_PKEY *k, enum gw_sig_alg alg, const char *id, size_t idlen,
    const unsigned char *tbs, size_t tbslen, const unsigned char *sig,
    size_t siglen)
{
	EVP_MD_CTX	*m;
	EVP_PKEY_CTX	*pc;
	int		 ok = 0;

	if ((m = sig_ctx(k, alg, 0, id, idlen, &pc)) != NULL)
		ok = EVP_DigestVerify(m, sig, siglen, tbs, tbslen) == 1;
	EVP_MD_CTX_free(m);
	EVP_PKEY_CTX_free(pc);
	ERR_clear_error();
	return ok;
}

static int
sig_verify(X509 *cert, enum gw_sig_alg alg, const char *id, size_t idlen,
    const unsigned char *tbs, size_t tbslen, const unsigned char *sig,
    size_t siglen)
{
	EVP_PKEY	*k;

	if ((k = X509_get0_pubkey(cert)) == NULL)
		return 0;
	return sig_verify_key(k, alg, id, idlen, tbs, tbslen, sig, siglen);
}

/* PEM "CMS" or "PKCS7" to DER.  Returns 0 and an owned buffer, or -1. */
static int
pem_decode(const unsigned char *in, size_t len, unsigned char **out,
    size_t *outlen, struct val_report *rep)
{
	BIO		*b;
	char		*name = NULL, *hdr = NULL;
	unsigned char	*data = NULL;
	long		 dlen = 0;
	int		 rc = -1;

	if ((b = BIO_new_mem_buf(in, (int)len)) == NULL)
		return -1;
	if (PEM_read_bio(b, &name, &hdr, &data, &dlen) != 1) {
		val_report_add(rep, &r_pem, "PEM", "no PEM block decodes");
		goto out;
	}
	if (strcmp(name, "CMS") != 0 && strcmp(name, "PKCS7") != 0) {
		val_report_add(rep, &r_pem, "PEM", "label %s", name);
		goto out;
	}
	if ((*out = malloc(dlen > 0 ? (size_t)dlen : 1)) == NULL)
		goto out;
	memcpy(*out, data, (size_t)dlen);
	*outlen = (size_t)dlen;
	rc = 0;
 out:
	ERR_clear_error();
	BIO_free(b);
	OPENSSL_free(name);
	OPENSSL_free(hdr);
	OPENSSL_free(data);
	return rc;
}

/* Signature classes: the key type a signature algorithm needs. */
enum kclass { K_SM2, K_EC, K_RSA };

/*
 * Maps the SignerInfo's algorithms to a digest and a key class.  Decision
 * mode (any 0) knows SM2/SM3 and ECDSA P-256/SHA-256 only.  Returns 0, or
 * -1 after a fatal finding.
 */
static int
algorithms(const struct sd *sd, int any, const EVP_MD **mdp,
    enum kclass *kc, char *name, size_t namelen, struct val_report *rep)
{
	const struct tlv	*d = &sd->dalg_oid, *g = &sd->salg_oid;
	const EVP_MD		*md, *want = NULL;

	if (OIDEQ(d->c, d->len, oid_sm3))
		md = EVP_sm3();
	else if (OIDEQ(d->c, d->len, oid_sha256))
		md = EVP_sha256();
	else if (any && OIDEQ(d->c, d->len, oid_sha384))
		md = EVP_sha384();
	else if (any && OIDEQ(d->c, d->len, oid_sha512))
		md = EVP_sha512();
	else {
		val_report_add(rep, &r_digest_alg,
		    "SignerInfo.digestAlgorithm", "%s", any ?
		    "not SM3 or SHA-2" : "not SM3 or SHA-256");
		return -1;
	}
	if (OIDEQ(g->c, g->len, oid_sm2_sm3) ||
	    OIDEQ(g->c, g->len, oid_sm2_sign) || OIDEQ(g->c, g->len, oid_sm2))
		*kc = K_SM2, want = EVP_sm3();
	else if (OIDEQ(g->c, g->len, oid_ecdsa_sha256))
		*kc = K_EC, want = EVP_sha256();
	else if (any && OIDEQ(g->c, g->len, oid_ecdsa_sha384))
		*kc = K_EC, want = EVP_sha384();
	else if (any && OIDEQ(g->c, g->len, oid_ecdsa_sha512))
		*kc = K_EC, want = EVP_sha512();
	else if (any && OIDEQ(g->c, g->len, oid_ec_public_key))
		*kc = K_EC, want = md;
	else if (any && OIDEQ(g->c, g->len, oid_rsa))
		*kc = K_RSA, want = md;
	else if (any && OIDEQ(g->c, g->len, oid_rsa_sha256))
		*kc = K_RSA, want = EVP_sha256();
	else if (any && OIDEQ(g->c, g->len, oid_rsa_sha384))
		*kc = K_RSA, want = EVP_sha384();
	else if (any && OIDEQ(g->c, g->len, oid_rsa_sha512))
		*kc = K_RSA, want = EVP_sha512();
	else {
		val_report_add(rep, &r_sig_alg,
		    "SignerInfo.signatureAlgorithm", "%s", any ?
		    "not SM2, ECDSA or RSA PKCS#1 v1.5 with SHA-2" :
		    "not SM2-with-SM3 or ecdsa-with-SHA256");
		return -1;
	}
	if (md != want || (*kc != K_SM2 && md == EVP_sm3())) {
		val_report_add(rep, &r_digest_alg,
		    "SignerInfo.digestAlgorithm", "%s does not go with the "
		    "signature algorithm", EVP_MD_get0_name(md));
		return -1;
	}
	snprintf(name, namelen, "%s", *kc == K_SM2 ? "sm2-sm3" :
	    *kc == K_EC ? (md == EVP_sha256() ? "ecdsa-sha256" :
	    md == EVP_sha384() ? "ecdsa-sha384" : "ecdsa-sha512") :
	    (md == EVP_sha256() ? "rsa-sha256" : md == EVP_sha384() ?
	    "rsa-sha384" : "rsa-sha512"));
	*mdp = md;
	return 0;
}

/* Does the signer's key fit the class (and, in decision mode, P-256)? */
static int
key_fits(X509 *signer, enum kclass kc, int any, char *why, size_t whylen)
{
	EVP_PKEY	*k = X509_get0_pubkey(signer);
	enum gw_sig_alg	 ka;
	int		 sm2;

	if (k == NULL) {
		ERR_clear_error();
		snprintf(why, whylen, "unreadable key");
		return 0;
	}
	if (!any) {
		if (gw_key_alg(k, &ka, why, whylen) != 0)
			return 0;
		if ((ka == GW_SIG_SM2) != (kc == K_SM2)) {
			snprintf(why, whylen, "key is %s", gw_sig_alg_name(ka));
			return 0;
		}
		return 1;
	}
	sm2 = gw_key_alg(k, &ka, why, whylen) == 0 && ka == GW_SIG_SM2;
	ERR_clear_error();
	if ((kc == K_SM2 && sm2) || (kc == K_EC && !sm2 &&
	    EVP_PKEY_is_a(k, "EC")) || (kc == K_RSA && EVP_PKEY_is_a(k,
	    "RSA")))
		return 1;
	snprintf(why, whylen, "key type %s", EVP_PKEY_get0_type_name(k) !=
	    NULL ? EVP_PKEY_get0_type_name(k) : "unknown");
	return 0;
}

/* ECDSA or RSA PKCS#1 v1.5 over tbs with md.  1 good. */
static int
plain_verify(X509 *signer, const EVP_MD *md, const unsigned char *tbs,
    size_t tbslen, const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX	*m;
	int		 ok = 0;

	if ((m = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(m, NULL, md, NULL,
	    X509_get0_pubkey(signer)) == 1)
		ok = EVP_DigestVerify(m, sig, siglen, tbs, tbslen) == 1;
	EVP_MD_CTX_free(m);
	ERR_clear_error();
	return ok;
}

/*
 * The verification of both modes.  any 0: signed decisions (gw_cms_verify);
 * any 1: relying parties' signatures (gw_cms_verify_any), where content
 * (may be NULL) is the detached content.
 */
static int
verify_core(const unsigned char *in, size_t inlen, int any,
    const unsigned char *content, size_t contentlen, X509 *pinned,
    struct gw_cms_info *info, struct val_report *rep)
{
	struct sd	 sd;
	struct attrs	 at;
	unsigned char	*pem = NULL, *tbs = NULL, h[EVP_MAX_MD_SIZE];
	const unsigned char *der = in, *cb, *tb;
	size_t		 len = inlen, cl, tl;
	unsigned int	 hlen;
	X509		*signer = NULL, *c;
	enum kclass	 kc;
	const EVP_MD	*md;
	ASN1_TIME	*st = NULL;
	const unsigned char *p;
	time_t		 stime = 0;
	char		 why[160], alg[32];
	int		 rc = -1, i, has_stime = 0, ok;

	memset(&sd, 0, sizeof(sd));
	memset(&at, 0, sizeof(at));
	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (inlen > GW_MAX_CMS_BYTES) {
		val_report_add(rep, &r_too_large, "input", "%zu bytes > %d",
		    inlen, GW_MAX_CMS_BYTES);
		rc = 0;
		goto out;
	}
	if (inlen >= 11 && memcmp(in, "-----BEGIN ", 11) == 0) {
		if (pem_decode(in, inlen, &pem, &len, rep) != 0) {
			rc = rep->oom ? -1 : 0;
			goto out;
		}
		der = pem;
	}
	if (parse_signed_data(der, len, any, &sd, rep) != 0) {
		rc = val_report_fatal(rep) ? 0 : -1;
		goto out;
	}
	/* The content: encapsulated, or supplied for a detached one. */
	if (sd.detached) {
		if (content == NULL) {
			val_report_add(rep, &r_no_content, "encapContentInfo",
			    "detached signature: content not supplied");
			rc = 0;
			goto out;
		}
		cb = content;
		cl = contentlen;
	} else {
		cb = sd.content.c;
		cl = sd.content.len;
	}

	/* Algorithms. */
	if (algorithms(&sd, any, &md, &kc, alg, sizeof(alg), rep) != 0) {
		rc = 0;
		goto out;
	}
	if (!sd.dalg_listed)
		val_report_add(rep, &r_digest_alg,
		    "SignedData.digestAlgorithms",
		    "signer's algorithm not listed");
	if (info != NULL) {
		snprintf(info->alg_name, sizeof(info->alg_name), "%s", alg);
		if (kc == K_SM2 || strcmp(alg, "ecdsa-sha256") == 0) {
			info->alg = kc == K_SM2 ? GW_SIG_SM2 :
			    GW_SIG_ECDSA_P256;
			info->has_alg = !any || kc == K_SM2;
		}
	}

	/* The signer. */
	for (i = 0; sd.certs != NULL && i < sk_X509_num(sd.certs); i++) {
		c = sk_X509_value(sd.certs, i);
		if (sid_match(&sd.sid, c)) {
			signer = c;
			break;
		}
	}
	if (signer == NULL && pinned != NULL && sid_match(&sd.sid, pinned))
		signer = pinned;
	if (signer == NULL) {
		val_report_add(rep, &r_no_signer, "SignerInfo.sid", NULL);
		rc = 0;
		goto out;
	}
	if (info != NULL) {
		if (!X509_up_ref(signer))
			goto out;
		info->signer = signer;
		{
			unsigned char	 d[32];
			unsigned int	 dl;
			int		 j;

			if (X509_digest(signer, EVP_sha256(), d, &dl) == 1)
				for (j = 0; j < 32; j++)
					snprintf(info->signer_sha256 + 2 * j,
					    3, "%02x", d[j]);
		}
	}
	if (pinned != NULL && X509_cmp(signer, pinned) != 0) {
		char	*s;

		s = val_name_text(X509_get_subject_name(signer));
		val_report_add(rep, &r_pin, "SignerInfo.sid", "signer %s",
		    s != NULL ? s : "?");
		free(s);
	}
	if (!key_fits(signer, kc, any, why, sizeof(why))) {
		val_report_add(rep, &r_sig_alg, "SignerInfo.signatureAlgorithm",
		    "%s signature, signer %s", alg, why);
		rc = 0;
		goto out;
	}

	/* Signed attributes (always there in decision mode). */
	if (sd.has_attrs) {
		parse_attrs(&sd.attrs, &at, rep);
		if (!at.has_ct)
			val_report_add(rep, &r_attr_missing,
			    "SignerInfo.signedAttrs", "contentType");
		else if (at.has_ct == 1 && (at.ct.tag != T_OID ||
		    at.ct.len != sd.econtent_type.len ||
		    memcmp(at.ct.c, sd.econtent_type.c, at.ct.len) != 0))
			val_report_add(rep, &r_ct_attr, "SignerInfo."
			    "signedAttrs.contentType", NULL);
		if (!at.has_md)
			val_report_add(rep, &r_attr_missing,
			    "SignerInfo.signedAttrs", "messageDigest");
		else if (at.has_md == 1) {
			if (digest(md, cb, cl, h, &hlen) != 0)
				goto out;
			if (at.md.tag != T_OCTETS || at.md.len != hlen ||
			    memcmp(at.md.c, h, hlen) != 0)
				val_report_add(rep, &r_digest, "SignerInfo."
				    "signedAttrs.messageDigest", NULL);
		}
		if (!at.has_st && !any)
			val_report_add(rep, &r_attr_missing,
			    "SignerInfo.signedAttrs", "signingTime");
		else if (at.has_st == 1) {
			p = at.st.raw;
			if ((at.st.tag != T_UTCTIME &&
			    at.st.tag != T_GENTIME) ||
			    (st = d2i_ASN1_TIME(NULL, &p,
			    (long)at.st.rawlen)) == NULL ||
			    p != at.st.raw + at.st.rawlen ||
			    ASN1_TIME_check(st) != 1 ||
			    val_asn1_time(st, &stime) != 0 ||
			    (at.st.tag == T_GENTIME &&
			    stime < 2524608000LL)) {
				/* 2050-01-01: before it, UTCTime. */
				ERR_clear_error();
				val_report_add(rep, &r_stime, "SignerInfo."
				    "signedAttrs.signingTime", NULL);
			} else {
				has_stime = 1;
				if (X509_cmp_time(X509_get0_notBefore(signer),
				    &stime) >= 0 || X509_cmp_time(
				    X509_get0_notAfter(signer), &stime) <= 0) {
					char	 b[VAL_TIME_LEN];

					val_time_format(stime, b);
					val_report_add(rep, &r_validity,
					    "SignerInfo.signedAttrs."
					    "signingTime", "%s", b);
				}
			}
		}
		if (at.has_scv2 == 1)
			check_ess(&at.scv2, signer, rep);
		/* The signature covers DER(SET OF signedAttrs). */
		if ((tbs = malloc(sd.attrs.rawlen)) == NULL)
			goto out;
		memcpy(tbs, sd.attrs.raw, sd.attrs.rawlen);
		tbs[0] = T_SET;
		tb = tbs;
		tl = sd.attrs.rawlen;
	} else {
		/* Without signed attributes: the content itself. */
		tb = cb;
		tl = cl;
	}
	if (kc == K_SM2)
		ok = sig_verify(signer, GW_SIG_SM2, VAL_SM2_ID, VAL_SM2_ID_LEN,
		    tb, tl, sd.sig.c, sd.sig.len);
	else
		ok = plain_verify(signer, md, tb, tl, sd.sig.c, sd.sig.len);
	if (!ok) {
		/* Say so when it is OpenSSL's empty-ID default. */
		if (kc == K_SM2 && sig_verify(signer, GW_SIG_SM2, NULL, 0, tb,
		    tl, sd.sig.c, sd.sig.len))
			val_report_add(rep, &r_sm2_id, "SignerInfo.signature",
			    NULL);
		else
			val_report_add(rep, &r_signature,
			    "SignerInfo.signature", "%s", alg);
	}

	if (info != NULL) {
		if ((info->content = malloc(cl + 1)) == NULL)
			goto out;
		if (cl > 0)
			memcpy(info->content, cb, cl);
		info->content[cl] = '\0';
		info->content_len = cl;
		info->signing_time = stime;
		info->has_signing_time = has_stime;
		info->detached = sd.detached;
		info->certs = sd.certs;
		sd.certs = NULL;
	}
	rc = rep->oom ? -1 : 0;
 out:
	ASN1_TIME_free(st);
	sk_X509_pop_free(sd.certs, X509_free);
	free(tbs);
	free(pem);
	return rc;
}

int
gw_cms_verify(const unsigned char *in, size_t inlen, X509 *pinned,
    struct gw_cms_info *info, struct val_report *rep)
{
	return verify_core(in, inlen, 0, NULL, 0, pinned, info, rep);
}

int
gw_cms_verify_any(const unsigned char *in, size_t inlen,
    const unsigned char *content, size_t contentlen,
    struct gw_cms_info *info, struct val_report *rep)
{
	return verify_core(in, inlen, 1, content, contentlen, NULL, info,
	    rep);
}

/* ------------------------------------------------------------------ */
/* SIGNED{} structures: certificates, CRLs, OCSP responses. */

int
gw_verify_signed(const unsigned char *der, size_t len, EVP_PKEY *key,
    int *empty_id, char *why, size_t whylen)
{
	struct dr		 r, s;
	struct tlv		 outer, tbs, alg, bits, oid;
	const unsigned char	*p;
	const char		*w = NULL;
	ASN1_OBJECT		*obj = NULL;
	const EVP_MD		*md;
	EVP_MD_CTX		*m = NULL;
	EVP_PKEY_CTX		*pc = NULL;
	int			 nid, mdnid, pknid, ok = 0;

	*empty_id = 0;
	r.p = der;
	r.n = len;
	if (dr_next(&r, &outer, &w) != DR_OK || outer.tag != T_SEQ ||
	    r.n != 0) {
		snprintf(why, whylen, "not one DER SEQUENCE");
		return 0;
	}
	dr_init(&s, &outer);
	if (dr_next(&s, &tbs, &w) != DR_OK || tbs.tag != T_SEQ ||
	    dr_next(&s, &alg, &w) != DR_OK || parse_alg(&alg, &oid) != 0 ||
	    dr_next(&s, &bits, &w) != DR_OK || bits.tag != 0x03 ||
	    bits.len < 2 || bits.c[0] != 0) {
		snprintf(why, whylen, "not tbs, algorithm, signature");
		return 0;
	}
	p = oid.raw;
	if ((obj = d2i_ASN1_OBJECT(NULL, &p, (long)oid.rawlen)) == NULL ||
	    (nid = OBJ_obj2nid(obj)) == NID_undef) {
		snprintf(why, whylen, "unknown signature algorithm");
		goto out;
	}
	if (nid == NID_SM2_with_SM3) {
		if (!EVP_PKEY_is_a(key, "SM2")) {
			snprintf(why, whylen, "SM2 signature, key is not SM2");
			goto out;
		}
		if (sig_verify_key(key, GW_SIG_SM2, VAL_SM2_ID,
		    VAL_SM2_ID_LEN, tbs.raw, tbs.rawlen, bits.c + 1,
		    bits.len - 1)) {
			ok = 1;
			goto out;
		}
		*empty_id = sig_verify_key(key, GW_SIG_SM2, NULL, 0, tbs.raw,
		    tbs.rawlen, bits.c + 1, bits.len - 1);
		snprintf(why, whylen, "%s", *empty_id ? "SM2 signature made "
		    "with the empty ID" : "SM2 signature does not verify");
		goto out;
	}
	if (!OBJ_find_sigid_algs(nid, &mdnid, &pknid) || mdnid == NID_undef ||
	    (md = EVP_get_digestbynid(mdnid)) == NULL) {
		snprintf(why, whylen, "unsupported signature algorithm %s",
		    OBJ_nid2sn(nid));
		goto out;
	}
	if ((m = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(m, &pc, md, NULL, key) != 1 ||
	    EVP_DigestVerify(m, bits.c + 1, bits.len - 1, tbs.raw,
	    tbs.rawlen) != 1) {
		snprintf(why, whylen, "%s signature does not verify",
		    OBJ_nid2sn(nid));
		goto out;
	}
	ok = 1;
 out:
	ERR_clear_error();
	EVP_MD_CTX_free(m);
	ASN1_OBJECT_free(obj);
	return ok;
}

int
gw_ocsp_basic_der(const unsigned char *der, size_t len,
    const unsigned char **basic, size_t *blen)
{
	struct dr	 r, s;
	struct tlv	 t, st, rb, seq, oid, oct;
	const char	*w;

	r.p = der;
	r.n = len;
	if (dr_next(&r, &t, &w) != DR_OK || t.tag != T_SEQ || r.n != 0)
		return -1;
	dr_init(&s, &t);
	if (dr_next(&s, &st, &w) != DR_OK || st.tag != 0x0a ||
	    dr_next(&s, &rb, &w) != DR_OK || rb.tag != T_CTX0 || s.n != 0)
		return -1;
	dr_init(&s, &rb);
	if (dr_next(&s, &seq, &w) != DR_OK || seq.tag != T_SEQ || s.n != 0)
		return -1;
	dr_init(&s, &seq);
	if (dr_next(&s, &oid, &w) != DR_OK || oid.tag != T_OID ||
	    dr_next(&s, &oct, &w) != DR_OK || oct.tag != T_OCTETS ||
	    s.n != 0)
		return -1;
	*basic = oct.c;
	*blen = oct.len;
	return 0;
}
