/*
 * calendar.h: the business calendar of watchdog.conf(5) (BUSINESS_HOURS,
 * HOLIDAYS, HOLIDAYS_FILE), counted in the team's TIME_ZONE. Pure: every
 * time is passed in as UTC seconds; nothing here reads the clock, and the
 * zone is the calendar's own, never the process's TZ.
 *
 * Business time is the time the calendar is open. A business hour is a
 * real hour, also across a daylight-saving change. "24x7" (or no
 * BUSINESS_HOURS) means always open: then business time is wall-clock time
 * and every function below is the identity arithmetic, holidays or not.
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
 * holidays, named by their SUMMARY. WD_ECONFIG or WD_EFAIL with *CAUSE.
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
 * business hours.
 */
int64_t		 calendar_add(const struct calendar *cal, int64_t start,
		     int64_t secs);

/*
 * N business days after START: the same business-clock time N business
 * days on (Fri 15:00 + 1 = Mon 15:00 for Mon-Fri 09:00-17:00).
 */
int64_t		 calendar_add_days(const struct calendar *cal, int64_t start,
		     int n);

/* Business seconds in [FROM, TO); 0 when TO <= FROM. */
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

/*
 * Call FN for each open interval and each closed day or holiday between
 * FROM and TO, in order; stop early when FN returns non-zero. For a 24x7
 * calendar: one open span.
 */
void		 calendar_walk(const struct calendar *cal, int64_t from,
		     int64_t to, int (*fn)(const struct calendar_span *, void *),
		     void *arg);

#endif
