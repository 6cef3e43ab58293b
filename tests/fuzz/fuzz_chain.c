/*
 * fuzz_chain.c: libFuzzer harness for CRL loading and path validation.
 * The input is loaded as a CRL file (val_crls_load_mem) and as a
 * certificate bundle (val_certs_load_mem); a bundle of two or more
 * certificates is validated with val_chain_check(): first = leaf, last =
 * anchor, the rest the untrusted pool, any CRLs found in a second pass over
 * the same bytes, every option set.  It must give findings or -1, never
 * crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509v3.h>

#include "val.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const ekus[] = { "1.3.6.1.5.5.7.3.1", NULL };
	static const char *const pols[] = { "2.999.1.1", VAL_ANY_POLICY,
	    NULL };
	struct val_purpose	 p = {
		.dns_name = "leaf.xbrg.test",
		.ip = "192.0.2.10",
		.ekus = ekus,
		.key_usage = X509v3_KU_DIGITAL_SIGNATURE,
	};
	struct val_certs	 certs = { NULL, 0 }, anchors, pool;
	struct val_crls		 crls = { NULL, 0 };
	struct val_chain_in	 in = { 0 };
	struct val_chain_out	 out;
	struct val_report	 rep;
	char			 err[256];
	int			 i;

	(void)val_crls_load_mem(data, len, "fuzz.crl", &crls, err,
	    sizeof(err));
	if (val_certs_load_mem(data, len, "fuzz.pem", &certs, err,
	    sizeof(err)) != 0 || certs.n < 2)
		goto out;
	anchors.v = &certs.v[certs.n - 1];
	anchors.n = 1;
	pool.v = &certs.v[1];
	pool.n = certs.n - 2;
	for (i = 0; i < 2; i++) {
		in.leaf = certs.v[0].x509;
		in.anchors = &anchors;
		in.untrusted = &pool;
		in.crls = &crls;
		in.at = 1767225600;	/* 2026-01-01T00:00:00Z */
		in.policies = i ? pols : NULL;
		in.explicit_policy = i;
		in.inhibit_mapping = i;
		in.inhibit_any = i;
		in.max_depth = i ? 1 : 0;
		in.purpose = i ? &p : NULL;
		in.flags = i ? VAL_CHAIN_PARTIAL : 0;
		val_report_init(&rep);
		if (val_chain_check(&in, &out, &rep) == 0)
			val_chain_out_free(&out);
		val_report_clear(&rep);
	}
 out:
	val_crls_free(&crls);
	val_certs_free(&certs);
	return 0;
}
