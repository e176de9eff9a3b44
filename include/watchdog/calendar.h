/*
 * calendar.h: the business calendar of watchdog.conf(5) (BUSINESS_HOURS,
 * HOLIDAYS, HOLIDAYS_FILE), counted in the team's TIME_ZONE. Pure: every
 * time is passed in as UTC seconds; nothing here reads the clock, and the
 * zone is the calendar's own, never the process's TZ.
 *
 * Business time is the time the calendar is open. A business hour is a
 * real hour, also across a daylight-saving change: a range that a change
 * cuts short or lengthens counts its real length; a wall time the clocks
 * skip is the instant of the change, one that comes twice is its first
 * occurrence. Holidays are dates in the zone, closed midnight to midnight.
 * "24x7" (or no BUSINESS_HOURS) means always open: then business time is
 * wall-clock time and every function below is the identity arithmetic,
 * holidays or not. Searches for open time stop after ten years of days
 * without any (CALENDAR_SEARCH_DAYS in calendar.c), so a calendar that
 * never opens (every day a holiday) answers INT64_MAX (or INT64_MIN going
 * back) instead of looping; nothing is counted past the end of 9999.
 * Each call sets TZ to the calendar's zone once and puts it back.
 */
#ifndef WATCHDOG_CALENDAR_H
#define WATCHDOG_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

struct calendar;

/*
 * A calendar open during HOURS (BUSINESS_HOURS syntax; NULL or "24x7" for
 * always) except on HOLIDAYS (HOLIDAYS syntax, MM-DD and YYYY-MM-DD,
 * comma-separated; NULL for none), in ZONE (an IANA name that
 * zone_valid() accepts). WD_ECONFIG with *CAUSE naming the bad part of a
 * value. The caller frees *CALP with calendar_free().
 */
enum wd_status	 calendar_new(const char *hours, const char *holidays,
		     const char *zone, struct calendar **calp, char **cause);

/*
 * Add the all-day events of the iCalendar file PATH (HOLIDAYS_FILE) as
 * holidays, named by their SUMMARY (calendar_ics.h says which events
 * count). WD_ECONFIG (not iCalendar, no all-day event) or WD_EFAIL
 * (cannot read it) with *CAUSE naming PATH; CAL keeps what it had.
 */
enum wd_status	 calendar_load_ics(struct calendar *cal, const char *path,
		     char **cause);

void		 calendar_free(struct calendar *cal);

/* True for a 24x7 calendar: business time is wall-clock time. */
bool		 calendar_always_open(const struct calendar *cal);

/* Whether the calendar is open at T. */
bool		 calendar_is_open(const struct calendar *cal, int64_t t);

/*
 * T when the calendar is open at T, else the next opening after T
 * (INT64_MAX when it never opens again within ten years).
 */
int64_t		 calendar_next_open(const struct calendar *cal, int64_t t);

/*
 * The instant SECS business seconds after START (before START when SECS is
 * negative). Counting starts at the next opening when START is outside
 * business hours (so SECS 0 gives calendar_next_open()), and time that
 * runs out exactly at a closing gives the closing. INT64_MAX (INT64_MIN
 * going back) when the calendar stops opening.
 */
int64_t		 calendar_add(const struct calendar *cal, int64_t start,
		     int64_t secs);

/*
 * N business days after START (before it when N is negative): the same
 * business-clock time N business days on (Fri 15:00 + 1 = Mon 15:00 for
 * Mon-Fri 09:00-17:00). A business day is a day with opening hours that
 * is not a holiday. Counting starts at calendar_next_open(START); the
 * business-clock time is the business time elapsed in that day before
 * it, found again in the target day and clamped to the target day's
 * length (its last closing). From an opening (elapsed 0) and N > 0, the
 * result is the close of the Nth business day counting that day as the
 * first (Sat 10:00 + 1 = Mon 17:00). N 0 gives calendar_next_open().
 * INT64_MAX (INT64_MIN) when the calendar stops opening.
 */
int64_t		 calendar_add_days(const struct calendar *cal, int64_t start,
		     int n);

/*
 * Business seconds in [FROM, TO); 0 when TO <= FROM. Counting stops after
 * ten years without open time.
 */
int64_t		 calendar_between(const struct calendar *cal, int64_t from,
		     int64_t to);

/* One piece of the calendar between two instants, for --explain. */
enum calendar_span_kind {
	CALENDAR_OPEN,		/* business time counted: FROM to TO */
	CALENDAR_CLOSED_DAY,	/* a day with no business hours */
	CALENDAR_HOLIDAY,	/* a holiday; NAME says which */
};

struct calendar_span {
	enum calendar_span_kind	 kind;
	int64_t			 from;	/* UTC seconds */
	int64_t			 to;
	const char		*name;	/* holiday's name, or NULL */
};

/* "open", "closed" or "holiday": the name of KIND in --explain and JSON. */
const char	*calendar_span_kind_name(enum calendar_span_kind kind);

/*
 * Call FN for each open interval and each closed day or holiday between
 * FROM and TO, in order, each clipped to [FROM, TO); stop early when FN
 * returns non-zero. A holiday is reported as such even on a day without
 * hours; a day's closed hours between its ranges are not reported. FN
 * runs under the process's own TZ. At most twenty years of days are
 * walked. For a 24x7 calendar: one open span.
 */
void		 calendar_walk(const struct calendar *cal, int64_t from,
		     int64_t to, int (*fn)(const struct calendar_span *, void *),
		     void *arg);

#endif
