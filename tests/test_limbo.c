/*
 * test_limbo.c: the x509-limbo suite ($XBRG_SHARED/conformance/limbo/
 * limbo.json, SOURCES.md there) run through xbrg's chain validation.
 *
 * Each case: trusted_certs are the anchors, untrusted_intermediates the
 * pool, peer_certificate the leaf, crls the CRLs, validation_time the time
 * (null: LIMBO_PINNED_TIME, inside every such case's validity), the
 * expected peer name(s), key usage, EKU and max_chain_depth go into a
 * struct val_purpose.  webpki::* cases run with VAL_PURPOSE_WEBPKI (the
 * CA/B Forum TLS rules); every other namespace under RFC 5280 alone.  The
 * suite's three conflicting pairs (rfc5280::X vs webpki::X) are decided
 * that way.  Cases tagged with a feature xbrg does not implement are
 * skipped and counted by feature.
 *
 * The test fails when a case outside the allow-list below gives the wrong
 * result, and when an allow-listed case no longer does (the list is then
 * stale): the numbers in README cannot drift silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/x509v3.h>

#include "val.h"

#define LIMBO_PATH		"conformance/limbo/limbo.json"
#define LIMBO_PINNED_TIME	"2025-01-01T00:00:00Z"
#define LIMBO_MAX_EKUS		8
#define LIMBO_MAX_NAMES		8

/* test_limbo_lenient's pinned counts (without VAL_PURPOSE_STRICT). */
#define LIMBO_LENIENT_PASS	189
#define LIMBO_LENIENT_US	10
#define LIMBO_LENIENT_UF	5
#define LIMBO_LENIENT_SKIP	4

enum outcome {
	O_PASS,
	O_UNEXPECTED_SUCCESS,
	O_UNEXPECTED_FAILURE,
	O_SKIPPED,
	O__COUNT
};

static const char *const outcome_names[O__COUNT] = {
	"pass", "unexpected_success", "unexpected_failure", "skipped"
};

/* Features xbrg implements (through OpenSSL or val_chain_extra). */
static const char *const features_done[] = {
	"has-policy-constraints",	/* OpenSSL; criticality: extra */
	"name-constraint-dn",		/* OpenSSL */
	"pedantic-webpki-subscriber-key", /* CHAIN-BR-KEY-*, RSA, EC */
	"pedantic-webpki-eku",		/* CHAIN-BR-EE-EKU-*, ROOT-EKU */
	"pedantic-serial-number",	/* CHAIN-SERIAL-* */
	"max-chain-depth",		/* CHAIN-DEPTH */
	"rfc5280-incompatible-with-webpki", /* decided by namespace */
	"denial-of-service",		/* OpenSSL's limits */
	"has-crl",			/* OpenSSL; cRLNumber: extra */
	NULL
};

/* Features xbrg does not implement: their cases are skipped. */
static const struct {
	const char	*feature;
	const char	*why;
} features_skipped[] = {
	{ "pedantic-public-suffix-wildcard",
	    "no public suffix list in xbrg" },
	{ "pedantic-rfc5280", "a cross-signed anchor without AKI only "
	    "warns: anchors are trusted as given (RFC 5280 6.1.1 (d)), and "
	    "cve::cve-2024-0567 needs the same shape accepted" },
	{ "has-cert-policies", "limbo gives no initial policy set to test" },
	{ "no-cert-policies", "limbo gives no initial policy set to test" },
	{ NULL, NULL }
};

/*
 * Cases known to give the wrong result, each with its reason.  A case
 * listed here must give exactly this outcome, or the test fails.
 */
static const struct {
	const char	*id;
	enum outcome	 got;
	const char	*why;
} allowed[] = {
	{ "rfc5280::nc::nc-forbids-alternate-chain-ica", O_UNEXPECTED_FAILURE,
	    "OpenSSL 3.0 keeps the first issuer it finds (ICA_B', which "
	    "reaches no anchor) and never tries ICA_B''" },
	{ "rfc5280::nc::nc-forbids-same-chain-ica", O_UNEXPECTED_FAILURE,
	    "OpenSSL 3.0 builds one path (through ICA_A, whose name "
	    "constraints reject it) and does not try the other" },
	{ "webpki::nc::nc-permits-dns-san-pattern", O_UNEXPECTED_FAILURE,
	    "fixture's CN example.com is not in its SAN (*.example.com): "
	    "CHAIN-BR-CN-NOT-IN-SAN, as webpki::cn::not-in-san wants" },
	{ "webpki::san::exact-localhost-ip-san", O_UNEXPECTED_FAILURE,
	    "fixture's CN example.com is not in its SAN (127.0.0.1): "
	    "CHAIN-BR-CN-NOT-IN-SAN, as webpki::cn::not-in-san wants" },
	{ "webpki::san::leftmost-wildcard-san", O_UNEXPECTED_FAILURE,
	    "fixture's CN example.com is not in its SAN (*.example.com): "
	    "CHAIN-BR-CN-NOT-IN-SAN, as webpki::cn::not-in-san wants" },
	{ NULL, O_PASS, NULL }
};

/*
 * Findings pinned per case: the case's report must hold each code (so the
 * suite also shows which check rejects it, and that val_chain_extra()
 * really runs inside val_chain_check()).
 */
static const struct {
	const char	*id;
	const char	*code;
} pinned_codes[] = {
	{ "crl::crlnumber-missing", "CHAIN-CRL-NUMBER-MISSING" },
	{ "rfc5280::serial::zero", "CHAIN-SERIAL-NOT-POSITIVE" },
	{ "rfc5280::serial::negative", "CHAIN-SERIAL-NOT-POSITIVE" },
	{ "rfc5280::serial::too-long", "CHAIN-SERIAL-TOO-LONG" },
	{ "rfc5280::aki::leaf-missing-aki", "CHAIN-AKI-MISSING" },
	{ "rfc5280::aki::critical-aki", "CHAIN-AKI-CRITICAL" },
	{ "cve::cve-2024-0567", "CHAIN-ANCHOR-AKI-MISSING" },
	{ "rfc5280::ski::root-missing-ski", "CHAIN-SKI-MISSING" },
	{ "rfc5280::root-non-critical-basic-constraints",
	    "CHAIN-CA-BC-NOT-CRITICAL" },
	{ "rfc5280::leaf-ku-keycertsign", "CHAIN-CERTSIGN-NOT-CA" },
	{ "rfc5280::ca-empty-subject", "CHAIN-SUBJECT-EMPTY" },
	{ "rfc5280::san::noncritical-with-empty-subject",
	    "CHAIN-SAN-NOT-CRITICAL" },
	{ "rfc5280::san::underscore-dns", "CHAIN-SAN-DNS-SYNTAX" },
	{ "rfc5280::nc::nc-permits-invalid-dns-san", "CHAIN-SAN-DNS-SYNTAX" },
	{ "rfc5280::nc::nc-permits-invalid-email-san",
	    "CHAIN-SAN-EMAIL-SYNTAX" },
	{ "rfc5280::nc::not-allowed-in-ee-critical", "CHAIN-NC-NOT-CA" },
	{ "rfc5280::nc::not-allowed-in-ee-noncritical", "CHAIN-NC-NOT-CA" },
	{ "rfc5280::nc::permitted-dns-match-noncritical",
	    "CHAIN-NC-NOT-CRITICAL" },
	{ "webpki::nc::intermediate-permitted-excluded-subtrees-both-null",
	    "CHAIN-NC-EMPTY" },
	{ "webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-"
	    "sequences", "CHAIN-NC-EMPTY" },
	{ "rfc5280::nc::invalid-dnsname-leading-period",
	    "CHAIN-NC-DNS-SYNTAX" },
	{ "cve::cve-2025-61727", "CHAIN-NC-WILDCARD-EXCLUDED" },
	{ "rfc5280::nc::nc-forbids-dnsname-wildcard-san",
	    "CHAIN-NC-WILDCARD-EXCLUDED" },
	{ "rfc5280::eku::ee-eku-empty", "CHAIN-EKU-EMPTY" },
	{ "rfc5280::pc::ica-noncritical-pc", "CHAIN-PC-NOT-CRITICAL" },
	{ "pathlen::max-chain-depth-0-exhausted", "CHAIN-MAX-INTERMEDIATES" },
	{ "pathlen::max-chain-depth-1-exhausted", "CHAIN-MAX-INTERMEDIATES" },
	{ "webpki::v1-cert", "CHAIN-BR-NOT-V3" },
	{ "webpki::v1-cert", "CHAIN-PEER-DNS-MISMATCH" },
	{ "webpki::san::no-san", "CHAIN-PEER-DNS-MISMATCH" },
	{ "webpki::san::no-san", "CHAIN-BR-EE-SAN-MISSING" },
	{ "webpki::san::wildcard-embedded-leftmost-san",
	    "CHAIN-PEER-DNS-MISMATCH" },
	{ "rfc5280::san::ip-in-dns", "CHAIN-PEER-IP-MISMATCH" },
	{ "webpki::aki::root-with-aki-missing-keyidentifier",
	    "CHAIN-BR-ROOT-AKI-KEYID" },
	{ "webpki::aki::root-with-aki-ski-mismatch",
	    "CHAIN-BR-ROOT-AKI-KEYID" },
	{ "webpki::aki::root-with-aki-authoritycertissuer",
	    "CHAIN-BR-ROOT-AKI-ISSUER" },
	{ "webpki::aki::root-with-aki-authoritycertserialnumber",
	    "CHAIN-BR-ROOT-AKI-ISSUER" },
	{ "webpki::eku::root-has-eku", "CHAIN-BR-ROOT-EKU" },
	{ "webpki::eku::ee-without-eku", "CHAIN-BR-EE-EKU-MISSING" },
	{ "webpki::eku::ee-critical-eku", "CHAIN-BR-EE-EKU-CRITICAL" },
	{ "webpki::eku::ee-anyeku", "CHAIN-BR-EE-EKU-ANY" },
	{ "webpki::ee-basicconstraints-ca", "CHAIN-BR-EE-CA" },
	{ "webpki::ca-as-leaf", "CHAIN-BR-EE-KU-CERTSIGN" },
	{ "webpki::san::san-critical-with-nonempty-subject",
	    "CHAIN-BR-SAN-CRITICAL" },
	{ "webpki::cn::case-mismatch", "CHAIN-BR-CN-NOT-IN-SAN" },
	{ "webpki::cn::not-in-san", "CHAIN-BR-CN-NOT-IN-SAN" },
	{ "webpki::cn::ipv4-hex-mismatch", "CHAIN-BR-CN-NOT-IN-SAN" },
	{ "webpki::cn::ipv6-uppercase-mismatch", "CHAIN-BR-CN-NOT-IN-SAN" },
	{ "webpki::cn::ipv6-non-rfc5952-mismatch", "CHAIN-BR-CN-NOT-IN-SAN" },
	{ "webpki::cn::utf8-vs-punycode-mismatch", "CHAIN-BR-CN-NOT-IN-SAN" },
	{ "webpki::forbidden-dsa-leaf", "CHAIN-BR-KEY-TYPE" },
	{ "webpki::forbidden-dsa-root", "CHAIN-BR-KEY-TYPE" },
	{ "webpki::forbidden-rsa-key-not-divisible-by-8-in-leaf",
	    "CHAIN-BR-RSA-SIZE" },
	{ "webpki::forbidden-weak-rsa-in-leaf", "CHAIN-BR-RSA-SIZE" },
	{ "webpki::forbidden-p192-leaf", "CHAIN-BR-EC-CURVE" },
	{ NULL, NULL }
};

struct tally {
	unsigned	 n[O__COUNT];
};

struct ns_tally {
	char		 name[32];
	struct tally	 t;
};

struct run {
	struct tally	 all;
	struct ns_tally	 ns[16];
	size_t		 nns;
	char		*ids[O__COUNT]; /* space-separated case IDs */
	size_t		 idlen[O__COUNT];
	char		*skips;		/* "feature x: n" lines */
	unsigned	 pinned;	/* cases with validation_time null */
	unsigned	 wrong;	/* wrong and not allowed, or stale */
	char		*problems;
	size_t		 problen;
	unsigned char	 fired[128]; /* val_chain_extra rules seen */
};

static void
append(char **buf, size_t *len, const char *fmt, ...)
{
	va_list	 ap;
	char	 tmp[1024];
	int	 n;
	char	*nb;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	if ((nb = realloc(*buf, *len + (size_t)n + 1)) == NULL)
		abort();
	memcpy(nb + *len, tmp, (size_t)n + 1);
	*buf = nb;
	*len += (size_t)n;
}

/*
 * Inputs of one case, parsed.
 */
struct lcase {
	const char		*id;
	struct val_certs	 anchors;
	struct val_certs	 pool;
	struct val_certs	 leaf;	/* exactly one */
	struct val_crls		 crls;
	time_t			 at;
	struct val_purpose	 purpose;
	const char		*ekus[LIMBO_MAX_EKUS + 1];
	const char		*names[LIMBO_MAX_NAMES];
	int			 kinds[LIMBO_MAX_NAMES]; /* 'D', 'I', 'E' */
	size_t			 nnames;
};

static void
lcase_free(struct lcase *c)
{
	val_certs_free(&c->anchors);
	val_certs_free(&c->pool);
	val_certs_free(&c->leaf);
	val_crls_free(&c->crls);
	memset(c, 0, sizeof(*c));
}

/*
 * Loads each PEM string of arr with the project's loaders (strict, as
 * for any input), naming them "ID:field#i".  Returns 0, or -1 with why.
 */
static int
certs_from(const char *id, const char *field, json_t *arr,
    struct val_certs *out, char *why, size_t whylen)
{
	char		 name[256], err[256];
	const char	*pem;
	size_t		 i;
	json_t		*v;

	json_array_foreach(arr, i, v) {
		snprintf(name, sizeof(name), "%s:%s#%zu", id, field, i);
		if ((pem = json_string_value(v)) == NULL ||
		    val_certs_load_mem((const unsigned char *)pem, strlen(pem),
		    name, out, err, sizeof(err)) == -1) {
			snprintf(why, whylen, "%.100s: %.140s", name,
			    pem == NULL ? "not a string" : err);
			return -1;
		}
	}
	return 0;
}

static int
crls_from(const char *id, json_t *arr, struct val_crls *out, char *why,
    size_t whylen)
{
	char		 name[256], err[256];
	const char	*pem;
	size_t		 i;
	json_t		*v;

	json_array_foreach(arr, i, v) {
		snprintf(name, sizeof(name), "%s:crls#%zu", id, i);
		if ((pem = json_string_value(v)) == NULL ||
		    val_crls_load_mem((const unsigned char *)pem, strlen(pem),
		    name, out, err, sizeof(err)) == -1) {
			snprintf(why, whylen, "%.100s: %.140s", name,
			    pem == NULL ? "not a string" : err);
			return -1;
		}
	}
	return 0;
}

static const struct {
	const char	*name;
	const char	*oid;
} eku_names[] = {
	{ "anyExtendedKeyUsage", "2.5.29.37.0" },
	{ "serverAuth", "1.3.6.1.5.5.7.3.1" },
	{ "clientAuth", "1.3.6.1.5.5.7.3.2" },
	{ "codeSigning", "1.3.6.1.5.5.7.3.3" },
	{ "emailProtection", "1.3.6.1.5.5.7.3.4" },
	{ "timeStamping", "1.3.6.1.5.5.7.3.8" },
	{ "OCSPSigning", "1.3.6.1.5.5.7.3.9" },
	{ NULL, NULL }
};

static const struct {
	const char	*name;
	unsigned	 bit;
} ku_names[] = {
	{ "digitalSignature", X509v3_KU_DIGITAL_SIGNATURE },
	{ "contentCommitment", X509v3_KU_NON_REPUDIATION },
	{ "keyEncipherment", X509v3_KU_KEY_ENCIPHERMENT },
	{ "dataEncipherment", X509v3_KU_DATA_ENCIPHERMENT },
	{ "keyAgreement", X509v3_KU_KEY_AGREEMENT },
	{ "keyCertSign", X509v3_KU_KEY_CERT_SIGN },
	{ "cRLSign", X509v3_KU_CRL_SIGN },
	{ "encipherOnly", X509v3_KU_ENCIPHER_ONLY },
	{ "decipherOnly", X509v3_KU_DECIPHER_ONLY },
	{ NULL, 0 }
};

static int
peer_name(struct lcase *c, json_t *pn)
{
	const char	*kind, *value;

	if (!json_is_object(pn) || c->nnames >= LIMBO_MAX_NAMES)
		return -1;
	kind = json_string_value(json_object_get(pn, "kind"));
	value = json_string_value(json_object_get(pn, "value"));
	if (kind == NULL || value == NULL)
		return -1;
	if (strcmp(kind, "DNS") == 0)
		c->kinds[c->nnames] = 'D';
	else if (strcmp(kind, "IP") == 0)
		c->kinds[c->nnames] = 'I';
	else if (strcmp(kind, "RFC822") == 0)
		c->kinds[c->nnames] = 'E';
	else
		return -1;
	c->names[c->nnames++] = value;
	return 0;
}

/*
 * Fills c from testcase tc.  Returns 0, 1 with a reason in why when the
 * case is to be skipped, -1 with a reason on malformed input.
 */
static int
lcase_parse(json_t *tc, struct lcase *c, unsigned flags, char *why,
    size_t whylen)
{
	json_t		*v, *pn;
	const char	*s;
	size_t		 i, j, k;
	int		 known, prc;

	memset(c, 0, sizeof(*c));
	c->id = json_string_value(json_object_get(tc, "id"));
	if (c->id == NULL) {
		snprintf(why, whylen, "testcase without id");
		return -1;
	}
	json_array_foreach(json_object_get(tc, "features"), i, v) {
		s = json_string_value(v);
		for (j = 0; features_skipped[j].feature != NULL; j++)
			if (s != NULL &&
			    strcmp(s, features_skipped[j].feature) == 0) {
				snprintf(why, whylen, "feature %s (%s)", s,
				    features_skipped[j].why);
				return 1;
			}
		for (known = 0, k = 0; features_done[k] != NULL; k++)
			if (s != NULL && strcmp(s, features_done[k]) == 0)
				known = 1;
		if (!known) {
			snprintf(why, whylen, "feature %s (unknown)",
			    s ? s : "?");
			return 1;
		}
	}
	if (json_array_size(json_object_get(tc, "signature_algorithms"))) {
		snprintf(why, whylen, "signature_algorithms (not "
		    "implemented; no case in this limbo.json uses it)");
		return 1;
	}

	if (!json_is_string(json_object_get(tc, "peer_certificate"))) {
		snprintf(why, whylen, "no peer_certificate");
		return -1;
	}
	if ((v = json_pack("[O]", json_object_get(tc,
	    "peer_certificate"))) == NULL)
		abort();	/* out of memory in a test */
	prc = certs_from(c->id, "trusted_certs",
	    json_object_get(tc, "trusted_certs"), &c->anchors, why, whylen);
	if (prc == 0)
		prc = certs_from(c->id, "untrusted_intermediates",
		    json_object_get(tc, "untrusted_intermediates"), &c->pool,
		    why, whylen);
	if (prc == 0)
		prc = certs_from(c->id, "peer_certificate", v, &c->leaf, why,
		    whylen);
	json_decref(v);
	if (prc == 0 && c->leaf.n != 1) {
		snprintf(why, whylen, "peer_certificate holds %zu "
		    "certificates", c->leaf.n);
		prc = -1;
	}
	if (prc == 0)
		prc = crls_from(c->id, json_object_get(tc, "crls"), &c->crls,
		    why, whylen);
	if (prc == -1)
		return -1;

	v = json_object_get(tc, "validation_time");
	s = json_is_string(v) ? json_string_value(v) : LIMBO_PINNED_TIME;
	if (val_time_parse(s, &c->at) == -1) {
		snprintf(why, whylen, "bad validation_time %s", s);
		return -1;
	}

	c->purpose.flags = flags;
	if (strncmp(c->id, "webpki::", 8) == 0)
		c->purpose.flags |= VAL_PURPOSE_WEBPKI;
	v = json_object_get(tc, "max_chain_depth");
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0) {
			snprintf(why, whylen, "negative max_chain_depth");
			return -1;
		}
		c->purpose.flags |= VAL_PURPOSE_MAX_DEPTH;
		c->purpose.max_depth = (unsigned)json_integer_value(v);
	}
	json_array_foreach(json_object_get(tc, "key_usage"), i, v) {
		s = json_string_value(v);
		for (j = 0; ku_names[j].name != NULL; j++)
			if (s != NULL && strcmp(s, ku_names[j].name) == 0)
				break;
		if (ku_names[j].name == NULL) {
			snprintf(why, whylen, "unknown key usage");
			return -1;
		}
		c->purpose.key_usage |= ku_names[j].bit;
	}
	k = 0;
	json_array_foreach(json_object_get(tc, "extended_key_usage"), i, v) {
		s = json_string_value(v);
		if (s == NULL || k >= LIMBO_MAX_EKUS) {
			snprintf(why, whylen, "bad extended_key_usage");
			return -1;
		}
		for (j = 0; eku_names[j].name != NULL; j++)
			if (strcmp(s, eku_names[j].name) == 0)
				s = eku_names[j].oid;
		c->ekus[k++] = s;	/* a known name, or a dotted OID */
	}
	c->ekus[k] = NULL;
	if (k > 0)
		c->purpose.ekus = c->ekus;

	s = json_string_value(json_object_get(tc, "validation_kind"));
	if (s != NULL && strcmp(s, "SERVER") == 0) {
		pn = json_object_get(tc, "expected_peer_name");
		if (!json_is_null(pn) && pn != NULL &&
		    peer_name(c, pn) == -1) {
			snprintf(why, whylen, "bad expected_peer_name");
			return -1;
		}
	} else if (s != NULL && strcmp(s, "CLIENT") == 0) {
		json_array_foreach(json_object_get(tc,
		    "expected_peer_names"), i, pn)
			if (peer_name(c, pn) == -1) {
				snprintf(why, whylen,
				    "bad expected_peer_names");
				return -1;
			}
	} else {
		snprintf(why, whylen, "bad validation_kind");
		return -1;
	}
	return 0;
}

/*
 * The validation xbrg does: val_chain_check() (OpenSSL's path building and
 * RFC 5280 checks, CRLs, then val_chain_extra()).  limbo's trusted_certs
 * are trust anchors even when not self-signed (VAL_CHAIN_PARTIAL), and
 * max_chain_depth goes in the purpose (self-issued CAs not counted), not
 * into OpenSSL's depth.  Returns 1 valid, 0 invalid, -1 when the checks
 * could not run.
 */
static int
limbo_validate(const struct lcase *c, const struct val_purpose *p,
    struct val_report *rep)
{
	struct val_chain_in	 in;

	memset(&in, 0, sizeof(in));
	in.leaf = c->leaf.v[0].x509;
	in.anchors = &c->anchors;
	in.untrusted = &c->pool;
	in.crls = &c->crls;
	in.at = c->at;
	in.purpose = p;
	in.flags = VAL_CHAIN_PARTIAL;
	if (val_chain_check(&in, NULL, rep) == -1)
		return -1;
	return val_report_verdict(rep) != VAL_VERDICT_FAIL;
}

/* Runs one case; every expected peer name must be accepted. */
static int
lcase_run(const struct lcase *c, struct val_report *rep)
{
	struct val_purpose	 p;
	size_t			 i;
	int			 ok = 1;

	p = c->purpose;
	if (c->nnames == 0)
		return limbo_validate(c, &p, rep);
	for (i = 0; i < c->nnames && ok == 1; i++) {
		p = c->purpose;
		if (c->kinds[i] == 'D')
			p.dns_name = c->names[i];
		else if (c->kinds[i] == 'I')
			p.ip = c->names[i];
		else
			p.email = c->names[i];
		ok = limbo_validate(c, &p, rep);
	}
	return ok;
}

static struct tally *
ns_get(struct run *r, const char *id)
{
	const char	*e = strstr(id, "::");
	size_t		 n = e ? (size_t)(e - id) : strlen(id), i;

	if (n >= sizeof(r->ns[0].name))
		n = sizeof(r->ns[0].name) - 1;
	for (i = 0; i < r->nns; i++)
		if (strlen(r->ns[i].name) == n &&
		    strncmp(r->ns[i].name, id, n) == 0)
			return &r->ns[i].t;
	if (r->nns == sizeof(r->ns) / sizeof(r->ns[0]))
		return &r->ns[r->nns - 1].t;
	memcpy(r->ns[r->nns].name, id, n);
	r->ns[r->nns].name[n] = '\0';
	return &r->ns[r->nns++].t;
}

/* Skip reasons, counted. */
struct skipc {
	char		 why[256];
	unsigned	 n;
};

static void
record(struct run *r, const char *id, enum outcome o, const char *detail)
{
	size_t	 i;
	int	 listed = -1;

	r->all.n[o]++;
	ns_get(r, id)->n[o]++;
	if (o != O_PASS)
		append(&r->ids[o], &r->idlen[o], " %s", id);
	for (i = 0; allowed[i].id != NULL; i++)
		if (strcmp(allowed[i].id, id) == 0)
			listed = (int)i;
	if (listed >= 0 && allowed[listed].got != o) {
		r->wrong++;
		append(&r->problems, &r->problen,
		    "  stale allow-list entry %s: listed as %s, now %s\n", id,
		    outcome_names[allowed[listed].got], outcome_names[o]);
	} else if (listed < 0 && (o == O_UNEXPECTED_SUCCESS ||
	    o == O_UNEXPECTED_FAILURE)) {
		r->wrong++;
		append(&r->problems, &r->problen, "  %s: %s%s\n", id,
		    outcome_names[o], detail);
	}
}

/* Checks pinned_codes for case id and marks the extra rules that fired. */
static void
note_codes(struct run *r, const char *id, const struct val_report *rep)
{
	const struct val_rule	*rules;
	size_t			 n, i;

	for (i = 0; pinned_codes[i].id != NULL; i++)
		if (strcmp(pinned_codes[i].id, id) == 0 &&
		    !val_report_has(rep, pinned_codes[i].code)) {
			r->wrong++;
			append(&r->problems, &r->problen,
			    "  %s: no %s finding\n", id, pinned_codes[i].code);
		}
	rules = val_chain_extra_rules(&n);
	for (i = 0; i < rep->n; i++)
		if (rep->items[i].rule >= rules &&
		    rep->items[i].rule < rules + n)
			r->fired[rep->items[i].rule - rules] = 1;
}

static void
print_tally(const char *label, const struct tally *t)
{
	printf("%-14s pass=%u unexpected_success=%u unexpected_failure=%u "
	    "skipped=%u\n", label, t->n[O_PASS], t->n[O_UNEXPECTED_SUCCESS],
	    t->n[O_UNEXPECTED_FAILURE], t->n[O_SKIPPED]);
}

/*
 * Runs the whole suite.  flags are the VAL_PURPOSE_* flags every case gets
 * (webpki::* cases also VAL_PURPOSE_WEBPKI).  With check, every wrong
 * result must be allow-listed and every pinned code present; the tally is
 * returned in *all.
 */
static void
suite(unsigned flags, int check, struct tally *all)
{
	const char		*shared = getenv("XBRG_SHARED");
	char			 path[4096], why[256], detail[512];
	json_t			*root, *tc;
	json_error_t		 jerr;
	struct run		 r;
	struct lcase		 c;
	struct val_report	 rep;
	struct skipc		 skips[16];
	size_t			 nskips = 0, i, j;
	int			 prc, ok, expect;
	const char		*exp;

	if (shared == NULL || *shared == '\0') {
		printf("test_limbo: XBRG_SHARED is not set: x509-limbo "
		    "suite skipped\n");
		skip();
	}
	snprintf(path, sizeof(path), "%s/%s", shared, LIMBO_PATH);
	if (access(path, R_OK) != 0) {
		printf("test_limbo: no %s: x509-limbo suite skipped\n", path);
		skip();
	}
	if ((root = json_load_file(path, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	memset(&r, 0, sizeof(r));
	json_array_foreach(json_object_get(root, "testcases"), i, tc) {
		if (!json_is_string(json_object_get(tc, "validation_time")))
			r.pinned++;
		prc = lcase_parse(tc, &c, flags, why, sizeof(why));
		if (prc == -1)
			fail_msg("%s: %s", c.id ? c.id : "?", why);
		if (prc == 1) {
			for (j = 0; j < nskips; j++)
				if (strcmp(skips[j].why, why) == 0)
					break;
			if (j == nskips && nskips < 16) {
				snprintf(skips[j].why, sizeof(skips[j].why),
				    "%s", why);
				skips[j].n = 0;
				nskips++;
			}
			if (j < nskips)
				skips[j].n++;
			record(&r, c.id, O_SKIPPED, "");
			lcase_free(&c);
			continue;
		}
		exp = json_string_value(json_object_get(tc,
		    "expected_result"));
		assert_non_null(exp);
		expect = strcmp(exp, "SUCCESS") == 0;
		val_report_init(&rep);
		ok = lcase_run(&c, &rep);
		if (ok == -1)
			fail_msg("%s: validation could not run", c.id);
		if (check)
			note_codes(&r, c.id, &rep);
		if (getenv("LIMBO_SHOW") != NULL &&
		    strcmp(getenv("LIMBO_SHOW"), c.id) == 0)
			val_report_print(stdout, &rep);
		detail[0] = '\0';
		if (ok && !expect)
			snprintf(detail, sizeof(detail), " (no error)");
		else if (!ok && expect && rep.n > 0)
			snprintf(detail, sizeof(detail), " (%s %s)",
			    rep.items[0].rule->code, rep.items[0].where ?
			    rep.items[0].where : "");
		else if (!ok && expect)
			snprintf(detail, sizeof(detail), " (OpenSSL)");
		record(&r, c.id, ok == expect ? O_PASS :
		    ok ? O_UNEXPECTED_SUCCESS : O_UNEXPECTED_FAILURE, detail);
		val_report_clear(&rep);
		lcase_free(&c);
	}
	json_decref(root);

	printf("limbo: %zu cases, validation_time null in %u (pinned %s), "
	    "flags%s%s\n", i, r.pinned, LIMBO_PINNED_TIME,
	    flags & VAL_PURPOSE_STRICT ? " STRICT" : "",
	    " (+WEBPKI for webpki::*)");
	print_tally("limbo", &r.all);
	for (i = 0; i < r.nns; i++)
		print_tally(r.ns[i].name, &r.ns[i].t);
	for (i = 0; i < nskips; i++)
		printf("  skipped %u: %s\n", skips[i].n, skips[i].why);
	for (i = O_UNEXPECTED_SUCCESS; i < O__COUNT; i++)
		printf("  %s (%u):%s\n", outcome_names[i], r.all.n[i],
		    r.ids[i] ? r.ids[i] : "");
	{
		const struct val_rule	*rules = val_chain_extra_rules(&j);

		printf("  val_chain_extra rules no limbo case triggers:");
		for (i = 0; i < j && i < sizeof(r.fired); i++)
			if (!r.fired[i])
				printf(" %s", rules[i].code);
		printf("\n");
	}
	if (check && r.wrong > 0)
		printf("limbo: %u problem(s):\n%s", r.wrong, r.problems);
	for (i = 0; i < O__COUNT; i++)
		free(r.ids[i]);
	free(r.problems);
	*all = r.all;
	if (check)
		assert_int_equal(r.wrong, 0);
}

/* What the suite measures: RFC 5280 structure strictly, as limbo does. */
static void
test_limbo(void **state)
{
	struct tally	 t;

	suite(VAL_PURPOSE_STRICT, 1, &t);
}

/*
 * The same without VAL_PURPOSE_STRICT: the structural defects OpenSSL's
 * X509_STRICT finds are then only warnings (val_chain.c's policy for real
 * Chinese roots).  Pinned counts, printed for README.
 */
static void
test_limbo_lenient(void **state)
{
	static const unsigned	 want[O__COUNT] = {
		LIMBO_LENIENT_PASS, LIMBO_LENIENT_US, LIMBO_LENIENT_UF,
		LIMBO_LENIENT_SKIP
	};
	struct tally		 t;
	size_t			 i;

	suite(0, 0, &t);
	for (i = 0; i < O__COUNT; i++)
		if (t.n[i] != want[i])
			fail_msg("lenient %s: %u, pinned %u", outcome_names[i],
			    t.n[i], want[i]);
}

/*
 * val_chain_extra()'s rule table: codes unique, well formed, and distinct
 * from val_chain.c's own CHAIN-* codes (val_chain_rule()).
 */
static void
test_extra_rules(void **state)
{
	const struct val_rule	*r;
	size_t			 n, i, j;

	r = val_chain_extra_rules(&n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		assert_non_null(r[i].code);
		assert_non_null(r[i].cite);
		assert_non_null(r[i].text);
		assert_int_equal(strncmp(r[i].code, "CHAIN-", 6), 0);
		if (val_chain_rule(r[i].code) != NULL)
			fail_msg("%s is also a val_chain.c code", r[i].code);
		for (j = 0; j < i; j++)
			assert_string_not_equal(r[i].code, r[j].code);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extra_rules),
		cmocka_unit_test(test_limbo),
		cmocka_unit_test(test_limbo_lenient),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
