/*
 * ticket_vocab.h: the vocabularies of a ticket's status and priority, as
 * enums with their names (watchdog(1), JSON OUTPUT).
 */
#ifndef WATCHDOG_TICKET_VOCAB_H
#define WATCHDOG_TICKET_VOCAB_H

#include <stdbool.h>

enum ticket_status {
	TICKET_OPEN,
	TICKET_IN_PROGRESS,
	TICKET_ON_HOLD,
	TICKET_RESOLVED,
	TICKET_NSTATUSES
};

enum ticket_priority {
	TICKET_LOW,
	TICKET_NORMAL,
	TICKET_HIGH,
	TICKET_URGENT,
	TICKET_NPRIORITIES
};

/* "open", "in_progress", "on_hold", "resolved"; "unknown" out of range. */
const char	*ticket_status_name(enum ticket_status status);

/* The status named NAME into *OUT; false (and *OUT untouched) if none. */
bool		 ticket_status_from_name(const char *name,
		     enum ticket_status *out);

/* "low", "normal", "high", "urgent"; "unknown" out of range. */
const char	*ticket_priority_name(enum ticket_priority priority);

/* The priority named NAME into *OUT; false (and *OUT untouched) if none. */
bool		 ticket_priority_from_name(const char *name,
		     enum ticket_priority *out);

#endif
