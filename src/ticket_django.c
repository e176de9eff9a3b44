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

/* Add the Django fields; see ticket_django.h. */
enum wd_status
ticket_django_json(struct db *db, const char *json, char **out, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	*out = NULL;
	st = db_prepare(db, sql_django);
	db_bind_text(st, ":json", json);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		status = status_set(cause, WD_EFAIL, "ticket JSON: no row");
	if (status != WD_OK)
		return status;
	*out = db_column_strdup(st, 0);
	db_reset(st);
	return WD_OK;
}
