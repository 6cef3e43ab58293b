/*
 * fuzz_dossier.c: libFuzzer harness for dossier decoding
 * (gw_dossier_decode) with the shipped policy, and for the review and
 * complaint body decoders reached through it: any input must give either
 * a decoded dossier or an error naming a status and a code, never a crash,
 * a leak or a hang.  Seeds: tests/fuzz/dossier.seeds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_svc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct gw_policy *
policy(void)
{
	static struct gw_policy	*p;
	char			 err[512];

	if (p == NULL) {
		p = gw_policy_load("profiles/policy.json", err, sizeof(err));
		if (p == NULL) {
			fprintf(stderr, "fuzz_dossier: %s (run from the "
			    "repository root)\n", err);
			abort();
		}
	}
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gw_dossier	*d = NULL;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;

	memset(&e, 0, sizeof(e));
	st = gw_dossier_decode((const char *)data, size, policy(), &d, &e);
	if (st == GW_SVC_OK) {
		if (d == NULL || d->legal_name == NULL || d->ca_chain.n == 0)
			abort();
		gw_dossier_free(d);
	} else if (d != NULL || e.code[0] == '\0')
		abort();
	return 0;
}
