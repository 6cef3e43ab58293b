/*
 * fuzz_http_body.c: the hot path's JSON scanner (gw_body_json_fast) must
 * never accept what jansson refuses, nor read differently what both
 * accept; and the reply writer (gw_json_compact) must write what
 * json_dumps writes for whatever jansson parses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gw_http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t	*f, *j;
	char	*a, *b;
	size_t	 n;

	f = gw_body_json_fast((const char *)data, size);
	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, NULL);
	if (f != NULL && (j == NULL || !json_equal(f, j)))
		abort();
	if (j != NULL) {
		a = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		b = gw_json_compact(j, &n);
		if ((a == NULL) != (b == NULL) ||
		    (a != NULL && strcmp(a, b) != 0))
			abort();
		free(a);
		free(b);
	}
	json_decref(f);
	json_decref(j);
	return 0;
}
