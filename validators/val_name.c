/*
 * val_name.c: the one text form of a distinguished name used in JSON and
 * findings: RFC 2253 order and escaping, UTF-8 kept as is (not escaped as
 * \XX), so that Chinese O/L/ST values read as written.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include "val.h"

char *
val_name_text(const X509_NAME *name)
{
	BIO	*bio;
	char	*p, *s = NULL;
	long	 len;

	if (name == NULL || (bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 &
	    ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (len = BIO_get_mem_data(bio, &p)) >= 0 &&
	    (s = malloc((size_t)len + 1)) != NULL) {
		if (len > 0)
			memcpy(s, p, (size_t)len);
		s[len] = '\0';
	}
	BIO_free(bio);
	return s;
}
