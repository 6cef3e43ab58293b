/*
 * test_report.c: the findings model and the time helpers, table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "val.h"

static const struct val_rule r_info = { "T-INFO", VAL_INFO, "test 1", "i" };
static const struct val_rule r_warn = { "T-WARN", VAL_WARN, "test 2", "w" };
static const struct val_rule r_err = { "T-ERR", VAL_ERROR, "test 3", "e" };
static const struct val_rule r_fatal = { "T-FATAL", VAL_FATAL, "test 4", "f" };

static void
test_verdicts(void **state)
{
	static const struct {
		const struct val_rule	*rules[3];
		enum val_verdict	 want;
		int			 fatal;
	} rows[] = {
		{ { NULL }, VAL_VERDICT_PASS, 0 },
		{ { &r_info }, VAL_VERDICT_PASS, 0 },
		{ { &r_info, &r_warn }, VAL_VERDICT_WARN, 0 },
		{ { &r_warn, &r_err }, VAL_VERDICT_FAIL, 0 },
		{ { &r_fatal, &r_info }, VAL_VERDICT_FAIL, 1 },
	};
	struct val_report	 rep;
	size_t			 i, j;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		val_report_init(&rep);
		for (j = 0; j < 3 && rows[i].rules[j] != NULL; j++)
			assert_int_equal(val_report_add(&rep, rows[i].rules[j],
			    "here", "detail %zu", j), 0);
		assert_int_equal(val_report_verdict(&rep), rows[i].want);
		assert_int_equal(val_report_fatal(&rep), rows[i].fatal);
		val_report_clear(&rep);
	}
}

static void
test_cap_and_move(void **state)
{
	struct val_report	 a, b;
	size_t			 i;

	val_report_init(&a);
	val_report_init(&b);
	for (i = 0; i < VAL_MAX_FINDINGS + 5; i++)
		assert_int_equal(val_report_add(&a, &r_info, NULL, NULL), 0);
	assert_int_equal(a.n, VAL_MAX_FINDINGS);
	assert_int_equal(a.dropped, 5);
	assert_int_equal(val_report_add(&b, &r_err, "x", NULL), 0);
	assert_int_equal(val_report_move(&b, &a), 0);
	assert_int_equal(b.n, VAL_MAX_FINDINGS);
	assert_true(b.dropped >= 5);
	assert_int_equal(a.n, 0);
	assert_true(val_report_has(&b, "T-ERR"));
	assert_false(val_report_has(&b, "T-WARN"));
	val_report_clear(&b);
	val_report_clear(&a);
}

static void
test_times(void **state)
{
	static const struct {
		const char	*in;
		long long	 want;	/* -1: must be rejected */
		const char	*out;
	} rows[] = {
		{ "2023-11-14T22:13:20Z", 1700000000, "2023-11-14T22:13:20Z" },
		{ "2011-04-15T00:00:00Z", 1302825600, "2011-04-15T00:00:00Z" },
		{ "2023-11-14T23:13:20+01:00", 1700000000,
		    "2023-11-14T22:13:20Z" },
		{ "2023-11-14T22:13:20.123Z", 1700000000,
		    "2023-11-14T22:13:20Z" },
		{ "2024-02-29T00:00:00Z", 1709164800, "2024-02-29T00:00:00Z" },
		{ "2023-02-29T00:00:00Z", -1, NULL },
		{ "2023-11-14 22:13:20Z", -1, NULL },
		{ "2023-11-14T22:13:20", -1, NULL },
		{ "2023-13-01T00:00:00Z", -1, NULL },
		{ "2023-11-14T22:13:20Zjunk", -1, NULL },
		{ "", -1, NULL },
	};
	char	 buf[VAL_TIME_LEN];
	time_t	 t;
	size_t	 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].want < 0) {
			assert_int_equal(val_time_parse(rows[i].in, &t), -1);
			continue;
		}
		assert_int_equal(val_time_parse(rows[i].in, &t), 0);
		assert_int_equal((long long)t, rows[i].want);
		val_time_format(t, buf);
		assert_string_equal(buf, rows[i].out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_cap_and_move),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
