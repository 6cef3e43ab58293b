/*
 * test_load.c: certificate loading: PEM, DER, bundles, strictness, and
 * every way an input can be unreadable.  Inputs are derived in the test
 * from one generated certificate, so each row says what was done to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <sys/stat.h>

#include "val.h"

static int
access_ok(const char *dir)
{
	struct stat	 st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static unsigned char	*der;	/* one certificate, strict DER */
static int		 derlen;
static char		*pem;	/* the same as PEM */

static int
setup(void **state)
{
	EVP_PKEY	*k;
	X509		*x;
	BIO		*b;
	char		*p;
	long		 n;

	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	x = X509_new();
	if (k == NULL || x == NULL)
		return -1;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_UTF8, (const unsigned char *)"load test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	ASN1_TIME_set(X509_getm_notBefore(x), 1700000000);
	ASN1_TIME_set(X509_getm_notAfter(x), 1800000000);
	X509_set_pubkey(x, k);
	if (X509_sign(x, k, EVP_sha256()) <= 0)
		return -1;
	der = NULL;
	derlen = i2d_X509(x, &der);
	b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	n = BIO_get_mem_data(b, &p);
	pem = strndup(p, (size_t)n);
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(k);
	return derlen > 0 && pem != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	OPENSSL_free(der);
	free(pem);
	return 0;
}

enum shape {
	S_DER, S_DER3, S_PEM, S_PEM3, S_PEM_TEXT, S_DER_TRUNC, S_DER_TRAIL,
	S_GARBAGE, S_EMPTY, S_PEM_NOEND, S_PEM_BADB64, S_BER_LEN,
	S_PEM_OTHER_ONLY, S_DER_TRAIL_BYTE
};

/* Builds the input of one row; returns its length. */
static size_t
make(enum shape s, unsigned char *buf, size_t cap)
{
	size_t	 n = 0, i;
	char	*end;

	switch (s) {
	case S_DER:
		memcpy(buf, der, derlen);
		return derlen;
	case S_DER3:
		for (i = 0; i < 3; i++, n += derlen)
			memcpy(buf + n, der, derlen);
		return n;
	case S_PEM:
		return (size_t)snprintf((char *)buf, cap, "%s", pem);
	case S_PEM3:
		return (size_t)snprintf((char *)buf, cap, "%s%s\n%s", pem,
		    pem, pem);
	case S_PEM_TEXT:
		return (size_t)snprintf((char *)buf, cap, "Certificate:\n  "
		    "Data: dump from openssl -text\n%s# trailing comment\n",
		    pem);
	case S_DER_TRUNC:
		memcpy(buf, der, derlen - 10);
		return derlen - 10;
	case S_DER_TRAIL:
		memcpy(buf, der, derlen);
		memcpy(buf + derlen, "\x30\x03\x02", 3);
		return derlen + 3;
	case S_DER_TRAIL_BYTE:
		memcpy(buf, der, derlen);
		buf[derlen] = 0;
		return derlen + 1;
	case S_GARBAGE:
		memcpy(buf, "hello, not a certificate\n", 25);
		return 25;
	case S_EMPTY:
		return 0;
	case S_PEM_NOEND:
		end = strstr(pem, "-----END");
		n = (size_t)(end - pem) - 30;
		memcpy(buf, pem, n);
		return n;
	case S_PEM_BADB64:
		n = (size_t)snprintf((char *)buf, cap, "%s", pem);
		buf[40] = '*';
		return n;
	case S_BER_LEN:
		/* The outer length in four octets instead of two: BER. */
		if (der[1] != 0x82)
			fail_msg("unexpected outer length form");
		buf[0] = 0x30;
		buf[1] = 0x84;
		buf[2] = 0;
		buf[3] = 0;
		memcpy(buf + 4, der + 2, derlen - 2);
		return derlen + 2;
	case S_PEM_OTHER_ONLY:
		return (size_t)snprintf((char *)buf, cap, "-----BEGIN PUBLIC "
		    "KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
	}
	return 0;
}

static void
test_table(void **state)
{
	static const struct {
		enum shape	 shape;
		int		 rc;	/* 0 loads, -1 rejected */
		size_t		 n;	/* certificates when loaded */
		int		 strict; /* 1: der_error NULL */
		const char	*msg;	/* substring of error or der_error */
	} rows[] = {
		{ S_DER, 0, 1, 1, NULL },
		{ S_DER3, 0, 3, 1, NULL },
		{ S_PEM, 0, 1, 1, NULL },
		{ S_PEM3, 0, 3, 1, NULL },
		{ S_PEM_TEXT, 0, 1, 1, NULL },
		{ S_DER_TRUNC, -1, 0, 0, "truncated" },
		{ S_DER_TRAIL, -1, 0, 0, "certificate 2" },
		{ S_DER_TRAIL_BYTE, -1, 0, 0, "stray byte" },
		{ S_GARBAGE, -1, 0, 0, "no certificate found" },
		{ S_EMPTY, -1, 0, 0, "empty input" },
		{ S_PEM_NOEND, -1, 0, 0, "no END line" },
		{ S_PEM_BADB64, -1, 0, 0, "bad base64" },
		{ S_BER_LEN, 0, 1, 0, "non-minimal length" },
		{ S_PEM_OTHER_ONLY, -1, 0, 0, "no certificate found" },
	};
	unsigned char		 buf[16384];
	struct val_certs	 s = { NULL, 0 };
	char			 err[512];
	size_t			 i, n;
	int			 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		n = make(rows[i].shape, buf, sizeof(buf));
		err[0] = '\0';
		rc = val_certs_load_mem(buf, n, "in.pem", &s, err, sizeof(err));
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d, want %d (%s)", i, rc,
			    rows[i].rc, err);
		if (rc != 0) {
			assert_int_equal(s.n, 0);
			assert_non_null(strstr(err, "in.pem"));
			if (strstr(err, rows[i].msg) == NULL)
				fail_msg("row %zu: '%s' lacks '%s'", i, err,
				    rows[i].msg);
			continue;
		}
		assert_int_equal(s.n, rows[i].n);
		if (rows[i].strict)
			assert_null(s.v[0].der_error);
		else {
			assert_non_null(s.v[0].der_error);
			assert_non_null(strstr(s.v[0].der_error,
			    rows[i].msg));
		}
		assert_string_equal(s.v[0].where, s.n == 1 ? "in.pem" :
		    "in.pem#1");
		val_certs_free(&s);
	}
}

static void
test_der_strict(void **state)
{
	static const struct {
		const char	*hex;
		int		 rc;
	} rows[] = {
		{ "300302012a", 0 },
		{ "3080020101" "0000", -1 },		/* indefinite */
		{ "30810302012a", -1 },			/* long form for 3 */
		{ "3003020001", -1 },			/* INTEGER 00 01 */
		{ "30030101" "01", -1 },		/* BOOLEAN 01 */
		{ "2303030100", -1 },			/* constructed BIT STRING */
		{ "0500", 0 },
		{ "050100", -1 },
		{ "300302012a00", -1 },			/* trailing */
		{ "3005020100", -1 },			/* truncated */
	};
	unsigned char	 b[64];
	char		 why[128];
	size_t		 i, j, n;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		n = strlen(rows[i].hex) / 2;
		for (j = 0; j < n; j++)
			sscanf(rows[i].hex + 2 * j, "%2hhx", &b[j]);
		if (val_der_strict(b, n, why, sizeof(why)) != rows[i].rc)
			fail_msg("row %zu (%s): want %d", i, rows[i].hex,
			    rows[i].rc);
	}
}

static void
test_real_files(void **state)
{
	static const struct {
		const char	*file;
		size_t		 n;
	} rows[] = {
		{ "certs-real/geotrust-tls-rsa-ca-g1.crt", 1 },	/* DER */
		{ "certs-real/tongsuo-test-tlcp-chain-ca.pem", 2 },
		{ "certs-real/cfca-cs-sm2-ca.pem", 1 },
	};
	struct val_certs	 s = { NULL, 0 };
	const char		*shared = getenv("XBRG_SHARED");
	char			 path[4096], err[512], hex[65];
	size_t			 i;

	if (shared == NULL || access_ok(shared) != 0) {
		print_message("skip: XBRG_SHARED (../shared) is absent\n");
		skip();
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", shared, rows[i].file);
		if (val_certs_load_file(path, &s, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_int_equal(s.n, rows[i].n);
		val_cert_sha256_hex(s.v[0].x509, hex);
		assert_int_equal(strlen(hex), 64);
		val_certs_free(&s);
	}
	assert_int_equal(val_certs_load_file("/nonexistent/x.pem", &s, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.pem"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_der_strict),
		cmocka_unit_test(test_real_files),
	};

	return cmocka_run_group_tests_name("load", tests, setup, teardown);
}
