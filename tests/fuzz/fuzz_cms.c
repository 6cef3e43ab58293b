/*
 * fuzz_cms.c: the CMS verifiers (gw_decision_verify: DER and PEM CMS
 * parsing, attribute checks, JSON decoding; gw_cms_verify_any) on
 * arbitrary bytes.
 * Seeds: tests/fuzz/cms.seeds.
 */
#include <stddef.h>
#include <stdint.h>

#include "gw.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct val_report	 rep;
	struct gw_cms_info	 info;
	json_t			*doc = NULL;

	val_report_init(&rep);
	if (gw_decision_verify(data, size, NULL, &doc, &info, &rep) == 0)
		(void)val_report_verdict(&rep);
	json_decref(doc);
	gw_cms_info_free(&info);
	val_report_clear(&rep);
	/* The relying parties' mode, the input doubling as content. */
	if (gw_cms_verify_any(data, size, data, size / 2, &info, &rep) == 0)
		(void)val_report_verdict(&rep);
	gw_cms_info_free(&info);
	val_report_clear(&rep);
	return 0;
}
