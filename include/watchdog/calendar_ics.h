/*
 * calendar_ics.h: the all-day events of an iCalendar file (HOLIDAYS_FILE
 * of watchdog.conf(5)), read with libical. The only file that includes
 * libical.
 */
#ifndef WATCHDOG_CALENDAR_ICS_H
#define WATCHDOG_CALENDAR_ICS_H

#include <stdint.h>

#include "watchdog/status.h"

/* The largest HOLIDAYS_FILE read, in bytes. */
#define CALENDAR_ICS_MAX	(8 * 1024 * 1024)

/* Recurrences are expanded up to the end of this year. */
#define CALENDAR_ICS_LAST_YEAR	2199

/*
 * Call FN for each occurrence of each all-day VEVENT of the file PATH:
 * its first day and the day after its last (days since 1970-01-01, a
 * date of the calendar's own), and its SUMMARY ("holiday" when it has
 * none). Yearly and other RRULE recurrences are expanded up to
 * CALENDAR_ICS_LAST_YEAR, less their EXDATEs; events with a time of day
 * are not holidays and are skipped. WD_OK, or WD_ECONFIG (not an
 * iCalendar file, no all-day event) or WD_EFAIL (cannot read it) with
 * *CAUSE naming the file.
 */
enum wd_status	 calendar_ics_read(const char *path,
		     void (*fn)(int64_t first, int64_t end, const char *name,
		     void *), void *arg, char **cause);

/*
 * The same for the iCalendar text TEXT (NUL-terminated), named NAME in
 * messages.
 */
enum wd_status	 calendar_ics_parse(const char *text, const char *name,
		     void (*fn)(int64_t, int64_t, const char *, void *),
		     void *arg, char **cause);

#endif
