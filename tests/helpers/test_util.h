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

/* A finished subprocess: its exit code (-1 when killed) and output. */
struct tu_run {
	int	 status;
	char	*out;		/* stdout, NUL-terminated */
	char	*err;		/* stderr, NUL-terminated */
};

/*
 * Runs argv[0] with argv (NULL-terminated), no shell, and waits for it;
 * stdout and stderr are captured whole (through unlinked temporary
 * files, so a chatty child cannot block on a full pipe).  tu_run_free()
 * releases the output.
 */
void		 tu_run(struct tu_run *r, char *const argv[]);
void		 tu_run_free(struct tu_run *r);

/*
 * A self-issued certificate for subj with this serial, valid from
 * 1700000000 to 1900000000, with this SKI when not NULL, signed by a
 * fresh P-256 key; its public key is pub when not NULL (a re-issue for
 * that key), else the fresh key's.
 */
X509		*tu_cert(const X509_NAME *subj, const ASN1_OCTET_STRING *ski,
		    EVP_PKEY *pub, long serial);

/*
 * The first X509Certificate after marker in the trust list dir/rel, read
 * as raw bytes (no XML parsing, so it works on lists the parser refuses).
 */
X509		*tu_list_cert(const char *dir, const char *rel,
		    const char *marker);

#endif /* TEST_UTIL_H */
