/*
 * deadline_hint.c: the example and the live meaning of a deadline field;
 * see deadline_hint.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watchdog/deadline_hint.h"
#include "watchdog/timeutil.h"

/* Seconds in a day, and how far ahead a weekday alone is clear. */
#define HINT_DAY	86400
#define HINT_WEEK	(6 * HINT_DAY)

/* The example of a deadline field, tomorrow at 17:00; see the header. */
void
deadline_example(int64_t now, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)(now + HINT_DAY);
	char		day[16];

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(day, sizeof day, "%Y-%m-%d", &tm) == 0)
		snprintf(day, sizeof day, "YYYY-MM-DD");
	snprintf(buf, len, "e.g. +4h, +2d, %s 17:00", day);
}

/* What TEXT means at NOW; see the header. */
bool
deadline_preview(const char *text, int64_t now, int64_t *deadline,
    char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t;
	int64_t		 at;
	char		*cause = NULL, when[32], left[32];
	size_t		 n;

	if (text[strspn(text, " \t")] == '\0' ||
	    time_parse_deadline(text, now, &at, &cause) != WD_OK) {
		free(cause);
		deadline_example(now, buf, len);
		return false;
	}
	t = (time_t)at;
	if ((int64_t)t != at || localtime_r(&t, &tm) == NULL)
		n = 0;
	else if (at >= now - HINT_WEEK && at <= now + HINT_WEEK)
		n = strftime(when, sizeof when, "%a %H:%M", &tm);
	else
		n = strftime(when, sizeof when, "%a %Y-%m-%d %H:%M", &tm);
	if (n == 0)
		snprintf(when, sizeof when, "?");
	time_format_left(at - now, left, sizeof left);
	snprintf(buf, len, "-> %s (%s)", when, left);
	if (deadline != NULL)
		*deadline = at;
	return true;
}
