/*
 * comment.c: comments on tickets; see comment.h.
 */
#include <stdlib.h>
#include <string.h>

#include "watchdog/comment.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/notify.h"
#include "watchdog/ratelimit.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_search.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

static const char sql_ticket_touch[] =
    "UPDATE tickets SET updated_at = CASE WHEN updated_at > :now "
    "THEN updated_at ELSE :now END WHERE id = :id";
static const char sql_comment_insert[] =
    "INSERT INTO comments (ticket_id, author_id, created_at, text) "
    "VALUES (:ticket_id, :author_id, :now, :text)";
static const char sql_comment_list[] =
    "SELECT c.id, c.ticket_id, u.name, c.created_at, c.text "
    "FROM comments c LEFT JOIN users u ON u.id = c.author_id "
    "WHERE c.ticket_id = :id ORDER BY c.id";
static const char sql_comment_count[] =
    "SELECT count(*) FROM comments WHERE ticket_id = :id";

/* Check a comment's text; see comment.h. */
enum wd_status
comment_check(const char *text, char **cause)
{
	const char	*p;

	for (p = text; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	if (*p == '\0')
		return status_set(cause, WD_EDATA, "comment is empty");
	return ticket_check_long_text("comment", text, cause);
}

/*
 * Queue the commented notice of comment ID (TEXT, by BY) on ticket
 * TICKET_ID, inside the caller's transaction.
 */
static enum wd_status
comment_notify(struct db *db, const struct config *cfg, const struct user *by,
    int64_t ticket_id, int64_t id, const char *text, int64_t now,
    char **cause)
{
	struct notify_event	 ev;
	struct ticket		 t;
	enum wd_status		 status;

	if ((status = ticket_get(db, &cfg->sla, ticket_id, now, &t, cause)) != WD_OK)
		return status;
	memset(&ev, 0, sizeof ev);
	ev.kind = MAIL_COMMENTED;
	ev.event = id;
	ev.author_id = by->id;
	ev.author = by->name;
	ev.comment = text;
	status = notify_event_queue(db, cfg, &ev, &t, now, NULL, cause);
	ticket_clear(&t);
	return status;
}

/* Add a comment; see comment.h. */
enum wd_status
comment_add(struct db *db, const struct config *cfg, const struct user *by,
    int64_t ticket_id, const char *text, int64_t now, int64_t *id,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	*id = 0;
	if ((status = comment_check(text, cause)) != WD_OK)
		return status;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	/* Writing a comment is a write like a creation: one budget. */
	if ((status = ratelimit_take(db, &cfg->rate_limit_create, by->id,
	    "create", now, cause)) != WD_OK)
		goto fail;
	st = db_prepare(db, sql_ticket_touch);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":id", ticket_id);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	if (db_changes(db) != 1) {
		status = status_set(cause, WD_ENOTFOUND, "no ticket #%lld",
		    (long long)ticket_id);
		goto fail;
	}
	/* --search: the index needs the old words to take them out. */
	if ((status = ticket_search_forget(db, ticket_id, cause)) != WD_OK)
		goto fail;
	st = db_prepare(db, sql_comment_insert);
	db_bind_int(st, ":ticket_id", ticket_id);
	db_bind_int(st, ":author_id", by->id);
	db_bind_int(st, ":now", now);
	db_bind_text(st, ":text", text);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	*id = db_last_insert_id(db);
	if ((status = ticket_search_remember(db, ticket_id, cause)) != WD_OK)
		goto fail;
	if ((status = comment_notify(db, cfg, by, ticket_id, *id, text, now,
	    cause)) != WD_OK)
		goto fail;
	return db_commit(db, cause);

fail:
	db_rollback(db);
	*id = 0;
	return status;
}

/* The comments of a ticket; see comment.h. */
enum wd_status
comment_list(struct db *db, int64_t ticket_id,
    int (*fn)(const struct comment *, void *), void *arg, char **cause)
{
	struct db_stmt	*st;
	struct comment	 c;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = db_prepare(db, sql_comment_list);
	db_bind_int(st, ":id", ticket_id);
	while ((rc = db_step(st, &status, cause)) == 1) {
		c.id = db_column_int(st, 0);
		c.ticket_id = db_column_int(st, 1);
		c.author = db_column_text(st, 2);
		c.created_at = db_column_int(st, 3);
		c.text = db_column_text(st, 4);
		if (fn(&c, arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* How many comments a ticket has; see comment.h. */
enum wd_status
comment_count(struct db *db, int64_t ticket_id, int64_t *n, char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_comment_count);
	db_bind_int(st, ":id", ticket_id);
	return db_one_int(st, n, cause);
}

/* The list query; see comment.h. */
const char *
comment_list_sql(void)
{
	return sql_comment_list;
}
