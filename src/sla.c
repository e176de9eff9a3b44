/*
 * sla.c: the SLA state of a ticket. Pure: the time is passed in (see
 * watchdog(1), NOTIFICATIONS).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "watchdog/sla.h"

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
