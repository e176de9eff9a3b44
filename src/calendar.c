/*
 * calendar.c: the business calendar; see calendar.h.
 *
 * A calendar is a week of opening ranges (calendar_parse.c), holidays by
 * local date (HOLIDAYS, and HOLIDAYS_FILE through calendar_ics.c), and a
 * zone. Every public function walks local days: for each day the UTC
 * instants of its midnight and of its ranges are found from the zone's
 * UTC offsets (localtime_r with TZ set to the calendar's zone once per
 * call), so that a range that a daylight-saving change cuts short or
 * lengthens counts its real length. A wall time that does not exist (the
 * hour skipped in spring) is the instant of the change; one that happens
 * twice (the hour repeated in autumn) is its first occurrence.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watchdog/calendar.h"
#include "watchdog/calendar_ics.h"
#include "watchdog/calendar_parse.h"
#include "watchdog/status.h"
#include "watchdog/util.h"
#include "watchdog/zone.h"

/* How far a search for an opening goes: ten years of days. */
#define CALENDAR_SEARCH_DAYS	3653

/* The most days one event of HOLIDAYS_FILE makes holidays. */
#define CALENDAR_EVENT_DAYS	366

/* Instants outside years 1..9999 are counted as wall-clock time. */
#define CALENDAR_T_MIN		(-62135596800LL)
#define CALENDAR_T_MAX		253402300799LL

/* A holiday on one date. */
struct calendar_holiday {
	int64_t		 day;		/* days since 1970-01-01 */
	const char	*name;		/* in cal->names */
};

struct calendar {
	bool			 always;	/* 24x7 */
	char			*zone;		/* the IANA name */
	struct calendar_week	 week;
	const char		*yearly[13][32]; /* MM-DD holidays' names */
	struct calendar_holiday	*once;		/* sorted by day */
	size_t			 nonce;
	size_t			 capone;
	char		       **names;		/* owned strings */
	size_t			 nnames;
};

/* One local day of a calendar, with its open intervals in UTC. */
struct calendar_day {
	int64_t		 day;		/* days since 1970-01-01, local */
	int64_t		 start;		/* UTC of its midnight */
	int64_t		 end;		/* UTC of the next midnight */
	int64_t		 off_start;	/* UTC offset at START */
	int64_t		 off_end;	/* and at END */
	const char	*holiday;	/* its name, or NULL */
	int		 n;		/* open intervals (0 on a holiday) */
	int64_t		 from[CALENDAR_RANGES_MAX];
	int64_t		 to[CALENDAR_RANGES_MAX];
};

/* The UTC offset of the calendar's zone (TZ) at T, in seconds. */
static int64_t
calendar_off(int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (int64_t)tm.tm_gmtoff;
}

/*
 * The first instant at which the wall clock of the zone reaches the local
 * time W (seconds since 1970-01-01 in local time), with the offset then in
 * *OFF. Assumes at most one change of offset within a day of W.
 */
static int64_t
calendar_local_to_utc(int64_t w, int64_t *off)
{
	int64_t		oa, ob, ta, tb, lo, hi, mid, x;
	bool		va, vb;

	oa = calendar_off(w - 86400);
	ob = calendar_off(w + 86400);
	if (oa == ob) {
		*off = oa;
		return w - oa;
	}
	ta = w - oa;
	tb = w - ob;
	va = calendar_off(ta) == oa;
	vb = calendar_off(tb) == ob;
	if (va && (!vb || ta <= tb)) {
		*off = oa;
		return ta;
	}
	if (vb) {
		*off = ob;
		return tb;
	}
	/* In the hour skipped: the instant of the change. */
	lo = ta < tb ? ta : tb;
	hi = ta < tb ? tb : ta;
	x = calendar_off(lo);
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (calendar_off(mid) == x)
			lo = mid;
		else
			hi = mid;
	}
	*off = calendar_off(hi);
	return hi;
}

/* Floor division of A by B > 0. */
static int64_t
calendar_floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && a < 0);
}

/* The local day of T. */
static int64_t
calendar_day_of(int64_t t)
{
	return calendar_floordiv(t + calendar_off(t), 86400);
}

/* Compare two holidays by day, for qsort and bsearch. */
static int
calendar_holiday_cmp(const void *a, const void *b)
{
	const struct calendar_holiday	*x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

/* Sort CAL's holidays by day; none is no array (NULL is not for qsort). */
static void
calendar_sort(struct calendar *cal)
{
	if (cal->nonce > 0)
		qsort(cal->once, cal->nonce, sizeof *cal->once,
		    calendar_holiday_cmp);
}

/* The name of the holiday on local day DAY, or NULL. */
static const char *
calendar_holiday_on(const struct calendar *cal, int64_t day)
{
	struct calendar_holiday	 key, *h;
	int64_t			 y;
	int			 m, d;

	calendar_civil_from_days(day, &y, &m, &d);
	if (cal->yearly[m][d] != NULL)
		return cal->yearly[m][d];
	if (cal->nonce == 0)
		return NULL;
	key.day = day;
	h = bsearch(&key, cal->once, cal->nonce, sizeof *cal->once,
	    calendar_holiday_cmp);
	return h != NULL ? h->name : NULL;
}

/* Fill the holiday and the open intervals of D from its day and bounds. */
static void
calendar_day_fill(const struct calendar *cal, struct calendar_day *d)
{
	const struct calendar_range	*r;
	int64_t				 base, off;
	int				 i, wd;
	bool				 plain;

	d->holiday = calendar_holiday_on(cal, d->day);
	wd = calendar_weekday(d->day);
	d->n = d->holiday != NULL ? 0 : cal->week.n[wd];
	plain = d->off_start == d->off_end && d->end - d->start == 86400;
	base = d->day * 86400;
	for (i = 0; i < d->n; i++) {
		r = &cal->week.r[wd][i];
		if (plain) {
			d->from[i] = d->start + r->from;
			d->to[i] = d->start + r->to;
			continue;
		}
		d->from[i] = r->from == 0 ? d->start :
		    calendar_local_to_utc(base + r->from, &off);
		d->to[i] = r->to == 86400 ? d->end :
		    calendar_local_to_utc(base + r->to, &off);
		if (d->to[i] < d->from[i])
			d->to[i] = d->from[i];
	}
}

/* Load local day DAY into D. */
static void
calendar_day_load(const struct calendar *cal, int64_t day,
    struct calendar_day *d)
{
	d->day = day;
	d->start = calendar_local_to_utc(day * 86400, &d->off_start);
	d->end = calendar_local_to_utc((day + 1) * 86400, &d->off_end);
	calendar_day_fill(cal, d);
}

/* Move D to the next local day. */
static void
calendar_day_next(const struct calendar *cal, struct calendar_day *d)
{
	d->day++;
	d->start = d->end;
	d->off_start = d->off_end;
	d->end = calendar_local_to_utc((d->day + 1) * 86400, &d->off_end);
	calendar_day_fill(cal, d);
}

/* Move D to the previous local day. */
static void
calendar_day_prev(const struct calendar *cal, struct calendar_day *d)
{
	d->day--;
	d->end = d->start;
	d->off_end = d->off_start;
	d->start = calendar_local_to_utc(d->day * 86400, &d->off_start);
	calendar_day_fill(cal, d);
}

/* Business seconds of day D. */
static int64_t
calendar_day_length(const struct calendar_day *d)
{
	int64_t	sum = 0;
	int	i;

	for (i = 0; i < d->n; i++)
		sum += d->to[i] - d->from[i];
	return sum;
}

/* Keep NAME in CAL (once per run of equal names); the kept copy. */
static const char *
calendar_name(struct calendar *cal, const char *name)
{
	if (cal->nnames > 0 && strcmp(cal->names[cal->nnames - 1], name) == 0)
		return cal->names[cal->nnames - 1];
	cal->names = xreallocarray(cal->names, cal->nnames + 1,
	    sizeof *cal->names);
	cal->names[cal->nnames] = xstrdup(name);
	return cal->names[cal->nnames++];
}

/* Add a holiday on day DAY called NAME (already kept). */
static void
calendar_add_once(struct calendar *cal, int64_t day, const char *name)
{
	if (cal->nonce == cal->capone) {
		cal->capone = cal->capone == 0 ? 64 : cal->capone * 2;
		cal->once = xreallocarray(cal->once, cal->capone,
		    sizeof *cal->once);
	}
	cal->once[cal->nonce].day = day;
	cal->once[cal->nonce].name = name;
	cal->nonce++;
}

/* calendar_parse_holidays() callback: keep one HOLIDAYS date. */
static int
calendar_holiday_cb(int y, int m, int d, const char *name, void *arg)
{
	struct calendar	*cal = arg;
	const char	*kept;

	kept = calendar_name(cal, name);
	if (y == 0)
		cal->yearly[m][d] = kept;
	else
		calendar_add_once(cal, calendar_days_from_civil(y, m, d), kept);
	return 0;
}

/* calendar_ics_read() callback: keep the days of one event. */
static void
calendar_ics_cb(int64_t first, int64_t end, const char *name, void *arg)
{
	struct calendar	*cal = arg;
	const char	*kept;
	int64_t		 day;

	if (end - first > CALENDAR_EVENT_DAYS)
		end = first + CALENDAR_EVENT_DAYS;
	kept = calendar_name(cal, name);
	for (day = first; day < end; day++)
		calendar_add_once(cal, day, kept);
}

/* A new calendar; see calendar.h. */
enum wd_status
calendar_new(const char *hours, const char *holidays, const char *zone,
    struct calendar **calp, char **cause)
{
	struct calendar	*cal;
	const char	*why;
	char		*msg = NULL;

	*calp = NULL;
	if (zone == NULL || !zone_valid(zone, &why))
		return status_set(cause, WD_ECONFIG, "TIME_ZONE: %s",
		    zone == NULL ? "not set" : why);
	cal = xcalloc(1, sizeof *cal);
	cal->zone = xstrdup(zone);
	if (calendar_parse_hours(hours != NULL ? hours : "24x7", &cal->week,
	    &msg) != WD_OK) {
		status_set(cause, WD_ECONFIG, "BUSINESS_HOURS: %s", msg);
		goto fail;
	}
	cal->always = cal->week.always;
	if (holidays != NULL && calendar_parse_holidays(holidays,
	    calendar_holiday_cb, cal, &msg) != WD_OK) {
		status_set(cause, WD_ECONFIG, "HOLIDAYS: %s", msg);
		goto fail;
	}
	calendar_sort(cal);
	*calp = cal;
	return WD_OK;

fail:
	free(msg);
	calendar_free(cal);
	return WD_ECONFIG;
}

/* Add the holidays of an iCalendar file; see calendar.h. */
enum wd_status
calendar_load_ics(struct calendar *cal, const char *path, char **cause)
{
	enum wd_status	st;

	st = calendar_ics_read(path, calendar_ics_cb, cal, cause);
	calendar_sort(cal);
	return st;
}

/* Free a calendar; see calendar.h. */
void
calendar_free(struct calendar *cal)
{
	size_t	i;

	if (cal == NULL)
		return;
	for (i = 0; i < cal->nnames; i++)
		free(cal->names[i]);
	free(cal->names);
	free(cal->once);
	free(cal->zone);
	free(cal);
}

/* Whether CAL is 24x7; see calendar.h. */
bool
calendar_always_open(const struct calendar *cal)
{
	return cal->always;
}

/* A + B, held within the range of int64_t. */
static int64_t
calendar_sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

/* Whether T is an instant the day arithmetic counts. */
static bool
calendar_counted(const struct calendar *cal, int64_t t)
{
	return !cal->always && t >= CALENDAR_T_MIN && t <= CALENDAR_T_MAX;
}

/* Whether CAL is open at T; see calendar.h. */
bool
calendar_is_open(const struct calendar *cal, int64_t t)
{
	struct zone_scope	 tz;
	struct calendar_day	 d;
	bool			 open = false;
	int			 i;

	if (!calendar_counted(cal, t))
		return true;
	zone_enter(cal->zone, &tz);
	calendar_day_load(cal, calendar_day_of(t), &d);
	for (i = 0; i < d.n; i++)
		if (d.from[i] <= t && t < d.to[i])
			open = true;
	zone_leave(&tz);
	return open;
}

/*
 * The next opening at or after T with the zone entered, the day holding
 * it left in *D; INT64_MAX when none within CALENDAR_SEARCH_DAYS.
 */
static int64_t
calendar_next_open_in(const struct calendar *cal, int64_t t,
    struct calendar_day *d)
{
	int	i, k;

	calendar_day_load(cal, calendar_day_of(t), d);
	for (k = 0; k <= CALENDAR_SEARCH_DAYS; k++) {
		for (i = 0; i < d->n; i++)
			if (d->to[i] > t && d->to[i] > d->from[i])
				return d->from[i] > t ? d->from[i] : t;
		calendar_day_next(cal, d);
	}
	return INT64_MAX;
}

/* The next opening; see calendar.h. */
int64_t
calendar_next_open(const struct calendar *cal, int64_t t)
{
	struct zone_scope	 tz;
	struct calendar_day	 d;
	int64_t			 r;

	if (!calendar_counted(cal, t))
		return t;
	zone_enter(cal->zone, &tz);
	r = calendar_next_open_in(cal, t, &d);
	zone_leave(&tz);
	return r;
}

/* SECS >= 0 business seconds after START, zone entered. */
static int64_t
calendar_add_forward(const struct calendar *cal, int64_t start, int64_t secs)
{
	struct calendar_day	 d;
	int64_t			 s, avail;
	int			 i, idle = 0;

	calendar_day_load(cal, calendar_day_of(start), &d);
	while (idle <= CALENDAR_SEARCH_DAYS && d.start <= CALENDAR_T_MAX) {
		idle++;
		for (i = 0; i < d.n; i++) {
			if (d.to[i] <= start || d.to[i] <= d.from[i])
				continue;
			s = d.from[i] > start ? d.from[i] : start;
			avail = d.to[i] - s;
			if (secs <= avail)
				return s + secs;
			secs -= avail;
			idle = 0;
		}
		calendar_day_next(cal, &d);
	}
	return INT64_MAX;
}

/* SECS > 0 business seconds before START, zone entered. */
static int64_t
calendar_add_backward(const struct calendar *cal, int64_t start,
    int64_t secs)
{
	struct calendar_day	 d;
	int64_t			 e, avail;
	int			 i, idle = 0;

	calendar_day_load(cal, calendar_day_of(start - 1), &d);
	while (idle <= CALENDAR_SEARCH_DAYS && d.end >= CALENDAR_T_MIN) {
		idle++;
		for (i = d.n - 1; i >= 0; i--) {
			if (d.from[i] >= start || d.to[i] <= d.from[i])
				continue;
			e = d.to[i] < start ? d.to[i] : start;
			avail = e - d.from[i];
			if (secs <= avail)
				return e - secs;
			secs -= avail;
			idle = 0;
		}
		calendar_day_prev(cal, &d);
	}
	return INT64_MIN;
}

/* Business seconds after START; see calendar.h. */
int64_t
calendar_add(const struct calendar *cal, int64_t start, int64_t secs)
{
	struct zone_scope	 tz;
	int64_t			 r;

	if (!calendar_counted(cal, start))
		return calendar_sat_add(start, secs);
	zone_enter(cal->zone, &tz);
	if (secs >= 0)
		r = calendar_add_forward(cal, start, secs);
	else
		r = calendar_add_backward(cal, start, secs == INT64_MIN ?
		    INT64_MAX : -secs);
	zone_leave(&tz);
	return r;
}

/*
 * The instant E business seconds into day D, clamped to its closing
 * (the opening of the next range when E ends one range exactly).
 */
static int64_t
calendar_day_at(const struct calendar_day *d, int64_t e)
{
	int	i;

	for (i = 0; i < d->n; i++) {
		if (e < d->to[i] - d->from[i])
			return d->from[i] + e;
		e -= d->to[i] - d->from[i];
	}
	return d->to[d->n - 1];
}

/* N business days after START; see calendar.h. */
int64_t
calendar_add_days(const struct calendar *cal, int64_t start, int n)
{
	struct zone_scope	 tz;
	struct calendar_day	 d;
	int64_t			 s0, e = 0, r;
	int			 i, idle = 0, step, left = n;

	if (!calendar_counted(cal, start))
		return calendar_sat_add(start, (int64_t)n * 86400);
	zone_enter(cal->zone, &tz);
	if ((s0 = r = calendar_next_open_in(cal, start, &d)) == INT64_MAX) {
		r = n < 0 ? INT64_MIN : INT64_MAX;
		goto out;
	}
	/* Business time elapsed in the day of the first open instant. */
	for (i = 0; i < d.n && d.from[i] < s0; i++)
		e += (d.to[i] < s0 ? d.to[i] : s0) - d.from[i];
	step = n < 0 ? -1 : 1;
	/* At an opening: due at the close of the Nth day, this one first. */
	if (e == 0 && n > 0)
		left--;
	while (left != 0) {
		if (step > 0)
			calendar_day_next(cal, &d);
		else
			calendar_day_prev(cal, &d);
		if (calendar_day_length(&d) > 0) {
			left -= step;
			idle = 0;
		} else if (++idle > CALENDAR_SEARCH_DAYS) {
			r = step > 0 ? INT64_MAX : INT64_MIN;
			goto out;
		}
	}
	if (e == 0 && n > 0)
		r = d.to[d.n - 1];
	else if (n != 0)
		r = calendar_day_at(&d, e);

out:
	zone_leave(&tz);
	return r;
}

/* Business seconds in [FROM, TO); see calendar.h. */
int64_t
calendar_between(const struct calendar *cal, int64_t from, int64_t to)
{
	struct zone_scope	 tz;
	struct calendar_day	 d;
	int64_t			 sum = 0, a, b;
	int			 i, idle = 0;

	if (to <= from)
		return 0;
	if (!calendar_counted(cal, from))
		return calendar_sat_add(to, from == INT64_MIN ? INT64_MAX :
		    -from);
	if (to > CALENDAR_T_MAX)
		to = CALENDAR_T_MAX;
	zone_enter(cal->zone, &tz);
	calendar_day_load(cal, calendar_day_of(from), &d);
	while (d.start < to && idle <= CALENDAR_SEARCH_DAYS) {
		idle++;
		for (i = 0; i < d.n; i++) {
			a = d.from[i] > from ? d.from[i] : from;
			b = d.to[i] < to ? d.to[i] : to;
			if (b > a) {
				sum += b - a;
				idle = 0;
			}
		}
		calendar_day_next(cal, &d);
	}
	zone_leave(&tz);
	return sum;
}

/* The name of a span kind; see calendar.h. */
const char *
calendar_span_kind_name(enum calendar_span_kind kind)
{
	static const char *const names[] = {
		[CALENDAR_OPEN] = "open",
		[CALENDAR_CLOSED_DAY] = "closed",
		[CALENDAR_HOLIDAY] = "holiday",
	};

	if ((size_t)kind >= sizeof names / sizeof names[0])
		return "?";
	return names[kind];
}

/*
 * Call FN with SPAN and ARG under the process's own TZ (FN may show local
 * times), then go back to the zone of CAL. FN's result.
 */
static int
calendar_walk_call(const struct calendar *cal, struct zone_scope *tz,
    const struct calendar_span *span,
    int (*fn)(const struct calendar_span *, void *), void *arg)
{
	int	rc;

	zone_leave(tz);
	rc = fn(span, arg);
	zone_enter(cal->zone, tz);
	return rc;
}

/* Report the spans of day D within [FROM, TO) to FN; FN's result. */
static int
calendar_walk_day(const struct calendar *cal, struct zone_scope *tz,
    const struct calendar_day *d, int64_t from, int64_t to,
    int (*fn)(const struct calendar_span *, void *), void *arg)
{
	struct calendar_span	 span;
	int			 i, rc;

	span.from = d->start > from ? d->start : from;
	span.to = d->end < to ? d->end : to;
	span.name = d->holiday;
	if (span.to <= span.from)
		return 0;
	if (d->holiday != NULL || d->n == 0) {
		span.kind = d->holiday != NULL ? CALENDAR_HOLIDAY :
		    CALENDAR_CLOSED_DAY;
		return calendar_walk_call(cal, tz, &span, fn, arg);
	}
	span.kind = CALENDAR_OPEN;
	for (i = 0; i < d->n; i++) {
		span.from = d->from[i] > from ? d->from[i] : from;
		span.to = d->to[i] < to ? d->to[i] : to;
		if (span.to > span.from &&
		    (rc = calendar_walk_call(cal, tz, &span, fn, arg)) != 0)
			return rc;
	}
	return 0;
}

/* The spans between two instants; see calendar.h. */
void
calendar_walk(const struct calendar *cal, int64_t from, int64_t to,
    int (*fn)(const struct calendar_span *, void *), void *arg)
{
	struct calendar_span	 span = { CALENDAR_OPEN, from, to, NULL };
	struct zone_scope	 tz;
	struct calendar_day	 d;
	int			 k;

	if (to <= from)
		return;
	if (!calendar_counted(cal, from)) {
		fn(&span, arg);
		return;
	}
	zone_enter(cal->zone, &tz);
	calendar_day_load(cal, calendar_day_of(from), &d);
	for (k = 0; d.start < to && k <= 2 * CALENDAR_SEARCH_DAYS; k++) {
		if (calendar_walk_day(cal, &tz, &d, from, to, fn, arg) != 0)
			break;
		calendar_day_next(cal, &d);
	}
	zone_leave(&tz);
}
