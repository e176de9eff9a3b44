/*
 * test_deadline_hint.c: the example and the live meaning of a deadline
 * field, at a fixed clock.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "watchdog/deadline_hint.h"

/* Thursday 2026-12-03 10:32:00 UTC. */
#define NOW	1796293920

static void
utc(void)
{
	ck_assert_int_eq(setenv("TZ", "UTC", 1), 0);
	tzset();
}

START_TEST(test_example)
{
	char	buf[64];

	utc();
	deadline_example(NOW, buf, sizeof buf);
	ck_assert_str_eq(buf, "e.g. +4h, +2d, 2026-12-04 17:00");
}
END_TEST

START_TEST(test_preview)
{
	char	buf[64];
	int64_t	at = 0;

	utc();
	ck_assert(deadline_preview("+4h", NOW, &at, buf, sizeof buf));
	ck_assert_int_eq(at, NOW + 4 * 3600);
	ck_assert_str_eq(buf, "-> Thu 14:32 (4h 0m left)");
	ck_assert(deadline_preview("+2d", NOW, NULL, buf, sizeof buf));
	ck_assert_str_eq(buf, "-> Sat 10:32 (2d 0h left)");
	ck_assert(deadline_preview("2027-01-06 09:00", NOW, NULL, buf,
	    sizeof buf));
	ck_assert_str_eq(buf, "-> Wed 2027-01-06 09:00 (33d 22h left)");
	ck_assert(deadline_preview("2026-12-03 08:27", NOW, NULL, buf,
	    sizeof buf));
	ck_assert_str_eq(buf, "-> Thu 08:27 (overdue 2h 5m)");
}
END_TEST

/* Nothing yet, or not a deadline (yet): the example. */
START_TEST(test_not_yet)
{
	char	buf[64];
	int64_t	at = 7;

	utc();
	ck_assert(!deadline_preview("", NOW, &at, buf, sizeof buf));
	ck_assert_str_eq(buf, "e.g. +4h, +2d, 2026-12-04 17:00");
	ck_assert(!deadline_preview("  ", NOW, &at, buf, sizeof buf));
	ck_assert(!deadline_preview("+4", NOW, &at, buf, sizeof buf));
	ck_assert(!deadline_preview("soon", NOW, &at, buf, sizeof buf));
	ck_assert_int_eq(at, 7);
}
END_TEST

static Suite *
deadline_hint_suite(void)
{
	Suite	*s = suite_create("deadline_hint");
	TCase	*tc = tcase_create("deadline_hint");

	tcase_add_test(tc, test_example);
	tcase_add_test(tc, test_preview);
	tcase_add_test(tc, test_not_yet);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(deadline_hint_suite)
