/*
 * test_calendar.c: the business calendar (calendar.h) with fixed instants:
 * BUSINESS_HOURS and HOLIDAYS syntax, business-time arithmetic across
 * weekends, holidays, year ends, leap days and daylight-saving changes in
 * Europe/Berlin and America/New_York, holidays west of UTC, a calendar
 * that never opens, HOLIDAYS_FILE (.ics) and a seeded property test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "watchdog/calendar.h"
#include "watchdog/calendar_parse.h"
#include "watchdog/config.h"
#include "watchdog/config_calendar.h"
#include "watchdog/status.h"
#include "watchdog/zone.h"

#define H	3600LL

/* A calendar that must build; fails the test otherwise. */
static struct calendar *
cal_make(const char *hours, const char *holidays, const char *zone)
{
	struct calendar	*cal = NULL;
	char		*cause = NULL;

	ck_assert_msg(calendar_new(hours, holidays, zone, &cal, &cause) ==
	    WD_OK, "%s / %s: %s", hours, holidays, cause);
	return cal;
}

/* The instant of local time "YYYY-MM-DD HH:MM" in ZONE (first if twice). */
static int64_t
at(const char *zone, const char *text)
{
	struct tm	 tm;
	char		*tz;
	const char	*old;
	char		*saved = NULL;
	time_t		 t;
	int		 n;

	memset(&tm, 0, sizeof tm);
	n = sscanf(text, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min);
	ck_assert_int_eq(n, 5);
	tm.tm_year -= 1900;
	tm.tm_mon--;
	tm.tm_isdst = -1;
	if ((old = getenv("TZ")) != NULL)
		saved = strdup(old);
	ck_assert_int_ne(asprintf(&tz, ":%s", zone), -1);
	setenv("TZ", tz, 1);
	tzset();
	t = mktime(&tm);
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	free(tz);
	return (int64_t)t;
}

/* T as "YYYY-MM-DD HH:MM ABBR" in ZONE, in a static buffer. */
static const char *
show(const char *zone, int64_t t)
{
	static char	 buf[4][64];
	static int	 k;
	struct tm	 tm;
	char		 abbr[16], *b;

	b = buf[k++ % 4];
	if (t == INT64_MAX)
		return "never";
	if (t == INT64_MIN)
		return "never (before)";
	ck_assert(zone_localtime(t, zone, &tm, abbr, sizeof abbr));
	snprintf(b, 64, "%04d-%02d-%02d %02d:%02d %s", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, abbr);
	return b;
}

#define BER	"Europe/Berlin"
#define NYC	"America/New_York"
#define LAX	"America/Los_Angeles"

/* BUSINESS_HOURS values: NULL for accepted, else a part of the message. */
static const struct {
	const char	*text;
	const char	*error;
} hours_cases[] = {
	{ "24x7", NULL },
	{ " 24X7 ", NULL },
	{ "Mon-Fri 09:00-17:00", NULL },
	{ "Mon-Thu 08:00-12:00 13:00-18:00, Fri 08:00-14:00", NULL },
	{ "Mon,Wed,Fri 09:00-17:00", NULL },
	{ "Mon Wed 9:00-12:00", NULL },
	{ "sat 00:00-24:00", NULL },
	{ "Mon 09:00-12:00 12:00-13:00", NULL },
	{ "Tue 10:00-12:00, Thu 14:00-16:00", NULL },
	{ "Mon-Fri 9-17", "'9-17': expected HH:MM-HH:MM" },
	{ "Mon-Fri 17:00-09:00", "reversed" },
	{ "Mon-Fri 09:00-09:00", "reversed" },
	{ "Mon-Fri 09:00-13:00 12:00-17:00",
	    "'Mon 12:00-17:00' overlaps 'Mon 09:00-13:00'" },
	{ "Mon 09:00-12:00, Mon-Fri 11:00-13:00", "overlaps" },
	{ "Fri-Mon 09:00-17:00", "'Fri-Mon': reversed" },
	{ "Xyz 09:00-17:00", "expected a day" },
	{ "09:00-17:00", "which days?" },
	{ "", "empty" },
	{ "Mon 24:00-24:00", "24:00 is only an end" },
	{ "Mon 09:00-25:00", "expected HH:MM-HH:MM" },
	{ "Mon 09:60-10:00", "expected HH:MM-HH:MM" },
	{ "Mon-Fri 09:00-17:00, Sat", "have no hours" },
	{ "Mon 09:00-17:00 Tue 09:00-12:00", "days come before" },
	{ "24x7, Mon 09:00-10:00", "'24x7': which days?" },
	{ "Mon\001 09:00-17:00", "contains a control character" },
};

START_TEST(test_calendar_hours_syntax)
{
	struct calendar	*cal = NULL;
	char		*cause = NULL;
	enum wd_status	 st;

	st = calendar_new(hours_cases[_i].text, NULL, "UTC", &cal, &cause);
	if (hours_cases[_i].error == NULL) {
		ck_assert_msg(st == WD_OK, "%s: %s", hours_cases[_i].text,
		    cause);
		calendar_free(cal);
		return;
	}
	ck_assert_msg(st == WD_ECONFIG, "%s accepted", hours_cases[_i].text);
	ck_assert_ptr_null(cal);
	ck_assert_msg(strstr(cause, hours_cases[_i].error) != NULL &&
	    strncmp(cause, "BUSINESS_HOURS: ", 16) == 0, "%s: %s",
	    hours_cases[_i].text, cause);
	free(cause);
}
END_TEST

/* HOLIDAYS values: NULL for accepted, else a part of the message. */
static const struct {
	const char	*text;
	const char	*error;
} holiday_cases[] = {
	{ "", NULL },
	{ "12-25", NULL },
	{ "02-29", NULL },
	{ "2028-02-29", NULL },
	{ "12-25, 2026-04-03,01-01", NULL },
	{ "2026-02-29", "'2026-02-29': no such date" },
	{ "13-01", "no such date" },
	{ "04-31", "no such date" },
	{ "12/25", "expected MM-DD (every year) or YYYY-MM-DD (once)" },
	{ "2026-4-3", "expected MM-DD" },
	{ "12-25,,01-01", "empty item" },
	{ "12-25,", "empty item" },
	{ "12-25 01-01", "separate dates with a comma" },
	{ "1969-12-25", "expected MM-DD" },
	{ "99999999999-12-25", "expected MM-DD" },
	{ "12-25\t01-01", "'12-25 01-01': separate dates with a comma" },
};

START_TEST(test_calendar_holidays_syntax)
{
	struct calendar	*cal = NULL;
	char		*cause = NULL;
	enum wd_status	 st;

	st = calendar_new("Mon-Fri 09:00-17:00", holiday_cases[_i].text, "UTC",
	    &cal, &cause);
	if (holiday_cases[_i].error == NULL) {
		ck_assert_msg(st == WD_OK, "%s: %s", holiday_cases[_i].text,
		    cause);
		calendar_free(cal);
		return;
	}
	ck_assert_msg(st == WD_ECONFIG, "%s accepted", holiday_cases[_i].text);
	ck_assert_msg(strstr(cause, holiday_cases[_i].error) != NULL &&
	    strncmp(cause, "HOLIDAYS: ", 10) == 0, "%s: %s",
	    holiday_cases[_i].text, cause);
	free(cause);
}
END_TEST

START_TEST(test_calendar_bad_zone)
{
	struct calendar	*cal = NULL;
	char		*cause = NULL;

	ck_assert_int_eq(calendar_new("24x7", NULL, "Mars/Base", &cal, &cause),
	    WD_ECONFIG);
	ck_assert_ptr_null(cal);
	ck_assert_ptr_nonnull(strstr(cause, "TIME_ZONE"));
	free(cause);
}
END_TEST

/* Mon-Fri 09:00-17:00 in Berlin, across the weekend of the spring change. */
START_TEST(test_calendar_berlin_week)
{
	struct calendar	*cal;
	int64_t		 fri;

	setenv("TZ", "Asia/Tokyo", 1);
	cal = cal_make("Mon-Fri 09:00-17:00", NULL, BER);
	fri = at(BER, "2026-03-27 15:00");
	ck_assert(!calendar_always_open(cal));
	ck_assert_str_eq(show(BER, calendar_add_days(cal, fri, 1)),
	    "2026-03-30 15:00 CEST");
	ck_assert_str_eq(show(BER, calendar_add(cal, fri, 4 * H)),
	    "2026-03-30 11:00 CEST");
	ck_assert_str_eq(show(BER, calendar_add(cal, fri, 2 * H)),
	    "2026-03-27 17:00 CET");
	ck_assert_int_eq(calendar_between(cal, fri,
	    at(BER, "2026-03-30 11:00")), 4 * H);
	/* Outside hours: counting starts at the next opening. */
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-03-28 10:00"), H)), "2026-03-30 10:00 CEST");
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-03-28 10:00"), 0)), "2026-03-30 09:00 CEST");
	ck_assert_str_eq(show(BER, calendar_next_open(cal,
	    at(BER, "2026-03-27 17:00"))), "2026-03-30 09:00 CEST");
	ck_assert_str_eq(show(BER, calendar_next_open(cal, fri)),
	    "2026-03-27 15:00 CET");
	/* Backwards. */
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-03-30 10:00"), -2 * H)), "2026-03-27 16:00 CET");
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-03-29 10:00"), -H)), "2026-03-27 16:00 CET");
	ck_assert(calendar_is_open(cal, fri));
	ck_assert(!calendar_is_open(cal, at(BER, "2026-03-27 17:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2026-03-27 09:00")));
	ck_assert(!calendar_is_open(cal, at(BER, "2026-03-28 12:00")));
	/* At an opening, 1d is due at that day's close. */
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-03-28 10:00"), 1)), "2026-03-30 17:00 CEST");
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-03-30 09:00"), 2)), "2026-03-31 17:00 CEST");
	ck_assert_str_eq(show(BER, calendar_add_days(cal, fri, 5)),
	    "2026-04-03 15:00 CEST");
	ck_assert_str_eq(show(BER, calendar_add_days(cal, fri, -1)),
	    "2026-03-26 15:00 CET");
	ck_assert_str_eq(show(BER, calendar_add_days(cal, fri, 0)),
	    "2026-03-27 15:00 CET");
	/* The process's zone is left as it was. */
	ck_assert_str_eq(getenv("TZ"), "Asia/Tokyo");
	unsetenv("TZ");
	calendar_free(cal);
}
END_TEST

/* A day that a change shortens or lengthens counts its real length. */
START_TEST(test_calendar_dst_days)
{
	static const struct {
		const char	*zone, *day, *next;
		int64_t		 len;
	} c[] = {
		{ BER, "2026-03-29 00:00", "2026-03-30 00:00", 23 * H },
		{ BER, "2026-10-25 00:00", "2026-10-26 00:00", 25 * H },
		{ NYC, "2026-03-08 00:00", "2026-03-09 00:00", 23 * H },
		{ NYC, "2026-11-01 00:00", "2026-11-02 00:00", 25 * H },
	};
	struct calendar	*cal;
	size_t		 i;
	int64_t		 a, b;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		cal = cal_make("Sun 00:00-24:00", NULL, c[i].zone);
		a = at(c[i].zone, c[i].day);
		b = at(c[i].zone, c[i].next);
		ck_assert_int_eq(calendar_between(cal, a - 5 * H, b + 5 * H),
		    c[i].len);
		ck_assert_int_eq(calendar_add(cal, a, c[i].len), b);
		ck_assert_int_eq(calendar_add(cal, b, -c[i].len), a);
		/* One second more: the next Sunday. */
		ck_assert_int_eq(calendar_add(cal, a, c[i].len + 1),
		    b + 6 * 24 * H + 1);
		calendar_free(cal);
	}
}
END_TEST

/* Ranges the change cuts into, in both directions. */
START_TEST(test_calendar_dst_ranges)
{
	struct calendar	*cal;

	cal = cal_make("Sun 01:00-05:00", NULL, BER);
	ck_assert_int_eq(calendar_between(cal, at(BER, "2026-03-29 00:00"),
	    at(BER, "2026-03-30 00:00")), 3 * H);
	ck_assert_int_eq(calendar_between(cal, at(BER, "2026-10-25 00:00"),
	    at(BER, "2026-10-26 00:00")), 5 * H);
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-03-29 01:00"), 2 * H)), "2026-03-29 04:00 CEST");
	/* 01:00 + 2h in October: 02:00 CEST, then 02:00 CET. */
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-10-25 01:00"), 2 * H)), "2026-10-25 02:00 CET");
	calendar_free(cal);
	/* A range starting in the skipped hour starts at the change. */
	cal = cal_make("Sun 02:30-04:00", NULL, BER);
	ck_assert_int_eq(calendar_between(cal, at(BER, "2026-03-29 00:00"),
	    at(BER, "2026-03-30 00:00")), H);
	ck_assert_str_eq(show(BER, calendar_next_open(cal,
	    at(BER, "2026-03-28 12:00"))), "2026-03-29 03:00 CEST");
	/* In October 02:30 comes twice: the range starts at the first. */
	ck_assert_int_eq(calendar_between(cal, at(BER, "2026-10-25 00:00"),
	    at(BER, "2026-10-26 00:00")), 2 * H + 1800);
	calendar_free(cal);
	/* New York, Mon-Fri 09:00-17:00 over the March weekend. */
	cal = cal_make("Mon-Fri 09:00-17:00", NULL, NYC);
	ck_assert_str_eq(show(NYC, calendar_add(cal,
	    at(NYC, "2026-03-06 16:00"), 2 * H)), "2026-03-09 10:00 EDT");
	ck_assert_str_eq(show(NYC, calendar_add_days(cal,
	    at(NYC, "2026-10-30 16:00"), 1)), "2026-11-02 16:00 EST");
	ck_assert_int_eq(calendar_between(cal, at(NYC, "2026-10-30 16:00"),
	    at(NYC, "2026-11-02 10:00")), 2 * H);
	calendar_free(cal);
	/* Berlin, Mon-Fri 09:00-17:00 over the October weekend. */
	cal = cal_make("Mon-Fri 09:00-17:00", NULL, BER);
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-10-23 15:00"), 1)), "2026-10-26 15:00 CET");
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-10-23 16:00"), 2 * H)), "2026-10-26 10:00 CET");
	ck_assert_int_eq(calendar_between(cal, at(BER, "2026-10-23 16:00"),
	    at(BER, "2026-10-26 10:00")), 2 * H);
	calendar_free(cal);
}
END_TEST

/* 24x7, and a full-day calendar, lose no minute at midnight. */
START_TEST(test_calendar_midnight)
{
	struct calendar	*cal;
	int64_t		 t;

	cal = cal_make("24x7", "12-25", BER);
	ck_assert(calendar_always_open(cal));
	t = at(BER, "2026-12-24 23:59");
	ck_assert_int_eq(calendar_add(cal, t, 120), t + 120);
	ck_assert_int_eq(calendar_add(cal, t, -120), t - 120);
	ck_assert_int_eq(calendar_between(cal, t, t + 120), 120);
	ck_assert_int_eq(calendar_next_open(cal, t), t);
	ck_assert(calendar_is_open(cal, t + 3600));
	calendar_free(cal);
	cal = cal_make(NULL, NULL, BER);
	ck_assert(calendar_always_open(cal));
	calendar_free(cal);

	cal = cal_make("Mon-Sun 00:00-24:00", NULL, BER);
	ck_assert(!calendar_always_open(cal));
	t = at(BER, "2026-12-24 23:59");
	ck_assert_int_eq(calendar_add(cal, t, 120), t + 120);
	ck_assert_int_eq(calendar_add(cal, t + 120, -120), t);
	ck_assert_int_eq(calendar_between(cal, t, t + 120), 120);
	ck_assert_int_eq(calendar_between(cal, t, t + 30 * 24 * H),
	    30 * 24 * H);
	ck_assert(calendar_is_open(cal, at(BER, "2026-12-25 00:00")));
	calendar_free(cal);
	/* Across midnight with two ranges that meet there. */
	cal = cal_make("Mon 22:00-24:00, Tue 00:00-06:00", NULL, BER);
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-12-07 23:30"), H)), "2026-12-08 00:30 CET");
	ck_assert_int_eq(calendar_between(cal, at(BER, "2026-12-07 12:00"),
	    at(BER, "2026-12-08 12:00")), 8 * H);
	calendar_free(cal);
}
END_TEST

/* Holidays are local dates, also west of UTC. */
START_TEST(test_calendar_holidays_west)
{
	struct calendar	*cal;

	cal = cal_make("Mon-Fri 09:00-17:00", "2026-12-25, 01-01", LAX);
	/* Thu 16:30 PST is already Friday in UTC: still open. */
	ck_assert(calendar_is_open(cal, at(LAX, "2026-12-24 16:30")));
	ck_assert(!calendar_is_open(cal, at(LAX, "2026-12-25 10:00")));
	ck_assert(calendar_is_open(cal, at(LAX, "2026-12-28 09:00")));
	ck_assert_str_eq(show(LAX, calendar_add(cal,
	    at(LAX, "2026-12-24 16:00"), 2 * H)), "2026-12-28 10:00 PST");
	ck_assert_str_eq(show(LAX, calendar_add_days(cal,
	    at(LAX, "2026-12-31 10:00"), 1)), "2027-01-04 10:00 PST");
	ck_assert_int_eq(calendar_between(cal, at(LAX, "2026-12-24 00:00"),
	    at(LAX, "2026-12-29 00:00")), 16 * H);
	calendar_free(cal);
}
END_TEST

/* The year end, and February 29 as a yearly holiday. */
START_TEST(test_calendar_year_end_leap)
{
	struct calendar	*cal;

	cal = cal_make("Mon-Fri 09:00-17:00", "12-25,12-26, 01-01", BER);
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-12-31 16:00"), 2 * H)), "2027-01-04 10:00 CET");
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-12-31 10:00"), 1)), "2027-01-04 10:00 CET");
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2027-01-04 10:00"), -2 * H)), "2026-12-31 16:00 CET");
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2027-01-04 10:00"), -1)), "2026-12-31 10:00 CET");
	calendar_free(cal);

	cal = cal_make("Mon-Sun 09:00-17:00", "02-29", BER);
	ck_assert(!calendar_is_open(cal, at(BER, "2028-02-29 12:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2027-03-01 12:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2027-02-28 12:00")));
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2028-02-28 16:00"), 2 * H)), "2028-03-01 10:00 CET");
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2028-02-28 16:00"), 1)), "2028-03-01 16:00 CET");
	calendar_free(cal);
	cal = cal_make("Mon-Sun 09:00-17:00", "2028-02-29", BER);
	ck_assert(!calendar_is_open(cal, at(BER, "2028-02-29 12:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2032-02-29 12:00")));
	calendar_free(cal);
}
END_TEST

/* Only some weekdays defined, and split ranges. */
START_TEST(test_calendar_partial_split)
{
	struct calendar	*cal;

	cal = cal_make("Tue 10:00-12:00, Thu 14:00-16:00", NULL, BER);
	ck_assert_str_eq(show(BER, calendar_next_open(cal,
	    at(BER, "2026-12-09 09:00"))), "2026-12-10 14:00 CET");
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-12-07 09:00"), 3 * H)), "2026-12-10 15:00 CET");
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-12-08 11:00"), 1)), "2026-12-10 15:00 CET");
	ck_assert_int_eq(calendar_between(cal, at(BER, "2026-12-07 00:00"),
	    at(BER, "2026-12-21 00:00")), 8 * H);
	calendar_free(cal);

	cal = cal_make("Mon-Thu 08:00-12:00 13:00-18:00, Fri 08:00-14:00",
	    NULL, BER);
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-12-07 11:00"), 2 * H)), "2026-12-07 14:00 CET");
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-12-07 11:00"), H)), "2026-12-07 12:00 CET");
	/* Thu 17:00 is 8h into its day; Friday has 6h: its close. */
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-12-10 17:00"), 1)), "2026-12-11 14:00 CET");
	/* At lunch the day resumes at 13:00, 4h in. */
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-12-10 12:30"), 1)), "2026-12-11 12:00 CET");
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-12-11 15:00"), 1)), "2026-12-14 18:00 CET");
	ck_assert_str_eq(show(BER, calendar_add_days(cal,
	    at(BER, "2026-12-11 10:00"), 1)), "2026-12-14 10:00 CET");
	ck_assert(!calendar_is_open(cal, at(BER, "2026-12-07 12:30")));
	calendar_free(cal);
}
END_TEST

/* Collect spans of calendar_walk() as text. */
static int
walk_text(const struct calendar_span *s, void *arg)
{
	char		*buf = arg;
	size_t		 len = strlen(buf);

	/* The callback runs in the process's own zone. */
	ck_assert_str_eq(getenv("TZ") != NULL ? getenv("TZ") : "unset",
	    "Asia/Tokyo");

	snprintf(buf + len, 2048 - len, "%s%s %s-%s%s%s", len > 0 ? "; " : "",
	    calendar_span_kind_name(s->kind), show(BER, s->from) + 5, show(BER, s->to) + 11,
	    s->name != NULL ? " " : "", s->name != NULL ? s->name : "");
	return 0;
}

START_TEST(test_calendar_walk)
{
	struct calendar	*cal;
	char		 buf[2048] = "";

	setenv("TZ", "Asia/Tokyo", 1);
	cal = cal_make("Mon-Fri 09:00-17:00", "2026-12-25", BER);
	calendar_walk(cal, at(BER, "2026-12-24 15:00"),
	    at(BER, "2026-12-28 11:00"), walk_text, buf);
	ck_assert_str_eq(buf,
	    "open 12-24 15:00 CET-17:00 CET; "
	    "holiday 12-25 00:00 CET-00:00 CET 2026-12-25; "
	    "closed 12-26 00:00 CET-00:00 CET; "
	    "closed 12-27 00:00 CET-00:00 CET; "
	    "open 12-28 09:00 CET-11:00 CET");
	calendar_free(cal);
	buf[0] = '\0';
	cal = cal_make("24x7", NULL, BER);
	calendar_walk(cal, at(BER, "2026-12-24 15:00"),
	    at(BER, "2026-12-28 11:00"), walk_text, buf);
	ck_assert_str_eq(buf, "open 12-24 15:00 CET-11:00 CET");
	calendar_free(cal);
	unsetenv("TZ");
}
END_TEST

/* Every date a holiday: searches stop after ten years. */
START_TEST(test_calendar_never_open)
{
	struct calendar	*cal;
	char		 list[366 * 7], *p = list;
	int		 m, d;
	int64_t		 t;

	for (m = 1; m <= 12; m++)
		for (d = 1; d <= calendar_month_days(0, m); d++)
			p += snprintf(p, sizeof list - (size_t)(p - list),
			    "%s%02d-%02d", p == list ? "" : ",", m, d);
	cal = cal_make("Mon-Fri 09:00-17:00", list, BER);
	t = at(BER, "2026-12-07 10:00");
	ck_assert(!calendar_is_open(cal, t));
	ck_assert(calendar_next_open(cal, t) == INT64_MAX);
	ck_assert(calendar_add(cal, t, H) == INT64_MAX);
	ck_assert(calendar_add(cal, t, -H) == INT64_MIN);
	ck_assert(calendar_add_days(cal, t, 2) == INT64_MAX);
	ck_assert(calendar_add_days(cal, t, -2) == INT64_MIN);
	ck_assert_int_eq(calendar_between(cal, t, t + 400 * 24 * H), 0);
	ck_assert_int_eq(calendar_between(cal, t, INT64_MAX), 0);
	calendar_free(cal);
}
END_TEST

/* Write TEXT to DIR/NAME; a new path. */
static char *
write_file(const char *dir, const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	ck_assert_int_ne(asprintf(&path, "%s/%s", dir, name), -1);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

static const char ics_text[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//test//watchdog//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:xmas@test\r\n"
    "DTSTART;VALUE=DATE:20201225\r\n"
    "DTEND;VALUE=DATE:20201227\r\n"
    "RRULE:FREQ=YEARLY\r\n"
    "SUMMARY:Christmas\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:summer@test\r\n"
    "DTSTART;VALUE=DATE:20260810\r\n"
    "DTEND;VALUE=DATE:20260815\r\n"
    "SUMMARY:Summer closing\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:memorial@test\r\n"
    "DTSTART;VALUE=DATE:20200525\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO\r\n"
    "EXDATE;VALUE=DATE:20270531\r\n"
    "SUMMARY:Memorial Day\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:meeting@test\r\n"
    "DTSTART:20261207T100000Z\r\n"
    "DTEND:20261207T110000Z\r\n"
    "SUMMARY:Team meeting\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

START_TEST(test_calendar_ics)
{
	struct calendar	*cal;
	char		*dir, *path, *cause = NULL, buf[2048] = "";

	setenv("TZ", "Asia/Tokyo", 1);
	dir = unit_tmpdir();
	path = write_file(dir, "holidays.ics", ics_text);
	cal = cal_make("Mon-Fri 09:00-17:00", NULL, BER);
	ck_assert_msg(calendar_load_ics(cal, path, &cause) == WD_OK, "%s",
	    cause);
	/* Yearly, two days: 2029-12-25 is a Tuesday. */
	ck_assert(!calendar_is_open(cal, at(BER, "2029-12-25 10:00")));
	ck_assert(!calendar_is_open(cal, at(BER, "2029-12-26 10:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2029-12-27 10:00")));
	/* Five days, DTEND exclusive. */
	ck_assert(calendar_is_open(cal, at(BER, "2026-08-07 10:00")));
	ck_assert(!calendar_is_open(cal, at(BER, "2026-08-10 10:00")));
	ck_assert(!calendar_is_open(cal, at(BER, "2026-08-14 10:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2026-08-17 10:00")));
	ck_assert_str_eq(show(BER, calendar_add(cal,
	    at(BER, "2026-08-07 16:00"), 2 * H)), "2026-08-17 10:00 CEST");
	/* Last Monday of May, less its EXDATE; timed events are no holidays. */
	ck_assert(!calendar_is_open(cal, at(BER, "2026-05-25 10:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2027-05-31 10:00")));
	ck_assert(!calendar_is_open(cal, at(BER, "2028-05-29 10:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2026-12-07 11:30")));
	calendar_walk(cal, at(BER, "2026-12-24 16:00"),
	    at(BER, "2026-12-26 12:00"), walk_text, buf);
	ck_assert_str_eq(buf, "open 12-24 16:00 CET-17:00 CET; "
	    "holiday 12-25 00:00 CET-00:00 CET Christmas; "
	    "holiday 12-26 00:00 CET-12:00 CET Christmas");
	calendar_free(cal);
	free(path);

	cal = cal_make("Mon-Fri 09:00-17:00", NULL, BER);
	path = write_file(dir, "bad.ics", "Christmas 12-25\n");
	ck_assert_int_eq(calendar_load_ics(cal, path, &cause), WD_ECONFIG);
	ck_assert_msg(strstr(cause, "not an iCalendar file") != NULL, "%s",
	    cause);
	free(cause);
	free(path);
	path = write_file(dir, "timed.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "BEGIN:VEVENT\r\nDTSTART:20261207T100000Z\r\nSUMMARY:x\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n");
	ck_assert_int_eq(calendar_load_ics(cal, path, &cause), WD_ECONFIG);
	ck_assert_msg(strstr(cause, "no all-day event") != NULL, "%s", cause);
	free(cause);
	free(path);
	ck_assert_int_ne(asprintf(&path, "%s/missing.ics", dir), -1);
	ck_assert_int_eq(calendar_load_ics(cal, path, &cause), WD_EFAIL);
	ck_assert_msg(strstr(cause, "No such file") != NULL, "%s", cause);
	free(cause);
	free(path);
	ck_assert(calendar_is_open(cal, at(BER, "2026-12-25 10:00")));
	calendar_free(cal);
	unsetenv("TZ");
	unit_tmpdir_remove(dir);
	free(dir);
}
END_TEST

/* The calendar of a configuration, and its errors naming file and line. */
START_TEST(test_calendar_config)
{
	struct config	 cfg;
	struct calendar	*cal = NULL;
	const char	*bad = "BUSINESS_HOURS=Mon-Fri 9-17\n";
	char		*dir, *path, *text, *cause = NULL;

	dir = unit_tmpdir();
	path = write_file(dir, "h.ics", ics_text);
	ck_assert_int_ne(asprintf(&text, "TIME_ZONE=Europe/Berlin\n"
	    "BUSINESS_HOURS=Mon-Fri 09:00-17:00\nHOLIDAYS=12-24\n"
	    "HOLIDAYS_FILE=%s\n", path), -1);
	config_defaults(&cfg);
	ck_assert_msg(config_parse(&cfg, "w.conf", text, strlen(text),
	    &cause) == WD_OK, "%s", cause);
	ck_assert_msg(config_calendar(&cfg, &cal, &cause) == WD_OK, "%s",
	    cause);
	ck_assert(!calendar_is_open(cal, at(BER, "2026-12-24 10:00")));
	ck_assert(!calendar_is_open(cal, at(BER, "2026-12-25 10:00")));
	ck_assert(calendar_is_open(cal, at(BER, "2026-12-23 10:00")));
	calendar_free(cal);
	config_free(&cfg);
	free(text);

	ck_assert_int_ne(asprintf(&text, "\nHOLIDAYS_FILE=%s/none.ics\n",
	    dir), -1);
	config_defaults(&cfg);
	ck_assert_int_eq(config_parse(&cfg, "w.conf", text, strlen(text),
	    &cause), WD_OK);
	ck_assert_int_eq(config_calendar(&cfg, &cal, &cause), WD_ECONFIG);
	ck_assert_ptr_null(cal);
	ck_assert_msg(strncmp(cause, "w.conf:2: HOLIDAYS_FILE: ", 25) == 0,
	    "%s", cause);
	free(cause);
	config_free(&cfg);
	free(text);

	config_defaults(&cfg);
	ck_assert_int_eq(config_parse(&cfg, "w.conf", bad, strlen(bad),
	    &cause), WD_ECONFIG);
	ck_assert_msg(strstr(cause, "w.conf:1: BUSINESS_HOURS: '9-17': "
	    "expected HH:MM-HH:MM") != NULL, "%s", cause);
	free(cause);
	config_free(&cfg);
	config_defaults(&cfg);
	ck_assert_msg(config_calendar(&cfg, &cal, &cause) == WD_OK, "%s",
	    cause);
	ck_assert(calendar_always_open(cal));
	calendar_free(cal);
	config_free(&cfg);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
}
END_TEST

/* A small reproducible generator (the tests' own, not rand()). */
static uint64_t
prng(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/* A random BUSINESS_HOURS value into BUF. */
static void
random_hours(uint64_t *s, char *buf, size_t len)
{
	static const char *days[] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
	};
	size_t		 used = 0;
	int		 d, k, n, at0, from, to;

	buf[0] = '\0';
	for (d = 0; d < 7; d++) {
		if (prng(s) % 10 < 3)
			continue;
		n = 1 + (int)(prng(s) % 3);
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? ", " : "", days[d]);
		at0 = 0;
		for (k = 0; k < n && at0 < 24 * 60 - 15; k++) {
			/* From at0 to 23:45, then 15 minutes to 24:00. */
			from = at0 + (int)(prng(s) %
			    (uint64_t)(24 * 60 - 15 - at0 + 1));
			to = from + 15 + (int)(prng(s) %
			    (uint64_t)(24 * 60 - from - 15 + 1));
			used += (size_t)snprintf(buf + used, len - used,
			    " %02d:%02d-%02d:%02d", from / 60, from % 60,
			    to / 60, to % 60);
			at0 = to + 1;
		}
	}
	if (used == 0)
		snprintf(buf, len, "Wed 10:00-11:00");
}

/* Days with open time among the spans of a walk. */
struct day_count {
	const char	*zone;
	int		 days;
	int		 last;		/* yday + 1000 * year */
};

static int
count_days(const struct calendar_span *s, void *arg)
{
	struct day_count	*c = arg;
	struct tm		 tm;
	char			 abbr[16];
	int			 key;

	if (s->kind != CALENDAR_OPEN)
		return 0;
	ck_assert(zone_localtime(s->from, c->zone, &tm, abbr, sizeof abbr));
	key = tm.tm_year * 1000 + tm.tm_yday;
	if (key != c->last)
		c->days++;
	c->last = key;
	return 0;
}

START_TEST(test_calendar_property)
{
	static const char *zones[] = {
		BER, NYC, LAX, "UTC", "Asia/Kolkata", "Australia/Lord_Howe",
		"Pacific/Chatham", "America/Sao_Paulo",
	};
	struct calendar	*cal;
	struct day_count c;
	uint64_t	 seed = 20261203;
	char		 hours[512], msg[700];
	const char	*zone;
	int64_t		 start, secs, end, back, s0;
	int		 i, j, n;

	for (i = 0; i < 120; i++) {
		random_hours(&seed, hours, sizeof hours);
		zone = zones[prng(&seed) % (sizeof zones / sizeof zones[0])];
		cal = cal_make(hours, prng(&seed) % 2 ? "12-25, 01-01, 02-29,"
		    " 2027-03-28, 2026-10-25" : NULL, zone);
		for (j = 0; j < 25; j++) {
			/* 2024 to 2031, on any second. */
			start = 1704067200LL + (int64_t)(prng(&seed) %
			    (8ULL * 365 * 86400));
			secs = (int64_t)(prng(&seed) % (400 * H));
			snprintf(msg, sizeof msg, "seed case %d/%d: %s in %s, "
			    "start %lld, %lld s", i, j, hours, zone,
			    (long long)start, (long long)secs);
			end = calendar_add(cal, start, secs);
			ck_assert_msg(calendar_between(cal, start, end) == secs,
			    "%s: add then between: %lld", msg,
			    (long long)calendar_between(cal, start, end));
			back = calendar_add(cal, start, -secs - 1);
			ck_assert_msg(calendar_between(cal, back, start) ==
			    secs + 1, "%s: back", msg);
			n = 1 + (int)(prng(&seed) % 30);
			s0 = calendar_next_open(cal, start);
			end = calendar_add_days(cal, start, n);
			ck_assert_msg(end > s0, "%s: %d days", msg, n);
			c.zone = zone;
			c.days = 0;
			c.last = -1;
			calendar_walk(cal, s0, end, count_days, &c);
			/* Day n of n+1 partly counted, or n whole days. */
			ck_assert_msg(c.days == n || c.days == n + 1,
			    "%s: %d days walked %d", msg, n, c.days);
			ck_assert_msg(calendar_is_open(cal, end - 1) ||
			    calendar_is_open(cal, end), "%s: %d days end "
			    "closed", msg, n);
		}
		calendar_free(cal);
	}
}
END_TEST

static Suite *
calendar_suite(void)
{
	Suite	*s = suite_create("calendar");
	TCase	*tc = tcase_create("calendar");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_calendar_hours_syntax, 0,
	    (int)(sizeof hours_cases / sizeof hours_cases[0]));
	tcase_add_loop_test(tc, test_calendar_holidays_syntax, 0,
	    (int)(sizeof holiday_cases / sizeof holiday_cases[0]));
	tcase_add_test(tc, test_calendar_bad_zone);
	tcase_add_test(tc, test_calendar_berlin_week);
	tcase_add_test(tc, test_calendar_dst_days);
	tcase_add_test(tc, test_calendar_dst_ranges);
	tcase_add_test(tc, test_calendar_midnight);
	tcase_add_test(tc, test_calendar_holidays_west);
	tcase_add_test(tc, test_calendar_year_end_leap);
	tcase_add_test(tc, test_calendar_partial_split);
	tcase_add_test(tc, test_calendar_walk);
	tcase_add_test(tc, test_calendar_never_open);
	tcase_add_test(tc, test_calendar_ics);
	tcase_add_test(tc, test_calendar_config);
	tcase_add_test(tc, test_calendar_property);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(calendar_suite)
