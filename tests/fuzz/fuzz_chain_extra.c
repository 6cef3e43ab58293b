/*
 * fuzz_chain_extra.c: libFuzzer harness for val_chain_extra().  The input
 * is loaded as a certificate bundle (PEM or DER, as xbrg reads files) and
 * taken as a chain in the order given, leaf first; val_chain_extra() then
 * runs with every purpose field and flag set.  It must add findings or
 * return -1, never crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509v3.h>

#include "val.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const ekus[] = {
		"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.3", NULL
	};
	struct val_purpose	 p = {
		.dns_name = "www.example.com",
		.ip = "192.0.2.1",
		.email = "a@example.com",
		.ekus = ekus,
		.key_usage = X509v3_KU_DIGITAL_SIGNATURE,
		.flags = VAL_PURPOSE_WEBPKI | VAL_PURPOSE_STRICT |
		    VAL_PURPOSE_MAX_DEPTH,
		.max_depth = 1,
	};
	struct val_certs	 certs = { NULL, 0 };
	struct val_report	 rep;
	STACK_OF(X509)		*chain;
	char			 err[256];
	size_t			 i;

	if (val_certs_load_mem(data, len, "fuzz", &certs, err,
	    sizeof(err)) != 0)
		return 0;
	if ((chain = sk_X509_new_null()) == NULL)
		goto out;
	for (i = 0; i < certs.n; i++)
		if (!sk_X509_push(chain, certs.v[i].x509))
			goto out;
	val_report_init(&rep);
	(void)val_chain_extra(chain, &p, 0, &rep);
	(void)val_report_verdict(&rep);
	val_report_clear(&rep);
 out:
	sk_X509_free(chain);
	val_certs_free(&certs);
	return 0;
}
