/*
 * fuzz_tl_verify.c: libFuzzer harness for tl_verify(): the structural
 * (anti-wrapping) checks, xmlsec with the OpenSSL engine and the XAdES
 * checks on arbitrary bytes.  The signer candidates are the input's own
 * KeyInfo certificates (tl_embedded_certs()), so well-formed seeds reach
 * the full XMLDSig path.  Seeds: tests/fuzz/tl_verify.seeds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>

#include "tl.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xmlInitParser();
	return tl_global_init();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct val_certs	 signers = { NULL, 0 };
	struct val_report	 rep;
	struct tl_verify_in	 in;
	struct tl_verified	 v;
	char			 err[256];

	(void)tl_embedded_certs(data, len, &signers, err, sizeof(err));
	memset(&in, 0, sizeof(in));
	in.signers = &signers;
	in.at = 1790000000;	/* 2026-09-21 */
	in.prev_seq = 10;
	in.territory = "DK";
	val_report_init(&rep);
	(void)tl_verify(data, len, "fuzz", &in, &v, &rep);
	(void)val_report_verdict(&rep);
	tl_verified_free(&v);
	val_report_clear(&rep);
	val_certs_free(&signers);
	return 0;
}
