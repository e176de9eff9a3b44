/*
 * calendar.c: the business calendar (calendar.h).
 *
 * For now only the 24x7 calendar: business time is wall-clock time. The
 * BUSINESS_HOURS, HOLIDAYS and HOLIDAYS_FILE parts come with the SLA
 * policies of watchdog(1).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/calendar.h"
#include "watchdog/status.h"
#include "watchdog/util.h"

struct calendar {
	int	always_open;
};

enum wd_status
calendar_new(const char *hours, const char *holidays, const char *zone,
    struct calendar **calp, char **cause)
{
	(void)zone;
	*calp = NULL;
	if ((hours != NULL && strcmp(hours, "24x7") != 0) ||
	    (holidays != NULL && *holidays != '\0'))
		return status_set(cause, WD_ECONFIG,
		    "business hours and holidays are not supported yet");
	*calp = xcalloc(1, sizeof **calp);
	(*calp)->always_open = 1;
	return WD_OK;
}

enum wd_status
calendar_load_ics(struct calendar *cal, const char *path, char **cause)
{
	(void)cal;
	(void)path;
	return status_set(cause, WD_ECONFIG,
	    "HOLIDAYS_FILE is not supported yet");
}

void
calendar_free(struct calendar *cal)
{
	free(cal);
}

bool
calendar_always_open(const struct calendar *cal)
{
	return cal->always_open != 0;
}

bool
calendar_is_open(const struct calendar *cal, int64_t t)
{
	(void)cal;
	(void)t;
	return true;
}

int64_t
calendar_next_open(const struct calendar *cal, int64_t t)
{
	(void)cal;
	return t;
}

int64_t
calendar_add(const struct calendar *cal, int64_t start, int64_t secs)
{
	(void)cal;
	return start + secs;
}

int64_t
calendar_add_days(const struct calendar *cal, int64_t start, int n)
{
	(void)cal;
	return start + (int64_t)n * 86400;
}

int64_t
calendar_between(const struct calendar *cal, int64_t from, int64_t to)
{
	(void)cal;
	return to > from ? to - from : 0;
}

void
calendar_walk(const struct calendar *cal, int64_t from, int64_t to,
    int (*fn)(const struct calendar_span *, void *), void *arg)
{
	struct calendar_span span = { CALENDAR_OPEN, from, to, NULL };

	(void)cal;
	if (to > from)
		fn(&span, arg);
}
