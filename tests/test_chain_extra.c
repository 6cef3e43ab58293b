/*
 * test_chain_extra.c: val_chain_extra() rule by rule, table-driven.
 *
 * Each row builds a small chain in memory (leaf, optional intermediate,
 * anchor) with the OpenSSL API, round-trips every certificate through DER
 * (as the loader would read it), runs val_chain_extra() with the row's
 * purpose and compares the exact set of finding codes.  Every rule must
 * be triggered by some row, and the clean rows show that nothing fires on
 * well-formed chains; val_crl_extra() likewise over CRLs.  The real CFCA
 * SM2 chain ($XBRG_SHARED) shows how the flags change the verdict on real
 * Chinese CA certificates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "val.h"
#include "helpers/test_util.h"

#define AT		"2030-01-01T00:00:00Z"
#define MAX_CODES	16

/* Defaults: a clean chain under every flag (CA/B BR included). */
#define ROOT_EXT	"basicConstraints=critical,CA:TRUE|" \
			"keyUsage=critical,keyCertSign,cRLSign|" \
			"subjectKeyIdentifier=hash|" \
			"authorityKeyIdentifier=keyid:always"
#define LEAF_EXT	"authorityKeyIdentifier=keyid:always|" \
			"keyUsage=critical,digitalSignature|" \
			"extendedKeyUsage=serverAuth|" \
			"subjectAltName=DNS:example.com"
#define LEAF_NOSAN	"authorityKeyIdentifier=keyid:always|" \
			"keyUsage=critical,digitalSignature|" \
			"extendedKeyUsage=serverAuth"
#define SERVER		"1.3.6.1.5.5.7.3.1"
#define CLIENT		"1.3.6.1.5.5.7.3.2"
#define CODESIGN	"1.3.6.1.5.5.7.3.3"

#define S		VAL_PURPOSE_STRICT
#define W		VAL_PURPOSE_WEBPKI
#define D		VAL_PURPOSE_MAX_DEPTH

enum key_kind { K_EC, K_EXPLICIT, K_ED25519, K_RSA1024, K_K256, K__N,
	K_BAD = K__N };	/* an EC point that does not decode */
enum serial_kind { SN_OK, SN_ZERO, SN_LONG, SN_NEG };

struct row {
	const char	*name;
	unsigned	 flags;
	const char	*root_issuer;	/* NULL: self-signed */
	const char	*root_ext;	/* NULL: ROOT_EXT */
	int		 ica;	/* 1: "CN=ICA", 2: self-issued ICA */
	const char	*leaf_subject;	/* NULL: example.com */
	int		 leaf_issuer_empty;
	const char	*leaf_ext;	/* NULL: LEAF_EXT; "": none */
	int		 leaf_v2;
	enum serial_kind serial;
	enum key_kind	 key;
	const char	*dns, *ip, *email;
	const char	*eku;
	unsigned	 ku;
	unsigned	 max_depth;
	int		 big;	/* BIG_N wildcard SANs and exclusions */
	const char	*want;		/* exact set of codes */
	/*
	 * Also through val_chain_check(): 1 without a purpose (as `xbrg
	 * validate` and the dossier checks call it), 2 with the row's: the
	 * same codes of val_chain_extra()'s, and exactly ossl (NULL: none)
	 * of val_chain.c's (CHAIN-REV-UNCHECKED aside): one problem, one
	 * finding.
	 */
	int		 check;
	const char	*ossl;
};

#define BIG_N		1100	/* BIG_N * BIG_N > VAL_MAX_NC_PAIRS */

static const struct row rows[] = {
	/* Clean chains. */
	{ .name = "clean, no flags", .want = "", .check = 1 },
	{ .name = "clean, all flags and purposes", .flags = S | W | D,
	    .dns = "example.com", .eku = SERVER,
	    .ku = X509v3_KU_DIGITAL_SIGNATURE, .max_depth = 0, .want = "" },
	{ .name = "clean with intermediate", .flags = S | W | D, .ica = 1,
	    .max_depth = 1, .dns = "EXAMPLE.com", .want = "" },
	{ .name = "self-issued intermediate not counted", .flags = D,
	    .ica = 2, .max_depth = 0, .want = "" },
	{ .name = "intermediate over max depth", .flags = D, .ica = 1,
	    .max_depth = 0, .want = "CHAIN-MAX-INTERMEDIATES" },

	/* Structure, always on. */
	{ .name = "serial zero", .serial = SN_ZERO, .check = 1,
	    .want = "CHAIN-SERIAL-NOT-POSITIVE" },
	{ .name = "serial negative", .serial = SN_NEG,
	    .want = "CHAIN-SERIAL-NOT-POSITIVE" },
	{ .name = "serial 21 octets", .serial = SN_LONG,
	    .want = "CHAIN-SERIAL-TOO-LONG" },
	{ .name = "public key not decodable", .key = K_BAD,
	    .want = "CHAIN-KEY-UNDECODABLE" },
	{ .name = "AIA not decodable",
	    .leaf_ext = LEAF_EXT "|authorityInfoAccess=DER:04:00",
	    .want = "CHAIN-EXT-MALFORMED" },
	{ .name = "AIA empty",
	    .leaf_ext = LEAF_EXT "|authorityInfoAccess=DER:30:00",
	    .want = "CHAIN-AIA-EMPTY" },
	{ .name = "EKU empty", .leaf_ext =
	    "authorityKeyIdentifier=keyid:always|"
	    "subjectAltName=DNS:example.com|extendedKeyUsage=DER:30:00",
	    .want = "CHAIN-EKU-EMPTY" },
	{ .name = "SAN dNSName with underscore", .check = 1,
	    .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=DNS:foo_bar.example.com",
	    .want = "CHAIN-SAN-DNS-SYNTAX" },
	{ .name = "SAN dNSName wildcard not whole label", .leaf_ext =
	    LEAF_NOSAN "|subjectAltName=DNS:f*.example.com",
	    .dns = "foo.example.com",
	    .want = "CHAIN-SAN-DNS-SYNTAX CHAIN-PEER-DNS-MISMATCH" },
	{ .name = "SAN dNSName leading dot", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=DNS:.example.com",
	    .want = "CHAIN-SAN-DNS-SYNTAX" },
	{ .name = "SAN iPAddress of 5 octets", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=DER:30:07:87:05:01:02:03:04:05",
	    .want = "CHAIN-SAN-IP-LENGTH" },
	{ .name = "SAN rfc822Name with two @", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=email:a@b@example.com",
	    .want = "CHAIN-SAN-EMAIL-SYNTAX" },
	{ .name = "PC not critical", .check = 1, .root_ext = ROOT_EXT
	    "|policyConstraints=requireExplicitPolicy:0", .want = "" },
	{ .name = "PC not critical, strict", .flags = S, .root_ext = ROOT_EXT
	    "|policyConstraints=requireExplicitPolicy:0",
	    .want = "CHAIN-PC-NOT-CRITICAL" },
	{ .name = "cross-signed anchor without AKI", .check = 1,
	    .root_issuer = "CN=Other", .root_ext =
	    "basicConstraints=critical,CA:TRUE|keyUsage=keyCertSign|"
	    "subjectKeyIdentifier=hash", .want = "CHAIN-ANCHOR-AKI-MISSING" },

	/* Name constraints. */
	{ .name = "NC in a leaf", .leaf_ext = LEAF_EXT
	    "|nameConstraints=critical,permitted;DNS:example.com",
	    .want = "CHAIN-NC-NOT-CA" },
	{ .name = "NC not critical", .check = 1, .root_ext = ROOT_EXT
	    "|nameConstraints=permitted;DNS:example.com",
	    .want = "CHAIN-NC-NOT-CRITICAL" },
	{ .name = "NC not critical, web PKI", .flags = W, .root_ext = ROOT_EXT
	    "|nameConstraints=permitted;DNS:example.com", .want = "" },
	{ .name = "NC empty sequence", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,DER:30:00", .want = "CHAIN-NC-EMPTY" },
	{ .name = "NC dNSName leading dot", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,permitted;DNS:.example.com",
	    .want = "CHAIN-NC-DNS-SYNTAX" },
	{ .name = "NC iPAddress mask not contiguous", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,permitted;IP:192.0.2.0/255.0.255.0",
	    .want = "CHAIN-NC-IP-SYNTAX" },
	{ .name = "NC iPAddress good", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,permitted;IP:192.0.2.0/255.255.255.0",
	    .want = "" },
	{ .name = "NC rfc822Name with two @", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,permitted;email:a@b@example.com",
	    .want = "CHAIN-NC-EMAIL-SYNTAX" },
	{ .name = "NC rfc822Name domain forms", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,permitted;email:.example.com,"
	    "permitted;email:example.com,permitted;email:a.b@example.com",
	    .want = "" },
	{ .name = "wildcard SAN under an excluded name", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,excluded;DNS:bar.example.com",
	    .leaf_ext = LEAF_NOSAN "|subjectAltName=DNS:*.example.com",
	    .want = "CHAIN-NC-WILDCARD-EXCLUDED" },
	{ .name = "too many names times exclusions", .big = 1,
	    .want = "CHAIN-NC-TOO-COMPLEX" },
	{ .name = "wildcard SAN, deeper exclusion", .root_ext = ROOT_EXT
	    "|nameConstraints=critical,excluded;DNS:a.bar.example.com",
	    .leaf_ext = LEAF_NOSAN "|subjectAltName=DNS:*.example.com",
	    .want = "" },

	/* Structure with VAL_PURPOSE_STRICT only. */
	{ .name = "v2 with extensions", .leaf_v2 = 1, .want = "" },
	{ .name = "v2 with extensions, strict", .flags = S, .leaf_v2 = 1,
	    .want = "CHAIN-VERSION" },
	{ .name = "empty issuer, strict", .flags = S,
	    .leaf_issuer_empty = 1, .want = "CHAIN-ISSUER-EMPTY" },
	{ .name = "empty subject without SAN, strict", .flags = S,
	    .leaf_subject = "", .leaf_ext = LEAF_NOSAN,
	    .want = "CHAIN-SUBJECT-EMPTY" },
	{ .name = "empty subject, SAN not critical, strict", .flags = S,
	    .leaf_subject = "", .want = "CHAIN-SAN-NOT-CRITICAL" },
	{ .name = "empty subject, SAN critical, strict", .flags = S,
	    .leaf_subject = "", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=critical,DNS:example.com", .want = "" },
	{ .name = "SAN empty, strict", .flags = S, .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=DER:30:00", .want = "CHAIN-SAN-EMPTY" },
	{ .name = "AKI critical, strict", .flags = S, .leaf_ext =
	    "authorityKeyIdentifier=critical,keyid:always|"
	    "subjectAltName=DNS:example.com", .want = "CHAIN-AKI-CRITICAL" },
	{ .name = "AKI missing", .leaf_ext = "subjectAltName=DNS:example.com",
	    .want = "" },
	{ .name = "AKI missing, strict", .flags = S,
	    .leaf_ext = "subjectAltName=DNS:example.com",
	    .want = "CHAIN-AKI-MISSING" },
	{ .name = "SKI critical, strict", .flags = S, .root_ext =
	    "basicConstraints=critical,CA:TRUE|keyUsage=keyCertSign|"
	    "subjectKeyIdentifier=critical,hash|"
	    "authorityKeyIdentifier=keyid:always",
	    .want = "CHAIN-SKI-CRITICAL" },
	{ .name = "CA without SKI, strict", .flags = S, .root_ext =
	    "basicConstraints=critical,CA:TRUE|keyUsage=keyCertSign",
	    .leaf_ext = "subjectAltName=DNS:example.com|"
	    "authorityKeyIdentifier=issuer:always",
	    .want = "CHAIN-SKI-MISSING CHAIN-AKI-MISSING" },
	{ .name = "CA basicConstraints not critical", .root_ext =
	    "basicConstraints=CA:TRUE|keyUsage=keyCertSign|"
	    "subjectKeyIdentifier=hash|authorityKeyIdentifier=keyid:always",
	    .want = "" },
	{ .name = "CA basicConstraints not critical, strict", .flags = S,
	    .root_ext = "basicConstraints=CA:TRUE|keyUsage=keyCertSign|"
	    "subjectKeyIdentifier=hash|authorityKeyIdentifier=keyid:always",
	    .want = "CHAIN-CA-BC-NOT-CRITICAL" },
	{ .name = "pathLen without cA, strict", .flags = S,
	    .leaf_ext = LEAF_EXT "|basicConstraints=DER:30:03:02:01:00",
	    .want = "CHAIN-PATHLEN-NOT-CA" },
	{ .name = "keyCertSign without cA, strict", .flags = S, .leaf_ext =
	    "authorityKeyIdentifier=keyid:always|keyUsage=keyCertSign|"
	    "subjectAltName=DNS:example.com", .want = "CHAIN-CERTSIGN-NOT-CA" },
	{ .name = "explicit EC parameters, strict", .flags = S,
	    .key = K_EXPLICIT, .want = "CHAIN-EC-EXPLICIT-CURVE" },

	/* Purpose. */
	{ .name = "DNS wildcard match", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=DNS:*.example.com", .dns = "a.example.com",
	    .want = "" },
	{ .name = "DNS wildcard is one label", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=DNS:*.example.com", .dns = "a.b.example.com",
	    .want = "CHAIN-PEER-DNS-MISMATCH" },
	{ .name = "DNS wildcard needs two labels", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=DNS:*.com", .dns = "example.com",
	    .want = "CHAIN-PEER-DNS-MISMATCH" },
	{ .name = "DNS never the CN", .leaf_ext = LEAF_NOSAN,
	    .dns = "example.com", .want = "CHAIN-PEER-DNS-MISMATCH" },
	{ .name = "DNS peer name invalid", .dns = "exa mple.com",
	    .want = "CHAIN-PEER-NAME-INVALID" },
	{ .name = "IP match", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=IP:2001:db8::1", .ip = "2001:DB8:0::1",
	    .want = "" },
	{ .name = "IP mismatch", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=IP:192.0.2.1", .ip = "192.0.2.2",
	    .want = "CHAIN-PEER-IP-MISMATCH" },
	{ .name = "IP peer name invalid", .ip = "192.0.2",
	    .want = "CHAIN-PEER-NAME-INVALID" },
	{ .name = "e-mail host part without case", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=email:Ann@EXAMPLE.com", .email =
	    "Ann@example.COM", .want = "" },
	{ .name = "e-mail local part exact", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=email:Ann@example.com", .email =
	    "ann@example.com", .want = "CHAIN-PEER-EMAIL-MISMATCH" },
	{ .name = "e-mail peer name invalid", .email = "ann",
	    .want = "CHAIN-PEER-NAME-INVALID" },
	{ .name = "leaf EKU lacks purpose", .eku = CLIENT, .check = 2,
	    .want = "CHAIN-EKU-MISSING" },
	{ .name = "leaf anyExtendedKeyUsage", .eku = CODESIGN,
	    .leaf_ext = LEAF_NOSAN "|subjectAltName=DNS:example.com|"
	    "extendedKeyUsage=anyExtendedKeyUsage", .want = "" },
	{ .name = "leaf without EKU", .eku = CODESIGN, .leaf_ext =
	    "authorityKeyIdentifier=keyid:always|"
	    "subjectAltName=DNS:example.com", .want = "" },
	{ .name = "CA EKU excludes code signing", .eku = CODESIGN,
	    .root_ext = ROOT_EXT "|extendedKeyUsage=serverAuth",
	    .leaf_ext = LEAF_NOSAN "|subjectAltName=DNS:example.com|"
	    "extendedKeyUsage=codeSigning", .want = "CHAIN-EKU-CA-EXCLUDES" },
	{ .name = "CA EKU for serverAuth left to OpenSSL", .eku = SERVER,
	    .root_ext = ROOT_EXT "|extendedKeyUsage=clientAuth", .want = "",
	    .check = 2, .ossl = "CHAIN-PURPOSE" },
	{ .name = "leaf keyUsage lacks a bit",
	    .ku = X509v3_KU_KEY_ENCIPHERMENT, .want = "CHAIN-KU-MISSING" },

	/* CA/B Forum Baseline Requirements (VAL_PURPOSE_WEBPKI). */
	{ .name = "BR: v2 leaf", .flags = W, .leaf_v2 = 1,
	    .want = "CHAIN-BR-NOT-V3" },
	{ .name = "BR: root AKI without keyIdentifier", .flags = W,
	    .root_ext = "basicConstraints=critical,CA:TRUE|"
	    "keyUsage=keyCertSign|subjectKeyIdentifier=hash|"
	    "authorityKeyIdentifier=issuer:always",
	    .leaf_ext = "keyUsage=critical,digitalSignature|"
	    "extendedKeyUsage=serverAuth|subjectAltName=DNS:example.com|"
	    "authorityKeyIdentifier=keyid:always",
	    .want = "CHAIN-BR-ROOT-AKI-KEYID CHAIN-BR-ROOT-AKI-ISSUER" },
	{ .name = "BR: root AKI with issuer", .flags = W,
	    .root_ext = "basicConstraints=critical,CA:TRUE|"
	    "keyUsage=keyCertSign|subjectKeyIdentifier=hash|"
	    "authorityKeyIdentifier=keyid:always,issuer:always",
	    .want = "CHAIN-BR-ROOT-AKI-ISSUER" },
	{ .name = "BR: root EKU", .flags = W,
	    .root_ext = ROOT_EXT "|extendedKeyUsage=serverAuth",
	    .want = "CHAIN-BR-ROOT-EKU" },
	{ .name = "BR: leaf without EKU", .flags = W, .leaf_ext =
	    "authorityKeyIdentifier=keyid:always|"
	    "subjectAltName=DNS:example.com",
	    .want = "CHAIN-BR-EE-EKU-MISSING" },
	{ .name = "BR: leaf EKU critical", .flags = W, .leaf_ext =
	    "authorityKeyIdentifier=keyid:always|"
	    "extendedKeyUsage=critical,serverAuth|"
	    "subjectAltName=DNS:example.com",
	    .want = "CHAIN-BR-EE-EKU-CRITICAL" },
	{ .name = "BR: leaf anyExtendedKeyUsage", .flags = W, .leaf_ext =
	    "authorityKeyIdentifier=keyid:always|"
	    "extendedKeyUsage=serverAuth,anyExtendedKeyUsage|"
	    "subjectAltName=DNS:example.com", .want = "CHAIN-BR-EE-EKU-ANY" },
	{ .name = "BR: leaf cA", .flags = W, .leaf_ext = LEAF_EXT
	    "|basicConstraints=critical,CA:TRUE", .want = "CHAIN-BR-EE-CA" },
	{ .name = "BR: leaf keyCertSign", .flags = W, .leaf_ext =
	    "authorityKeyIdentifier=keyid:always|keyUsage=keyCertSign|"
	    "extendedKeyUsage=serverAuth|subjectAltName=DNS:example.com",
	    .want = "CHAIN-BR-EE-KU-CERTSIGN" },
	{ .name = "BR: leaf without SAN", .flags = W, .leaf_ext = LEAF_NOSAN,
	    .want = "CHAIN-BR-EE-SAN-MISSING CHAIN-BR-CN-NOT-IN-SAN" },
	{ .name = "BR: SAN critical with a subject", .flags = W,
	    .leaf_ext = LEAF_NOSAN "|subjectAltName=critical,DNS:example.com",
	    .want = "CHAIN-BR-SAN-CRITICAL" },
	{ .name = "BR: CN differs in case", .flags = W,
	    .leaf_subject = "Example.com", .want = "CHAIN-BR-CN-NOT-IN-SAN" },
	{ .name = "BR: CN as RFC 5952 text", .flags = W,
	    .leaf_subject = "2001:db8::1:0:0:1", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=IP:2001:db8:0:0:1:0:0:1", .want = "" },
	{ .name = "BR: CN IPv6 not RFC 5952", .flags = W,
	    .leaf_subject = "2001:db8:0:0:1::1", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=IP:2001:db8:0:0:1:0:0:1",
	    .want = "CHAIN-BR-CN-NOT-IN-SAN" },
	{ .name = "BR: CN IPv4-mapped", .flags = W,
	    .leaf_subject = "::ffff:192.0.2.1", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=IP:::ffff:192.0.2.1", .want = "" },
	{ .name = "BR: CN IPv4 leading zero", .flags = W,
	    .leaf_subject = "192.0.2.01", .leaf_ext = LEAF_NOSAN
	    "|subjectAltName=IP:192.0.2.1", .want = "CHAIN-BR-CN-NOT-IN-SAN" },
	{ .name = "BR: Ed25519 key", .flags = W, .key = K_ED25519,
	    .want = "CHAIN-BR-KEY-TYPE" },
	{ .name = "BR: RSA-1024 key", .flags = W, .key = K_RSA1024,
	    .want = "CHAIN-BR-RSA-SIZE" },
	{ .name = "BR: secp256k1 key", .flags = W, .key = K_K256,
	    .want = "CHAIN-BR-EC-CURVE" },
	{ .name = NULL }
};

static EVP_PKEY	*keys[K__N];
static EVP_PKEY	*ca_key, *other_key;

static EVP_PKEY *
keygen_explicit(void)
{
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*k = NULL;
	OSSL_PARAM	 p[3];

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
	    (char *)"P-256", 0);
	p[1] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_EC_ENCODING, (char *)"explicit", 0);
	p[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_params(ctx, p) <= 0 ||
	    EVP_PKEY_generate(ctx, &k) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	return k;
}

static int
setup_keys(void **state)
{
	keys[K_EC] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	keys[K_EXPLICIT] = keygen_explicit();
	keys[K_ED25519] = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	keys[K_RSA1024] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	keys[K_K256] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
	ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	other_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	for (int i = 0; i < K__N; i++)
		if (keys[i] == NULL)
			return -1;
	return ca_key != NULL && other_key != NULL ? 0 : -1;
}

static int
teardown_keys(void **state)
{
	for (int i = 0; i < K__N; i++)
		EVP_PKEY_free(keys[i]);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(other_key);
	return 0;
}

static X509_NAME *
name_cn(const char *cn)
{
	X509_NAME	*n = X509_NAME_new();

	assert_non_null(n);
	if (cn != NULL && *cn != '\0')
		assert_true(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
		    (const unsigned char *)cn, -1, -1, 0));
	return n;
}

/* Adds "name=value|name=value" extensions (openssl.cnf syntax). */
static void
add_exts(X509 *x, X509 *issuer, const char *spec)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	char		*copy, *item, *save, *eq;

	if (spec == NULL || *spec == '\0')
		return;
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	copy = strdup(spec);
	assert_non_null(copy);
	for (item = strtok_r(copy, "|", &save); item != NULL;
	    item = strtok_r(NULL, "|", &save)) {
		eq = strchr(item, '=');
		assert_non_null(eq);
		*eq = '\0';
		ext = X509V3_EXT_nconf(NULL, &ctx, item, eq + 1);
		if (ext == NULL)
			fail_msg("extension %s=%s", item, eq + 1);
		assert_true(X509_add_ext(x, ext, -1));
		X509_EXTENSION_free(ext);
	}
	free(copy);
}

static void
set_serial(X509 *x, enum serial_kind k)
{
	BIGNUM		*bn = BN_new();
	ASN1_INTEGER	*ai;

	assert_non_null(bn);
	switch (k) {
	case SN_OK:
		assert_true(BN_set_word(bn, 4711));
		break;
	case SN_ZERO:
		BN_zero(bn);
		break;
	case SN_LONG:	/* 21 octets: 0x01 then 20 bytes */
		assert_true(BN_set_word(bn, 1));
		assert_true(BN_lshift(bn, bn, 160));
		break;
	case SN_NEG:
		assert_true(BN_set_word(bn, 4711));
		BN_set_negative(bn, 1);
		break;
	}
	ai = BN_to_ASN1_INTEGER(bn, NULL);
	assert_non_null(ai);
	assert_true(X509_set_serialNumber(x, ai));
	ASN1_INTEGER_free(ai);
	BN_free(bn);
}

/* Builds, signs and DER round-trips one certificate. */
static X509 *
mkcert(X509_NAME *subject, X509_NAME *issuer, EVP_PKEY *key,
    EVP_PKEY *signer, X509 *issuer_cert, const char *ext, int v2,
    enum serial_kind sn)
{
	X509		*x = X509_new(), *y;
	unsigned char	*der = NULL;
	const unsigned char *p;
	int		 len;

	assert_non_null(x);
	assert_true(X509_set_version(x, v2 ? X509_VERSION_2 : X509_VERSION_3));
	set_serial(x, sn);
	assert_true(X509_set_subject_name(x, subject));
	assert_true(X509_set_issuer_name(x, issuer));
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), 0, 0,
	    &(time_t){ 1700000000 }));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), 36500, 0,
	    &(time_t){ 1700000000 }));
	if (key != NULL)
		assert_true(X509_set_pubkey(x, key));
	else {
		static const unsigned char junk[] = { 0x04, 0x01, 0x02 };
		unsigned char	*bits = OPENSSL_memdup(junk, sizeof(junk));

		assert_non_null(bits);
		assert_true(X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x),
		    OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_OBJECT,
		    OBJ_nid2obj(NID_X9_62_prime256v1), bits, sizeof(junk)));
	}
	add_exts(x, issuer_cert != NULL ? issuer_cert : x, ext);
	assert_true(X509_sign(x, signer, EVP_sha256()) > 0);
	assert_true((len = i2d_X509(x, &der)) > 0);
	p = der;
	y = d2i_X509(NULL, &p, len);
	assert_non_null(y);
	OPENSSL_free(der);
	X509_free(x);
	return y;
}

/* Sorted, de-duplicated codes of rep joined by spaces. */
static void
codes_of(const struct val_report *rep, char *out, size_t len)
{
	const char	*v[MAX_CODES];
	size_t		 n = 0, i, j;

	for (i = 0; i < rep->n; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(v[j], rep->items[i].rule->code) == 0)
				break;
		if (j == n && n < MAX_CODES)
			v[n++] = rep->items[i].rule->code;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
		    i ? " " : "", v[i]);
}

static void
sort_codes(const char *in, char *out, size_t len)
{
	struct val_report	 rep;
	struct val_rule		 r[MAX_CODES];
	char			 buf[512], *tok, *save;
	size_t			 n = 0;

	val_report_init(&rep);
	snprintf(buf, sizeof(buf), "%s", in);
	for (tok = strtok_r(buf, " ", &save); tok != NULL && n < MAX_CODES;
	    tok = strtok_r(NULL, " ", &save)) {
		r[n].code = tok;
		r[n].sev = VAL_ERROR;
		r[n].cite = r[n].text = "";
		assert_int_equal(val_report_add(&rep, &r[n], NULL, NULL), 0);
		n++;
	}
	codes_of(&rep, out, len);
	val_report_clear(&rep);
}

/* BIG_N excluded dNSNames in the root, BIG_N wildcard SANs in the leaf. */
static void
big_exts(char **root_ext, char **leaf_ext)
{
	size_t	 rl = 64 + BIG_N * 40, ll = 64 + BIG_N * 40, i;
	char	*r = malloc(rl), *l = malloc(ll);

	assert_non_null(r);
	assert_non_null(l);
	snprintf(r, rl, "%s|nameConstraints=critical", ROOT_EXT);
	snprintf(l, ll, "authorityKeyIdentifier=keyid:always|"
	    "subjectAltName=DNS:example.com");
	for (i = 0; i < BIG_N; i++) {
		snprintf(r + strlen(r), rl - strlen(r),
		    ",excluded;DNS:x%zu.example.org", i);
		snprintf(l + strlen(l), ll - strlen(l),
		    ",DNS:*.n%zu.example.com", i);
	}
	*root_ext = r;
	*leaf_ext = l;
}

/*
 * The row's chain through val_chain_check() without a purpose: the
 * val_chain_extra() codes must be exactly want (its always-on checks run
 * on every built chain), and the verdict invalid exactly when one of them
 * is an error.
 */
static void
check_row(const struct row *rw, STACK_OF(X509) *chain, time_t at,
    const struct val_purpose *p, const struct val_rule *rules, size_t nrules,
    const char *want)
{
	struct val_cert		 c[3];
	struct val_certs	 anchors, pool;
	struct val_chain_in	 in;
	struct val_report	 rep, mine, theirs;
	char			 got[512], gotossl[512], wantossl[512];
	size_t			 i;
	int			 n = sk_X509_num(chain), err = 0;

	memset(c, 0, sizeof(c));
	c[0].x509 = sk_X509_value(chain, 0);
	c[1].x509 = sk_X509_value(chain, n - 1);
	c[2].x509 = n > 2 ? sk_X509_value(chain, 1) : NULL;
	anchors.v = &c[1];
	anchors.n = 1;
	pool.v = &c[2];
	pool.n = n > 2;
	memset(&in, 0, sizeof(in));
	in.leaf = c[0].x509;
	in.anchors = &anchors;
	in.untrusted = &pool;
	in.at = at;
	in.flags = VAL_CHAIN_PARTIAL;	/* the cross-signed anchor */
	in.purpose = rw->check == 2 ? p : NULL;
	val_report_init(&rep);
	val_report_init(&mine);
	val_report_init(&theirs);
	assert_int_equal(val_chain_check(&in, NULL, &rep), 0);
	for (i = 0; i < rep.n; i++)
		if (rep.items[i].rule >= rules &&
		    rep.items[i].rule < rules + nrules) {
			assert_int_equal(val_report_add(&mine,
			    rep.items[i].rule, rep.items[i].where, NULL), 0);
			if (rep.items[i].rule->sev >= VAL_ERROR)
				err = 1;
		} else if (strcmp(rep.items[i].rule->code,
		    "CHAIN-REV-UNCHECKED") != 0) {
			assert_int_equal(val_report_add(&theirs,
			    rep.items[i].rule, rep.items[i].where, NULL), 0);
			if (rep.items[i].rule->sev >= VAL_ERROR)
				err = 1;
		}
	codes_of(&mine, got, sizeof(got));
	codes_of(&theirs, gotossl, sizeof(gotossl));
	sort_codes(rw->ossl != NULL ? rw->ossl : "", wantossl,
	    sizeof(wantossl));
	if (strcmp(got, want) != 0 || strcmp(gotossl, wantossl) != 0 ||
	    (val_report_verdict(&rep) == VAL_VERDICT_FAIL) != err) {
		val_report_print(stdout, &rep);
		fail_msg("%s, through val_chain_check(): got \"%s\" + \"%s\", "
		    "want \"%s\" + \"%s\"", rw->name, got, gotossl, want,
		    wantossl);
	}
	val_report_clear(&theirs);
	val_report_clear(&mine);
	val_report_clear(&rep);
}

static void
run_row(const struct row *rw, const struct val_rule *rules, size_t nrules,
    unsigned char *fired)
{
	X509_NAME		*root_n, *root_issuer_n, *ica_n, *leaf_n;
	X509_NAME		*leaf_issuer_n;
	X509			*root, *ica = NULL, *leaf;
	STACK_OF(X509)		*chain;
	struct val_purpose	 p;
	struct val_report	 rep;
	const char		*ekus[2] = { rw->eku, NULL };
	char			 got[512], want[512];
	char			*root_ext = NULL, *leaf_ext = NULL;
	const char		*rw_root_ext, *rw_leaf_ext;
	time_t			 at;
	size_t			 i;

	assert_int_equal(val_time_parse(AT, &at), 0);
	if (rw->big) {
		big_exts(&root_ext, &leaf_ext);
		rw_root_ext = root_ext;
		rw_leaf_ext = leaf_ext;
	} else {
		rw_root_ext = rw->root_ext != NULL ? rw->root_ext : ROOT_EXT;
		rw_leaf_ext = rw->leaf_ext != NULL ? rw->leaf_ext : LEAF_EXT;
	}
	root_n = name_cn("Root");
	root_issuer_n = name_cn(rw->root_issuer != NULL ? rw->root_issuer +
	    3 : "Root");
	root = mkcert(root_n, root_issuer_n, ca_key,
	    rw->root_issuer != NULL ? other_key : ca_key, NULL, rw_root_ext, 0,
	    SN_OK);
	if (rw->ica != 0) {
		ica_n = name_cn(rw->ica == 2 ? "Root" : "ICA");
		ica = mkcert(ica_n, root_n, ca_key, ca_key, root, ROOT_EXT, 0,
		    SN_OK);
		X509_NAME_free(ica_n);
	}
	leaf_n = name_cn(rw->leaf_subject != NULL ? rw->leaf_subject :
	    "example.com");
	leaf_issuer_n = rw->leaf_issuer_empty ? name_cn("") :
	    X509_NAME_dup(X509_get_subject_name(ica != NULL ? ica : root));
	assert_non_null(leaf_issuer_n);
	leaf = mkcert(leaf_n, leaf_issuer_n, rw->key == K_BAD ? NULL :
	    keys[rw->key], ca_key,
	    ica != NULL ? ica : root, rw_leaf_ext, rw->leaf_v2, rw->serial);

	chain = sk_X509_new_null();
	assert_non_null(chain);
	assert_true(sk_X509_push(chain, leaf));
	if (ica != NULL)
		assert_true(sk_X509_push(chain, ica));
	assert_true(sk_X509_push(chain, root));

	memset(&p, 0, sizeof(p));
	p.flags = rw->flags;
	p.dns_name = rw->dns;
	p.ip = rw->ip;
	p.email = rw->email;
	p.ekus = rw->eku != NULL ? ekus : NULL;
	p.key_usage = rw->ku;
	p.max_depth = rw->max_depth;
	val_report_init(&rep);
	assert_int_equal(val_chain_extra(chain, &p, at, &rep), 0);
	codes_of(&rep, got, sizeof(got));
	sort_codes(rw->want, want, sizeof(want));
	if (strcmp(got, want) != 0) {
		val_report_print(stdout, &rep);
		fail_msg("%s: got \"%s\", want \"%s\"", rw->name, got, want);
	}
	for (i = 0; i < rep.n; i++)
		if (rep.items[i].rule >= rules &&
		    rep.items[i].rule < rules + nrules)
			fired[rep.items[i].rule - rules] = 1;
	val_report_clear(&rep);
	if (rw->check)
		check_row(rw, chain, at, &p, rules, nrules, want);
	sk_X509_pop_free(chain, X509_free);
	X509_NAME_free(root_n);
	X509_NAME_free(root_issuer_n);
	X509_NAME_free(leaf_n);
	X509_NAME_free(leaf_issuer_n);
	free(root_ext);
	free(leaf_ext);
}

/*
 * val_crl_extra() over CRLs issued by a root: extension sets (openssl.cnf
 * syntax, '|'-separated) and the exact codes each must give.
 */
static void
crl_rows(const struct val_rule *rules, size_t nrules, unsigned char *fired)
{
	static const struct {
		const char	*ext;
		const char	*want;
	} crows[] = {
		{ "crlNumber=1|authorityKeyIdentifier=keyid:always", "" },
		{ "authorityKeyIdentifier=keyid:always",
		    "CHAIN-CRL-NUMBER-MISSING" },
		{ "crlNumber=7", "CHAIN-CRL-AKI-MISSING" },
		{ "", "CHAIN-CRL-AKI-MISSING CHAIN-CRL-NUMBER-MISSING" },
	};
	X509_NAME		*rn = name_cn("Root");
	X509			*root;
	X509_CRL		*crl;
	X509V3_CTX		 ctx;
	X509_EXTENSION		*ext;
	ASN1_TIME		*t;
	ASN1_INTEGER		*num;
	struct val_report	 rep;
	char			*copy, *item, *save, *eq, got[256];
	size_t			 i, j;

	root = mkcert(rn, rn, ca_key, ca_key, NULL, ROOT_EXT, 0, SN_OK);
	for (i = 0; i < sizeof(crows) / sizeof(crows[0]); i++) {
		crl = X509_CRL_new();
		assert_non_null(crl);
		assert_true(X509_CRL_set_version(crl, X509_CRL_VERSION_2));
		assert_true(X509_CRL_set_issuer_name(crl, rn));
		t = ASN1_TIME_set(NULL, 1700000000);
		assert_non_null(t);
		assert_true(X509_CRL_set1_lastUpdate(crl, t));
		assert_true(X509_CRL_set1_nextUpdate(crl, t));
		ASN1_TIME_free(t);
		X509V3_set_ctx(&ctx, root, NULL, NULL, crl, 0);
		copy = strdup(crows[i].ext);
		assert_non_null(copy);
		for (item = strtok_r(copy, "|", &save); item != NULL;
		    item = strtok_r(NULL, "|", &save)) {
			eq = strchr(item, '=');
			assert_non_null(eq);
			*eq = '\0';
			if (strcmp(item, "crlNumber") == 0) {
				/* No string form in OpenSSL's method. */
				num = ASN1_INTEGER_new();
				assert_non_null(num);
				assert_true(ASN1_INTEGER_set(num,
				    atol(eq + 1)));
				assert_true(X509_CRL_add1_ext_i2d(crl,
				    NID_crl_number, num, 0, 0));
				ASN1_INTEGER_free(num);
				continue;
			}
			ext = X509V3_EXT_nconf(NULL, &ctx, item, eq + 1);
			assert_non_null(ext);
			assert_true(X509_CRL_add_ext(crl, ext, -1));
			X509_EXTENSION_free(ext);
		}
		free(copy);
		assert_true(X509_CRL_sign(crl, ca_key, EVP_sha256()) > 0);
		val_report_init(&rep);
		assert_int_equal(val_crl_extra(crl, "crl", &rep), 0);
		codes_of(&rep, got, sizeof(got));
		if (strcmp(got, crows[i].want) != 0)
			fail_msg("CRL row %zu: got \"%s\", want \"%s\"", i,
			    got, crows[i].want);
		for (j = 0; j < rep.n; j++)
			if (rep.items[j].rule >= rules &&
			    rep.items[j].rule < rules + nrules)
				fired[rep.items[j].rule - rules] = 1;
		val_report_clear(&rep);
		X509_CRL_free(crl);
	}
	assert_int_equal(val_crl_extra(NULL, NULL, &rep), -1);
	X509_free(root);
	X509_NAME_free(rn);
}

static void
test_rules(void **state)
{
	const struct val_rule	*rules;
	unsigned char		 fired[128];
	size_t			 n, i;
	int			 missing = 0;

	rules = val_chain_extra_rules(&n);
	assert_true(n <= sizeof(fired));
	memset(fired, 0, sizeof(fired));
	for (i = 0; rows[i].name != NULL; i++)
		run_row(&rows[i], rules, n, fired);
	crl_rows(rules, n, fired);
	for (i = 0; i < n; i++)
		if (!fired[i]) {
			printf("no row triggers %s\n", rules[i].code);
			missing++;
		}
	assert_int_equal(missing, 0);
}

static void
test_bad_arguments(void **state)
{
	struct val_report	 rep;
	STACK_OF(X509)		*empty = sk_X509_new_null();

	val_report_init(&rep);
	assert_int_equal(val_chain_extra(NULL, NULL, 0, &rep), -1);
	assert_int_equal(val_chain_extra(empty, NULL, 0, &rep), -1);
	assert_int_equal(val_chain_extra(empty, NULL, 0, NULL), -1);
	assert_int_equal(rep.n, 0);
	sk_X509_free(empty);
}

/*
 * The real CFCA SM2 chain (non-critical basicConstraints in root and
 * OCA1, an SM2 key): valid by default, invalid under VAL_PURPOSE_STRICT
 * and VAL_PURPOSE_WEBPKI, each for its own reason.
 */
static void
test_cfca(void **state)
{
	static const struct {
		unsigned	 flags;
		const char	*dns;
		int		 valid;
		const char	*code;
	} cases[] = {
		{ 0, "ebssec.boc.cn", 1, NULL },
		{ 0, "www.boc.cn", 0, "CHAIN-PEER-DNS-MISMATCH" },
		{ VAL_PURPOSE_STRICT, NULL, 0, "CHAIN-CA-BC-NOT-CRITICAL" },
		{ VAL_PURPOSE_WEBPKI, NULL, 0, "CHAIN-BR-KEY-TYPE" },
	};
	const char		*shared = getenv("XBRG_SHARED");
	const char		*ekus[] = { "1.3.6.1.5.5.7.3.1", NULL };
	static const char *const files[] = {
		"cfca-cs-sm2-ca.pem", "cfca-sm2-oca1.pem", "boc-ebssec-sign.pem"
	};
	struct val_certs	 set[3];
	struct val_chain_in	 in;
	struct val_purpose	 p;
	struct val_report	 rep;
	char			 path[4096], err[256];
	size_t			 i;

	if (tu_shared("certs-real") == NULL)
		skip();
	memset(set, 0, sizeof(set));
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/certs-real/%s", shared,
		    files[i]);
		if (val_certs_load_file(path, &set[i], err, sizeof(err)) != 0)
			fail_msg("%s", err);
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&in, 0, sizeof(in));
		memset(&p, 0, sizeof(p));
		p.flags = cases[i].flags;
		p.dns_name = cases[i].dns;
		p.ekus = ekus;
		p.key_usage = X509v3_KU_DIGITAL_SIGNATURE;
		in.leaf = set[2].v[0].x509;
		in.anchors = &set[0];
		in.untrusted = &set[1];
		in.purpose = &p;
		assert_int_equal(val_time_parse("2024-01-01T00:00:00Z",
		    &in.at), 0);
		val_report_init(&rep);
		assert_int_equal(val_chain_check(&in, NULL, &rep), 0);
		if ((val_report_verdict(&rep) != VAL_VERDICT_FAIL) !=
		    cases[i].valid || (cases[i].code != NULL &&
		    !val_report_has(&rep, cases[i].code))) {
			val_report_print(stdout, &rep);
			fail_msg("CFCA case %zu", i);
		}
		val_report_clear(&rep);
	}
	for (i = 0; i < 3; i++)
		val_certs_free(&set[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_cfca),
	};

	return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
