/*
 * ticket_search.c: the full-text index of --search; see ticket_search.h.
 */
#include "watchdog/db.h"
#include "watchdog/ticket_search.h"

static const char sql_forget[] =
    "INSERT INTO ticket_search (ticket_search, rowid, title, description, "
    "comments) SELECT 'delete', id, title, description, comments "
    "FROM ticket_search_source WHERE id = :id";
static const char sql_remember[] =
    "INSERT INTO ticket_search (rowid, title, description, comments) "
    "SELECT id, title, description, comments FROM ticket_search_source "
    "WHERE id = :id";

/* Take ticket ID out of the index; see ticket_search.h. */
enum wd_status
ticket_search_forget(struct db *db, int64_t id, char **cause)
{
	struct db_stmt	*st;

	/* PostgreSQL's index follows a generated column by itself. */
	if (db_engine(db) == DB_POSTGRESQL)
		return WD_OK;
	st = db_prepare(db, sql_forget);
	db_bind_int(st, ":id", id);
	return db_exec(st, cause);
}

/* Put ticket ID into the index; see ticket_search.h. */
enum wd_status
ticket_search_remember(struct db *db, int64_t id, char **cause)
{
	struct db_stmt	*st;

	if (db_engine(db) == DB_POSTGRESQL)
		return WD_OK;
	st = db_prepare(db, sql_remember);
	db_bind_int(st, ":id", id);
	return db_exec(st, cause);
}
