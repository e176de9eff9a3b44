/*
 * calendar_parse.h: the text of BUSINESS_HOURS and HOLIDAYS
 * (watchdog.conf(5)) and the civil-date arithmetic of the business
 * calendar (calendar.h). Pure: no clock, no zone, no I/O.
 */
#ifndef WATCHDOG_CALENDAR_PARSE_H
#define WATCHDOG_CALENDAR_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

/* The most opening ranges one weekday may have. */
#define CALENDAR_RANGES_MAX	12

/* One opening range of a day, in seconds after local midnight. */
struct calendar_range {
	int32_t	from;		/* 0 .. 86340 */
	int32_t	to;		/* from + 60 .. 86400 (24:00) */
};

/* The opening hours of a week; day 0 is Monday. */
struct calendar_week {
	bool			always;	/* 24x7 */
	int			n[7];	/* ranges of each day, sorted */
	struct calendar_range	r[7][CALENDAR_RANGES_MAX];
};

/*
 * Parse a BUSINESS_HOURS value ("24x7", "Mon-Fri 09:00-17:00",
 * "Mon-Thu 08:00-12:00 13:00-18:00, Fri 08:00-14:00") into *W. WD_OK, or
 * WD_ECONFIG with *CAUSE saying what is wrong (the caller frees it).
 */
enum wd_status	 calendar_parse_hours(const char *text,
		     struct calendar_week *w, char **cause);

/*
 * Parse a HOLIDAYS value ("12-25, 2026-04-03"): FN is called for each
 * date with YEAR 0 for a yearly MM-DD, and the item as written as NAME;
 * a non-zero return from FN stops the parse. WD_OK, or WD_ECONFIG with
 * *CAUSE.
 */
enum wd_status	 calendar_parse_holidays(const char *text,
		     int (*fn)(int year, int month, int mday, const char *name,
		     void *), void *arg, char **cause);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t		 calendar_days_from_civil(int64_t y, int m, int d);

/* The date of day number DAYS (days since 1970-01-01). */
void		 calendar_civil_from_days(int64_t days, int64_t *y, int *m,
		     int *d);

/* The weekday of day number DAYS: 0 for Monday to 6 for Sunday. */
int		 calendar_weekday(int64_t days);

/* The days of month M of year Y (Y 0: any year, so February has 29). */
int		 calendar_month_days(int64_t y, int m);

#endif
