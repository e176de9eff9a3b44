/*
 * test_zone.c: TIME_ZONE names, and times shown in a zone other than the
 * process's TZ.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "watchdog/timeutil.h"
#include "watchdog/zone.h"

#define WINTER	1796302800LL	/* 2026-12-03T13:00:00Z */
#define SUMMER	1782907200LL	/* 2026-07-01T12:00:00Z */

static const struct {
	const char	*name;
	int		 ok;
} zone_cases[] = {
	{ "Europe/Berlin", 1 },
	{ "America/New_York", 1 },
	{ "UTC", 1 },
	{ "Etc/GMT+5", 1 },
	{ "America/Argentina/Buenos_Aires", 1 },
	{ "Mars/Olympus_Mons", 0 },
	{ "Europe", 0 },		/* a directory */
	{ "zone.tab", 0 },		/* a file, but not a zone */
	{ "", 0 },
	{ "/etc/passwd", 0 },
	{ "../../../etc/passwd", 0 },
	{ "Europe/../UTC", 0 },
	{ "Europe//Berlin", 0 },
	{ "Europe/Berlin/", 0 },
	{ "Europe/Berlin ", 0 },
	{ "CET;rm", 0 },
	{ "Europe/Berlin\n", 0 },
};

START_TEST(test_zone_valid)
{
	const char	*why = NULL;
	bool		 ok;

	ok = zone_valid(zone_cases[_i].name, &why);
	ck_assert_msg(ok == (zone_cases[_i].ok != 0), "%s: %s",
	    zone_cases[_i].name, ok ? "accepted" : why);
	if (!ok)
		ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_zone_system)
{
	char	*z;

	z = zone_system();
	ck_assert(zone_valid(z, NULL));
	free(z);
}
END_TEST

/* The zone given wins over TZ, names itself, and TZ is left as it was. */
START_TEST(test_zone_format)
{
	char	buf[64], hhmm[32];

	ck_assert_int_eq(setenv("TZ", "America/New_York", 1), 0);
	tzset();
	time_format_zone(WINTER, "Europe/Berlin", buf, sizeof buf, hhmm,
	    sizeof hhmm);
	ck_assert_str_eq(buf, "2026-12-03 14:00 CET");
	ck_assert_str_eq(hhmm, "14:00 CET");
	time_format_zone(SUMMER, "Europe/Berlin", NULL, 0, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "14:00 CEST");
	time_format_zone(WINTER, "UTC", buf, sizeof buf, NULL, 0);
	ck_assert_str_eq(buf, "2026-12-03 13:00 UTC");
	time_format_zone(WINTER, "Asia/Kolkata", NULL, 0, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "18:30 IST");
	/* The process's own zone is untouched. */
	ck_assert_str_eq(getenv("TZ"), "America/New_York");
	time_format_local(WINTER, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-12-03 08:00");
	/* Without TZ it stays without. */
	ck_assert_int_eq(unsetenv("TZ"), 0);
	time_format_zone(WINTER, "Europe/Berlin", NULL, 0, hhmm, sizeof hhmm);
	ck_assert_ptr_null(getenv("TZ"));
	/* A tiny buffer gets "?" rather than half a time. */
	time_format_zone(WINTER, "Europe/Berlin", buf, 8, hhmm, sizeof hhmm);
	ck_assert_str_eq(buf, "?");
	ck_assert_str_eq(hhmm, "14:00 CET");
}
END_TEST

/*
 * A scope works in its zone until it is left: a conversion inside it
 * leaves TZ alone (no switching back and forth), a scope inside one of
 * the same zone changes nothing, and leaving puts the process's TZ back,
 * set or unset.
 */
START_TEST(test_zone_scope)
{
	struct zone_scope	 outer, inner;
	char			 hhmm[32];

	ck_assert_int_eq(setenv("TZ", "America/New_York", 1), 0);
	tzset();
	zone_enter("Europe/Berlin", &outer);
	ck_assert_str_eq(getenv("TZ"), ":Europe/Berlin");
	time_format_zone(WINTER, "Europe/Berlin", NULL, 0, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "14:00 CET");
	ck_assert_str_eq(getenv("TZ"), ":Europe/Berlin");
	zone_enter("Europe/Berlin", &inner);
	ck_assert(!inner.switched);
	zone_leave(&inner);
	ck_assert_str_eq(getenv("TZ"), ":Europe/Berlin");
	/* Another zone inside still converts right, and comes back. */
	time_format_zone(WINTER, "Asia/Kolkata", NULL, 0, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "18:30 IST");
	ck_assert_str_eq(getenv("TZ"), ":Europe/Berlin");
	zone_leave(&outer);
	ck_assert_str_eq(getenv("TZ"), "America/New_York");
	ck_assert_int_eq(unsetenv("TZ"), 0);
	zone_enter("UTC", &outer);
	ck_assert_str_eq(getenv("TZ"), ":UTC");
	zone_leave(&outer);
	ck_assert_ptr_null(getenv("TZ"));
}
END_TEST

static Suite *
zone_suite(void)
{
	Suite	*s = suite_create("zone");
	TCase	*tc = tcase_create("zone");

	tcase_add_loop_test(tc, test_zone_valid, 0,
	    (int)(sizeof zone_cases / sizeof zone_cases[0]));
	tcase_add_test(tc, test_zone_system);
	tcase_add_test(tc, test_zone_format);
	tcase_add_test(tc, test_zone_scope);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(zone_suite)
