/*
 * sla.h: the SLA state of a ticket, a pure function of the ticket, the
 * warning window and the time (watchdog(1), NOTIFICATIONS).
 */
#ifndef WATCHDOG_SLA_H
#define WATCHDOG_SLA_H

#include <stdbool.h>
#include <stdint.h>

enum sla_state {
	SLA_OK,
	SLA_WARNING,
	SLA_MISSED,
	SLA_MET,
	SLA_BREACHED,
};

/*
 * The state of a ticket due at DEADLINE: for a resolved one (RESOLVED true,
 * at RESOLVED_AT) met or breached; otherwise ok, warning (within WARN_SECS
 * before the deadline) or missed (NOW >= DEADLINE).
 */
enum sla_state	 sla_state_of(bool resolved, int64_t deadline,
		     int64_t resolved_at, int64_t warn_secs, int64_t now);

/* "ok", "warning", "missed", "met", "breached". */
const char	*sla_state_name(enum sla_state state);

/* The state named NAME (the inverse of sla_state_name()); SLA_OK if none. */
enum sla_state	 sla_state_from_name(const char *name);

/*
 * The deadlines [*LO, *HI] of the open tickets that are in STATE (ok,
 * warning or missed) at NOW, by the rule of sla_state_of(); false for the
 * states of resolved tickets.
 */
bool		 sla_state_deadlines(enum sla_state state, int64_t warn_secs,
		     int64_t now, int64_t *lo, int64_t *hi);

#endif
