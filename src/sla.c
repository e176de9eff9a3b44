/*
 * sla.c: the SLA rule: the state of a ticket and which notice is due. Pure:
 * the time is passed in (watchdog(1), SLA POLICIES).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>
#include <string.h>

#include "watchdog/calendar.h"
#include "watchdog/sla.h"
#include "watchdog/ticket_vocab.h"

/* The names used in JSON and listings, indexed by enum sla_state. */
static const char *const sla_names[] = {
	[SLA_OK] = "ok",
	[SLA_WARNING] = "warning",
	[SLA_MISSED] = "missed",
	[SLA_MET] = "met",
	[SLA_BREACHED] = "breached",
};

/*
 * The state of a ticket due at DEADLINE. Resolved (at RESOLVED_AT): met
 * when resolved at or before the deadline, else breached. Open: missed
 * from the deadline on, warning in the WARN_SECS before it (none when
 * WARN_SECS <= 0), else ok. NOW is ignored for a resolved ticket.
 */
enum sla_state
sla_state_of(bool resolved, int64_t deadline, int64_t resolved_at,
    int64_t warn_secs, int64_t now)
{
	int64_t	start;

	if (resolved)
		return resolved_at <= deadline ? SLA_MET : SLA_BREACHED;
	if (now >= deadline)
		return SLA_MISSED;
	if (warn_secs > 0) {
		/* deadline - warn_secs, saturating at INT64_MIN */
		if (__builtin_sub_overflow(deadline, warn_secs, &start))
			return SLA_WARNING;
		if (now >= start)
			return SLA_WARNING;
	}
	return SLA_OK;
}

/* The name of STATE (a static string); "unknown" when out of range. */
const char *
sla_state_name(enum sla_state state)
{
	if ((size_t)state >= sizeof sla_names / sizeof sla_names[0])
		return "unknown";
	return sla_names[state];
}

/* The state named NAME; see sla.h. */
enum sla_state
sla_state_from_name(const char *name)
{
	enum sla_state	s;

	for (s = SLA_OK; s <= SLA_BREACHED; s++) {
		if (name != NULL && strcmp(sla_state_name(s), name) == 0)
			return s;
	}
	return SLA_OK;
}

/*
 * The deadlines of the open tickets in STATE at NOW; see sla.h. The same
 * rule as sla_state_of(), as a range that an index on the deadline seeks.
 */
bool
sla_state_deadlines(enum sla_state state, int64_t warn_secs, int64_t now,
    int64_t *lo, int64_t *hi)
{
	int64_t	edge;

	if (warn_secs < 0)
		warn_secs = 0;
	if (__builtin_add_overflow(now, warn_secs, &edge))
		edge = INT64_MAX;
	switch (state) {
	case SLA_MISSED:
		*lo = INT64_MIN;
		*hi = now;
		return true;
	case SLA_WARNING:
		*lo = now == INT64_MAX ? now : now + 1;
		*hi = edge;
		return true;
	case SLA_OK:
		*lo = edge == INT64_MAX ? edge : edge + 1;
		*hi = INT64_MAX;
		return true;
	default:
		return false;
	}
}

/* The names of enum sla_clock in a target. */
static const char *const sla_clock_names[] = {
	[SLA_CLOCK_DEFAULT] = "",
	[SLA_CLOCK_BUSINESS] = "business",
	[SLA_CLOCK_CALENDAR] = "calendar",
};

/*
 * Read digits at *P into *N (at most MAX); advance *P. 0, or -1 when
 * there are none or the number is too large.
 */
static int
sla_number(const char **p, int64_t max, int64_t *n)
{
	const char	*q = *p;

	*n = 0;
	if (*q < '0' || *q > '9')
		return -1;
	while (*q >= '0' && *q <= '9') {
		*n = *n * 10 + (*q - '0');
		if (*n > max)
			return -1;
		q++;
	}
	*p = q;
	return 0;
}

/* Parse a target; see sla.h. */
int
sla_target_parse(const char *s, struct sla_target *t)
{
	static const struct {
		char	unit;
		int64_t	secs;
		int64_t	max;
	} units[] = {
		{ 'd', 0, SLA_TARGET_MAX_DAYS },
		{ 'h', 3600, 24 * SLA_TARGET_MAX_DAYS },
		{ 'm', 60, 60 * 24 * SLA_TARGET_MAX_DAYS },
	};
	const char	*p = s, *word;
	int64_t		 n;
	size_t		 u = 0, len;
	int		 parts = 0;

	memset(t, 0, sizeof *t);
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9') {
		if (sla_number(&p, 60 * 24 * SLA_TARGET_MAX_DAYS, &n) != 0)
			return -1;
		/* Units in order: days, hours, minutes, each once. */
		while (u < sizeof units / sizeof units[0] &&
		    units[u].unit != *p)
			u++;
		if (u == sizeof units / sizeof units[0] || n > units[u].max)
			return -1;
		if (units[u].unit == 'd')
			t->days = (int)n;
		else
			t->secs += n * units[u].secs;
		u++;
		p++;
		parts++;
	}
	if (parts == 0 || (t->days == 0 && t->secs == 0) ||
	    t->secs > 86400LL * SLA_TARGET_MAX_DAYS)
		return -1;
	while (*p == ' ')
		p++;
	word = p;
	while (*p != '\0' && *p != ' ')
		p++;
	len = (size_t)(p - word);
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return -1;
	if (len == 0)
		t->clock = SLA_CLOCK_DEFAULT;
	else if (len == 8 && strncmp(word, "business", len) == 0)
		t->clock = SLA_CLOCK_BUSINESS;
	else if (len == 8 && strncmp(word, "calendar", len) == 0)
		t->clock = SLA_CLOCK_CALENDAR;
	else
		return -1;
	t->set = true;
	return 0;
}

/* The deadline under a policy; see sla.h. */
bool
sla_policy_deadline(const struct sla_policy *pol,
    enum ticket_priority priority, int64_t created, int64_t *deadline)
{
	const struct sla_target	*t;
	int64_t			 d;

	if (pol == NULL || (size_t)priority >= TICKET_NPRIORITIES ||
	    !pol->target[priority].set)
		return false;
	t = &pol->target[priority];
	if (t->clock == SLA_CLOCK_BUSINESS && pol->cal != NULL &&
	    !calendar_always_open(pol->cal)) {
		d = created;
		if (t->days > 0)
			d = calendar_add_days(pol->cal, d, t->days);
		if (t->secs > 0 || t->days == 0)
			d = calendar_add(pol->cal, d, t->secs);
	} else if (__builtin_add_overflow(created,
	    (int64_t)t->days * 86400 + t->secs, &d))
		d = INT64_MAX;
	*deadline = d;
	return true;
}

/* Describe a target; see sla.h. */
void
sla_policy_describe(const struct sla_policy *pol,
    enum ticket_priority priority, char *buf, size_t len)
{
	const struct sla_target	*t;
	char			 dur[64];
	int			 n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (pol == NULL || (size_t)priority >= TICKET_NPRIORITIES ||
	    !pol->target[priority].set)
		return;
	t = &pol->target[priority];
	dur[0] = '\0';
	if (t->days > 0)
		n += snprintf(dur + n, sizeof dur - (size_t)n, "%dd", t->days);
	if (t->secs / 3600 > 0)
		n += snprintf(dur + n, sizeof dur - (size_t)n, "%lldh",
		    (long long)(t->secs / 3600));
	if (t->secs % 3600 / 60 > 0)
		(void)snprintf(dur + n, sizeof dur - (size_t)n, "%lldm",
		    (long long)(t->secs % 3600 / 60));
	(void)snprintf(buf, len, "%s %s %s", ticket_priority_name(priority),
	    dur, sla_clock_names[t->clock == SLA_CLOCK_BUSINESS ?
	    SLA_CLOCK_BUSINESS : SLA_CLOCK_CALENDAR]);
}

/* The widest warning window; see sla.h. */
int64_t
sla_policy_warn_secs(const struct sla_policy *pol)
{
	int64_t	w = 0;
	size_t	i;

	if (pol == NULL)
		return 0;
	for (i = 0; i < pol->nwarn; i++) {
		if (pol->warn[i].secs > w)
			w = pol->warn[i].secs;
	}
	return w;
}

/* What the stored next times depend on; see sla.h. */
int64_t
sla_policy_fingerprint(const struct sla_policy *pol)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	if (pol == NULL)
		return 0;
	for (i = 0; i < pol->nwarn; i++) {
		h = (h ^ (uint64_t)pol->warn[i].secs) * 1099511628211ULL;
		h = (h ^ (uint64_t)pol->warn[i].percent) * 1099511628211ULL;
	}
	return (int64_t)(h >> 1);
}

/* Parse SLA_WARNINGS; see sla.h. */
int
sla_warnings_parse(const char *s, struct sla_warnings *w)
{
	struct sla_target	 t;
	const char		*p = s, *end;
	char			 item[64];
	int64_t			 n;
	size_t			 len;

	memset(w, 0, sizeof *w);
	for (;;) {
		while (*p == ' ')
			p++;
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof item || w->n == SLA_MAX_THRESHOLDS)
			return -1;
		memcpy(item, p, len);
		item[len] = '\0';
		if (item[len - 1] == '%') {
			item[len - 1] = '\0';
			p = item;
			if (sla_number(&p, 99, &n) != 0 || *p != '\0' || n < 1)
				return -1;
			w->t[w->n].percent = (int)n;
		} else {
			/* A duration, as a target's, without a clock. */
			if (strchr(item, ' ') != NULL ||
			    sla_target_parse(item, &t) != 0)
				return -1;
			w->t[w->n].secs = (int64_t)t.days * 86400 + t.secs;
		}
		w->n++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	w->set = true;
	return 0;
}

/* DEADLINE - SECS, saturating at INT64_MIN. */
static int64_t
sla_before(int64_t deadline, int64_t secs)
{
	int64_t	t;

	if (__builtin_sub_overflow(deadline, secs, &t))
		return INT64_MIN;
	return t;
}

/*
 * The times of the warning thresholds of a ticket with facts F under POL
 * into TIMES (SLA_MAX_THRESHOLDS), earliest first; returns how many. A
 * duration counts back from the deadline, a share forward from the
 * creation.
 */
static size_t
sla_times(const struct sla_policy *pol, const struct sla_facts *f,
    int64_t *times)
{
	const struct sla_threshold	*th;
	__int128			 span;
	int64_t				 t;
	size_t				 n = 0, i, j;

	if (pol == NULL)
		return 0;
	for (i = 0; i < pol->nwarn && i < SLA_MAX_THRESHOLDS; i++) {
		th = &pol->warn[i];
		if (th->percent > 0) {
			span = (__int128)f->deadline - f->created_at;
			if (span < 0)
				span = 0;
			t = (int64_t)((__int128)f->created_at +
			    span * th->percent / 100);
		} else if (th->secs > 0)
			t = sla_before(f->deadline, th->secs);
		else
			continue;
		/* Insertion: the list is short. */
		for (j = n; j > 0 && times[j - 1] > t; j--)
			times[j] = times[j - 1];
		times[j] = t;
		n++;
	}
	return n;
}

/* The next notice time; see sla.h. */
int64_t
sla_next_at(const struct sla_policy *pol, const struct sla_facts *f)
{
	int64_t	times[SLA_MAX_THRESHOLDS];
	size_t	n;

	if (f->status == TICKET_RESOLVED || f->notified >= 2)
		return SLA_NEVER;
	n = sla_times(pol, f, times);
	if (f->warned >= 0 && (size_t)f->warned < n &&
	    times[f->warned] < f->deadline)
		return times[f->warned];
	return f->deadline;
}

/* Which notice is due; see sla.h. */
void
sla_due_at(const struct sla_policy *pol, const struct sla_facts *f,
    int64_t now, struct sla_due *due)
{
	struct sla_facts	after = *f;
	int64_t			times[SLA_MAX_THRESHOLDS];
	size_t			n, j;

	memset(due, 0, sizeof *due);
	due->notified = f->notified;
	due->warned = f->warned;
	if (f->status != TICKET_RESOLVED && f->notified < 2) {
		n = sla_times(pol, f, times);
		if (now >= f->deadline) {
			due->notice = SLA_NOTICE_MISSED;
			due->notified = 2;
			due->warned = (int)n;
		} else {
			/* Of the thresholds passed, only the nearest one. */
			for (j = 0; j < n && times[j] <= now; j++)
				;
			if (j > 0 && (size_t)f->warned < j) {
				due->notice = SLA_NOTICE_WARNING;
				due->seq = (int)j;
				due->notified = 1;
				due->warned = (int)j;
			}
		}
	}
	after.notified = due->notified;
	after.warned = due->warned;
	due->next = sla_next_at(pol, &after);
}

/* The state under a policy; see sla.h. */
enum sla_state
sla_state_at(const struct sla_policy *pol, bool resolved, int64_t deadline,
    int64_t resolved_at, int64_t now)
{
	return sla_state_of(resolved, deadline, resolved_at,
	    sla_policy_warn_secs(pol), now);
}

/* The notices after a change; see sla.h. */
void
sla_rearm(const struct sla_policy *pol, struct sla_facts *f,
    int64_t old_deadline, bool reopened, bool new, int64_t now)
{
	int64_t	times[SLA_MAX_THRESHOLDS];
	size_t	n, j;

	if (!new && !reopened && old_deadline == f->deadline)
		return;
	f->notified = 0;
	n = sla_times(pol, f, times);
	for (j = 0; j < n && times[j] < now; j++)
		;
	f->warned = (int)j;
}
