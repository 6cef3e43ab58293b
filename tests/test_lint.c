/*
 * test_lint.c: the certificate profiles, table-driven.  Each row: a
 * fixture (build/fixtures/lint, made by fixtures/mkbad.c, or
 * $XBRG_SHARED/certs-real), a pinned time, a profile, the expected verdict
 * and the exact set of finding codes.  Also: the profile loader's
 * composition and its rejection of malformed profiles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "val.h"

/* Fixture time: every good fixture is valid, none has expired. */
#define T0	"2026-01-01T00:00:00Z"
/* Real certificates: every one valid (BOC leaves expire 2026-06-19). */
#define T1	"2024-01-01T00:00:00Z"

struct row {
	const char		*file;
	const char		*at;
	const char		*profile;
	enum val_verdict	 verdict;
	const char		*codes;	/* sorted, space-separated */
};

static const struct row fixture_rows[] = {
	{ "bad-10000-extensions.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXT-TOO-MANY" },
	{ "bad-aia-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-AIA-CRITICAL" },
	{ "bad-aki-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-AKI-CRITICAL" },
	{ "bad-aki-no-keyid.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-AKI-NO-KEYID" },
	{ "bad-ca-bc-noncritical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL" },
	{ "bad-ca-ku-extra.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ca-ku-no-certsign.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-CA-KU-NO-CERTSIGN" },
	{ "bad-ca-no-ku.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-CA-KU-MISSING" },
	{ "bad-ca-no-sia.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ca-no-ski.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SKI-MISSING-CA" },
	{ "bad-ca-subject-empty.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-CA-SUBJECT-EMPTY" },
	{ "bad-cp-critical.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-cp-dup.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-CP-DUP" },
	{ "bad-crldp-critical.pem", T0, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-CRLDP-CRITICAL" },
	{ "bad-crldp-https.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-der-ber-length.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-DER-STRICT" },
	{ "bad-dn-cn-too-long.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-DN-LENGTH" },
	{ "bad-dn-country.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-DN-COUNTRY" },
	{ "bad-dn-ia5.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-DN-STRING-TYPE" },
	{ "bad-dn-printable-chars.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-DN-PRINTABLE-CHARS" },
	{ "bad-dn-printable.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-dp-reasons-only.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-DP-INCOMPLETE" },
	{ "bad-ee-bc-critical.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ee-no-ku.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ee-no-ski.pem", T0, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-SKI-MISSING-EE" },
	{ "bad-enc-ku-ke-only.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-expired.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXPIRED" },
	{ "bad-ext-bc-ber-boolean.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNDECODABLE" },
	{ "bad-ext-dup.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXT-DUP" },
	{ "bad-ext-ku-garbage.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNDECODABLE" },
	{ "bad-ext-unknown-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL" },
	{ "bad-freshest-crl-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-FRESHEST-CRL-CRITICAL" },
	{ "bad-gm-id-ext-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL" },
	{ "bad-iap-noncritical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-IAP-NOT-CRITICAL" },
	{ "bad-issuer-empty.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-ISSUER-EMPTY" },
	{ "bad-key-ed25519.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-key-p521.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-key-undecodable.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-KEY-UNDECODABLE" },
	{ "bad-ku-certsign-ee.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-KU-CERTSIGN-NOT-CA" },
	{ "bad-ku-dual.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ku-empty.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-KU-EMPTY" },
	{ "bad-ku-noncritical.pem", T0, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-KU-NOT-CRITICAL" },
	{ "bad-nc-empty.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-NC-EMPTY" },
	{ "bad-nc-in-ee.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-NC-NOT-CA" },
	{ "bad-nc-min-max.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-NC-MAXIMUM CERT-NC-MINIMUM" },
	{ "bad-nc-noncritical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-NC-NOT-CRITICAL" },
	{ "bad-no-aia.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-no-aki.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-AKI-MISSING" },
	{ "bad-no-cp.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-no-crldp.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-not-yet-valid.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-NOT-YET-VALID" },
	{ "bad-pathlen-ee.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-PATHLEN-NOT-CA" },
	{ "bad-pc-empty.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-PC-EMPTY" },
	{ "bad-pc-noncritical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-PC-NOT-CRITICAL" },
	{ "bad-pm-any-policy.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-PM-ANY-POLICY" },
	{ "bad-pm-noncritical.pem", T0, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-PM-NOT-CRITICAL" },
	{ "bad-rsa-1024.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-rsa-e3.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-rsa-params-absent.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-ALG-PARAMS" },
	{ "bad-rsa-sha1.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-rsa-sha224.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-san-critical.pem", T0, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-SAN-CRITICAL-WITH-SUBJECT" },
	{ "bad-san-empty.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SAN-EMPTY" },
	{ "bad-sda-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL CERT-SDA-CRITICAL" },
	{ "bad-serial-21.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-TOO-LONG" },
	{ "bad-serial-negative.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE" },
	{ "bad-serial-short.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-serial-zero.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE" },
	{ "bad-sia-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SIA-CRITICAL" },
	{ "bad-sigalg-mismatch.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SIG-ALG-MISMATCH" },
	{ "bad-sign-ku-ds-only.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ski-critical.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SKI-CRITICAL" },
	{ "bad-sm2-null-params.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-sm2-oid-params.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-sm2-spki-oid301.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-subject-empty-san-noncrit.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SUBJECT-EMPTY-SAN-NOT-CRITICAL" },
	{ "bad-subject-empty.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SUBJECT-EMPTY-NO-SAN" },
	{ "bad-time-gen-pre2050.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-TIME-ENCODING" },
	{ "bad-time-no-seconds.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-TIME-FORMAT" },
	{ "bad-unique-id.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-UNIQUE-ID" },
	{ "bad-validity-15y.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-validity-negative.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-EXPIRED CERT-VALIDITY-NEGATIVE" },
	{ "bad-version-1-ext.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-VERSION-EXT-NOT-V3" },
	{ "bad-version-4.pem", T0, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-VERSION-EXT-NOT-V3 CERT-VERSION-INVALID" },
	{ "bundle-good-sm2.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-p256-ca.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-p256-enc.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-p256-sign.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-rsa-ca.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-rsa-enc.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-rsa-sign.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-ca.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-enc.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-sign.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-subca.pem", T0, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "bad-10000-extensions.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXT-TOO-MANY" },
	{ "bad-aia-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-AIA-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-aki-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-AKI-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-aki-no-keyid.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-AKI-NO-KEYID" },
	{ "bad-ca-bc-noncritical.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-BC-CA-NOT-CRITICAL" },
	{ "bad-ca-ku-extra.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-CA-KU-BITS" },
	{ "bad-ca-ku-no-certsign.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-CA-KU-NO-CERTSIGN GMT-CA-KU-BITS" },
	{ "bad-ca-no-ku.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-CA-KU-MISSING GMT-KU-MISSING" },
	{ "bad-ca-no-sia.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-SIA-MISSING" },
	{ "bad-ca-no-ski.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SKI-MISSING-CA" },
	{ "bad-ca-subject-empty.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-CA-SUBJECT-EMPTY" },
	{ "bad-cp-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "GMT-CP-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-cp-dup.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-CP-DUP" },
	{ "bad-crldp-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-CRLDP-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-crldp-https.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-CRLDP-SCHEME" },
	{ "bad-der-ber-length.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-DER-STRICT" },
	{ "bad-dn-cn-too-long.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-DN-LENGTH" },
	{ "bad-dn-country.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-DN-COUNTRY" },
	{ "bad-dn-ia5.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-DN-STRING-TYPE GMT-DN-NOT-UTF8" },
	{ "bad-dn-printable-chars.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-DN-PRINTABLE-CHARS GMT-DN-NOT-UTF8" },
	{ "bad-dn-printable.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "GMT-DN-NOT-UTF8" },
	{ "bad-dp-reasons-only.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-DP-INCOMPLETE" },
	{ "bad-ee-bc-critical.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-EE-BC-CRITICAL" },
	{ "bad-ee-no-ku.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "GMT-KU-MISSING" },
	{ "bad-ee-no-ski.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SKI-MISSING-EE" },
	{ "bad-enc-ku-ke-only.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "GMT-ENC-KU-BITS" },
	{ "bad-expired.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXPIRED" },
	{ "bad-ext-bc-ber-boolean.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNDECODABLE" },
	{ "bad-ext-dup.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXT-DUP" },
	{ "bad-ext-ku-garbage.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNDECODABLE GMT-SIGN-KU-BITS" },
	{ "bad-ext-unknown-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-freshest-crl-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-FRESHEST-CRL-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-gm-id-ext-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL GMT-EXT-CRITICAL-UNLISTED "
	    "GMT-ID-EXT-CRITICAL" },
	{ "bad-iap-noncritical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-IAP-NOT-CRITICAL" },
	{ "bad-issuer-empty.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-ISSUER-EMPTY" },
	{ "bad-key-ed25519.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-KEY-NOT-ALLOWED GMT-KEY-NOT-SM2" },
	{ "bad-key-p521.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-CURVE-NOT-ALLOWED ALG-SIG-NOT-ALLOWED "
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "bad-key-undecodable.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-KEY-UNDECODABLE" },
	{ "bad-ku-certsign-ee.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-KU-CERTSIGN-NOT-CA GMT-CA-KU-BITS GMT-SIA-MISSING" },
	{ "bad-ku-dual.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-KU-DUAL" },
	{ "bad-ku-empty.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-KU-EMPTY GMT-SIGN-KU-BITS" },
	{ "bad-ku-noncritical.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-KU-NOT-CRITICAL" },
	{ "bad-nc-empty.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-NC-EMPTY" },
	{ "bad-nc-in-ee.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-NC-NOT-CA" },
	{ "bad-nc-min-max.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-NC-MAXIMUM CERT-NC-MINIMUM" },
	{ "bad-nc-noncritical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-NC-NOT-CRITICAL" },
	{ "bad-no-aia.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-AIA-MISSING" },
	{ "bad-no-aki.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-AKI-MISSING" },
	{ "bad-no-cp.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-CP-MISSING" },
	{ "bad-no-crldp.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-CRLDP-MISSING" },
	{ "bad-not-yet-valid.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-NOT-YET-VALID" },
	{ "bad-pathlen-ee.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-PATHLEN-NOT-CA" },
	{ "bad-pc-empty.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-PC-EMPTY" },
	{ "bad-pc-noncritical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-PC-NOT-CRITICAL" },
	{ "bad-pm-any-policy.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-PM-ANY-POLICY" },
	{ "bad-pm-noncritical.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-PM-NOT-CRITICAL" },
	{ "bad-rsa-1024.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-RSA-SMALL GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "bad-rsa-e3.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "bad-rsa-params-absent.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-ALG-PARAMS GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "bad-rsa-sha1.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-SIG-WEAK GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "bad-rsa-sha224.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-SIG-NOT-ALLOWED GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "bad-san-critical.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-SAN-CRITICAL-WITH-SUBJECT" },
	{ "bad-san-empty.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SAN-EMPTY" },
	{ "bad-sda-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL CERT-SDA-CRITICAL "
	    "GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-serial-21.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-TOO-LONG" },
	{ "bad-serial-negative.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE GMT-SERIAL-SHORT" },
	{ "bad-serial-short.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "GMT-SERIAL-SHORT" },
	{ "bad-serial-zero.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE GMT-SERIAL-SHORT" },
	{ "bad-sia-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SIA-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-sigalg-mismatch.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-SIG-NOT-ALLOWED CERT-SIG-ALG-MISMATCH "
	    "GMT-SIG-NOT-SM2" },
	{ "bad-sign-ku-ds-only.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "GMT-SIGN-KU-BITS" },
	{ "bad-ski-critical.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SKI-CRITICAL GMT-EXT-CRITICAL-UNLISTED" },
	{ "bad-sm2-null-params.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "GMT-SIG-PARAMS-NULL" },
	{ "bad-sm2-oid-params.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "GMT-SIG-PARAMS" },
	{ "bad-sm2-spki-oid301.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "GMT-SPKI-OID301" },
	{ "bad-subject-empty-san-noncrit.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SUBJECT-EMPTY-SAN-NOT-CRITICAL" },
	{ "bad-subject-empty.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SUBJECT-EMPTY-NO-SAN" },
	{ "bad-time-gen-pre2050.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-TIME-ENCODING" },
	{ "bad-time-no-seconds.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-TIME-FORMAT" },
	{ "bad-unique-id.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-UNIQUE-ID" },
	{ "bad-validity-15y.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-VALIDITY-TOO-LONG" },
	{ "bad-validity-negative.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-EXPIRED CERT-VALIDITY-NEGATIVE" },
	{ "bad-version-1-ext.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-VERSION-EXT-NOT-V3" },
	{ "bad-version-4.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-VERSION-EXT-NOT-V3 CERT-VERSION-INVALID" },
	{ "bundle-good-sm2.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "" },
	{ "good-p256-ca.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-CURVE-NOT-ALLOWED ALG-SIG-NOT-ALLOWED "
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "good-p256-enc.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-CURVE-NOT-ALLOWED ALG-SIG-NOT-ALLOWED "
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "good-p256-sign.pem", T0, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-CURVE-NOT-ALLOWED ALG-SIG-NOT-ALLOWED "
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "good-rsa-ca.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "good-rsa-enc.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "good-rsa-sign.pem", T0, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-KEY-NOT-SM2 GMT-SIG-NOT-SM2" },
	{ "good-sm2-ca.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-enc.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-sign.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-subca.pem", T0, "gmt0015", VAL_VERDICT_PASS,
	    "" },
	{ "bad-10000-extensions.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXT-TOO-MANY" },
	{ "bad-aia-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-AIA-CRITICAL" },
	{ "bad-aki-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-AKI-CRITICAL" },
	{ "bad-aki-no-keyid.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-AKI-NO-KEYID" },
	{ "bad-ca-bc-noncritical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL" },
	{ "bad-ca-ku-extra.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ca-ku-no-certsign.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-CA-KU-NO-CERTSIGN" },
	{ "bad-ca-no-ku.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-CA-KU-MISSING" },
	{ "bad-ca-no-sia.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ca-no-ski.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SKI-MISSING-CA" },
	{ "bad-ca-subject-empty.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-CA-SUBJECT-EMPTY" },
	{ "bad-cp-critical.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-cp-dup.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-CP-DUP" },
	{ "bad-crldp-critical.pem", T0, "intl", VAL_VERDICT_WARN,
	    "CERT-CRLDP-CRITICAL" },
	{ "bad-crldp-https.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-der-ber-length.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-DER-STRICT" },
	{ "bad-dn-cn-too-long.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-DN-LENGTH" },
	{ "bad-dn-country.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-DN-COUNTRY" },
	{ "bad-dn-ia5.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-DN-STRING-TYPE" },
	{ "bad-dn-printable-chars.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-DN-PRINTABLE-CHARS" },
	{ "bad-dn-printable.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-dp-reasons-only.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-DP-INCOMPLETE" },
	{ "bad-ee-bc-critical.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ee-no-ku.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ee-no-ski.pem", T0, "intl", VAL_VERDICT_WARN,
	    "CERT-SKI-MISSING-EE" },
	{ "bad-enc-ku-ke-only.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-expired.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXPIRED" },
	{ "bad-ext-bc-ber-boolean.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNDECODABLE" },
	{ "bad-ext-dup.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXT-DUP" },
	{ "bad-ext-ku-garbage.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNDECODABLE" },
	{ "bad-ext-unknown-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL" },
	{ "bad-freshest-crl-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-FRESHEST-CRL-CRITICAL" },
	{ "bad-gm-id-ext-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL" },
	{ "bad-iap-noncritical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-IAP-NOT-CRITICAL" },
	{ "bad-issuer-empty.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-ISSUER-EMPTY" },
	{ "bad-key-ed25519.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "ALG-KEY-NOT-ALLOWED" },
	{ "bad-key-p521.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "ALG-CURVE-NOT-ALLOWED" },
	{ "bad-key-undecodable.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-KEY-UNDECODABLE" },
	{ "bad-ku-certsign-ee.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-KU-CERTSIGN-NOT-CA" },
	{ "bad-ku-dual.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ku-empty.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-KU-EMPTY" },
	{ "bad-ku-noncritical.pem", T0, "intl", VAL_VERDICT_WARN,
	    "CERT-KU-NOT-CRITICAL" },
	{ "bad-nc-empty.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-NC-EMPTY" },
	{ "bad-nc-in-ee.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-NC-NOT-CA" },
	{ "bad-nc-min-max.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-NC-MAXIMUM CERT-NC-MINIMUM" },
	{ "bad-nc-noncritical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-NC-NOT-CRITICAL" },
	{ "bad-no-aia.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-no-aki.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-AKI-MISSING" },
	{ "bad-no-cp.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-no-crldp.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-not-yet-valid.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-NOT-YET-VALID" },
	{ "bad-pathlen-ee.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-PATHLEN-NOT-CA" },
	{ "bad-pc-empty.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-PC-EMPTY" },
	{ "bad-pc-noncritical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-PC-NOT-CRITICAL" },
	{ "bad-pm-any-policy.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-PM-ANY-POLICY" },
	{ "bad-pm-noncritical.pem", T0, "intl", VAL_VERDICT_WARN,
	    "CERT-PM-NOT-CRITICAL" },
	{ "bad-rsa-1024.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "ALG-RSA-SMALL" },
	{ "bad-rsa-e3.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "ALG-RSA-EXPONENT" },
	{ "bad-rsa-params-absent.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-ALG-PARAMS" },
	{ "bad-rsa-sha1.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "ALG-SIG-WEAK" },
	{ "bad-rsa-sha224.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "ALG-SIG-NOT-ALLOWED" },
	{ "bad-san-critical.pem", T0, "intl", VAL_VERDICT_WARN,
	    "CERT-SAN-CRITICAL-WITH-SUBJECT" },
	{ "bad-san-empty.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SAN-EMPTY" },
	{ "bad-sda-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXT-UNKNOWN-CRITICAL CERT-SDA-CRITICAL" },
	{ "bad-serial-21.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-TOO-LONG" },
	{ "bad-serial-negative.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE" },
	{ "bad-serial-short.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-serial-zero.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE" },
	{ "bad-sia-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SIA-CRITICAL" },
	{ "bad-sigalg-mismatch.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SIG-ALG-MISMATCH" },
	{ "bad-sign-ku-ds-only.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-ski-critical.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SKI-CRITICAL" },
	{ "bad-sm2-null-params.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-sm2-oid-params.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-sm2-spki-oid301.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-subject-empty-san-noncrit.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SUBJECT-EMPTY-SAN-NOT-CRITICAL" },
	{ "bad-subject-empty.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-SUBJECT-EMPTY-NO-SAN" },
	{ "bad-time-gen-pre2050.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-TIME-ENCODING" },
	{ "bad-time-no-seconds.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-TIME-FORMAT" },
	{ "bad-unique-id.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-UNIQUE-ID" },
	{ "bad-validity-15y.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-VALIDITY-TOO-LONG" },
	{ "bad-validity-negative.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-EXPIRED CERT-VALIDITY-NEGATIVE" },
	{ "bad-version-1-ext.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-VERSION-EXT-NOT-V3" },
	{ "bad-version-4.pem", T0, "intl", VAL_VERDICT_FAIL,
	    "CERT-VERSION-EXT-NOT-V3 CERT-VERSION-INVALID" },
	{ "bundle-good-sm2.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-p256-ca.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-p256-enc.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-p256-sign.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-rsa-ca.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-rsa-enc.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-rsa-sign.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-ca.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-enc.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-sign.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "good-sm2-subca.pem", T0, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "bad-eku-ku.pem", T0, "rfc5280", VAL_VERDICT_PASS, "" },
	{ "bad-eku-ku.pem", T0, "gmt0015", VAL_VERDICT_WARN, "GMT-EKU-KU" },
	{ "bad-eku-ku.pem", T0, "intl", VAL_VERDICT_PASS, "" },
	/* The same certificate judged at other times. */
	{ "good-sm2-sign.pem", "2024-12-31T23:59:59Z", "rfc5280",
	    VAL_VERDICT_FAIL, "CERT-NOT-YET-VALID" },
	{ "good-sm2-sign.pem", "2025-01-01T00:00:00Z", "rfc5280",
	    VAL_VERDICT_PASS, "" },
	{ "good-sm2-sign.pem", "2028-01-01T00:00:00Z", "rfc5280",
	    VAL_VERDICT_PASS, "" },
	{ "good-sm2-sign.pem", "2028-01-01T00:00:01Z", "rfc5280",
	    VAL_VERDICT_FAIL, "CERT-EXPIRED" },
};

static const struct row real_rows[] = {
	{ "boc-ebssec-enc.pem", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "boc-ebssec-sign.pem", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "cfca-cs-sm2-ca.pem", T1, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL" },
	{ "cfca-sm2-oca1.pem", T1, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL" },
	{ "cfca-test-sm2-oca1.pem", T1, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL" },
	{ "digicert-global-root-ca.pem", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "gts-root-r1.pem", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "isrg-root-x2.pem", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "nrcac-rootca-sm2.pem", T1, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL" },
	{ "sheca-sm2-ca.pem", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "tongsuo-test-sm2-first.pem", T1, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-KU-NOT-CRITICAL" },
	{ "tongsuo-test-sm2-root-oid301.pem", T1, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-KU-NOT-CRITICAL" },
	{ "tongsuo-test-tlcp-chain-ca.pem", T1, "rfc5280", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE" },
	{ "tongsuo-test-tlcp-server-enc.pem", T1, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-KU-NOT-CRITICAL" },
	{ "tongsuo-test-tlcp-server-sign.pem", T1, "rfc5280", VAL_VERDICT_WARN,
	    "CERT-KU-NOT-CRITICAL" },
	{ "trustasia-ecc-ov-tls-pro-ca.pem", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "geotrust-tls-rsa-ca-g1.crt", T1, "rfc5280", VAL_VERDICT_PASS,
	    "" },
	{ "boc-ebssec-enc.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-AIA-MISSING GMT-EE-BC-CRITICAL GMT-SIG-PARAMS-NULL" },
	{ "boc-ebssec-sign.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-AIA-MISSING GMT-EE-BC-CRITICAL GMT-SIG-PARAMS-NULL" },
	{ "cfca-cs-sm2-ca.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-BC-CA-NOT-CRITICAL GMT-KU-NOT-CRITICAL "
	    "GMT-SIA-MISSING GMT-SIG-PARAMS-NULL" },
	{ "cfca-sm2-oca1.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-BC-CA-NOT-CRITICAL GMT-AIA-MISSING GMT-CP-MISSING "
	    "GMT-KU-NOT-CRITICAL GMT-SIA-MISSING GMT-SIG-PARAMS-NULL" },
	{ "cfca-test-sm2-oca1.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-BC-CA-NOT-CRITICAL GMT-AIA-MISSING GMT-CP-MISSING "
	    "GMT-KU-NOT-CRITICAL GMT-SIA-MISSING GMT-SIG-PARAMS-NULL" },
	{ "digicert-global-root-ca.pem", T1, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-SIG-WEAK GMT-CA-KU-BITS GMT-DN-NOT-UTF8 "
	    "GMT-KEY-NOT-SM2 GMT-SIA-MISSING GMT-SIG-NOT-SM2" },
	{ "gts-root-r1.pem", T1, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-SIG-NOT-ALLOWED GMT-CA-KU-BITS GMT-DN-NOT-UTF8 "
	    "GMT-KEY-NOT-SM2 GMT-SIA-MISSING GMT-SIG-NOT-SM2" },
	{ "isrg-root-x2.pem", T1, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-CURVE-NOT-ALLOWED ALG-SIG-NOT-ALLOWED "
	    "GMT-DN-NOT-UTF8 GMT-KEY-NOT-SM2 GMT-SIA-MISSING "
	    "GMT-SIG-NOT-SM2" },
	{ "nrcac-rootca-sm2.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-BC-CA-NOT-CRITICAL GMT-KU-NOT-CRITICAL "
	    "GMT-SIA-MISSING GMT-SIG-PARAMS-NULL" },
	{ "sheca-sm2-ca.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-AIA-MISSING GMT-CP-MISSING GMT-SIA-MISSING "
	    "GMT-SIG-PARAMS-NULL" },
	{ "tongsuo-test-sm2-first.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-VALIDITY-TOO-LONG GMT-AIA-MISSING GMT-CP-MISSING "
	    "GMT-CRLDP-MISSING GMT-EE-BC-CRITICAL GMT-KU-DUAL "
	    "GMT-KU-NOT-CRITICAL" },
	{ "tongsuo-test-sm2-root-oid301.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-KU-NOT-CRITICAL GMT-SIA-MISSING GMT-SPKI-OID301" },
	{ "tongsuo-test-tlcp-chain-ca.pem", T1, "gmt0015", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE CERT-VALIDITY-TOO-LONG "
	    "GMT-AIA-MISSING GMT-CA-KU-BITS GMT-CP-MISSING "
	    "GMT-CRLDP-MISSING GMT-SERIAL-SHORT GMT-SIA-MISSING" },
	{ "tongsuo-test-tlcp-server-enc.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-VALIDITY-TOO-LONG GMT-AIA-MISSING GMT-CP-MISSING "
	    "GMT-CRLDP-MISSING GMT-KU-NOT-CRITICAL" },
	{ "tongsuo-test-tlcp-server-sign.pem", T1, "gmt0015", VAL_VERDICT_WARN,
	    "CERT-VALIDITY-TOO-LONG GMT-AIA-MISSING GMT-CP-MISSING "
	    "GMT-CRLDP-MISSING GMT-KU-NOT-CRITICAL" },
	{ "trustasia-ecc-ov-tls-pro-ca.pem", T1, "gmt0015", VAL_VERDICT_FAIL,
	    "ALG-CURVE-NOT-ALLOWED ALG-SIG-NOT-ALLOWED GMT-CA-KU-BITS "
	    "GMT-DN-NOT-UTF8 GMT-KEY-NOT-SM2 GMT-SIA-MISSING "
	    "GMT-SIG-NOT-SM2" },
	{ "geotrust-tls-rsa-ca-g1.crt", T1, "gmt0015", VAL_VERDICT_WARN,
	    "GMT-CA-KU-BITS GMT-DN-NOT-UTF8 GMT-KEY-NOT-SM2 "
	    "GMT-SIA-MISSING GMT-SIG-NOT-SM2" },
	{ "boc-ebssec-enc.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-VALIDITY-TOO-LONG" },
	{ "boc-ebssec-sign.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-VALIDITY-TOO-LONG" },
	{ "cfca-cs-sm2-ca.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL "
	    "CERT-VALIDITY-TOO-LONG" },
	{ "cfca-sm2-oca1.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL" },
	{ "cfca-test-sm2-oca1.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL" },
	{ "digicert-global-root-ca.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "ALG-SIG-WEAK" },
	{ "gts-root-r1.pem", T1, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "isrg-root-x2.pem", T1, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "nrcac-rootca-sm2.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-BC-CA-NOT-CRITICAL CERT-KU-NOT-CRITICAL "
	    "CERT-VALIDITY-TOO-LONG" },
	{ "sheca-sm2-ca.pem", T1, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "tongsuo-test-sm2-first.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-KU-NOT-CRITICAL CERT-VALIDITY-TOO-LONG" },
	{ "tongsuo-test-sm2-root-oid301.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-KU-NOT-CRITICAL CERT-VALIDITY-TOO-LONG" },
	{ "tongsuo-test-tlcp-chain-ca.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-SERIAL-NOT-POSITIVE CERT-VALIDITY-TOO-LONG" },
	{ "tongsuo-test-tlcp-server-enc.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-KU-NOT-CRITICAL CERT-VALIDITY-TOO-LONG" },
	{ "tongsuo-test-tlcp-server-sign.pem", T1, "intl", VAL_VERDICT_FAIL,
	    "CERT-KU-NOT-CRITICAL CERT-VALIDITY-TOO-LONG" },
	{ "trustasia-ecc-ov-tls-pro-ca.pem", T1, "intl", VAL_VERDICT_PASS,
	    "" },
	{ "geotrust-tls-rsa-ca-g1.crt", T1, "intl", VAL_VERDICT_PASS,
	    "" },	/* CFCA's BOC certificates have since expired. */
	{ "boc-ebssec-sign.pem", "2026-06-20T00:00:00Z", "gmt0015",
	    VAL_VERDICT_FAIL, "CERT-EXPIRED GMT-AIA-MISSING "
	    "GMT-EE-BC-CRITICAL GMT-SIG-PARAMS-NULL" },
};

static struct val_profile *profiles[3];
static const char *const pnames[3] = { "rfc5280", "gmt0015", "intl" };

static const struct val_profile *
profile(const char *name)
{
	size_t	 i;

	for (i = 0; i < 3; i++)
		if (strcmp(pnames[i], name) == 0)
			return profiles[i];
	fail_msg("no profile %s", name);
	return NULL;
}

static int
setup(void **state)
{
	char	 err[512];
	size_t	 i;

	for (i = 0; i < 3; i++)
		if ((profiles[i] = val_profile_load(pnames[i], NULL, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "profile %s: %s\n", pnames[i], err);
			return -1;
		}
	return 0;
}

static int
teardown(void **state)
{
	size_t	 i;

	for (i = 0; i < 3; i++)
		val_profile_free(profiles[i]);
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The report's distinct codes, sorted, space-separated. */
static void
codes_of(const struct val_report *rep, char *out, size_t len)
{
	const char	**v;
	size_t		 i, n = 0;

	out[0] = '\0';
	if (rep->n == 0)
		return;
	v = calloc(rep->n, sizeof(*v));
	assert_non_null(v);
	for (i = 0; i < rep->n; i++)
		v[n++] = rep->items[i].rule->code;
	qsort(v, n, sizeof(*v), cmpstr);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		if (out[0] != '\0')
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, v[i], len - strlen(out) - 1);
	}
	free(v);
}

static int
run_rows(const char *dir, const struct row *rows, size_t n)
{
	struct val_certs	 certs;
	struct val_report	 rep;
	char			 path[1024], err[512], got[2048];
	time_t			 at;
	size_t			 i, j;
	int			 bad = 0;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, rows[i].file);
		memset(&certs, 0, sizeof(certs));
		val_report_init(&rep);
		assert_int_equal(val_time_parse(rows[i].at, &at), 0);
		if (val_certs_load_file(path, &certs, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		for (j = 0; j < certs.n; j++)
			assert_int_equal(val_cert_check(&certs.v[j],
			    profile(rows[i].profile), at, &rep), 0);
		codes_of(&rep, got, sizeof(got));
		if (strcmp(got, rows[i].codes) != 0 ||
		    val_report_verdict(&rep) != rows[i].verdict) {
			printf("FAIL %s %s at %s: got %s [%s], want %s [%s]\n",
			    rows[i].file, rows[i].profile, rows[i].at,
			    val_verdict_name(val_report_verdict(&rep)), got,
			    val_verdict_name(rows[i].verdict),
			    rows[i].codes);
			bad++;
		}
		val_report_clear(&rep);
		val_certs_free(&certs);
	}
	return bad;
}

static void
test_fixtures(void **state)
{
	char	 dir[1024];

	snprintf(dir, sizeof(dir), "%s/lint", getenv("FIXTURES") ?
	    getenv("FIXTURES") : "build/fixtures");
	assert_int_equal(run_rows(dir, fixture_rows,
	    sizeof(fixture_rows) / sizeof(fixture_rows[0])), 0);
}

static void
test_real(void **state)
{
	const char	*sh = getenv("XBRG_SHARED");
	char		 dir[1024];
	struct stat	 st;

	if (sh == NULL || snprintf(dir, sizeof(dir), "%s/certs-real", sh) < 0
	    || stat(dir, &st) != 0) {
		printf("skip: $XBRG_SHARED/certs-real absent\n");
		skip();
	}
	assert_int_equal(run_rows(dir, real_rows,
	    sizeof(real_rows) / sizeof(real_rows[0])), 0);
}

/* Every finding names the certificate and carries the rule's fields. */
static void
test_finding_fields(void **state)
{
	struct val_certs	 certs = { NULL, 0 };
	struct val_report	 rep;
	char			 path[1024], err[512];
	time_t			 at;

	snprintf(path, sizeof(path), "%s/lint/bad-ext-dup.pem",
	    getenv("FIXTURES") ? getenv("FIXTURES") : "build/fixtures");
	val_report_init(&rep);
	assert_int_equal(val_certs_load_file(path, &certs, err, sizeof(err)),
	    0);
	assert_int_equal(val_time_parse(T0, &at), 0);
	assert_int_equal(val_cert_check(&certs.v[0], profile("rfc5280"), at,
	    &rep), 0);
	assert_int_equal(rep.n, 1);
	assert_string_equal(rep.items[0].rule->code, "CERT-EXT-DUP");
	assert_string_equal(rep.items[0].rule->cite, "RFC 5280 4.2");
	assert_int_equal(rep.items[0].rule->sev, VAL_ERROR);
	assert_non_null(strstr(rep.items[0].where, "bad-ext-dup.pem"));
	assert_non_null(rep.items[0].detail);
	assert_non_null(strstr(rep.items[0].detail, "2.5.29.14"));
	val_report_clear(&rep);
	val_certs_free(&certs);
}

/* Composition: gmt0015 includes rfc5280, changes two severities, drops
 * one rule and adds its own. */
static void
test_composition(void **state)
{
	const struct val_profile	*r = profile("rfc5280");
	const struct val_profile	*g = profile("gmt0015");
	const struct val_rule		*a, *b;
	size_t				 i, j, shared = 0;

	assert_string_equal(val_profile_name(g), "gmt0015");
	assert_null(val_profile_rule(r, val_profile_nrules(r)));
	for (i = 0; i < val_profile_nrules(r); i++) {
		a = val_profile_rule(r, i);
		for (j = 0; j < val_profile_nrules(g); j++) {
			b = val_profile_rule(g, j);
			if (strcmp(a->code, b->code) != 0)
				continue;
			shared++;
			if (strcmp(a->code, "CERT-BC-CA-NOT-CRITICAL") == 0) {
				assert_int_equal(a->sev, VAL_ERROR);
				assert_int_equal(b->sev, VAL_WARN);
			} else if (strcmp(a->code,
			    "CERT-SKI-MISSING-EE") == 0) {
				assert_int_equal(a->sev, VAL_WARN);
				assert_int_equal(b->sev, VAL_ERROR);
			} else
				assert_int_equal(a->sev, b->sev);
		}
	}
	/* Everything but CERT-KU-NOT-CRITICAL. */
	assert_int_equal(shared, val_profile_nrules(r) - 1);
	assert_true(val_profile_nrules(g) > val_profile_nrules(r));
}

/* Malformed profiles are rejected naming the file and line. */
static void
test_bad_profiles(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;	/* in the error */
	} rows[] = {
		{ "profile t\nrule CERT-EXT-DUP bogus | c | t\n",
		    "t.profile:2: rule CERT-EXT-DUP: unknown severity" },
		{ "profile t\nrule NO-SUCH-CODE error | c | t\n",
		    "t.profile:2: rule NO-SUCH-CODE: no check implements" },
		{ "profile t\n\n# c\nrule CERT-EXT-DUP error c t\n",
		    "t.profile:4: rule: want" },
		{ "profile t\nrule CERT-EXT-DUP error | c | t\n"
		    "rule CERT-EXT-DUP warn | c | t\n",
		    "t.profile:3: rule CERT-EXT-DUP: given twice" },
		{ "profile t\nparam nosuch 1\n",
		    "t.profile:2: unknown parameter 'nosuch'" },
		{ "profile t\nparam min_rsa_bits big\n",
		    "t.profile:2: param min_rsa_bits: want one integer" },
		{ "profile t\nparam curves prime256v1 no-such-curve\n",
		    "t.profile:2: param curves: unknown algorithm or OID "
		    "'no-such-curve'" },
		{ "profile t\ninclude t\n", "include cycle" },
		{ "profile t\ninclude ../etc\n",
		    "t.profile:2: include: bad profile name" },
		{ "profile t\ninclude missing\n", "missing.profile" },
		{ "rule CERT-EXT-DUP error | c | t\n",
		    "t.profile:1: the first directive must be 'profile t'" },
		{ "profile other\n", "does not match the file name" },
		{ "profile t\nseverity CERT-EXT-DUP warn\n",
		    "t.profile:2: severity: rule CERT-EXT-DUP is not" },
		{ "profile t\ndrop CERT-EXT-DUP\n",
		    "t.profile:2: drop: rule 'CERT-EXT-DUP' is not" },
		{ "profile t\nfrobnicate\n",
		    "t.profile:2: unknown directive 'frobnicate'" },
		{ "# nothing\n", "empty profile" },
		{ "profile t\n", "profile t: no rules" },
		{ "profile t\nrule CERT-EXT-DUP error | | t\n",
		    "t.profile:2: rule CERT-EXT-DUP: empty citation" },
	};
	struct val_profile	*p;
	char			 dir[] = "/tmp/xbrg-profiles-XXXXXX";
	char			 path[256], err[512];
	FILE			*fp;
	size_t			 i;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.profile", dir);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_non_null(fp = fopen(path, "w"));
		fputs(rows[i].text, fp);
		fclose(fp);
		p = val_profile_load("t", dir, err, sizeof(err));
		if (p != NULL || strstr(err, rows[i].want) == NULL)
			fail_msg("row %zu: got '%s', want '%s'", i,
			    p ? "(loaded)" : err, rows[i].want);
	}
	/* A good one composes with include, severity, drop and param. */
	assert_non_null(fp = fopen(path, "w"));
	fputs("profile t\ninclude u\nseverity CERT-EXT-DUP warn\n"
	    "drop CERT-SAN-EMPTY\nparam min_rsa_bits 3072\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/u.profile", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("profile u\nrule CERT-EXT-DUP error | c1 | t1\n"
	    "rule CERT-SAN-EMPTY error | c2 | t2\n"
	    "rule ALG-RSA-SMALL error | c3 | t3\n", fp);
	fclose(fp);
	p = val_profile_load("t", dir, err, sizeof(err));
	if (p == NULL)
		fail_msg("%s", err);
	assert_int_equal(val_profile_nrules(p), 2);
	assert_string_equal(val_profile_rule(p, 0)->code, "CERT-EXT-DUP");
	assert_int_equal(val_profile_rule(p, 0)->sev, VAL_WARN);
	assert_string_equal(val_profile_rule(p, 1)->cite, "c3");
	val_profile_free(p);
	assert_null(val_profile_load("nosuch", dir, err, sizeof(err)));
	assert_null(val_profile_load("../x", dir, err, sizeof(err)));
	val_profile_free(NULL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/t.profile", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_finding_fields),
		cmocka_unit_test(test_composition),
		cmocka_unit_test(test_bad_profiles),
	};

	return cmocka_run_group_tests_name("lint", tests, setup, teardown);
}
