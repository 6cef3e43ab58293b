/*
 * fuzz_tl_parse.c: libFuzzer harness for tl_parse() (and, on what parses,
 * tl_list_print() and tl_status() with a fixed certificate).  Seeds:
 * tests/fuzz/tl_parse.seeds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libxml/parser.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tl.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static X509	*cert;
static FILE	*devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	EVP_PKEY	*k;
	X509_NAME	*nm;

	xmlInitParser();
	devnull = fopen("/dev/null", "w");
	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	cert = X509_new();
	nm = X509_NAME_new();
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const unsigned char *)"Test CA", -1, -1, 0);
	X509_NAME_add_entry_by_txt(nm, "C", MBSTRING_ASC,
	    (const unsigned char *)"ZZ", -1, -1, 0);
	X509_set_version(cert, 2);
	X509_set_subject_name(cert, nm);
	X509_set_issuer_name(cert, nm);
	ASN1_TIME_set(X509_getm_notBefore(cert), 1700000000);
	ASN1_TIME_set(X509_getm_notAfter(cert), 1900000000);
	X509_set_pubkey(cert, k);
	X509_sign(cert, k, EVP_sha256());
	X509_NAME_free(nm);
	EVP_PKEY_free(k);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct val_report	 rep;
	struct tl_status_result	 res;
	struct tl_list		*l;
	const struct tl_list	*ls[1];

	val_report_init(&rep);
	l = tl_parse(data, len, "fuzz", &rep);
	if (l != NULL) {
		if (devnull != NULL)
			tl_list_print(devnull, l);
		ls[0] = l;
		if (tl_status(cert, ls, 1, 1700000000, &res) == 0)
			tl_status_result_free(&res);
	}
	tl_list_free(l);
	val_report_clear(&rep);
	return 0;
}
