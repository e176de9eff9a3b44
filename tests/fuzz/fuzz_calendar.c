/*
 * fuzz_calendar.c: the BUSINESS_HOURS and HOLIDAYS parsers
 * (calendar_parse.h) on arbitrary text. The input up to its first newline
 * is a BUSINESS_HOURS value, the rest a HOLIDAYS value.
 *
 * Accepted hours are a week of sorted ranges that neither overlap nor
 * touch, each on whole minutes within 00:00..24:00 and at most
 * CALENDAR_RANGES_MAX a day; accepted holidays are dates that exist
 * (February 29 yearly, or in a leap year). A refusal comes with a
 * one-line message, and the day arithmetic turns each date into a day
 * number and back unchanged.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/calendar_parse.h"
#include "watchdog/status.h"

#include "fuzz.h"

/* Nothing to set up. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Check an accepted week W. */
static void
check_week(const struct calendar_week *w)
{
	const struct calendar_range	*r;
	int				 d, i;

	for (d = 0; d < 7; d++) {
		if (w->always && w->n[d] != 0)
			fuzz_fail("24x7 with ranges");
		if (w->n[d] < 0 || w->n[d] > CALENDAR_RANGES_MAX)
			fuzz_fail("day %d has %d ranges", d, w->n[d]);
		for (i = 0; i < w->n[d]; i++) {
			r = &w->r[d][i];
			if (r->from < 0 || r->to > 86400 || r->from >= r->to ||
			    r->from % 60 != 0 || r->to % 60 != 0)
				fuzz_fail("day %d range %d is %d-%d", d, i,
				    (int)r->from, (int)r->to);
			if (i > 0 && w->r[d][i - 1].to >= r->from)
				fuzz_fail("day %d ranges %d and %d overlap or "
				    "touch", d, i - 1, i);
		}
	}
}

/* calendar_parse_holidays() callback: check one date. */
static int
check_date(int y, int m, int d, const char *name, void *arg)
{
	int64_t	yy, day;
	int	mm, dd;

	(void)arg;
	if (name == NULL || *name == '\0')
		fuzz_fail("a holiday without its text");
	if (m < 1 || m > 12 || d < 1 || d > calendar_month_days(y, m) ||
	    (y != 0 && y < 1970))
		fuzz_fail("accepted %04d-%02d-%02d", y, m, d);
	if (y != 0) {
		day = calendar_days_from_civil(y, m, d);
		calendar_civil_from_days(day, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fuzz_fail("%04d-%02d-%02d came back as %04lld-%02d-%02d",
			    y, m, d, (long long)yy, mm, dd);
		if (calendar_weekday(day) < 0 || calendar_weekday(day) > 6)
			fuzz_fail("weekday out of range");
	}
	return 0;
}

/* One run: DATA as BUSINESS_HOURS, newline, HOLIDAYS. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar_week	 w;
	const char		*holidays;
	char			*s, *nl, *cause = NULL;
	enum wd_status		 st;

	s = fuzz_cstring(data, size);
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		holidays = nl + 1;
	} else
		holidays = "";
	st = calendar_parse_hours(s, &w, &cause);
	if (st == WD_OK) {
		if (cause != NULL)
			fuzz_fail("hours accepted with a message");
		check_week(&w);
	} else {
		if (st != WD_ECONFIG)
			fuzz_fail("calendar_parse_hours returned %d", (int)st);
		fuzz_check_cause("calendar_parse_hours", cause);
	}
	free(cause);
	cause = NULL;
	st = calendar_parse_holidays(holidays, check_date, NULL, &cause);
	if (st == WD_OK) {
		if (cause != NULL)
			fuzz_fail("holidays accepted with a message");
	} else {
		if (st != WD_ECONFIG)
			fuzz_fail("calendar_parse_holidays returned %d",
			    (int)st);
		fuzz_check_cause("calendar_parse_holidays", cause);
	}
	free(cause);
	free(s);
	return 0;
}
