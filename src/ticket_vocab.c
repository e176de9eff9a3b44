/*
 * ticket_vocab.c: the names of ticket statuses and priorities; see
 * ticket_vocab.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "watchdog/ticket_vocab.h"

/* Indexed by enum ticket_status. */
static const char *const status_names[TICKET_NSTATUSES] = {
	[TICKET_OPEN] = "open",
	[TICKET_IN_PROGRESS] = "in_progress",
	[TICKET_ON_HOLD] = "on_hold",
	[TICKET_RESOLVED] = "resolved",
};

/* Indexed by enum ticket_priority. */
static const char *const priority_names[TICKET_NPRIORITIES] = {
	[TICKET_LOW] = "low",
	[TICKET_NORMAL] = "normal",
	[TICKET_HIGH] = "high",
	[TICKET_URGENT] = "urgent",
};

/* The name of STATUS; see ticket_vocab.h. */
const char *
ticket_status_name(enum ticket_status status)
{
	if ((size_t)status >= TICKET_NSTATUSES)
		return "unknown";
	return status_names[status];
}

/* The status named NAME; see ticket_vocab.h. */
bool
ticket_status_from_name(const char *name, enum ticket_status *out)
{
	size_t	i;

	for (i = 0; name != NULL && i < TICKET_NSTATUSES; i++) {
		if (strcmp(status_names[i], name) == 0) {
			*out = (enum ticket_status)i;
			return true;
		}
	}
	return false;
}

/* The name of PRIORITY; see ticket_vocab.h. */
const char *
ticket_priority_name(enum ticket_priority priority)
{
	if ((size_t)priority >= TICKET_NPRIORITIES)
		return "unknown";
	return priority_names[priority];
}

/* The priority named NAME; see ticket_vocab.h. */
bool
ticket_priority_from_name(const char *name, enum ticket_priority *out)
{
	size_t	i;

	for (i = 0; name != NULL && i < TICKET_NPRIORITIES; i++) {
		if (strcmp(priority_names[i], name) == 0) {
			*out = (enum ticket_priority)i;
			return true;
		}
	}
	return false;
}
