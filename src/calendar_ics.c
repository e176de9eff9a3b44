/*
 * calendar_ics.c: holidays from an iCalendar file, with libical; see
 * calendar_ics.h.
 *
 * libical (and the ICU libraries it needs) is loaded with dlopen() the
 * first time a file is read, as smtp.c loads libcurl: linked in, it would
 * lengthen the start of every run of the program, HOLIDAYS_FILE or not.
 * The fixed soname is found in the system's library directories only (a
 * setgid program's loader ignores LD_LIBRARY_PATH).
 */
#include <sys/stat.h>

#include <dlfcn.h>
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

/* The library loaded. */
#define CALENDAR_LIBICAL		"libical.so.3"

/* The functions of libical this file calls, once loaded. */
static struct {
	void			(*set_errors_are_fatal)(int);
	icalcomponent	       *(*parse_string)(const char *);
	icalcomponent_kind	(*isa)(const icalcomponent *);
	icalcomponent	       *(*first_component)(icalcomponent *,
				    icalcomponent_kind);
	icalcomponent	       *(*next_component)(icalcomponent *,
				    icalcomponent_kind);
	icalproperty	       *(*first_property)(icalcomponent *,
				    icalproperty_kind);
	icalproperty	       *(*next_property)(icalcomponent *,
				    icalproperty_kind);
	struct icaltimetype	(*get_dtstart)(icalcomponent *);
	struct icaltimetype	(*get_dtend)(icalcomponent *);
	enum icalproperty_status (*get_status)(icalcomponent *);
	const char	       *(*get_summary)(icalcomponent *);
	struct icaltimetype	(*get_exdate)(const icalproperty *);
	struct icalrecurrencetype (*get_rrule)(const icalproperty *);
	icalrecur_iterator     *(*iter_new)(struct icalrecurrencetype,
				    struct icaltimetype);
	struct icaltimetype	(*iter_next)(icalrecur_iterator *);
	void			(*iter_free)(icalrecur_iterator *);
	int			(*is_null_time)(const struct icaltimetype);
	void			(*component_free)(icalcomponent *);
} lical;
static bool	calendar_ics_loaded;

/*
 * Load libical once per process. Returns 0, or -1 with *WHY (static text)
 * when it cannot be loaded.
 */
static int
calendar_ics_load(const char **why)
{
	void	*h;

	if (calendar_ics_loaded)
		return 0;
	*why = "cannot load " CALENDAR_LIBICAL " (install libical3)";
	if ((h = dlopen(CALENDAR_LIBICAL, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return -1;
	if (lib_sym(h, "icalerror_set_errors_are_fatal",
	    &lical.set_errors_are_fatal) != 0 ||
	    lib_sym(h, "icalparser_parse_string",
	    &lical.parse_string) != 0 ||
	    lib_sym(h, "icalcomponent_isa", &lical.isa) != 0 ||
	    lib_sym(h, "icalcomponent_get_first_component",
	    &lical.first_component) != 0 ||
	    lib_sym(h, "icalcomponent_get_next_component",
	    &lical.next_component) != 0 ||
	    lib_sym(h, "icalcomponent_get_first_property",
	    &lical.first_property) != 0 ||
	    lib_sym(h, "icalcomponent_get_next_property",
	    &lical.next_property) != 0 ||
	    lib_sym(h, "icalcomponent_get_dtstart",
	    &lical.get_dtstart) != 0 ||
	    lib_sym(h, "icalcomponent_get_dtend",
	    &lical.get_dtend) != 0 ||
	    lib_sym(h, "icalcomponent_get_status",
	    &lical.get_status) != 0 ||
	    lib_sym(h, "icalcomponent_get_summary",
	    &lical.get_summary) != 0 ||
	    lib_sym(h, "icalproperty_get_exdate",
	    &lical.get_exdate) != 0 ||
	    lib_sym(h, "icalproperty_get_rrule",
	    &lical.get_rrule) != 0 ||
	    lib_sym(h, "icalrecur_iterator_new",
	    &lical.iter_new) != 0 ||
	    lib_sym(h, "icalrecur_iterator_next",
	    &lical.iter_next) != 0 ||
	    lib_sym(h, "icalrecur_iterator_free",
	    &lical.iter_free) != 0 ||
	    lib_sym(h, "icaltime_is_null_time",
	    &lical.is_null_time) != 0 ||
	    lib_sym(h, "icalcomponent_free",
	    &lical.component_free) != 0) {
		*why = CALENDAR_LIBICAL " lacks a function this program calls";
		dlclose(h);
		return -1;
	}
	lical.set_errors_are_fatal(0);
	calendar_ics_loaded = true;	/* and H stays loaded */
	return 0;
}

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

	for (p = lical.first_property(ev, ICAL_EXDATE_PROPERTY);
	    p != NULL;
	    p = lical.next_property(ev, ICAL_EXDATE_PROPERTY)) {
		x = lical.get_exdate(p);
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

	start = lical.get_dtstart(ev);
	if (lical.is_null_time(start) || !start.is_date ||
	    lical.get_status(ev) == ICAL_STATUS_CANCELLED)
		return false;
	end = lical.get_dtend(ev);
	days = lical.is_null_time(end) ? 1 :
	    calendar_ics_day(end) - calendar_ics_day(start);
	if (days < 1)
		days = 1;
	if ((name = lical.get_summary(ev)) == NULL || *name == '\0')
		name = "holiday";
	rp = lical.first_property(ev, ICAL_RRULE_PROPERTY);
	if (rp == NULL) {
		fn(calendar_ics_day(start), calendar_ics_day(start) + days,
		    name, arg);
		return true;
	}
	rule = lical.get_rrule(rp);
	if ((it = lical.iter_new(rule, start)) == NULL)
		return true;
	for (n = 0; n < CALENDAR_ICS_OCCURRENCES; n++) {
		t = lical.iter_next(it);
		if (lical.is_null_time(t) || t.year > CALENDAR_ICS_LAST_YEAR)
			break;
		if (!calendar_ics_excluded(ev, t))
			fn(calendar_ics_day(t), calendar_ics_day(t) + days,
			    name, arg);
	}
	lical.iter_free(it);
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
	const char	*why;
	bool		 any = false, found = false;
	enum wd_status	 st = WD_OK;

	if (calendar_ics_load(&why) != 0)
		return status_set(cause, WD_EFAIL, "%s: %s", name, why);
	if ((root = lical.parse_string(text)) == NULL)
		return status_set(cause, WD_ECONFIG, "%s: not an iCalendar "
		    "file (expected BEGIN:VCALENDAR)", name);
	kind = lical.isa(root);
	cal = kind == ICAL_XROOT_COMPONENT ? lical.first_component(
	    root, ICAL_VCALENDAR_COMPONENT) : root;
	for (; cal != NULL; cal = kind == ICAL_XROOT_COMPONENT ?
	    lical.next_component(root, ICAL_VCALENDAR_COMPONENT) :
	    NULL) {
		if (lical.isa(cal) != ICAL_VCALENDAR_COMPONENT)
			continue;
		found = true;
		for (ev = lical.first_component(cal,
		    ICAL_VEVENT_COMPONENT); ev != NULL;
		    ev = lical.next_component(cal,
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
	lical.component_free(root);
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
