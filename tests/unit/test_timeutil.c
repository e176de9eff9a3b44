/* test_timeutil.c: deadline parsing and time formatting, fixed clocks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/status.h"
#include "watchdog/timeutil.h"

#define NOW		1795788000LL	/* 2026-11-27T14:00:00Z */
#define SENTINEL	-42LL

#define USAGE	"use YYYY-MM-DD HH:MM, ISO 8601 (2026-11-27T14:00Z), " \
		"+90m/+4h/+2d or @EPOCH"
#define REL_USAGE \
		"use + and a number with s, m, h, d or w " \
		"(+90m, +4h, +2d, +1h30m)"
#define EPOCH_USAGE \
		"use @ and whole seconds since 1970 (@1795788000)"
#define NO_LOCAL \
		"that time does not exist in local time " \
		"(daylight saving time change)"
#define RANGE	"out of range (1970 to 9999 UTC)"

/* Switch the local time zone; a missing zone file fails the test. */
static void
set_tz(const char *tz)
{
	char	path[256];

	if (strcmp(tz, "UTC") != 0) {
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
		ck_assert_msg(access(path, R_OK) == 0,
		    "%s missing: apt-get install tzdata", path);
	}
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

/* A deadline that parses, in a zone, and the UTC seconds it means. */
struct time_ok_case {
	const char	*tz;
	const char	*in;
	int64_t		 want;
};

static const struct time_ok_case time_ok_cases[] = {
	/* local time, here UTC */
	{ "UTC", "2026-11-27 14:00", NOW },
	{ "UTC", "2026-11-27 14:00:30", NOW + 30 },
	{ "UTC", "2026-11-27T14:00:30.000Z", NOW + 30 },
	{ "Europe/Berlin", "2026-11-27T15:00:30,25+01:00", NOW + 30 },
	{ "UTC", "  2026-11-27 14:00  ", NOW },
	{ "UTC", "\t2026-11-27  14:00\t", NOW },
	{ "UTC", "1970-01-01 00:00", 0 },
	{ "UTC", "2028-02-29 10:00", 1835431200 },
	{ "UTC", "2000-02-29 12:00", 951825600 },
	{ "UTC", "2026-12-31 23:59:59", 1798761599 },
	/* ISO 8601 with a zone: TZ does not matter */
	{ "UTC", "2026-11-27T14:00Z", NOW },
	{ "UTC", "2026-11-27T14:00:30Z", NOW + 30 },
	{ "UTC", "2026-11-27t14:00z", NOW },
	{ "America/New_York", "2026-11-27T14:00:00Z", NOW },
	{ "UTC", "2026-11-27T15:00+01:00", NOW },
	{ "UTC", "2026-11-27T15:00+0100", NOW },
	{ "UTC", "2026-11-27T09:00-05:00", NOW },
	{ "UTC", "2026-11-27T09:00-0500", NOW },
	{ "UTC", "2026-11-27T19:30+05:30", NOW },
	{ "UTC", "2026-11-27T14:00-00:00", NOW },
	{ "UTC", "2026-11-28T08:00+18:00", NOW },
	{ "UTC", "2026-11-26T20:00-18:00", NOW },
	{ "Europe/Berlin", "2026-11-27T14:00Z", NOW },
	{ "UTC", "1970-01-01T01:00+01:00", 0 },
	{ "UTC", "9999-12-31T23:59:59Z", 253402300799LL },
	/* the space form with a zone */
	{ "Europe/Berlin", "2026-11-27 14:00Z", NOW },
	{ "Europe/Berlin", "2026-11-27 16:00+02:00", NOW },
	{ "Europe/Berlin", "2026-11-27 09:00:00-0500", NOW },
	/* local time in Berlin: CET in winter, CEST in summer */
	{ "Europe/Berlin", "2026-11-27 15:00", NOW },
	{ "Europe/Berlin", "2026-11-27T15:00", NOW },
	{ "Europe/Berlin", "2026-07-01 12:00", 1782900000 },
	{ "Europe/Berlin", "2026-03-29 01:59:59", 1774745999 },
	{ "Europe/Berlin", "2026-03-29 03:00", 1774746000 },
	/* New York */
	{ "America/New_York", "2026-11-27 09:00", NOW },
	{ "America/New_York", "2026-03-08 03:00", 1772953200 },
	{ "America/New_York", "2026-07-01 06:00", 1782900000 },
	/* @EPOCH */
	{ "UTC", "@0", 0 },
	{ "UTC", "@1795788000", NOW },
	{ "UTC", " @1795788000 ", NOW },
	{ "UTC", "@0001795788000", NOW },
	{ "UTC", "@253402300799", 253402300799LL },
	/* relative to NOW, whatever the zone */
	{ "Europe/Berlin", "+90m", NOW + 5400 },
	{ "Europe/Berlin", "+4h", NOW + 14400 },
	{ "Europe/Berlin", "+2d", NOW + 172800 },
	{ "Europe/Berlin", "+1w", NOW + 604800 },
	{ "Europe/Berlin", "+30s", NOW + 30 },
	{ "Europe/Berlin", "+1h30m", NOW + 5400 },
	{ "Europe/Berlin", "+1d12h", NOW + 129600 },
	{ "Europe/Berlin", "+1w2d3h4m5s", NOW + 788645 },
	{ "Europe/Berlin", "+0m", NOW },
	{ "Europe/Berlin", "+007m", NOW + 420 },
	{ "Europe/Berlin", " +4h ", NOW + 14400 },
	{ "Europe/Berlin", "+3653d", NOW + 3653LL * 86400 },
	{ "Europe/Berlin", "+521w", NOW + 521LL * 604800 },
	{ "Europe/Berlin", "+315619200s", NOW + 315619200LL },
};

START_TEST(test_time_parse_ok)
{
	const struct time_ok_case	*c = &time_ok_cases[_i];
	enum wd_status			 st;
	int64_t				 got = SENTINEL;
	char				*cause = NULL;

	set_tz(c->tz);
	st = time_parse_deadline(c->in, NOW, &got, &cause);
	ck_assert_msg(st == WD_OK, "'%s' in %s: %s", c->in, c->tz,
	    cause != NULL ? cause : "(no cause)");
	ck_assert_msg(cause == NULL, "'%s': cause set on success", c->in);
	ck_assert_msg(got == c->want, "'%s' in %s: got %lld, want %lld",
	    c->in, c->tz, (long long)got, (long long)c->want);
}
END_TEST

/* A deadline that is refused, and the exact message. */
struct time_bad_case {
	const char	*tz;
	const char	*in;
	const char	*want;
};

#define BAD(in, why)	{ "UTC", in, "bad deadline '" in "': " why }

static const struct time_bad_case time_bad_cases[] = {
	BAD("tomorrow", USAGE),
	BAD("", USAGE),
	BAD("now", USAGE),
	BAD("-2h", USAGE),
	BAD("27.11.2026 14:00", USAGE),
	BAD("2026/11/27 14:00", USAGE),
	BAD("2026-1-5 10:00", USAGE),
	BAD("2026-11-27x14:00", USAGE),
	BAD("2026-11-27 14", USAGE),
	BAD("2026-11-27 9:00", USAGE),
	BAD("2026-11-27 14:00:0", USAGE),
	BAD("2026-11-27 14:00:00:00", USAGE),
	BAD("2026-11-27T14:00ZZ", USAGE),
	BAD("2026-11-27T14:00+1", USAGE),
	BAD("2026-11-27T14:00+01", USAGE),
	BAD("2026-11-27T14:00+01:0", USAGE),
	BAD("2026-11-27T14:00 Z", USAGE),
	BAD("2026-11-27T14:00:00.Z", USAGE),
	BAD("2026-11-27T14:00.5Z", USAGE),
	BAD("2026-11-27T14:00UTC", USAGE),
	BAD("12026-11-27 14:00", USAGE),
	BAD("2026-11-27", "missing the time of day (HH:MM)"),
	/* fields out of range */
	BAD("2026-13-01 10:00", "month out of range"),
	BAD("2026-00-10 10:00", "month out of range"),
	BAD("2026-01-00 10:00", "day out of range"),
	BAD("2026-01-32 10:00", "day out of range"),
	BAD("2026-02-29 10:00", "day out of range"),
	BAD("2100-02-29 10:00", "day out of range"),
	BAD("2026-04-31 10:00", "day out of range"),
	BAD("2026-06-31T10:00Z", "day out of range"),
	BAD("1969-12-31 23:59", "year out of range"),
	BAD("0000-01-01T00:00Z", "year out of range"),
	BAD("2026-11-27 24:00", "hour out of range"),
	BAD("2026-11-27 23:60", "minute out of range"),
	BAD("2026-11-27 23:59:60", "second out of range"),
	BAD("2026-11-27T14:00+18:01", "time zone offset out of range"),
	BAD("2026-11-27T14:00-19:00", "time zone offset out of range"),
	BAD("2026-11-27T14:00+01:60", "time zone offset out of range"),
	BAD("2026-11-27T14:00+9900", "time zone offset out of range"),
	BAD("1970-01-01T00:30+01:00", RANGE),
	BAD("9999-12-31T23:59:59-00:01", RANGE),
	/* relative */
	BAD("+", REL_USAGE),
	BAD("+m", REL_USAGE),
	BAD("+90", REL_USAGE),
	BAD("+90x", REL_USAGE),
	BAD("+90M", REL_USAGE),
	BAD("+1h30", REL_USAGE),
	BAD("+1h 30m", REL_USAGE),
	BAD("+ 90m", REL_USAGE),
	BAD("+1.5h", REL_USAGE),
	BAD("+-5m", REL_USAGE),
	BAD("++5m", REL_USAGE),
	BAD("+3654d", "more than 10 years ahead"),
	BAD("+522w", "more than 10 years ahead"),
	BAD("+3653d1s", "more than 10 years ahead"),
	BAD("+315619201s", "more than 10 years ahead"),
	BAD("+99999999999999999999999999s", "more than 10 years ahead"),
	/* @EPOCH */
	BAD("@", EPOCH_USAGE),
	BAD("@-1", EPOCH_USAGE),
	BAD("@+5", EPOCH_USAGE),
	BAD("@ 5", EPOCH_USAGE),
	BAD("@1e9", EPOCH_USAGE),
	BAD("@1795788000.5", EPOCH_USAGE),
	BAD("@253402300800", RANGE),
	BAD("@99999999999999999999999999", RANGE),
	/* daylight saving gaps */
	{ "Europe/Berlin", "2026-03-29 02:30",
	    "bad deadline '2026-03-29 02:30': " NO_LOCAL },
	{ "Europe/Berlin", "2026-03-29T02:00",
	    "bad deadline '2026-03-29T02:00': " NO_LOCAL },
	{ "Europe/Berlin", "2026-03-29 02:59:59",
	    "bad deadline '2026-03-29 02:59:59': " NO_LOCAL },
	{ "America/New_York", "2026-03-08 02:30",
	    "bad deadline '2026-03-08 02:30': " NO_LOCAL },
	/* the echo: trimmed, controls as '?', 40 bytes, whole characters */
	{ "UTC", "  soon  ", "bad deadline 'soon': " USAGE },
	{ "UTC", "\x1b[31mred", "bad deadline '?[31mred': " USAGE },
	{ "UTC", "2026-11-27\n14:00", "bad deadline '2026-11-27?14:00': "
	    USAGE },
	{ "UTC", "x\x7f\xc2\x9b\xff" "y", "bad deadline 'x???y': " USAGE },
	{ "UTC", "2026-13-01 10:00\r", "bad deadline '2026-13-01 10:00?': "
	    USAGE },
	{ "UTC", "0123456789012345678901234567890123456789tail",
	    "bad deadline '0123456789012345678901234567890123456789': "
	    USAGE },
	{ "UTC", "abcdefghijklmnopqrstuvwxyzabcdefghijklm\xc3\xa9z",
	    "bad deadline 'abcdefghijklmnopqrstuvwxyzabcdefghijklm': "
	    USAGE },
	{ "UTC", "abcdefghijklmnopqrstuvwxyzabcdefghijkl\xc3\xa9z",
	    "bad deadline 'abcdefghijklmnopqrstuvwxyzabcdefghijkl\xc3\xa9': "
	    USAGE },
};

START_TEST(test_time_parse_bad)
{
	const struct time_bad_case	*c = &time_bad_cases[_i];
	enum wd_status			 st;
	int64_t				 got = SENTINEL;
	char				*cause = NULL;

	set_tz(c->tz);
	st = time_parse_deadline(c->in, NOW, &got, &cause);
	ck_assert_msg(st == WD_EDATA, "case %d accepted: %lld", _i,
	    (long long)got);
	ck_assert_msg(got == SENTINEL, "case %d: *out changed", _i);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strcmp(cause, c->want) == 0,
	    "case %d:\n got  %s\n want %s", _i, cause, c->want);
	free(cause);
}
END_TEST

START_TEST(test_time_parse_misc)
{
	int64_t	got = SENTINEL;
	char	*cause = NULL;

	set_tz("UTC");
	/* CAUSE may be NULL */
	ck_assert_int_eq(time_parse_deadline("bogus", NOW, &got, NULL),
	    WD_EDATA);
	ck_assert_int_eq(got, SENTINEL);
	/* a past deadline is fine */
	ck_assert_int_eq(time_parse_deadline("2020-01-01 00:00", NOW, &got,
	    &cause), WD_OK);
	ck_assert_int_eq(got, 1577836800);
	ck_assert_ptr_null(cause);
	/* relative from another NOW */
	ck_assert_int_eq(time_parse_deadline("+1h", 0, &got, NULL), WD_OK);
	ck_assert_int_eq(got, 3600);
	/* relative past the end of 9999 */
	ck_assert_int_eq(time_parse_deadline("+1s", 253402300799LL, &got,
	    &cause), WD_EDATA);
	ck_assert_str_eq(cause, "bad deadline '+1s': " RANGE);
	free(cause);
}
END_TEST

/* What the fall-back hour means: either of the two, never an error. */
START_TEST(test_time_parse_ambiguous)
{
	int64_t	got = SENTINEL;

	set_tz("America/New_York");
	ck_assert_int_eq(time_parse_deadline("2026-11-01 01:30", NOW, &got,
	    NULL), WD_OK);
	ck_assert_msg(got == 1793511000 || got == 1793514600, "got %lld",
	    (long long)got);
	set_tz("Europe/Berlin");
	ck_assert_int_eq(time_parse_deadline("2026-10-25 02:30", NOW, &got,
	    NULL), WD_OK);
	ck_assert_msg(got == 1792888200 || got == 1792891800, "got %lld",
	    (long long)got);
}
END_TEST

/* Formatting in local time and parsing back gives the same minute. */
START_TEST(test_time_round_trip)
{
	static const char	*zones[] = {
		"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"
	};
	char			 buf[32];
	int64_t			 t, got;
	size_t			 z;

	for (z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		set_tz(zones[z]);
		for (t = NOW - 400 * 86400; t < NOW + 400 * 86400;
		    t += 86400 + 7 * 60) {
			time_format_local(t, buf, sizeof buf);
			ck_assert_int_eq(time_parse_deadline(buf, NOW, &got,
			    NULL), WD_OK);
			if (got != t - t % 60) {
				/* only the repeated fall-back hour differs */
				ck_assert_msg(got - (t - t % 60) == 3600 ||
				    got - (t - t % 60) == -3600,
				    "%s: %lld -> '%s' -> %lld", zones[z],
				    (long long)t, buf, (long long)got);
			}
			time_format_iso(t, buf, sizeof buf);
			ck_assert_int_eq(time_parse_deadline(buf, NOW, &got,
			    NULL), WD_OK);
			ck_assert_int_eq(got, t);
		}
	}
}
END_TEST

START_TEST(test_time_format_iso)
{
	char	buf[21], small[10];

	set_tz("Europe/Berlin");
	time_format_iso(NOW, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-11-27T14:00:00Z");
	time_format_iso(0, buf, sizeof buf);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	time_format_iso(1782900000 + 59, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-07-01T10:00:59Z");
	time_format_iso(253402300799LL, buf, sizeof buf);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	time_format_iso(NOW, small, sizeof small);
	ck_assert_str_eq(small, "?");
}
END_TEST

/* The arithmetic of time_format_iso agrees with gmtime_r, leap days too. */
START_TEST(test_time_format_iso_sweep)
{
	struct tm	 tm;
	time_t		 tt;
	int64_t		 t;
	char		 buf[32], want[32];

	for (t = -62135596800LL; t <= 253402300799LL; t += 86400 * 97 + 3607) {
		tt = (time_t)t;
		ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
		time_format_iso(t, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, want) == 0, "%lld: %s, want %s",
		    (long long)t, buf, want);
	}
	time_format_iso(-30610224000LL, buf, sizeof buf);
	ck_assert_str_eq(buf, "1000-01-01T00:00:00Z");
	time_format_iso(951782400, buf, sizeof buf);
	ck_assert_str_eq(buf, "2000-02-29T00:00:00Z");
	time_format_iso(-1, buf, sizeof buf);
	ck_assert_str_eq(buf, "1969-12-31T23:59:59Z");
}
END_TEST

START_TEST(test_time_format_local)
{
	char	buf[17], hhmm[6];

	set_tz("Europe/Berlin");
	time_format_local(NOW, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-11-27 15:00");
	time_format_hhmm(NOW, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "15:00");
	time_format_local(1782900000, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-07-01 12:00");
	time_format_hhmm(1782900000 + 59, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "12:00");
	time_format_local(1774746000 - 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-03-29 01:59");
	time_format_local(1774746000, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-03-29 03:00");

	set_tz("America/New_York");
	time_format_local(NOW, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-11-27 09:00");
	time_format_hhmm(NOW, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "09:00");

	set_tz("UTC");
	time_format_local(NOW, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-11-27 14:00");
	time_format_hhmm(0, hhmm, sizeof hhmm);
	ck_assert_str_eq(hhmm, "00:00");
	time_format_hhmm(NOW, hhmm, 5);
	ck_assert_str_eq(hhmm, "?");
}
END_TEST

/* A countdown and its text. */
struct time_left_case {
	int64_t		 left;
	const char	*want;
};

static const struct time_left_case time_left_cases[] = {
	{ 1, "1s left" },
	{ 45, "45s left" },
	{ 59, "59s left" },
	{ 60, "1m 0s left" },
	{ 250, "4m 10s left" },
	{ 3599, "59m 59s left" },
	{ 3600, "1h 0m left" },
	{ 2 * 3600 + 13 * 60 + 59, "2h 13m left" },
	{ 86399, "23h 59m left" },
	{ 86400, "1d 0h left" },
	{ 2 * 86400 + 4 * 3600 + 3599, "2d 4h left" },
	{ 400 * 86400, "400d 0h left" },
	{ 0, "overdue 0s" },
	{ -1, "overdue 1s" },
	{ -30, "overdue 30s" },
	{ -59, "overdue 59s" },
	{ -60, "overdue 1m" },
	{ -5 * 60 - 59, "overdue 5m" },
	{ -3599, "overdue 59m" },
	{ -3600, "overdue 1h 0m" },
	{ -(2 * 3600 + 5 * 60 + 59), "overdue 2h 5m" },
	{ -86399, "overdue 23h 59m" },
	{ -86400, "overdue 1d 0h" },
	{ -(3 * 86400 + 3600 + 3599), "overdue 3d 1h" },
	{ INT64_MAX, "106751991167300d 15h left" },
	{ INT64_MIN, "overdue 106751991167300d 15h" },
};

START_TEST(test_time_format_left)
{
	const struct time_left_case	*c = &time_left_cases[_i];
	char				 buf[64];

	memset(buf, 'X', sizeof buf);
	time_format_left(c->left, buf, sizeof buf);
	ck_assert_msg(strcmp(buf, c->want) == 0, "%lld: got '%s', want '%s'",
	    (long long)c->left, buf, c->want);
}
END_TEST

START_TEST(test_time_format_left_small)
{
	char	buf[8] = "XXXXXXX";

	time_format_left(-3600, buf, 5);
	ck_assert_str_eq(buf, "over");
	time_format_left(2 * 86400, buf, 1);
	ck_assert_str_eq(buf, "");
	buf[0] = 'Z';
	time_format_left(10, buf, 0);
	ck_assert_int_eq(buf[0], 'Z');
}
END_TEST

/* A paused countdown, and the length of a pause. */
START_TEST(test_time_format_paused)
{
	char	buf[64];

	time_format_sla_left(2 * 3600 + 10 * 60, true, buf, sizeof buf);
	ck_assert_str_eq(buf, "paused, 2h 10m left");
	time_format_sla_left(-300, true, buf, sizeof buf);
	ck_assert_str_eq(buf, "paused, overdue 5m");
	time_format_sla_left(2 * 3600 + 10 * 60, false, buf, sizeof buf);
	ck_assert_str_eq(buf, "2h 10m left");
	time_format_duration(5 * 3600, buf, sizeof buf);
	ck_assert_str_eq(buf, "5h 0m");
	time_format_duration(86400 + 2 * 3600 + 60, buf, sizeof buf);
	ck_assert_str_eq(buf, "1d 2h 1m");
	time_format_duration(90, buf, sizeof buf);
	ck_assert_str_eq(buf, "1m");
	time_format_duration(-5, buf, sizeof buf);
	ck_assert_str_eq(buf, "0s");
}
END_TEST

static Suite *
timeutil_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("timeutil");

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_time_parse_ok, 0,
	    (int)(sizeof time_ok_cases / sizeof time_ok_cases[0]));
	tcase_add_loop_test(tc, test_time_parse_bad, 0,
	    (int)(sizeof time_bad_cases / sizeof time_bad_cases[0]));
	tcase_add_test(tc, test_time_parse_misc);
	tcase_add_test(tc, test_time_parse_ambiguous);
	tcase_add_test(tc, test_time_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_time_format_iso);
	tcase_add_test(tc, test_time_format_iso_sweep);
	tcase_add_test(tc, test_time_format_local);
	tcase_add_loop_test(tc, test_time_format_left, 0,
	    (int)(sizeof time_left_cases / sizeof time_left_cases[0]));
	tcase_add_test(tc, test_time_format_left_small);
	tcase_add_test(tc, test_time_format_paused);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(timeutil_suite)
