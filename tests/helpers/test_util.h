/*
 * test_util.h: small helpers that several test programs share (the
 * Makefile links every .c file of tests/helpers into each test program).
 * They fail the running cmocka test themselves where a test could not go
 * on.
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "val.h"

/*
 * $XBRG_SHARED when it is set and holds the folder sub, else NULL after
 * printing why (the caller skips).
 */
const char	*tu_shared(const char *sub);

/*
 * The file dir/rel (rel alone when dir is NULL), at most max bytes, as a
 * NUL-terminated buffer to free(); *len (may be NULL) gets its size
 * without the NUL.  Fails the test when it cannot be read.
 */
char		*tu_slurp(const char *dir, const char *rel, size_t max,
		    size_t *len);

/* The codes of rep's findings, sorted, repeats kept, joined by spaces. */
void		 tu_codes(const struct val_report *rep, char *out,
		    size_t outlen);

/*
 * A self-issued certificate for subj with this serial, valid from
 * 1700000000 to 1900000000, with this SKI when not NULL, signed by a
 * fresh P-256 key; its public key is pub when not NULL (a re-issue for
 * that key), else the fresh key's.
 */
X509		*tu_cert(const X509_NAME *subj, const ASN1_OCTET_STRING *ski,
		    EVP_PKEY *pub, long serial);

#endif /* TEST_UTIL_H */
