/*
 * ticket_django.c: the Django version's ticket fields; see
 * ticket_django.h.
 */
#include "watchdog/db.h"
#include "watchdog/ticket_django.h"

static const char sql_django[] =
    "SELECT json_set(:json, "
    "'$.sla_missed', json(CASE WHEN json_extract(:json, '$.sla_state') "
    "IN ('missed', 'breached') THEN 'true' ELSE 'false' END), "
    "'$.sla_warning_sent', json(CASE WHEN EXISTS (SELECT 1 FROM tickets t "
    "JOIN outbox o ON o.ticket_id = t.id AND o.kind = 'warning' "
    "AND o.deadline = t.deadline WHERE t.id = json_extract(:json, '$.id')) "
    "THEN 'true' ELSE 'false' END))";

/*
 * On PostgreSQL: the two members appended to the object's text, as
 * json_set() appends members it does not find, so that the text stays
 * as the ticket's JSON wrote it.
 */
static const char sql_django_pg[] =
    "SELECT left(:json, -1) || ',\"sla_missed\":' || "
    "CASE WHEN CAST(:json AS json) ->> 'sla_state' "
    "IN ('missed', 'breached') THEN 'true' ELSE 'false' END || "
    "',\"sla_warning_sent\":' || CASE WHEN EXISTS (SELECT 1 FROM tickets t "
    "JOIN outbox o ON o.ticket_id = t.id AND o.kind = 'warning' "
    "AND o.deadline = t.deadline "
    "WHERE t.id = CAST(CAST(:json AS json) ->> 'id' AS bigint)) "
    "THEN 'true' ELSE 'false' END || '}'";

/* Add the Django fields; see ticket_django.h. */
enum wd_status
ticket_django_json(struct db *db, const char *json, char **out, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	*out = NULL;
	st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ? sql_django_pg :
	    sql_django);
	db_bind_text(st, ":json", json);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		status = status_set(cause, WD_EFAIL, "ticket JSON: no row");
	if (status != WD_OK)
		return status;
	*out = db_column_strdup(st, 0);
	db_reset(st);
	return WD_OK;
}
