/*
 * outbox.c: the durable queue of notification e-mails; see outbox.h.
 */
#include <stdlib.h>
#include <string.h>

#include "watchdog/db.h"
#include "watchdog/outbox.h"
#include "watchdog/util.h"

static const char sql_outbox_add[] =
    "INSERT INTO outbox (ticket_id, kind, seq, deadline, recipient, sender, "
    "message_id, message, created_at, next_attempt_at, event) "
    "VALUES (:ticket_id, :kind, :seq, :deadline, :recipient, :sender, '', "
    "'', :now, :now, :event) "
    "ON CONFLICT (ticket_id, kind, seq, deadline, recipient, event) "
    "DO NOTHING";
static const char sql_outbox_set_message[] =
    "UPDATE outbox SET message_id = :message_id, message = :message "
    "WHERE id = :id";
#define OUTBOX_COLUMNS							\
	"id, ticket_id, kind, deadline, recipient, sender, message_id, "\
	"message, state, attempts, created_at, next_attempt_at, "	\
	"last_error, sent_at "
static const char sql_outbox_next[] =
    "SELECT " OUTBOX_COLUMNS "FROM outbox "
    "WHERE state IN ('queued', 'sending') AND next_attempt_at <= :now "
    "ORDER BY next_attempt_at, id LIMIT :max";
static const char sql_outbox_next_ticket[] =
    "SELECT " OUTBOX_COLUMNS "FROM outbox "
    "WHERE ticket_id = :ticket_id AND kind = :kind "
    "AND state IN ('queued', 'sending') AND next_attempt_at <= :now "
    "ORDER BY id LIMIT :max";
/*
 * The same on PostgreSQL, the rows locked as they are claimed, skipping
 * those another host holds: two hosts' passes never claim one message
 * and never wait for each other's claims (the lease below then outlives
 * the transaction).
 */
static const char sql_outbox_next_pg[] =
    "SELECT " OUTBOX_COLUMNS "FROM outbox "
    "WHERE state IN ('queued', 'sending') AND next_attempt_at <= :now "
    "ORDER BY next_attempt_at, id LIMIT :max FOR UPDATE SKIP LOCKED";
static const char sql_outbox_next_ticket_pg[] =
    "SELECT " OUTBOX_COLUMNS "FROM outbox "
    "WHERE ticket_id = :ticket_id AND kind = :kind "
    "AND state IN ('queued', 'sending') AND next_attempt_at <= :now "
    "ORDER BY id LIMIT :max FOR UPDATE SKIP LOCKED";
static const char sql_outbox_lease[] =
    "UPDATE outbox SET state = 'sending', next_attempt_at = :until "
    "WHERE id = :id";
static const char sql_outbox_renew[] =
    "UPDATE outbox SET next_attempt_at = :until "
    "WHERE id = :id AND state = 'sending'";
static const char sql_outbox_unclaim[] =
    "UPDATE outbox SET state = 'queued', next_attempt_at = :now "
    "WHERE id = :id AND state = 'sending'";
static const char sql_outbox_sent[] =
    "UPDATE outbox SET state = 'sent', sent_at = :now, last_error = NULL, "
    "attempts = attempts + 1 WHERE id = :id";
static const char sql_outbox_get[] =
    "SELECT attempts, created_at FROM outbox WHERE id = :id";
static const char sql_outbox_retry[] =
    "UPDATE outbox SET state = :state, attempts = attempts + 1, "
    "next_attempt_at = :next, last_error = :error WHERE id = :id";
static const char sql_outbox_release[] =
    "UPDATE outbox SET state = 'queued', next_attempt_at = :now, "
    "last_error = :error WHERE id = :id";
static const char sql_outbox_refused[] =
    "UPDATE outbox SET state = 'failed', attempts = attempts + 1, "
    "next_attempt_at = :now, last_error = :error, reported = 0 "
    "WHERE id = :id";
static const char sql_outbox_unreported[] =
    "SELECT " OUTBOX_COLUMNS "FROM outbox "
    "WHERE reported = 0 AND state = 'failed' ORDER BY id";
static const char sql_outbox_mark_reported[] =
    "UPDATE outbox SET reported = 1 WHERE id = :id";
static const char sql_outbox_retrying[] =
    "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending') "
    "AND attempts > 0";
static const char sql_outbox_list[] =
    "SELECT id, ticket_id, kind, deadline, recipient, sender, message_id, "
    "NULL, state, attempts, created_at, next_attempt_at, last_error, "
    "sent_at FROM outbox WHERE state <> 'sent' ORDER BY id";
static const char sql_outbox_list_json[] =
    "SELECT json_object('id', id, 'ticket', ticket_id, 'kind', kind, "
    "'deadline', " DB_ISO_TIME("deadline") ", 'recipient', recipient, "
    "'message_id', message_id, "
    "'state', CASE WHEN state = 'queued' AND attempts > 0 THEN 'retrying' "
    "ELSE state END, 'attempts', attempts, "
    "'queued_at', " DB_ISO_TIME("created_at") ", "
    "'next_attempt_at', CASE WHEN state = 'failed' THEN NULL ELSE "
    DB_ISO_TIME("next_attempt_at") " END, 'last_error', last_error) "
    "FROM outbox WHERE state <> 'sent' ORDER BY id";
/* The same as compact JSON text on PostgreSQL (see TICKET_JSON_PG). */
#define OUTBOX_JSON_VALUE(x)	"coalesce(to_json(" x ")::text, 'null')"
static const char sql_outbox_list_json_pg[] =
    "SELECT '{\"id\":' || id || ',\"ticket\":' || ticket_id || "
    "',\"kind\":' || " OUTBOX_JSON_VALUE("kind") " || ',\"deadline\":' || "
    OUTBOX_JSON_VALUE(DB_ISO_TIME("deadline")) " || ',\"recipient\":' || "
    OUTBOX_JSON_VALUE("recipient") " || ',\"message_id\":' || "
    OUTBOX_JSON_VALUE("message_id") " || ',\"state\":' || "
    OUTBOX_JSON_VALUE("CASE WHEN state = 'queued' AND attempts > 0 THEN "
    "'retrying' ELSE state END") " || ',\"attempts\":' || attempts || "
    "',\"queued_at\":' || " OUTBOX_JSON_VALUE(DB_ISO_TIME("created_at"))
    " || ',\"next_attempt_at\":' || "
    OUTBOX_JSON_VALUE("CASE WHEN state = 'failed' THEN NULL ELSE "
    DB_ISO_TIME("next_attempt_at") " END") " || ',\"last_error\":' || "
    OUTBOX_JSON_VALUE("last_error") " || '}' "
    "FROM outbox WHERE state <> 'sent' ORDER BY id";

void
outbox_msg_clear(struct outbox_msg *m)
{
	free(m->kind);
	free(m->recipient);
	free(m->sender);
	free(m->message_id);
	free(m->message);
	free(m->state);
	free(m->last_error);
	memset(m, 0, sizeof *m);
}

/* The delay before retry number ATTEMPTS: 1, 2, 4, ... minutes, at most
 * an hour. */
int64_t
outbox_backoff(int64_t attempts)
{
	int64_t	delay = OUTBOX_RETRY_FIRST;

	while (--attempts > 0 && delay < OUTBOX_RETRY_MAX)
		delay *= 2;
	return delay < OUTBOX_RETRY_MAX ? delay : OUTBOX_RETRY_MAX;
}

/*
 * Queue a message keyed by (TICKET_ID, KIND, SEQ, DEADLINE, RECIPIENT,
 * EVENT): the one insert behind outbox_add() and outbox_add_event().
 */
static enum wd_status
outbox_insert(struct db *db, int64_t ticket_id, const char *kind, int seq,
    int64_t deadline, int64_t event, const char *recipient,
    const char *sender, int64_t now, int64_t *row, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	*row = 0;
	st = db_prepare(db, sql_outbox_add);
	db_bind_int(st, ":ticket_id", ticket_id);
	db_bind_text(st, ":kind", kind);
	db_bind_int(st, ":seq", seq);
	db_bind_int(st, ":deadline", deadline);
	db_bind_int(st, ":event", event);
	db_bind_text(st, ":recipient", recipient);
	db_bind_text(st, ":sender", sender);
	db_bind_int(st, ":now", now);
	if ((status = db_exec(st, cause)) != WD_OK)
		return status;
	if (db_changes(db) == 1)
		*row = db_last_insert_id(db);
	return WD_OK;
}

/* Queue a message; see outbox.h. */
enum wd_status
outbox_add(struct db *db, int64_t ticket_id, const char *kind, int seq,
    int64_t deadline, const char *recipient, const char *sender, int64_t now,
    int64_t *row, char **cause)
{
	return outbox_insert(db, ticket_id, kind, seq, deadline, 0, recipient,
	    sender, now, row, cause);
}

/* Queue a message about an event; see outbox.h. */
enum wd_status
outbox_add_event(struct db *db, int64_t ticket_id, const char *kind,
    int64_t deadline, int64_t event, const char *recipient,
    const char *sender, int64_t now, int64_t *row, char **cause)
{
	return outbox_insert(db, ticket_id, kind, 0, deadline, event,
	    recipient, sender, now, row, cause);
}

enum wd_status
outbox_set_message(struct db *db, int64_t row, const char *message_id,
    const char *message, char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_outbox_set_message);
	db_bind_text(st, ":message_id", message_id);
	db_bind_text(st, ":message", message);
	db_bind_int(st, ":id", row);
	return db_exec(st, cause);
}

/* Fill *M from a row of OUTBOX_COLUMNS. */
static void
outbox_from_row(struct db_stmt *st, struct outbox_msg *m)
{
	m->id = db_column_int(st, 0);
	m->ticket_id = db_column_int(st, 1);
	m->kind = db_column_strdup(st, 2);
	m->deadline = db_column_int(st, 3);
	m->recipient = db_column_strdup(st, 4);
	m->sender = db_column_strdup(st, 5);
	m->message_id = db_column_strdup(st, 6);
	m->message = db_column_strdup(st, 7);
	m->state = db_column_strdup(st, 8);
	m->attempts = db_column_int(st, 9);
	m->created_at = db_column_int(st, 10);
	m->next_attempt_at = db_column_int(st, 11);
	m->last_error = db_column_strdup(st, 12);
	m->sent_at = db_column_int(st, 13);
}

/* Claim the next message; see outbox.h. */
enum wd_status
outbox_claim(struct db *db, int64_t now, int64_t lease, int64_t ticket_id,
    const char *kind, struct outbox_msg *m, bool *got, char **cause)
{
	struct outbox_msg	*ms;
	enum wd_status		 status;
	size_t			 n;

	memset(m, 0, sizeof *m);
	status = outbox_claim_batch(db, now, lease, ticket_id, kind, 1, 0,
	    &ms, &n, cause);
	*got = status == WD_OK && n == 1;
	if (*got)
		*m = ms[0];
	free(ms);
	return status;
}

/* One try of outbox_claim_batch() (below). */
static enum wd_status
outbox_claim_batch_once(struct db *db, int64_t now, int64_t lease,
    int64_t ticket_id, const char *kind, size_t max, int64_t sent,
    struct outbox_msg **out, size_t *n, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	size_t		 i;
	int		 rc = 0;

	*out = xcalloc(max, sizeof **out);
	*n = 0;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if (sent != 0) {
		st = db_prepare(db, sql_outbox_sent);
		db_bind_int(st, ":now", now);
		db_bind_int(st, ":id", sent);
		if ((status = db_exec(st, cause)) != WD_OK)
			goto fail;
	}
	if (ticket_id != 0) {
		st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ?
		    sql_outbox_next_ticket_pg : sql_outbox_next_ticket);
		db_bind_int(st, ":ticket_id", ticket_id);
		db_bind_text(st, ":kind", kind);
	} else
		st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ?
		    sql_outbox_next_pg : sql_outbox_next);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":max", (int64_t)max);
	while (*n < max && (rc = db_step(st, &status, cause)) == 1)
		outbox_from_row(st, &(*out)[(*n)++]);
	db_reset(st);
	if (*n < max && rc < 0)
		goto fail;
	if (*n == 0) {
		if (sent != 0)
			return db_commit(db, cause);
		db_rollback(db);
		return WD_OK;
	}
	for (i = 0; i < *n; i++) {
		st = db_prepare(db, sql_outbox_lease);
		db_bind_int(st, ":until", now + lease);
		db_bind_int(st, ":id", (*out)[i].id);
		if ((status = db_exec(st, cause)) != WD_OK)
			goto fail;
	}
	if ((status = db_commit(db, cause)) != WD_OK)
		goto fail;
	return WD_OK;

fail:
	db_rollback(db);
	for (i = 0; i < *n; i++)
		outbox_msg_clear(&(*out)[i]);
	free(*out);
	*out = NULL;
	*n = 0;
	return status;
}

/* Claim up to MAX messages at once; see outbox.h. */
enum wd_status
outbox_claim_batch(struct db *db, int64_t now, int64_t lease,
    int64_t ticket_id, const char *kind, size_t max, int64_t sent,
    struct outbox_msg **out, size_t *n, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = outbox_claim_batch_once(db, now, lease,
		    ticket_id, kind, max, sent, out, n, cause);
	return status;
}

/* One try of outbox_each() (below). */
static enum wd_status
outbox_each_once(struct db *db, const char *sql, const char *tname,
    int64_t t, const int64_t *ids, size_t n, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	size_t		 i;

	if (n == 0)
		return WD_OK;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	for (i = 0; i < n; i++) {
		st = db_prepare(db, sql);
		db_bind_int(st, tname, t);
		db_bind_int(st, ":id", ids[i]);
		if ((status = db_exec(st, cause)) != WD_OK) {
			db_rollback(db);
			return status;
		}
	}
	return db_commit(db, cause);
}

/*
 * Run SQL (binding :id to each of the N IDS, :t to T) in one transaction.
 */
static enum wd_status
outbox_each(struct db *db, const char *sql, const char *tname, int64_t t,
    const int64_t *ids, size_t n, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = outbox_each_once(db, sql, tname, t, ids, n,
		    cause);
	return status;
}

/* Extend the claims of IDS; see outbox.h. */
enum wd_status
outbox_renew(struct db *db, const int64_t *ids, size_t n, int64_t until,
    char **cause)
{
	return outbox_each(db, sql_outbox_renew, ":until", until, ids, n,
	    cause);
}

/* Give claims back untried; see outbox.h. */
enum wd_status
outbox_unclaim(struct db *db, const int64_t *ids, size_t n, int64_t now,
    char **cause)
{
	return outbox_each(db, sql_outbox_unclaim, ":now", now, ids, n, cause);
}

/* Record several messages sent at once; see outbox.h. */
enum wd_status
outbox_sent_many(struct db *db, const int64_t *ids, size_t n, int64_t now,
    char **cause)
{
	return outbox_each(db, sql_outbox_sent, ":now", now, ids, n, cause);
}

enum wd_status
outbox_sent(struct db *db, int64_t id, int64_t now, char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_outbox_sent);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":id", id);
	return db_exec(st, cause);
}

/* One try of outbox_failed() (below). */
static enum wd_status
outbox_failed_once(struct db *db, int64_t id, int64_t now,
    const char *error, bool permanent, bool *gave_up, int64_t *next,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int64_t		 attempts, created;

	*gave_up = false;
	*next = 0;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	st = db_prepare(db, sql_outbox_get);
	db_bind_int(st, ":id", id);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		status = status_set(cause, WD_ENOTFOUND,
		    "no message %lld in the outbox", (long long)id);
	if (status != WD_OK)
		goto fail;
	attempts = db_column_int(st, 0) + 1;
	created = db_column_int(st, 1);
	db_reset(st);

	*gave_up = permanent || now - created >= OUTBOX_GIVE_UP;
	*next = *gave_up ? now : now + outbox_backoff(attempts);
	st = db_prepare(db, sql_outbox_retry);
	db_bind_text(st, ":state", *gave_up ? "failed" : "queued");
	db_bind_int(st, ":next", *next);
	db_bind_text(st, ":error", error);
	db_bind_int(st, ":id", id);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	return db_commit(db, cause);

fail:
	db_rollback(db);
	return status;
}

/* Record a failed delivery; see outbox.h. */
enum wd_status
outbox_failed(struct db *db, int64_t id, int64_t now, const char *error,
    bool permanent, bool *gave_up, int64_t *next, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = outbox_failed_once(db, id, now, error,
		    permanent, gave_up, next, cause);
	return status;
}

/* Give a claim back for the next pass; see outbox.h. */
enum wd_status
outbox_release(struct db *db, int64_t id, int64_t now, const char *error,
    char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_outbox_release);
	db_bind_int(st, ":now", now);
	db_bind_text(st, ":error", error);
	db_bind_int(st, ":id", id);
	return db_exec(st, cause);
}

/* Keep a message as failed for the next pass to report; see outbox.h. */
enum wd_status
outbox_refused(struct db *db, int64_t id, int64_t now, const char *error,
    char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_outbox_refused);
	db_bind_int(st, ":now", now);
	db_bind_text(st, ":error", error);
	db_bind_int(st, ":id", id);
	return db_exec(st, cause);
}

/*
 * Read the failed messages not yet reported into *OUT (new array of *N,
 * each cleared with outbox_msg_clear()).
 */
static enum wd_status
outbox_unreported_read(struct db *db, struct outbox_msg **out, size_t *n,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	st = db_prepare(db, sql_outbox_unreported);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (*n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		outbox_from_row(st, &(*out)[(*n)++]);
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* One try of outbox_mark_reported() (below). */
static enum wd_status
outbox_mark_reported_once(struct db *db, const struct outbox_msg *m,
    size_t n, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	size_t		 i;

	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	for (i = 0; i < n; i++) {
		st = db_prepare(db, sql_outbox_mark_reported);
		db_bind_int(st, ":id", m[i].id);
		if ((status = db_exec(st, cause)) != WD_OK) {
			db_rollback(db);
			return status;
		}
	}
	return db_commit(db, cause);
}

/* Mark the N messages of M reported, in one transaction. */
static enum wd_status
outbox_mark_reported(struct db *db, const struct outbox_msg *m, size_t n,
    char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = outbox_mark_reported_once(db, m, n, cause);
	return status;
}

/* Report the failures nobody reported yet; see outbox.h. */
enum wd_status
outbox_report_failed(struct db *db,
    void (*fn)(const struct outbox_msg *, void *), void *arg, char **cause)
{
	struct outbox_msg	*m;
	enum wd_status		 status;
	size_t			 n, i;

	if ((status = outbox_unreported_read(db, &m, &n, cause)) == WD_OK &&
	    n > 0) {
		/* Told first, outside any transaction; marked after. */
		for (i = 0; i < n; i++)
			fn(&m[i], arg);
		status = outbox_mark_reported(db, m, n, cause);
	}
	for (i = 0; i < n; i++)
		outbox_msg_clear(&m[i]);
	free(m);
	return status;
}

/* Messages waiting for a retry, in *N; see outbox.h. */
enum wd_status
outbox_retrying(struct db *db, int64_t *n, char **cause)
{
	return db_one_int(db_prepare(db, sql_outbox_retrying), n, cause);
}

/* The SLA notices of one deadline of a ticket; see outbox.h. */
static const char sql_outbox_ticket_notices[] =
    "SELECT kind, seq, min(created_at), "
    "CASE WHEN min(CASE WHEN state = 'sent' THEN 1 ELSE 0 END) = 1 "
    "THEN max(sent_at) ELSE 0 END "
    "FROM outbox WHERE ticket_id = :id AND deadline = :deadline "
    "AND kind IN ('warning', 'missed') AND event = 0 "
    "GROUP BY kind, seq ORDER BY min(created_at), kind, seq";

enum wd_status
outbox_ticket_notices(struct db *db, int64_t id, int64_t deadline,
    void (*fn)(const struct outbox_notice *, void *), void *arg, char **cause)
{
	struct db_stmt		*st;
	struct outbox_notice	 n;
	enum wd_status		 status = WD_EFAIL;
	int			 rc;

	st = db_prepare(db, sql_outbox_ticket_notices);
	db_bind_int(st, ":id", id);
	db_bind_int(st, ":deadline", deadline);
	while ((rc = db_step(st, &status, cause)) == 1) {
		n.kind = db_column_text(st, 0);
		n.seq = (int)db_column_int(st, 1);
		n.queued_at = db_column_int(st, 2);
		n.sent_at = db_column_int(st, 3);
		fn(&n, arg);
	}
	db_reset(st);
	return rc == 0 ? WD_OK : status;
}

/* The messages not yet sent; see outbox.h. */
enum wd_status
outbox_list(struct db *db, int (*fn)(const struct outbox_msg *, void *),
    void *arg, char **cause)
{
	struct db_stmt		*st;
	struct outbox_msg	 m;
	enum wd_status		 status = WD_EFAIL;
	int			 rc, stop = 0;

	st = db_prepare(db, sql_outbox_list);
	while (stop == 0 && (rc = db_step(st, &status, cause)) == 1) {
		memset(&m, 0, sizeof m);
		outbox_from_row(st, &m);
		stop = fn(&m, arg);
		outbox_msg_clear(&m);
	}
	db_reset(st);
	return stop != 0 || rc == 0 ? WD_OK : status;
}

enum wd_status
outbox_list_json(struct db *db, int (*fn)(const char *, void *), void *arg,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ?
	    sql_outbox_list_json_pg : sql_outbox_list_json);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (fn(db_column_text(st, 0), arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}
