/*
 * calendar_ics.c: holidays from an iCalendar file, with libical; see
 * calendar_ics.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libical/ical.h>

#include "watchdog/calendar_ics.h"
#include "watchdog/calendar_parse.h"
#include "watchdog/status.h"
#include "watchdog/util.h"

/* The most occurrences taken from one recurring event. */
#define CALENDAR_ICS_OCCURRENCES	100000

/* The day number of the date of T. */
static int64_t
calendar_ics_day(struct icaltimetype t)
{
	return calendar_days_from_civil(t.year, t.month, t.day);
}

/* Whether the date of T is one of the EXDATEs of EV. */
static bool
calendar_ics_excluded(icalcomponent *ev, struct icaltimetype t)
{
	icalproperty		*p;
	struct icaltimetype	 x;

	for (p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		x = icalproperty_get_exdate(p);
		if (x.year == t.year && x.month == t.month && x.day == t.day)
			return true;
	}
	return false;
}

/*
 * Report the occurrences of the all-day event EV through FN. Returns
 * whether EV is an all-day event.
 */
static bool
calendar_ics_event(icalcomponent *ev,
    void (*fn)(int64_t, int64_t, const char *, void *), void *arg)
{
	struct icaltimetype	 start, end, t;
	struct icalrecurrencetype rule;
	icalrecur_iterator	*it;
	icalproperty		*rp;
	const char		*name;
	int64_t			 days;
	int			 n;

	start = icalcomponent_get_dtstart(ev);
	if (icaltime_is_null_time(start) || !start.is_date ||
	    icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
		return false;
	end = icalcomponent_get_dtend(ev);
	days = icaltime_is_null_time(end) ? 1 :
	    calendar_ics_day(end) - calendar_ics_day(start);
	if (days < 1)
		days = 1;
	if ((name = icalcomponent_get_summary(ev)) == NULL || *name == '\0')
		name = "holiday";
	rp = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	if (rp == NULL) {
		fn(calendar_ics_day(start), calendar_ics_day(start) + days,
		    name, arg);
		return true;
	}
	rule = icalproperty_get_rrule(rp);
	if ((it = icalrecur_iterator_new(rule, start)) == NULL)
		return true;
	for (n = 0; n < CALENDAR_ICS_OCCURRENCES; n++) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t) || t.year > CALENDAR_ICS_LAST_YEAR)
			break;
		if (!calendar_ics_excluded(ev, t))
			fn(calendar_ics_day(t), calendar_ics_day(t) + days,
			    name, arg);
	}
	icalrecur_iterator_free(it);
	return true;
}

/* Parse iCalendar text; see calendar_ics.h. */
enum wd_status
calendar_ics_parse(const char *text, const char *name,
    void (*fn)(int64_t, int64_t, const char *, void *), void *arg,
    char **cause)
{
	icalcomponent	*root, *cal, *ev;
	icalcomponent_kind kind;
	bool		 any = false, found = false;
	enum wd_status	 st = WD_OK;

	icalerror_set_errors_are_fatal(0);
	if ((root = icalparser_parse_string(text)) == NULL)
		return status_set(cause, WD_ECONFIG, "%s: not an iCalendar "
		    "file (expected BEGIN:VCALENDAR)", name);
	kind = icalcomponent_isa(root);
	cal = kind == ICAL_XROOT_COMPONENT ? icalcomponent_get_first_component(
	    root, ICAL_VCALENDAR_COMPONENT) : root;
	for (; cal != NULL; cal = kind == ICAL_XROOT_COMPONENT ?
	    icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT) :
	    NULL) {
		if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT)
			continue;
		found = true;
		for (ev = icalcomponent_get_first_component(cal,
		    ICAL_VEVENT_COMPONENT); ev != NULL;
		    ev = icalcomponent_get_next_component(cal,
		    ICAL_VEVENT_COMPONENT))
			if (calendar_ics_event(ev, fn, arg))
				any = true;
	}
	if (!found)
		st = status_set(cause, WD_ECONFIG, "%s: not an iCalendar file "
		    "(expected BEGIN:VCALENDAR)", name);
	else if (!any)
		st = status_set(cause, WD_ECONFIG, "%s: no all-day event "
		    "(holidays are all-day events)", name);
	icalcomponent_free(root);
	return st;
}

/* Read the file PATH whole into *TEXT (NUL-terminated). WD_OK or *CAUSE. */
static enum wd_status
calendar_ics_slurp(const char *path, char **text, char **cause)
{
	struct stat	 sb;
	char		*buf = NULL;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;
	enum wd_status	 st = WD_OK;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) ==
	    -1)
		return status_set(cause, WD_EFAIL, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		st = status_set(cause, WD_ECONFIG, "%s: not a regular file",
		    path);
		goto out;
	}
	if (sb.st_size > CALENDAR_ICS_MAX) {
		st = status_set(cause, WD_ECONFIG, "%s: larger than %d MiB",
		    path, CALENDAR_ICS_MAX / (1024 * 1024));
		goto out;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			st = status_set(cause, WD_EFAIL, "%s: %s", path,
			    n == 0 ? "shorter than expected" : strerror(errno));
			goto out;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*text = buf;
	buf = NULL;

out:
	free(buf);
	close(fd);
	return st;
}

/* Read an iCalendar file; see calendar_ics.h. */
enum wd_status
calendar_ics_read(const char *path,
    void (*fn)(int64_t, int64_t, const char *, void *), void *arg,
    char **cause)
{
	char		*text = NULL;
	enum wd_status	 st;

	if ((st = calendar_ics_slurp(path, &text, cause)) != WD_OK)
		return st;
	st = calendar_ics_parse(text, path, fn, arg, cause);
	free(text);
	return st;
}
