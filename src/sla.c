/*
 * sla.c: the SLA rule: the state of a ticket and which notice is due. Pure:
 * the time is passed in (watchdog(1), SLA POLICIES).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

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
	return sla_policy_warn_secs(pol);
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

/* The next notice time; see sla.h. */
int64_t
sla_next_at(const struct sla_policy *pol, const struct sla_facts *f)
{
	int64_t	warn;

	if (f->status == TICKET_RESOLVED || f->notified >= 2)
		return SLA_NEVER;
	warn = sla_policy_warn_secs(pol);
	if (f->notified < 1 && warn > 0)
		return sla_before(f->deadline, warn);
	return f->deadline;
}

/* Which notice is due; see sla.h. */
void
sla_due_at(const struct sla_policy *pol, const struct sla_facts *f,
    int64_t now, struct sla_due *due)
{
	struct sla_facts	after = *f;

	due->notice = SLA_NOTICE_NONE;
	due->notified = f->notified;
	if (f->status != TICKET_RESOLVED && f->notified < 2) {
		if (now >= f->deadline) {
			due->notice = SLA_NOTICE_MISSED;
			due->notified = 2;
		} else if (f->notified < 1 && sla_policy_warn_secs(pol) > 0 &&
		    now >= sla_next_at(pol, f)) {
			due->notice = SLA_NOTICE_WARNING;
			due->notified = 1;
		}
	}
	after.notified = due->notified;
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

/* The level after a change; see sla.h. */
int
sla_rearm(int notified, int64_t old_deadline, int64_t new_deadline,
    bool reopened)
{
	if (old_deadline != new_deadline || reopened)
		return 0;
	return notified;
}
