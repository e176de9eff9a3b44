/*
 * ticket_row.h: the columns that make a struct ticket, shared by the
 * storage modules that read tickets (ticket.c, queue.c). Storage layer
 * only: the front ends never see SQL.
 */
#ifndef WATCHDOG_TICKET_ROW_H
#define WATCHDOG_TICKET_ROW_H

#include <stdbool.h>

struct db_stmt;
struct ticket;

/*
 * The columns read by ticket_from_row(), aliased t (tickets), o (owner)
 * and a (assignee); :warn and :now are bound for the SLA state. The list
 * variant leaves out the description (it can be 64 KiB).
 */
#define TICKET_ROW_COLUMNS(description)					\
	"t.id, t.title, " description ", t.status, t.priority, "	\
	"t.owner_id, o.name, t.assignee_id, a.name, t.deadline, "	\
	"t.created_at, t.updated_at, t.resolved_at, t.version, "	\
	"wd_sla_state(t.status, t.deadline, t.resolved_at, t.paused_at, " \
	":warn, :now), "						\
	"t.sla_notified, t.sla_policy, t.paused_seconds, t.sla_warned, " \
	"coalesce(t.paused_at, 0), t.sla_steps, t.sla_repeats "
#define TICKET_COLUMNS		TICKET_ROW_COLUMNS("t.description")
#define TICKET_LIST_COLUMNS	TICKET_ROW_COLUMNS("NULL")

/*
 * The JSON object of a ticket (the fields of watchdog(1)), and the tables
 * it reads; :warn and :now are bound.
 */
#define TICKET_JSON							\
	"json_object('id', t.id, 'title', t.title, "			\
	"'description', t.description, 'status', t.status, "		\
	"'priority', t.priority, 'owner', o.name, 'assignee', a.name, "	\
	"'deadline', " DB_ISO_TIME("t.deadline") ", "				\
	"'created_at', " DB_ISO_TIME("t.created_at") ", "			\
	"'updated_at', " DB_ISO_TIME("t.updated_at") ", "			\
	"'resolved_at', " DB_ISO_TIME("t.resolved_at") ", "			\
	"'sla_state', wd_sla_state(t.status, t.deadline, t.resolved_at, "\
	"t.paused_at, :warn, :now), 'sla_policy', t.sla_policy, "	\
	"'paused_seconds', t.paused_seconds, 'version', t.version) "
/*
 * The same object on PostgreSQL, as the same compact text: its
 * json_build_object() spaces its output differently, so the object is
 * put together from to_json() of each value. TICKET_JSON_PG_FIELDS is
 * the object without its closing brace, for more fields after it.
 */
#define TICKET_JSON_VALUE(x)	"coalesce(to_json(" x ")::text, 'null')"
#define TICKET_JSON_PG_FIELDS						\
	"'{\"id\":' || t.id || ',\"title\":' || "			\
	TICKET_JSON_VALUE("t.title") " || ',\"description\":' || "	\
	TICKET_JSON_VALUE("t.description") " || ',\"status\":' || "	\
	TICKET_JSON_VALUE("t.status") " || ',\"priority\":' || "	\
	TICKET_JSON_VALUE("t.priority") " || ',\"owner\":' || "	\
	TICKET_JSON_VALUE("o.name::text") " || ',\"assignee\":' || "	\
	TICKET_JSON_VALUE("a.name::text") " || ',\"deadline\":' || "	\
	TICKET_JSON_VALUE(DB_ISO_TIME("t.deadline"))			\
	" || ',\"created_at\":' || "					\
	TICKET_JSON_VALUE(DB_ISO_TIME("t.created_at"))			\
	" || ',\"updated_at\":' || "					\
	TICKET_JSON_VALUE(DB_ISO_TIME("t.updated_at"))			\
	" || ',\"resolved_at\":' || "					\
	TICKET_JSON_VALUE(DB_ISO_TIME("t.resolved_at"))			\
	" || ',\"sla_state\":' || "					\
	TICKET_JSON_VALUE("wd_sla_state(t.status, t.deadline, "		\
	"t.resolved_at, t.paused_at, :warn, :now)")			\
	" || ',\"sla_policy\":' || "	\
	TICKET_JSON_VALUE("t.sla_policy") " || ',\"paused_seconds\":' || " \
	"t.paused_seconds || ',\"version\":' || t.version "
#define TICKET_JSON_PG	TICKET_JSON_PG_FIELDS "|| '}' "
#define TICKET_FROM							\
	"FROM tickets t JOIN users o ON o.id = t.owner_id "		\
	"LEFT JOIN users a ON a.id = t.assignee_id "

/*
 * Fill *T from the current row of a TICKET_ROW_COLUMNS query: strings
 * are copies when COPY (the caller clears T), else borrowed from the
 * statement and valid until its next step.
 */
void	ticket_from_row(struct db_stmt *st, struct ticket *t, bool copy);

#endif
