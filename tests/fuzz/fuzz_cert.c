/*
 * fuzz_cert.c: libFuzzer harness for certificate loading (PEM, DER,
 * bundles) and linting under every shipped profile.  Any input must give
 * certificates, findings or an error: never a crash, a leak or a hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "val.h"

#define NPROF	3

static struct val_profile	*prof[NPROF];

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const names[NPROF] = { "rfc5280", "gmt0015",
	    "intl" };
	char	 err[512];
	int	 i;

	for (i = 0; i < NPROF; i++)
		if ((prof[i] = val_profile_load(names[i], NULL, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "fuzz_cert: %s\n", err);
			abort();
		}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct val_certs	 certs = { NULL, 0 };
	struct val_report	 rep;
	char			 err[512];
	size_t			 i;
	int			 p;

	if (val_certs_load_mem(data, size, "fuzz", &certs, err,
	    sizeof(err)) != 0)
		return 0;
	for (p = 0; p < NPROF; p++) {
		val_report_init(&rep);
		for (i = 0; i < certs.n; i++)
			(void)val_cert_check(&certs.v[i], prof[p],
			    1767225600, &rep);
		(void)val_report_verdict(&rep);
		val_report_clear(&rep);
	}
	val_certs_free(&certs);
	return 0;
}
