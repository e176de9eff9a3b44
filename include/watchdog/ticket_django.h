/*
 * ticket_django.h: the ticket fields of the Django version that the HTTP
 * API keeps (watchdog(1), THE HTTP API): "sla_missed" (the deadline passed
 * before the ticket was resolved: sla_state missed or breached) and
 * "sla_warning_sent" (a warning notice has been queued for the ticket's
 * current deadline).
 */
#ifndef WATCHDOG_TICKET_DJANGO_H
#define WATCHDOG_TICKET_DJANGO_H

#include "watchdog/status.h"

struct db;

/*
 * JSON, a ticket object as ticket_json() makes it, with the two Django
 * fields added at the end in *OUT (new).
 */
enum wd_status	ticket_django_json(struct db *db, const char *json,
		    char **out, char **cause);

#endif
