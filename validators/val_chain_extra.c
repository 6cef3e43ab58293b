/*
 * val_chain_extra.c: chain checks OpenSSL 3.0's X509_verify_cert() misses,
 * and the caller's purpose (peer name, EKU, key usage, depth).
 *
 * Input: a chain OpenSSL built (val_chain_check() calls this when the
 * path reaches an anchor), leaf first, trust anchor last, and a struct
 * val_purpose.  Output: findings.  Pure: no I/O, no clock, no logging;
 * `at` is accepted for symmetry (OpenSSL checked the validity periods).
 *
 * Always, on every certificate of the chain:
 *   - serial number positive and at most 20 octets (not on the anchor:
 *     real roots have serial 0);
 *   - an undecodable public key, SAN, name constraints, EKU, AKI or AIA
 *     (unless OpenSSL flagged the certificate invalid itself);
 *   - SAN names: dNSName in preferred name syntax (a wildcard only as the
 *     whole left-most label), iPAddress of 4 or 16 octets, rfc822Name a
 *     mailbox;
 *   - name constraints: only in CA certificates, critical (not required
 *     with VAL_PURPOSE_WEBPKI: CA/B BR 7.1.2.5.2), not empty, each
 *     dNSName / iPAddress / rfc822Name base well formed; and a wildcard
 *     dNSName in the leaf that would admit an excluded name
 *     (CVE-2025-61727: *.example.com under an excluded bar.example.com,
 *     which OpenSSL compares literally and lets through);
 *   - extKeyUsage not empty, authorityInfoAccess not empty;
 *   - a trust anchor that is not self-signed and has no AKI keyIdentifier
 *     (a warning: anchors are trusted as given, RFC 5280 6.1.1 (d)).
 * With VAL_PURPOSE_STRICT, the structural rules X509_V_FLAG_X509_STRICT
 * checks, as errors (val_chain.c reports OpenSSL's as warnings only, since
 * real Chinese roots break them): version 3 when extensions are present,
 * non-empty issuer, empty subject only with a critical SAN, SAN not empty,
 * AKI non-critical and present with keyIdentifier unless self-signed, SKI
 * non-critical and present in CAs, CA basicConstraints critical,
 * policyConstraints critical (not in X509_STRICT; PKITS breaks it),
 * pathLenConstraint only with cA and keyCertSign, keyCertSign only with
 * cA, no explicit EC parameters.
 * Purpose (struct val_purpose, only the fields that are set):
 *   - DNS name, IP address, e-mail address against the leaf's SAN only
 *     (RFC 9525: never the subject CN); a wildcard stands for one whole
 *     left-most label and needs two labels after it; e-mail local parts
 *     compare exactly, host parts without ASCII case;
 *   - required EKU OIDs in the leaf (an absent EKU and anyExtendedKeyUsage
 *     allow every purpose) and in every CA certificate that has an EKU,
 *     except serverAuth and clientAuth, whose CA side OpenSSL's purposes
 *     check in val_chain.c;
 *   - required keyUsage bits in the leaf (an absent keyUsage allows all);
 *   - with VAL_PURPOSE_MAX_DEPTH, at most max_depth intermediates, self-
 *     issued ones not counted (RFC 5280 6.1.4 (l); OpenSSL's depth counts
 *     them).
 * With VAL_PURPOSE_WEBPKI, the CA/Browser Forum TLS Baseline Requirements
 * on top: version 3 everywhere, root AKI shape and no root EKU, a leaf
 * with SAN (non-critical unless the subject is empty), EKU (non-critical,
 * no anyExtendedKeyUsage), without cA or keyCertSign, each subject CN a
 * character copy of a SAN entry (addresses as RFC 3986 / RFC 5952 text),
 * and only RSA (>= 2048 bits, a multiple of 8) or ECDSA P-256, P-384,
 * P-521 keys.
 *
 * Ignored on purpose: validity periods, signatures, revocation, and
 * matching names against constraints, which X509_verify_cert() does.
 * Known gaps: no public suffix list (a wildcard over a multi-label public
 * suffix such as *.co.uk passes); quoted local parts and address literals
 * in e-mail addresses are accepted without further checks; IDNA U-labels
 * are compared bytewise.
 *
 * val_crl_extra() checks one CRL: cRLNumber present (an error: RFC 5280
 * 5.2.3 MUST; OpenSSL uses CRLs without one) and authorityKeyIdentifier
 * present (a warning).  val_chain_check() calls it on each CRL OpenSSL
 * uses.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "val.h"

#define CITE	"RFC 5280 "
#define BR	"CA/B Forum BR "

enum {
	R_EXT_MALFORMED,
	R_KEY_UNDECODABLE,
	R_VERSION,
	R_SERIAL_SIGN,
	R_SERIAL_LONG,
	R_ISSUER_EMPTY,
	R_SUBJECT_EMPTY,
	R_SAN_NOT_CRITICAL,
	R_SAN_EMPTY,
	R_SAN_DNS,
	R_SAN_IP,
	R_SAN_EMAIL,
	R_AKI_CRITICAL,
	R_AKI_MISSING,
	R_ANCHOR_AKI_MISSING,
	R_SKI_CRITICAL,
	R_SKI_MISSING,
	R_CA_BC_NOT_CRITICAL,
	R_PATHLEN_NOT_CA,
	R_CERTSIGN_NOT_CA,
	R_NC_NOT_CA,
	R_NC_NOT_CRITICAL,
	R_NC_EMPTY,
	R_NC_DNS,
	R_NC_IP,
	R_NC_EMAIL,
	R_NC_WILDCARD,
	R_NC_TOO_COMPLEX,
	R_EKU_EMPTY,
	R_PC_NOT_CRITICAL,
	R_AIA_EMPTY,
	R_EC_EXPLICIT,
	R_DEPTH,
	R_PEER_INVALID,
	R_PEER_DNS,
	R_PEER_IP,
	R_PEER_EMAIL,
	R_EKU_MISSING,
	R_EKU_CA,
	R_KU_MISSING,
	R_BR_VERSION,
	R_BR_ROOT_AKI_KEYID,
	R_BR_ROOT_AKI_ISSUER,
	R_BR_ROOT_EKU,
	R_BR_EE_EKU_MISSING,
	R_BR_EE_EKU_CRITICAL,
	R_BR_EE_EKU_ANY,
	R_BR_EE_CA,
	R_BR_EE_CERTSIGN,
	R_BR_EE_SAN_MISSING,
	R_BR_SAN_CRITICAL,
	R_BR_CN,
	R_BR_KEY_TYPE,
	R_BR_RSA_SIZE,
	R_BR_EC_CURVE,
	R_CRL_NUMBER_MISSING,
	R_CRL_AKI_MISSING,
	R__COUNT
};

static const struct val_rule rules[R__COUNT] = {
	[R_EXT_MALFORMED] = { "CHAIN-EXT-MALFORMED", VAL_ERROR,
	    CITE "4.2", "extension cannot be decoded or occurs twice" },
	[R_KEY_UNDECODABLE] = { "CHAIN-KEY-UNDECODABLE", VAL_ERROR,
	    CITE "4.1.2.7", "subject public key cannot be decoded" },
	[R_VERSION] = { "CHAIN-VERSION", VAL_ERROR,
	    CITE "4.1.2.1", "extensions present but version is not 3" },
	[R_SERIAL_SIGN] = { "CHAIN-SERIAL-NOT-POSITIVE", VAL_ERROR,
	    CITE "4.1.2.2", "serial number is zero or negative" },
	[R_SERIAL_LONG] = { "CHAIN-SERIAL-TOO-LONG", VAL_ERROR,
	    CITE "4.1.2.2", "serial number longer than 20 octets" },
	[R_ISSUER_EMPTY] = { "CHAIN-ISSUER-EMPTY", VAL_ERROR,
	    CITE "4.1.2.4", "issuer name is empty" },
	[R_SUBJECT_EMPTY] = { "CHAIN-SUBJECT-EMPTY", VAL_ERROR,
	    CITE "4.1.2.6",
	    "subject is empty in a CA certificate or without a SAN" },
	[R_SAN_NOT_CRITICAL] = { "CHAIN-SAN-NOT-CRITICAL", VAL_ERROR,
	    CITE "4.2.1.6", "subject is empty but the SAN is not critical" },
	[R_SAN_EMPTY] = { "CHAIN-SAN-EMPTY", VAL_ERROR,
	    CITE "4.2.1.6", "subjectAltName holds no names" },
	[R_SAN_DNS] = { "CHAIN-SAN-DNS-SYNTAX", VAL_ERROR,
	    CITE "4.2.1.6", "SAN dNSName is not in preferred name syntax" },
	[R_SAN_IP] = { "CHAIN-SAN-IP-LENGTH", VAL_ERROR,
	    CITE "4.2.1.6", "SAN iPAddress is not 4 or 16 octets" },
	[R_SAN_EMAIL] = { "CHAIN-SAN-EMAIL-SYNTAX", VAL_ERROR,
	    CITE "4.2.1.6", "SAN rfc822Name is not a mailbox" },
	[R_AKI_CRITICAL] = { "CHAIN-AKI-CRITICAL", VAL_ERROR,
	    CITE "4.2.1.1", "authorityKeyIdentifier is critical" },
	[R_AKI_MISSING] = { "CHAIN-AKI-MISSING", VAL_ERROR,
	    CITE "4.2.1.1",
	    "not self-signed but no authorityKeyIdentifier keyIdentifier" },
	[R_ANCHOR_AKI_MISSING] = { "CHAIN-ANCHOR-AKI-MISSING", VAL_WARN,
	    CITE "4.2.1.1",
	    "trust anchor not self-signed and without AKI keyIdentifier" },
	[R_SKI_CRITICAL] = { "CHAIN-SKI-CRITICAL", VAL_ERROR,
	    CITE "4.2.1.2", "subjectKeyIdentifier is critical" },
	[R_SKI_MISSING] = { "CHAIN-SKI-MISSING", VAL_ERROR,
	    CITE "4.2.1.2", "CA certificate without subjectKeyIdentifier" },
	[R_CA_BC_NOT_CRITICAL] = { "CHAIN-CA-BC-NOT-CRITICAL", VAL_ERROR,
	    CITE "4.2.1.9", "CA certificate's basicConstraints not critical" },
	[R_PATHLEN_NOT_CA] = { "CHAIN-PATHLEN-NOT-CA", VAL_ERROR,
	    CITE "4.2.1.9",
	    "pathLenConstraint without cA or without keyCertSign" },
	[R_CERTSIGN_NOT_CA] = { "CHAIN-CERTSIGN-NOT-CA", VAL_ERROR,
	    CITE "4.2.1.9", "keyCertSign asserted but cA is not" },
	[R_NC_NOT_CA] = { "CHAIN-NC-NOT-CA", VAL_ERROR,
	    CITE "4.2.1.10", "name constraints in a non-CA certificate" },
	[R_NC_NOT_CRITICAL] = { "CHAIN-NC-NOT-CRITICAL", VAL_ERROR,
	    CITE "4.2.1.10", "name constraints extension is not critical" },
	[R_NC_EMPTY] = { "CHAIN-NC-EMPTY", VAL_ERROR,
	    CITE "4.2.1.10", "name constraints without subtrees, or empty" },
	[R_NC_DNS] = { "CHAIN-NC-DNS-SYNTAX", VAL_ERROR,
	    CITE "4.2.1.10", "dNSName constraint is not a valid host name" },
	[R_NC_IP] = { "CHAIN-NC-IP-SYNTAX", VAL_ERROR,
	    CITE "4.2.1.10",
	    "iPAddress constraint is not address and contiguous mask" },
	[R_NC_EMAIL] = { "CHAIN-NC-EMAIL-SYNTAX", VAL_ERROR,
	    CITE "4.2.1.10",
	    "rfc822Name constraint is not a mailbox, host or domain" },
	[R_NC_WILDCARD] = { "CHAIN-NC-WILDCARD-EXCLUDED", VAL_ERROR,
	    CITE "4.2.1.10, RFC 9525 6.3",
	    "wildcard SAN would match a name the chain excludes" },
	[R_NC_TOO_COMPLEX] = { "CHAIN-NC-TOO-COMPLEX", VAL_ERROR,
	    CITE "4.2.1.10",
	    "too many SAN names times excluded subtrees to check" },
	[R_EKU_EMPTY] = { "CHAIN-EKU-EMPTY", VAL_ERROR,
	    CITE "4.2.1.12", "extKeyUsage lists no purpose" },
	[R_PC_NOT_CRITICAL] = { "CHAIN-PC-NOT-CRITICAL", VAL_ERROR,
	    CITE "4.2.1.11", "policyConstraints is not critical" },
	[R_AIA_EMPTY] = { "CHAIN-AIA-EMPTY", VAL_ERROR,
	    CITE "4.2.2.1", "authorityInfoAccess holds no access description" },
	[R_EC_EXPLICIT] = { "CHAIN-EC-EXPLICIT-CURVE", VAL_ERROR,
	    "RFC 5480 2.1.1", "EC key with explicit curve parameters" },
	[R_DEPTH] = { "CHAIN-MAX-INTERMEDIATES", VAL_ERROR,
	    CITE "6.1.4 (l)",
	    "more intermediates than allowed (self-issued not counted)" },
	[R_PEER_INVALID] = { "CHAIN-PEER-NAME-INVALID", VAL_ERROR,
	    "RFC 9525 6.2", "the expected peer name is not well formed" },
	[R_PEER_DNS] = { "CHAIN-PEER-DNS-MISMATCH", VAL_ERROR,
	    "RFC 9525 6.4", "no SAN dNSName matches the expected host" },
	[R_PEER_IP] = { "CHAIN-PEER-IP-MISMATCH", VAL_ERROR,
	    "RFC 9525 6.5", "no SAN iPAddress matches the expected address" },
	[R_PEER_EMAIL] = { "CHAIN-PEER-EMAIL-MISMATCH", VAL_ERROR,
	    CITE "7.5", "no SAN rfc822Name matches the expected address" },
	[R_EKU_MISSING] = { "CHAIN-EKU-MISSING", VAL_ERROR,
	    CITE "4.2.1.12", "leaf extKeyUsage lacks a required purpose" },
	[R_KU_MISSING] = { "CHAIN-KU-MISSING", VAL_ERROR,
	    CITE "4.2.1.3", "leaf keyUsage lacks a required bit" },
	[R_EKU_CA] = { "CHAIN-EKU-CA-EXCLUDES", VAL_ERROR,
	    CITE "4.2.1.12",
	    "a CA's extKeyUsage excludes a required purpose (chaining)" },
	[R_BR_VERSION] = { "CHAIN-BR-NOT-V3", VAL_ERROR,
	    BR "7.1.1", "certificate is not version 3" },
	[R_BR_ROOT_AKI_KEYID] = { "CHAIN-BR-ROOT-AKI-KEYID", VAL_ERROR,
	    BR "7.1.2.1.3",
	    "root AKI without keyIdentifier or not equal to the SKI" },
	[R_BR_ROOT_AKI_ISSUER] = { "CHAIN-BR-ROOT-AKI-ISSUER", VAL_ERROR,
	    BR "7.1.2.1.3",
	    "root AKI has authorityCertIssuer or authorityCertSerialNumber" },
	[R_BR_ROOT_EKU] = { "CHAIN-BR-ROOT-EKU", VAL_ERROR,
	    BR "7.1.2.1.2", "root certificate has extKeyUsage" },
	[R_BR_EE_EKU_MISSING] = { "CHAIN-BR-EE-EKU-MISSING", VAL_ERROR,
	    BR "7.1.2.7.6", "subscriber certificate without extKeyUsage" },
	[R_BR_EE_EKU_CRITICAL] = { "CHAIN-BR-EE-EKU-CRITICAL", VAL_ERROR,
	    BR "7.1.2.7.6", "subscriber extKeyUsage is critical" },
	[R_BR_EE_EKU_ANY] = { "CHAIN-BR-EE-EKU-ANY", VAL_ERROR,
	    BR "7.1.2.7.10", "subscriber extKeyUsage has anyExtendedKeyUsage" },
	[R_BR_EE_CA] = { "CHAIN-BR-EE-CA", VAL_ERROR,
	    BR "7.1.2.7.8", "subscriber certificate has cA TRUE" },
	[R_BR_EE_CERTSIGN] = { "CHAIN-BR-EE-KU-CERTSIGN", VAL_ERROR,
	    BR "7.1.2.7.11", "subscriber keyUsage has keyCertSign" },
	[R_BR_EE_SAN_MISSING] = { "CHAIN-BR-EE-SAN-MISSING", VAL_ERROR,
	    BR "7.1.2.7.12", "subscriber certificate without subjectAltName" },
	[R_BR_SAN_CRITICAL] = { "CHAIN-BR-SAN-CRITICAL", VAL_ERROR,
	    BR "7.1.2.7.12", "SAN critical although the subject is not empty" },
	[R_BR_CN] = { "CHAIN-BR-CN-NOT-IN-SAN", VAL_ERROR,
	    BR "7.1.4.3", "subject CN is not a copy of a SAN entry" },
	[R_BR_KEY_TYPE] = { "CHAIN-BR-KEY-TYPE", VAL_ERROR,
	    BR "6.1.5", "public key is neither RSA nor ECDSA" },
	[R_BR_RSA_SIZE] = { "CHAIN-BR-RSA-SIZE", VAL_ERROR,
	    BR "6.1.5", "RSA modulus under 2048 bits or not a multiple of 8" },
	[R_BR_EC_CURVE] = { "CHAIN-BR-EC-CURVE", VAL_ERROR,
	    BR "6.1.5", "EC key not on P-256, P-384 or P-521" },
	[R_CRL_NUMBER_MISSING] = { "CHAIN-CRL-NUMBER-MISSING", VAL_ERROR,
	    CITE "5.2.3", "CRL without cRLNumber" },
	[R_CRL_AKI_MISSING] = { "CHAIN-CRL-AKI-MISSING", VAL_WARN,
	    CITE "5.2.1", "CRL without authorityKeyIdentifier" },
};

#define OID_ANY_EKU	"2.5.29.37.0"

/* One decoded extension of one certificate. */
struct ext {
	void	*v;	/* owned, NULL when absent or undecodable */
	int	 present;
	int	 crit;
};

/* What the checks read of one certificate, decoded once. */
struct cert {
	X509		*x;
	int		 i;
	char		 where[24];
	uint32_t	 fl;	/* X509_get_extension_flags() */
	int		 ca;	/* basicConstraints cA asserted */
	int		 leaf, anchor;
	struct ext	 san, nc, eku, aki, aia;
};

/* Adds a finding for rule r at certificate c. */
static void
add(struct val_report *rep, int r, const struct cert *c,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add(struct val_report *rep, int r, const struct cert *c, const char *fmt,
    ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)val_report_addv(rep, &rules[r], c != NULL ? c->where : "chain",
	    fmt, ap);
	va_end(ap);
}

static void
ext_load(struct cert *c, int nid, struct ext *e, struct val_report *rep)
{
	int	 crit = -1;

	e->v = X509_get_ext_d2i(c->x, nid, &crit, NULL);
	if (crit == -1)
		return;
	e->present = 1;
	e->crit = crit > 0;
	/* OpenSSL reports what it marks invalid (CHAIN-EXT-INVALID). */
	if ((e->v == NULL || crit == -2) && (c->fl & EXFLAG_INVALID) == 0)
		add(rep, R_EXT_MALFORMED, c, "%s", OBJ_nid2sn(nid));
}

static void
cert_free(struct cert *c)
{
	GENERAL_NAMES_free(c->san.v);
	NAME_CONSTRAINTS_free(c->nc.v);
	EXTENDED_KEY_USAGE_free(c->eku.v);
	AUTHORITY_KEYID_free(c->aki.v);
	AUTHORITY_INFO_ACCESS_free(c->aia.v);
}

/* Criticality of an extension read without decoding: -1 when absent. */
static int
ext_crit(X509 *x, int nid)
{
	int	 idx;

	if ((idx = X509_get_ext_by_NID(x, nid, -1)) < 0)
		return -1;
	return X509_EXTENSION_get_critical(X509_get_ext(x, idx)) > 0;
}

/*
 * Names.
 */

/*
 * Preferred name syntax (RFC 1034 3.5 as relaxed by RFC 1123 2.1): labels
 * of letters, digits and hyphens, 1 to 63 octets, no hyphen at either
 * end, 253 octets at most, no trailing dot.  With wildcard, the left-most
 * label may be exactly "*" when at least one label follows.
 */
static int
dns_ok(const unsigned char *s, size_t n, int wildcard)
{
	size_t	 i, start;

	if (n == 0 || n > 253)
		return 0;
	if (wildcard && n >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		n -= 2;
		if (n == 0)
			return 0;
	}
	start = 0;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == start || i - start > 63)
				return 0;
			if (s[start] == '-' || s[i - 1] == '-')
				return 0;
			start = i + 1;
			continue;
		}
		if (!isalnum(s[i]) || s[i] > 0x7f) {
			if (s[i] != '-')
				return 0;
		}
	}
	return 1;
}

static int
atext(unsigned char ch)
{
	return ch < 0x80 && (isalnum(ch) ||
	    strchr("!#$%&'*+-/=?^_`{|}~", ch) != NULL) && ch != '\0';
}

/* An RFC 5321 Mailbox: dot-atom or quoted local part, '@', domain. */
static int
mailbox_ok(const unsigned char *s, size_t n)
{
	size_t	 i, at;

	if (n == 0)
		return 0;
	if (s[0] == '"') {
		for (i = 1; i < n && s[i] != '"'; i++) {
			if (s[i] == '\\')
				i++;
			else if (s[i] < 0x20 || s[i] > 0x7e)
				return 0;
		}
		if (i >= n || i + 1 >= n || s[i + 1] != '@')
			return 0;
		at = i + 1;
	} else {
		for (i = 0; i < n && s[i] != '@'; i++) {
			if (s[i] == '.') {
				if (i == 0 || s[i - 1] == '.')
					return 0;
			} else if (!atext(s[i]))
				return 0;
		}
		if (i == 0 || i >= n || s[i - 1] == '.')
			return 0;
		at = i;
	}
	if (n - at - 1 >= 2 && s[at + 1] == '[' && s[n - 1] == ']')
		return 1;	/* address literal; not parsed further */
	return dns_ok(s + at + 1, n - at - 1, 0);
}

static int
ascii_casecmp_n(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return 1;
	return 0;
}

/*
 * Does presented identifier p (a SAN dNSName) match host h?  ASCII case
 * is ignored; a wildcard stands for exactly one whole left-most label and
 * needs at least two labels after it (RFC 9525 6.4.3).
 */
static int
dns_match(const unsigned char *p, size_t pn, const unsigned char *h,
    size_t hn)
{
	const unsigned char	*dot;

	if (pn >= 2 && p[0] == '*' && p[1] == '.') {
		p += 2;
		pn -= 2;
		if (memchr(p, '.', pn) == NULL)
			return 0;
		if ((dot = memchr(h, '.', hn)) == NULL || dot == h)
			return 0;
		hn -= (size_t)(dot + 1 - h);
		h = dot + 1;
	}
	return pn == hn && ascii_casecmp_n(p, h, pn) == 0;
}

/* Text of an IP address as RFC 3986 (IPv4) or RFC 5952 (IPv6) writes it. */
static void
ip_text(const unsigned char *a, int n, char *buf, size_t len)
{
	unsigned	 g[8];
	int		 i, best = -1, bestn = 0, run, cur;
	size_t		 o = 0;

	buf[0] = '\0';
	if (n == 4) {
		snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return;
	}
	if (n != 16)
		return;
	for (i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 &&
	    g[5] == 0xffff) {
		snprintf(buf, len, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14],
		    a[15]);
		return;
	}
	for (i = 0; i < 8; i = cur + run) {
		cur = i;
		for (run = 0; cur + run < 8 && g[cur + run] == 0; run++)
			;
		if (run > bestn) {
			best = cur;
			bestn = run;
		}
		if (run == 0)
			run = 1;
	}
	if (bestn < 2)
		best = -1;
	for (i = 0; i < 8 && o < len; i++) {
		if (i == best) {
			o += snprintf(buf + o, len - o, "::");
			i += bestn - 1;
			continue;
		}
		o += snprintf(buf + o, len - o, "%s%x",
		    (i == 0 || i == best + bestn) ? "" : ":", g[i]);
	}
}

/*
 * Per-certificate structure.
 */

static void
check_structure(struct cert *c, int strict, struct val_report *rep)
{
	const ASN1_INTEGER	*sn;
	const unsigned char	*d;
	EVP_PKEY		*pk;
	int			 len, i, zero, octets, explicit_ec;
	GENERAL_NAMES		*san = c->san.v;

	if (strict && X509_get_version(c->x) != X509_VERSION_3 &&
	    X509_get_ext_count(c->x) > 0)
		add(rep, R_VERSION, c, "version %ld",
		    X509_get_version(c->x) + 1);

	/* Not on an anchor: real roots have serial 0 (Starfield G2). */
	sn = X509_get0_serialNumber(c->x);
	len = ASN1_STRING_length(sn);
	d = ASN1_STRING_get0_data(sn);
	for (zero = 1, i = 0; i < len; i++)
		if (d[i] != 0)
			zero = 0;
	if ((ASN1_STRING_type(sn) == V_ASN1_NEG_INTEGER || zero) &&
	    !(c->anchor && !c->leaf))
		add(rep, R_SERIAL_SIGN, c, NULL);
	octets = len + (len > 0 && (d[0] & 0x80) != 0 &&
	    ASN1_STRING_type(sn) != V_ASN1_NEG_INTEGER);
	if (octets > 20 && !(c->anchor && !c->leaf))
		add(rep, R_SERIAL_LONG, c, "%d octets", octets);

	if (strict && X509_NAME_entry_count(X509_get_issuer_name(c->x)) == 0)
		add(rep, R_ISSUER_EMPTY, c, NULL);
	if (strict &&
	    X509_NAME_entry_count(X509_get_subject_name(c->x)) == 0) {
		if (c->ca || !c->san.present)
			add(rep, R_SUBJECT_EMPTY, c, NULL);
		else if (!c->san.crit)
			add(rep, R_SAN_NOT_CRITICAL, c, NULL);
	}

	if ((pk = X509_get0_pubkey(c->x)) == NULL)
		add(rep, R_KEY_UNDECODABLE, c, NULL);
	else if (strict && EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC) {
		explicit_ec = 0;
		if (EVP_PKEY_get_int_param(pk,
		    OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS,
		    &explicit_ec) && explicit_ec)
			add(rep, R_EC_EXPLICIT, c, NULL);
	}

	if (strict && san != NULL && sk_GENERAL_NAME_num(san) == 0)
		add(rep, R_SAN_EMPTY, c, NULL);
	for (i = 0; san != NULL && i < sk_GENERAL_NAME_num(san); i++) {
		GENERAL_NAME	*gn = sk_GENERAL_NAME_value(san, i);
		ASN1_STRING	*s;

		switch (gn->type) {
		case GEN_DNS:
			s = gn->d.dNSName;
			if (!dns_ok(ASN1_STRING_get0_data(s),
			    (size_t)ASN1_STRING_length(s), 1))
				add(rep, R_SAN_DNS, c, "%.*s",
				    ASN1_STRING_length(s),
				    ASN1_STRING_get0_data(s));
			break;
		case GEN_IPADD:
			s = gn->d.iPAddress;
			if (ASN1_STRING_length(s) != 4 &&
			    ASN1_STRING_length(s) != 16)
				add(rep, R_SAN_IP, c, "%d octets",
				    ASN1_STRING_length(s));
			break;
		case GEN_EMAIL:
			s = gn->d.rfc822Name;
			if (!mailbox_ok(ASN1_STRING_get0_data(s),
			    (size_t)ASN1_STRING_length(s)))
				add(rep, R_SAN_EMAIL, c, "%.*s",
				    ASN1_STRING_length(s),
				    ASN1_STRING_get0_data(s));
			break;
		default:
			break;
		}
	}

	if (c->eku.v != NULL && sk_ASN1_OBJECT_num(c->eku.v) == 0)
		add(rep, R_EKU_EMPTY, c, NULL);
	/* PKITS's valid paths have non-critical ones: an issuer rule. */
	if (strict && ext_crit(c->x, NID_policy_constraints) == 0)
		add(rep, R_PC_NOT_CRITICAL, c, NULL);
	if (c->aia.v != NULL &&
	    sk_ACCESS_DESCRIPTION_num(c->aia.v) == 0)
		add(rep, R_AIA_EMPTY, c, NULL);
}

static void
check_keyids(struct cert *c, int strict, struct val_report *rep)
{
	AUTHORITY_KEYID	*aki = c->aki.v;
	int		 ski_crit, anchor = c->anchor && !c->leaf;

	if (strict && c->aki.present && c->aki.crit)
		add(rep, R_AKI_CRITICAL, c, NULL);
	/*
	 * An anchor is trusted as configured (RFC 5280 6.1.1 (d)): a
	 * cross-signed one without AKI only gets a warning.
	 */
	if ((c->fl & EXFLAG_SS) == 0 && (strict || anchor) &&
	    X509_get_version(c->x) == X509_VERSION_3 &&
	    (!c->aki.present || (aki != NULL && aki->keyid == NULL)))
		add(rep, anchor ? R_ANCHOR_AKI_MISSING : R_AKI_MISSING, c,
		    NULL);
	if (!strict)
		return;
	ski_crit = ext_crit(c->x, NID_subject_key_identifier);
	if (ski_crit == 1)
		add(rep, R_SKI_CRITICAL, c, NULL);
	if (c->ca && ski_crit == -1)
		add(rep, R_SKI_MISSING, c, NULL);
}

/* basicConstraints and keyUsage of CAs, as X509_V_FLAG_X509_STRICT. */
static void
check_ca(struct cert *c, struct val_report *rep)
{
	uint32_t	 ku = X509_get_key_usage(c->x);

	if (c->ca && ext_crit(c->x, NID_basic_constraints) == 0)
		add(rep, R_CA_BC_NOT_CRITICAL, c, NULL);
	if (X509_get_pathlen(c->x) != -1 && (!c->ca ||
	    (ku & X509v3_KU_KEY_CERT_SIGN) == 0))
		add(rep, R_PATHLEN_NOT_CA, c, NULL);
	if (!c->ca && (c->fl & EXFLAG_KUSAGE) != 0 &&
	    (ku & X509v3_KU_KEY_CERT_SIGN) != 0)
		add(rep, R_CERTSIGN_NOT_CA, c, NULL);
}

static void
check_subtrees(struct cert *c, STACK_OF(GENERAL_SUBTREE) *st,
    struct val_report *rep)
{
	GENERAL_SUBTREE		*t;
	ASN1_STRING		*s;
	const unsigned char	*d;
	int			 i, j, n, bit, seen0;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(st); i++) {
		t = sk_GENERAL_SUBTREE_value(st, i);
		switch (t->base->type) {
		case GEN_DNS:
			s = t->base->d.dNSName;
			n = ASN1_STRING_length(s);
			d = ASN1_STRING_get0_data(s);
			/* An empty constraint is the whole name space. */
			if (n > 0 && !dns_ok(d, (size_t)n, 0))
				add(rep, R_NC_DNS, c, "%.*s", n, d);
			break;
		case GEN_IPADD:
			s = t->base->d.iPAddress;
			n = ASN1_STRING_length(s);
			d = ASN1_STRING_get0_data(s);
			if (n != 8 && n != 32) {
				add(rep, R_NC_IP, c, "%d octets", n);
				break;
			}
			/* The mask (second half) must be ones then zeros. */
			seen0 = 0;
			for (j = n / 2; j < n; j++) {
				for (bit = 7; bit >= 0; bit--) {
					if ((d[j] >> bit & 1) == 0)
						seen0 = 1;
					else if (seen0)
						break;
				}
				if (bit >= 0)
					break;
			}
			if (j < n)
				add(rep, R_NC_IP, c, "non-contiguous mask");
			break;
		case GEN_EMAIL:
			s = t->base->d.rfc822Name;
			n = ASN1_STRING_length(s);
			d = ASN1_STRING_get0_data(s);
			if (n > 0 && memchr(d, '@', (size_t)n) != NULL) {
				if (!mailbox_ok(d, (size_t)n))
					add(rep, R_NC_EMAIL, c, "%.*s", n, d);
			} else if (n > 0 && d[0] == '.') {
				if (!dns_ok(d + 1, (size_t)n - 1, 0))
					add(rep, R_NC_EMAIL, c, "%.*s", n, d);
			} else if (n > 0 && !dns_ok(d, (size_t)n, 0))
				add(rep, R_NC_EMAIL, c, "%.*s", n, d);
			break;
		default:
			break;
		}
	}
}

static void
check_nc(struct cert *c, int webpki, struct val_report *rep)
{
	NAME_CONSTRAINTS	*nc = c->nc.v;
	int			 np, ne;

	if (!c->nc.present)
		return;
	if (!c->ca)
		add(rep, R_NC_NOT_CA, c, NULL);
	/* CA/B BR 7.1.2.5.2 allows a non-critical extension. */
	if (!c->nc.crit && !webpki)
		add(rep, R_NC_NOT_CRITICAL, c, NULL);
	if (nc == NULL)
		return;
	np = nc->permittedSubtrees == NULL ? -1 :
	    sk_GENERAL_SUBTREE_num(nc->permittedSubtrees);
	ne = nc->excludedSubtrees == NULL ? -1 :
	    sk_GENERAL_SUBTREE_num(nc->excludedSubtrees);
	if (np == 0 || ne == 0 || (np < 0 && ne < 0))
		add(rep, R_NC_EMPTY, c, NULL);
	check_subtrees(c, nc->permittedSubtrees, rep);
	check_subtrees(c, nc->excludedSubtrees, rep);
}

/*
 * A wildcard dNSName "*.B" in the leaf stands for every L.B.  When a CA
 * above excludes such a name, OpenSSL compares the literal "*.B" with the
 * constraint, finds no match and accepts; a peer name L.B would then pass.
 */
static void
check_nc_wildcard(struct cert *cs, int n, struct val_report *rep)
{
	GENERAL_NAMES		*san = cs[0].san.v;
	NAME_CONSTRAINTS	*nc;
	GENERAL_SUBTREE		*t;
	const unsigned char	*w, *e, *dot;
	int			 i, j, k, wn, en;
	long long		 pairs = 0;

	if (san == NULL)
		return;
	for (j = 1; j < n; j++)
		if ((nc = cs[j].nc.v) != NULL &&
		    nc->excludedSubtrees != NULL)
			pairs += sk_GENERAL_SUBTREE_num(nc->excludedSubtrees);
	pairs *= sk_GENERAL_NAME_num(san);
	if (pairs > VAL_MAX_NC_PAIRS) {
		add(rep, R_NC_TOO_COMPLEX, &cs[0], "%lld pairs", pairs);
		return;
	}
	for (i = 0; i < sk_GENERAL_NAME_num(san); i++) {
		GENERAL_NAME *gn = sk_GENERAL_NAME_value(san, i);

		if (gn->type != GEN_DNS)
			continue;
		w = ASN1_STRING_get0_data(gn->d.dNSName);
		wn = ASN1_STRING_length(gn->d.dNSName);
		if (wn < 3 || w[0] != '*' || w[1] != '.')
			continue;
		for (j = 1; j < n; j++) {
			if ((nc = cs[j].nc.v) == NULL)
				continue;
			for (k = 0; k < sk_GENERAL_SUBTREE_num(
			    nc->excludedSubtrees); k++) {
				t = sk_GENERAL_SUBTREE_value(
				    nc->excludedSubtrees, k);
				if (t->base->type != GEN_DNS)
					continue;
				e = ASN1_STRING_get0_data(t->base->d.dNSName);
				en = ASN1_STRING_length(t->base->d.dNSName);
				/* e = L.B with one non-empty label L? */
				if (en < 2 || (dot = memchr(e, '.',
				    (size_t)en)) == NULL || dot == e)
					continue;
				if (en - (dot + 1 - e) == wn - 2 &&
				    ascii_casecmp_n(dot + 1, w + 2,
				    (size_t)(wn - 2)) == 0)
					add(rep, R_NC_WILDCARD, &cs[0],
					    "%.*s excluded by %s", wn, w,
					    cs[j].where);
			}
		}
	}
}

/*
 * Purpose.
 */

static void
check_peer(struct cert *leaf, const struct val_purpose *p,
    struct val_report *rep)
{
	GENERAL_NAMES		*san = leaf->san.v;
	GENERAL_NAME		*gn;
	const unsigned char	*d;
	unsigned char		 ip[16];
	size_t			 len, at;
	int			 i, iplen = 0, found;

	if (p->dns_name != NULL) {
		len = strlen(p->dns_name);
		if (!dns_ok((const unsigned char *)p->dns_name, len, 0))
			add(rep, R_PEER_INVALID, leaf, "%s", p->dns_name);
		else {
			found = 0;
			for (i = 0; san != NULL &&
			    i < sk_GENERAL_NAME_num(san) && !found; i++) {
				gn = sk_GENERAL_NAME_value(san, i);
				if (gn->type != GEN_DNS)
					continue;
				d = ASN1_STRING_get0_data(gn->d.dNSName);
				found = dns_match(d, (size_t)ASN1_STRING_length(
				    gn->d.dNSName),
				    (const unsigned char *)p->dns_name, len);
			}
			if (!found)
				add(rep, R_PEER_DNS, leaf, "%s", p->dns_name);
		}
	}
	if (p->ip != NULL) {
		if (inet_pton(AF_INET, p->ip, ip) == 1)
			iplen = 4;
		else if (inet_pton(AF_INET6, p->ip, ip) == 1)
			iplen = 16;
		if (iplen == 0)
			add(rep, R_PEER_INVALID, leaf, "%s", p->ip);
		else {
			found = 0;
			for (i = 0; san != NULL &&
			    i < sk_GENERAL_NAME_num(san) && !found; i++) {
				gn = sk_GENERAL_NAME_value(san, i);
				found = gn->type == GEN_IPADD &&
				    ASN1_STRING_length(gn->d.iPAddress) ==
				    iplen && memcmp(ASN1_STRING_get0_data(
				    gn->d.iPAddress), ip, (size_t)iplen) == 0;
			}
			if (!found)
				add(rep, R_PEER_IP, leaf, "%s", p->ip);
		}
	}
	if (p->email != NULL) {
		len = strlen(p->email);
		if (!mailbox_ok((const unsigned char *)p->email, len)) {
			add(rep, R_PEER_INVALID, leaf, "%s", p->email);
			return;
		}
		at = (size_t)(strrchr(p->email, '@') - p->email);
		found = 0;
		for (i = 0; san != NULL && i < sk_GENERAL_NAME_num(san) &&
		    !found; i++) {
			gn = sk_GENERAL_NAME_value(san, i);
			if (gn->type != GEN_EMAIL ||
			    (size_t)ASN1_STRING_length(gn->d.rfc822Name) != len)
				continue;
			d = ASN1_STRING_get0_data(gn->d.rfc822Name);
			/* Local part exact, host part without ASCII case. */
			found = memcmp(d, p->email, at + 1) == 0 &&
			    ascii_casecmp_n(d + at + 1,
			    (const unsigned char *)p->email + at + 1,
			    len - at - 1) == 0;
		}
		if (!found)
			add(rep, R_PEER_EMAIL, leaf, "%s", p->email);
	}
}

/* Does the EKU list hold oid, or anyExtendedKeyUsage when any is set? */
static int
eku_has(EXTENDED_KEY_USAGE *eku, const ASN1_OBJECT *oid, int any)
{
	int	 i, nid;

	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);

		nid = OBJ_obj2nid(o);
		if (OBJ_cmp(o, oid) == 0 ||
		    (any && nid == NID_anyExtendedKeyUsage))
			return 1;
	}
	return 0;
}

/*
 * The leaf must allow every required purpose: an absent extKeyUsage
 * allows all, anyExtendedKeyUsage too.  EKU chaining: a CA whose
 * extKeyUsage lacks a required purpose (and anyExtendedKeyUsage) may not
 * pass it on.  val_chain.c has OpenSSL's purposes check the CAs for
 * serverAuth and clientAuth (X509_PURPOSE_SSL_*); this covers the CAs for
 * every other purpose.
 */
static int
check_eku(struct cert *cs, int n, const struct val_purpose *p,
    struct val_report *rep)
{
	static const char *const ossl_done[] = {
		"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", NULL
	};
	ASN1_OBJECT	*oid;
	size_t		 k, d;
	int		 j;

	for (k = 0; p->ekus != NULL && p->ekus[k] != NULL; k++) {
		if ((oid = OBJ_txt2obj(p->ekus[k], 1)) == NULL)
			return -1;
		if (cs[0].eku.v != NULL && !eku_has(cs[0].eku.v, oid, 1))
			add(rep, R_EKU_MISSING, &cs[0], "%s", p->ekus[k]);
		for (d = 0; ossl_done[d] != NULL; d++)
			if (strcmp(p->ekus[k], ossl_done[d]) == 0)
				break;
		for (j = 1; j < n && ossl_done[d] == NULL; j++)
			if (cs[j].eku.v != NULL &&
			    !eku_has(cs[j].eku.v, oid, 1))
				add(rep, R_EKU_CA, &cs[j], "%s", p->ekus[k]);
		ASN1_OBJECT_free(oid);
	}
	return 0;
}

static void
check_depth(struct cert *cs, int n, const struct val_purpose *p,
    struct val_report *rep)
{
	unsigned	 count = 0;
	int		 i;

	/* Intermediates lie between the leaf and the anchor. */
	for (i = 1; i < n - 1; i++)
		if ((cs[i].fl & EXFLAG_SI) == 0)
			count++;
	if (count > p->max_depth)
		add(rep, R_DEPTH, NULL, "%u intermediates, at most %u",
		    count, p->max_depth);
}

/*
 * CA/Browser Forum TLS Baseline Requirements.
 */

static void
check_br_key(struct cert *c, struct val_report *rep)
{
	EVP_PKEY	*pk;
	char		 group[64];
	int		 bits;

	if ((pk = X509_get0_pubkey(c->x)) == NULL)
		return;		/* reported as R_KEY_UNDECODABLE */
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		bits = EVP_PKEY_get_bits(pk);
		if (bits < 2048 || bits % 8 != 0)
			add(rep, R_BR_RSA_SIZE, c, "%d bits", bits);
		break;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(pk,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL))
			add(rep, R_BR_EC_CURVE, c, "unnamed curve");
		else if (strcmp(group, "prime256v1") != 0 &&
		    strcmp(group, "secp384r1") != 0 &&
		    strcmp(group, "secp521r1") != 0)
			add(rep, R_BR_EC_CURVE, c, "%s", group);
		break;
	default:
		add(rep, R_BR_KEY_TYPE, c, "%s",
		    OBJ_nid2sn(EVP_PKEY_get_base_id(pk)));
		break;
	}
}

/* Each subject CN must be a character copy of a SAN dNSName or address. */
static void
check_br_cn(struct cert *c, struct val_report *rep)
{
	X509_NAME		*subj = X509_get_subject_name(c->x);
	GENERAL_NAMES		*san = c->san.v;
	GENERAL_NAME		*gn;
	unsigned char		*u;
	char			 txt[64];
	int			 idx = -1, i, un, found;

	while ((idx = X509_NAME_get_index_by_NID(subj, NID_commonName,
	    idx)) >= 0) {
		un = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(
		    X509_NAME_get_entry(subj, idx)));
		if (un < 0) {
			add(rep, R_BR_CN, c, "undecodable CN");
			continue;
		}
		found = 0;
		for (i = 0; san != NULL && i < sk_GENERAL_NAME_num(san) &&
		    !found; i++) {
			gn = sk_GENERAL_NAME_value(san, i);
			if (gn->type == GEN_DNS)
				found = ASN1_STRING_length(gn->d.dNSName) ==
				    un && memcmp(ASN1_STRING_get0_data(
				    gn->d.dNSName), u, (size_t)un) == 0;
			else if (gn->type == GEN_IPADD) {
				ip_text(ASN1_STRING_get0_data(gn->d.iPAddress),
				    ASN1_STRING_length(gn->d.iPAddress), txt,
				    sizeof(txt));
				found = strlen(txt) == (size_t)un &&
				    memcmp(txt, u, (size_t)un) == 0;
			}
		}
		if (!found)
			add(rep, R_BR_CN, c, "%.*s", un, u);
		OPENSSL_free(u);
	}
}

static void
check_br(struct cert *cs, int n, struct val_report *rep)
{
	struct cert		*leaf = &cs[0], *root = &cs[n - 1];
	AUTHORITY_KEYID		*aki;
	const ASN1_OCTET_STRING	*ski;
	int			 i;

	for (i = 0; i < n; i++) {
		if (X509_get_version(cs[i].x) != X509_VERSION_3)
			add(rep, R_BR_VERSION, &cs[i], "version %ld",
			    X509_get_version(cs[i].x) + 1);
		check_br_key(&cs[i], rep);
	}

	if (n > 1 && (root->fl & EXFLAG_SI) != 0) {
		if ((aki = root->aki.v) != NULL) {
			ski = X509_get0_subject_key_id(root->x);
			if (aki->keyid == NULL || ski == NULL ||
			    ASN1_OCTET_STRING_cmp(aki->keyid, ski) != 0)
				add(rep, R_BR_ROOT_AKI_KEYID, root, NULL);
			if (aki->issuer != NULL || aki->serial != NULL)
				add(rep, R_BR_ROOT_AKI_ISSUER, root, NULL);
		}
		if (root->eku.present)
			add(rep, R_BR_ROOT_EKU, root, NULL);
	}

	if (!leaf->eku.present)
		add(rep, R_BR_EE_EKU_MISSING, leaf, NULL);
	else {
		if (leaf->eku.crit)
			add(rep, R_BR_EE_EKU_CRITICAL, leaf, NULL);
		for (i = 0; leaf->eku.v != NULL &&
		    i < sk_ASN1_OBJECT_num(leaf->eku.v); i++)
			if (OBJ_obj2nid(sk_ASN1_OBJECT_value(leaf->eku.v, i))
			    == NID_anyExtendedKeyUsage)
				add(rep, R_BR_EE_EKU_ANY, leaf, NULL);
	}
	if (leaf->ca)
		add(rep, R_BR_EE_CA, leaf, NULL);
	if ((leaf->fl & EXFLAG_KUSAGE) != 0 &&
	    (X509_get_key_usage(leaf->x) & X509v3_KU_KEY_CERT_SIGN) != 0)
		add(rep, R_BR_EE_CERTSIGN, leaf, NULL);
	if (!leaf->san.present)
		add(rep, R_BR_EE_SAN_MISSING, leaf, NULL);
	else if (leaf->san.crit &&
	    X509_NAME_entry_count(X509_get_subject_name(leaf->x)) > 0)
		add(rep, R_BR_SAN_CRITICAL, leaf, NULL);
	check_br_cn(leaf, rep);
}

int
val_chain_extra(STACK_OF(X509) *chain, const struct val_purpose *p,
    time_t at, struct val_report *rep)
{
	static const struct val_purpose	 none;
	struct cert			*cs = NULL;
	uint32_t			 ku;
	int				 n, i, webpki, strict, rc = -1;

	(void)at;
	if (chain == NULL || rep == NULL)
		return -1;
	if (p == NULL)
		p = &none;
	if ((n = sk_X509_num(chain)) <= 0)
		return -1;
	if ((cs = calloc((size_t)n, sizeof(*cs))) == NULL)
		return -1;
	webpki = (p->flags & VAL_PURPOSE_WEBPKI) != 0;
	strict = (p->flags & VAL_PURPOSE_STRICT) != 0;

	for (i = 0; i < n; i++) {
		struct cert *c = &cs[i];

		c->x = sk_X509_value(chain, i);
		c->i = i;
		c->leaf = i == 0;
		c->anchor = i == n - 1;
		snprintf(c->where, sizeof(c->where), "chain[%d]", i);
		c->fl = X509_get_extension_flags(c->x);
		c->ca = (c->fl & EXFLAG_CA) != 0 &&
		    (c->fl & EXFLAG_BCONS) != 0;
		ext_load(c, NID_subject_alt_name, &c->san, rep);
		ext_load(c, NID_name_constraints, &c->nc, rep);
		ext_load(c, NID_ext_key_usage, &c->eku, rep);
		ext_load(c, NID_authority_key_identifier, &c->aki, rep);
		ext_load(c, NID_info_access, &c->aia, rep);
	}

	for (i = 0; i < n; i++) {
		check_structure(&cs[i], strict, rep);
		check_keyids(&cs[i], strict, rep);
		if (strict)
			check_ca(&cs[i], rep);
		check_nc(&cs[i], webpki, rep);
	}
	check_nc_wildcard(cs, n, rep);

	check_peer(&cs[0], p, rep);
	if (check_eku(cs, n, p, rep) == -1)
		goto out;
	if (p->key_usage != 0) {
		ku = X509_get_key_usage(cs[0].x); /* UINT32_MAX: absent */
		if ((ku & p->key_usage) != p->key_usage)
			add(rep, R_KU_MISSING, &cs[0], "need 0x%x, have 0x%x",
			    p->key_usage, ku & 0xffff);
	}
	if ((p->flags & VAL_PURPOSE_MAX_DEPTH) != 0)
		check_depth(cs, n, p, rep);
	if (webpki)
		check_br(cs, n, rep);
	rc = 0;
 out:
	for (i = 0; i < n; i++)
		cert_free(&cs[i]);
	free(cs);
	return rc;
}

int
val_crl_extra(X509_CRL *crl, const char *where, struct val_report *rep)
{
	if (crl == NULL || rep == NULL)
		return -1;
	if (X509_CRL_get_ext_by_NID(crl, NID_crl_number, -1) < 0)
		(void)val_report_add(rep, &rules[R_CRL_NUMBER_MISSING], where,
		    NULL);
	if (X509_CRL_get_ext_by_NID(crl, NID_authority_key_identifier,
	    -1) < 0)
		(void)val_report_add(rep, &rules[R_CRL_AKI_MISSING], where,
		    NULL);
	return 0;
}

const struct val_rule *
val_chain_extra_rules(size_t *n)
{
	*n = R__COUNT;
	return rules;
}
