/*
 * test_http_body.c: the hot path's JSON scanner (gw_body_json_fast) agrees
 * with jansson on everything it accepts, and declines (NULL, so jansson
 * judges) everything outside its simple shape.  Table-driven, plus
 * seeded mutations of a real /v1/validate body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gw_http.h"

/* fast result NULL, or equal to jansson's (duplicates rejected). */
static void
agree(const char *in, size_t len, int want_fast)
{
	json_t	*f, *j;

	f = gw_body_json_fast(in, len);
	j = json_loadb(in, len, JSON_REJECT_DUPLICATES, NULL);
	if (want_fast == 1 && f == NULL)
		fail_msg("fast path declined: %.*s", (int)len, in);
	if (want_fast == 0 && f != NULL)
		fail_msg("fast path accepted: %.*s", (int)len, in);
	if (f != NULL) {
		if (j == NULL || !json_equal(f, j))
			fail_msg("fast path differs from jansson: %.*s",
			    (int)len, in);
	}
	json_decref(f);
	json_decref(j);
}

static void
test_table(void **state)
{
	static const struct {
		const char	*in;
		int		 fast;	/* 1 accepted, 0 declined */
	} rows[] = {
		{ "{}", 1 },
		{ " {\n} \n", 1 },
		{ "{\"chain\":[\"a\",\"b\\nc\"],\"at\":\"x\"}", 1 },
		{ "{\"s\":\"q\\\"\\\\\\/\\r\\t\"}", 1 },
		{ "{\"a\":[]}", 1 },
		{ "{ \"a\" : [ \"x\" , \"y\" ] , \"b\" : \"\" }", 1 },
		{ "{\"a\":\"x\",\"a\":\"y\"}", 0 },	/* duplicate */
		{ "{\"a\":1}", 0 },
		{ "{\"a\":null}", 0 },
		{ "{\"a\":{\"b\":\"c\"}}", 0 },
		{ "{\"a\":[1]}", 0 },
		{ "{\"a\":\"\\u0041\"}", 0 },
		{ "{\"a\":\"\\u0000\"}", 0 },
		{ "{\"a\":\"\xc3\xa9\"}", 0 },
		{ "{\"a\":\"\xff\"}", 0 },
		{ "{\"a\":\"x\ny\"}", 0 },		/* raw control char */
		{ "{\"a\":\"x\"", 0 },
		{ "{\"a\":\"x\"}}", 0 },
		{ "{\"a\":\"x\",}", 0 },
		{ "{\"a\":[\"x\",]}", 0 },
		{ "[\"a\"]", 0 },
		{ "", 0 },
		{ "{\"a\" \"x\"}", 0 },
		{ "{\"\":\"x\"}", 0 },
		{ "{\"a\":\"\\x\"}", 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		agree(rows[i].in, strlen(rows[i].in), rows[i].fast);
	/* A NUL inside the body. */
	agree("{\"a\":\"x\0y\"}", 11, 0);
}

static void
test_mutations(void **state)
{
	static const char base[] = "{\"chain\":[\"-----BEGIN CERTIFICATE-----"
	    "\\nMIIBszCCAVmgAwIBAgICEAAwCgYIKoZIzj0EAwIw\\n-----END "
	    "CERTIFICATE-----\\n\",\"x\"],\"crls\":[\"MIIBAz/+==\"],"
	    "\"at\":\"2029-06-01T00:00:00Z\",\"scenario\":\"e-invoicing\"}";
	static const char alphabet[] = "{}[]\",:\\ntu0aA \x01\x80/";
	char		 buf[sizeof(base)];
	uint32_t	 seed = 12345;
	size_t		 i, k, pos, n = sizeof(base) - 1;

	agree(base, n, 1);
	for (i = 0; i < 20000; i++) {
		memcpy(buf, base, n);
		for (k = 0; k < 1 + i % 3; k++) {
			seed = seed * 1103515245 + 12345;
			pos = (seed >> 8) % n;
			seed = seed * 1103515245 + 12345;
			buf[pos] = alphabet[(seed >> 8) %
			    (sizeof(alphabet) - 1)];
		}
		agree(buf, n, -1);
	}
}

/* gw_json_compact() writes what json_dumps(JSON_COMPACT) writes. */
static void
test_compact(void **state)
{
	static const char *const docs[] = {
		"{}", "[]", "null", "{\"a\":[1,-2,true,false,null,\"x\"]}",
		"{\"s\":\"q\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f/\"}",
		"{\"u\":\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\",\"e\":\"\"}",
		"{\"n\":{\"m\":{\"k\":[[],[{}]]}},\"big\":9007199254740993}",
		"{\"r\":1.5,\"z\":-0.25}",
	};
	json_t	*v;
	char	*a, *b;
	size_t	 i, n;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		v = json_loads(docs[i], JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		a = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		b = gw_json_compact(v, &n);
		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
		assert_int_equal(strlen(b), n);
		free(a);
		free(b);
		json_decref(v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_compact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
