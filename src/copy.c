/*
 * copy.c: watchdog --copy-to, one database copied into an empty one; see
 * copy.h.
 *
 * Each table is declared once below: its columns, and the constant
 * statements that read its rows (in pages of COPY_PAGE by id, where it
 * has one), write one row, count them, and clear what the migrations put
 * there. The rows move through the storage layer's generic columns
 * (db_column_type): integers, text, blobs and NULL, the same on both
 * engines, so that one loop serves every direction.
 */
#include <stdlib.h>
#include <string.h>

#include "watchdog/copy.h"
#include "watchdog/db.h"
#include "watchdog/util.h"

/* Rows read from the source at a time (one statement each). */
#define COPY_PAGE	"2000"
#define COPY_PAGE_ROWS	2000

/* How often the progress callback hears of the rows copied. */
#define COPY_PROGRESS_EVERY	1000

struct copy_table {
	const char		*name;
	const char		*noun;		/* for the report; NULL: left out */
	const char *const	*columns;	/* in the order SELECT reads them */
	const char		*select;	/* paged: WHERE id > :after */
	const char		*insert;
	const char		*count;
	const char		*clear;		/* the migrations' rows; or NULL */
	bool			 paged;		/* an id from a sequence */
	bool			 autoincrement;	/* SQLite keeps its high mark */
};

#define USERS_COLS							\
	"id, name, email, role, password_hash, created_at, disabled_at, "	\
	"must_change_password, last_login_at"
static const char *const users_cols[] = { "id", "name", "email", "role",
    "password_hash", "created_at", "disabled_at", "must_change_password",
    "last_login_at", NULL };

#define TOKENS_COLS							\
	"id, user_id, selector, hash, created_at, last_used_at, revoked_at"
static const char *const tokens_cols[] = { "id", "user_id", "selector",
    "hash", "created_at", "last_used_at", "revoked_at", NULL };

#define LOGIN_FAILURES_COLS						\
	"user_id, unix_uid, failures, last_failure_at, locked_until"
static const char *const login_failures_cols[] = { "user_id", "unix_uid",
    "failures", "last_failure_at", "locked_until", NULL };

#define AUDIT_COLS	"id, at, user_id, name, unix_uid, event, detail"
static const char *const audit_cols[] = { "id", "at", "user_id", "name",
    "unix_uid", "event", "detail", NULL };

#define TICKETS_COLS							\
	"id, title, description, status, priority, owner_id, assignee_id, "	\
	"deadline, created_at, updated_at, resolved_at, version, "	\
	"sla_notified, sla_next_at, sla_policy, paused_seconds, sla_warned, " \
	"sla_clock, paused_at, sla_steps, sla_repeats"
static const char *const tickets_cols[] = { "id", "title", "description",
    "status", "priority", "owner_id", "assignee_id", "deadline",
    "created_at", "updated_at", "resolved_at", "version", "sla_notified",
    "sla_next_at", "sla_policy", "paused_seconds", "sla_warned",
    "sla_clock", "paused_at", "sla_steps", "sla_repeats", NULL };

#define HISTORY_COLS							\
	"id, ticket_id, at, user_id, field, old_value, new_value"
static const char *const history_cols[] = { "id", "ticket_id", "at",
    "user_id", "field", "old_value", "new_value", NULL };

#define COMMENTS_COLS	"id, ticket_id, author_id, created_at, text"
static const char *const comments_cols[] = { "id", "ticket_id",
    "author_id", "created_at", "text", NULL };

#define RATE_EVENTS_COLS	"user_id, kind, at"
static const char *const rate_events_cols[] = { "user_id", "kind", "at",
    NULL };

#define OUTBOX_COLS							\
	"id, ticket_id, kind, seq, deadline, recipient, sender, message_id, " \
	"message, state, attempts, created_at, next_attempt_at, last_error, " \
	"sent_at, reported, event"
static const char *const outbox_cols[] = { "id", "ticket_id", "kind", "seq",
    "deadline", "recipient", "sender", "message_id", "message", "state",
    "attempts", "created_at", "next_attempt_at", "last_error", "sent_at",
    "reported", "event", NULL };

#define DJANGO_IMPORT_COLS	"kind, django_id, our_id"
static const char *const django_import_cols[] = { "kind", "django_id",
    "our_id", NULL };

/*
 * meta's "schema_verified" is a SQLite file's own (the counter of its
 * schema it last checked): never copied, never compared.
 */
#define META_COLS	"key, value"
static const char *const meta_cols[] = { "key", "value", NULL };

#define TICKET_COUNTS_COLS	"what, n"
static const char *const ticket_counts_cols[] = { "what", "n", NULL };

/* In enum copy_table_id order. */
static const struct copy_table copy_tables[COPY_NTABLES] = {
	[COPY_USERS] = { "users", "accounts", users_cols,
	    "SELECT " USERS_COLS " FROM users WHERE id > :after "
	    "ORDER BY id LIMIT " COPY_PAGE,
	    "INSERT INTO users (" USERS_COLS ") VALUES (:id, :name, :email, "
	    ":role, :password_hash, :created_at, :disabled_at, "
	    ":must_change_password, :last_login_at)",
	    "SELECT count(*) FROM users", NULL, true, false },
	[COPY_TOKENS] = { "tokens", "tokens", tokens_cols,
	    "SELECT " TOKENS_COLS " FROM tokens WHERE id > :after "
	    "ORDER BY id LIMIT " COPY_PAGE,
	    "INSERT INTO tokens (" TOKENS_COLS ") VALUES (:id, :user_id, "
	    ":selector, :hash, :created_at, :last_used_at, :revoked_at)",
	    "SELECT count(*) FROM tokens", NULL, true, false },
	[COPY_LOGIN_FAILURES] = { "login_failures", "login failure records",
	    login_failures_cols,
	    "SELECT " LOGIN_FAILURES_COLS " FROM login_failures "
	    "ORDER BY user_id, unix_uid",
	    "INSERT INTO login_failures (" LOGIN_FAILURES_COLS ") VALUES "
	    "(:user_id, :unix_uid, :failures, :last_failure_at, "
	    ":locked_until)",
	    "SELECT count(*) FROM login_failures", NULL, false, false },
	[COPY_AUDIT] = { "audit", "audit entries", audit_cols,
	    "SELECT " AUDIT_COLS " FROM audit WHERE id > :after "
	    "ORDER BY id LIMIT " COPY_PAGE,
	    "INSERT INTO audit (" AUDIT_COLS ") VALUES (:id, :at, :user_id, "
	    ":name, :unix_uid, :event, :detail)",
	    "SELECT count(*) FROM audit", NULL, true, false },
	[COPY_TICKETS] = { "tickets", "tickets", tickets_cols,
	    "SELECT " TICKETS_COLS " FROM tickets WHERE id > :after "
	    "ORDER BY id LIMIT " COPY_PAGE,
	    "INSERT INTO tickets (" TICKETS_COLS ") VALUES (:id, :title, "
	    ":description, :status, :priority, :owner_id, :assignee_id, "
	    ":deadline, :created_at, :updated_at, :resolved_at, :version, "
	    ":sla_notified, :sla_next_at, :sla_policy, :paused_seconds, "
	    ":sla_warned, :sla_clock, :paused_at, :sla_steps, :sla_repeats)",
	    "SELECT count(*) FROM tickets", NULL, true, true },
	[COPY_TICKET_HISTORY] = { "ticket_history", "history entries",
	    history_cols,
	    "SELECT " HISTORY_COLS " FROM ticket_history WHERE id > :after "
	    "ORDER BY id LIMIT " COPY_PAGE,
	    "INSERT INTO ticket_history (" HISTORY_COLS ") VALUES (:id, "
	    ":ticket_id, :at, :user_id, :field, :old_value, :new_value)",
	    "SELECT count(*) FROM ticket_history", NULL, true, false },
	[COPY_COMMENTS] = { "comments", "comments", comments_cols,
	    "SELECT " COMMENTS_COLS " FROM comments WHERE id > :after "
	    "ORDER BY id LIMIT " COPY_PAGE,
	    "INSERT INTO comments (" COMMENTS_COLS ") VALUES (:id, "
	    ":ticket_id, :author_id, :created_at, :text)",
	    "SELECT count(*) FROM comments", NULL, true, false },
	[COPY_RATE_EVENTS] = { "rate_events", "rate-limit events",
	    rate_events_cols,
	    "SELECT " RATE_EVENTS_COLS " FROM rate_events "
	    "ORDER BY user_id, kind, at",
	    "INSERT INTO rate_events (" RATE_EVENTS_COLS ") VALUES "
	    "(:user_id, :kind, :at)",
	    "SELECT count(*) FROM rate_events", NULL, false, false },
	[COPY_OUTBOX] = { "outbox", "messages", outbox_cols,
	    "SELECT " OUTBOX_COLS " FROM outbox WHERE id > :after "
	    "ORDER BY id LIMIT " COPY_PAGE,
	    "INSERT INTO outbox (" OUTBOX_COLS ") VALUES (:id, :ticket_id, "
	    ":kind, :seq, :deadline, :recipient, :sender, :message_id, "
	    ":message, :state, :attempts, :created_at, :next_attempt_at, "
	    ":last_error, :sent_at, :reported, :event)",
	    "SELECT count(*) FROM outbox", NULL, true, false },
	[COPY_DJANGO_IMPORT] = { "django_import", "Django import records",
	    django_import_cols,
	    "SELECT " DJANGO_IMPORT_COLS " FROM django_import "
	    "ORDER BY kind, django_id",
	    "INSERT INTO django_import (" DJANGO_IMPORT_COLS ") VALUES "
	    "(:kind, :django_id, :our_id)",
	    "SELECT count(*) FROM django_import", NULL, false, false },
	[COPY_META] = { "meta", NULL, meta_cols,
	    "SELECT " META_COLS " FROM meta WHERE key <> 'schema_verified' "
	    "ORDER BY key",
	    "INSERT INTO meta (" META_COLS ") VALUES (:key, :value)",
	    "SELECT count(*) FROM meta WHERE key <> 'schema_verified'",
	    "DELETE FROM meta WHERE key <> 'schema_verified'", false, false },
	[COPY_TICKET_COUNTS] = { "ticket_counts", NULL, ticket_counts_cols,
	    "SELECT " TICKET_COUNTS_COLS " FROM ticket_counts ORDER BY what",
	    "INSERT INTO ticket_counts (" TICKET_COUNTS_COLS ") VALUES "
	    "(:what, :n)",
	    "SELECT count(*) FROM ticket_counts", "DELETE FROM ticket_counts",
	    false, false },
};

/*
 * The catalogs: the tables and columns a database has, less what its
 * engine derives from the rows (see copy.h).
 */
static const char sql_sqlite_tables[] =
    "SELECT name FROM sqlite_schema WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "AND name NOT LIKE 'ticket\\_search%' ESCAPE '\\' ORDER BY name";
static const char sql_sqlite_columns[] =
    "SELECT name FROM pragma_table_info(:t) ORDER BY cid";
static const char sql_pg_tables[] =
    "SELECT tablename::text FROM pg_tables "
    "WHERE schemaname = current_schema() AND tablename <> 'wd_schema' "
    "ORDER BY tablename";
static const char sql_pg_columns[] =
    "SELECT column_name::text FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND table_name = :t "
    "AND is_generated = 'NEVER' "
    "AND NOT (table_name = 'tickets' AND column_name = 'comment_words') "
    "ORDER BY ordinal_position";

/* The highest id a table's sequence gave (0: none, or not known). */
static const char sql_sqlite_seq[] =
    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = :t), 0)";
static const char sql_pg_seq[] =
    "SELECT coalesce(pg_sequence_last_value("
    "pg_get_serial_sequence(:t, 'id')), 0)";
/* Move it on the target. */
static const char sql_pg_setval[] =
    "SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)";
static const char sql_sqlite_seq_raise[] =
    "UPDATE sqlite_sequence SET seq = :v WHERE name = :t AND seq < :v";
static const char sql_sqlite_seq_add[] =
    "INSERT INTO sqlite_sequence (name, seq) SELECT :t, :v "
    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :t)";
/*
 * PostgreSQL's triggers that keep the open-ticket count and the comments'
 * words on their ticket (data/pg/0018) run once per statement, and a copy
 * writes one row per statement: each ticket would update the one row of
 * ticket_counts, and in the one transaction of a copy each update walks
 * the row's growing chain of versions (100,000 tickets took minutes);
 * each comment would aggregate its ticket's comments again and write the
 * ticket's row. They are held off while the rows go in (the count itself
 * is copied) and the words made once at the end; where the role may not
 * (not the tables' owner), the copy goes on with them, slower.
 */
static const char sql_pg_count_trigger_off[] =
    "ALTER TABLE tickets DISABLE TRIGGER tickets_open_count_insert";
static const char sql_pg_words_trigger_off[] =
    "ALTER TABLE comments DISABLE TRIGGER comments_words_insert";
static const char sql_pg_count_trigger_on[] =
    "ALTER TABLE tickets ENABLE TRIGGER tickets_open_count_insert";
static const char sql_pg_words_trigger_on[] =
    "ALTER TABLE comments ENABLE TRIGGER comments_words_insert";
static const char sql_pg_words_rebuild[] =
    "UPDATE tickets t SET comment_words = w.words FROM "
    "(SELECT ticket_id, string_agg(text, ' ' ORDER BY id) AS words "
    "FROM comments GROUP BY ticket_id) w WHERE t.id = w.ticket_id";
/* SQLite's full-text index, made anew from the tickets and comments. */
static const char sql_sqlite_search_rebuild[] =
    "INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')";

/* One copy under way. */
struct copy_job {
	struct db		*src;
	struct db		*dst;
	const char		*dst_name;
	copy_progress_fn	 progress;
	void			*arg;
	int64_t			 done;
	int64_t			 total;
	int64_t			 src_rows[COPY_NTABLES];
	int64_t			 high[COPY_NTABLES];	/* the last id copied */
	struct copy_result	*res;
};

/* The name of table T. */
const char *
copy_table_name(enum copy_table_id t)
{
	return copy_tables[t].name;
}

/* What the report calls the rows of T, or NULL; see copy.h. */
const char *
copy_table_noun(enum copy_table_id t)
{
	return copy_tables[t].noun;
}

/* The columns of T; see copy.h. */
const char *const *
copy_table_columns(enum copy_table_id t)
{
	return copy_tables[t].columns;
}

/* The statement reading T's rows. */
const char *
copy_table_select(enum copy_table_id t)
{
	return copy_tables[t].select;
}

/* The statement writing one row of T. */
const char *
copy_table_insert(enum copy_table_id t)
{
	return copy_tables[t].insert;
}

/* The table named NAME in the list, or NULL. */
static const struct copy_table *
copy_table_find(const char *name)
{
	int	i;

	for (i = 0; i < COPY_NTABLES; i++) {
		if (strcmp(copy_tables[i].name, name) == 0)
			return &copy_tables[i];
	}
	return NULL;
}

/* The number of columns of T. */
static int
copy_ncolumns(const struct copy_table *t)
{
	int	n = 0;

	while (t->columns[n] != NULL)
		n++;
	return n;
}

/* Whether T copies the column NAME. */
static bool
copy_has_column(const struct copy_table *t, const char *name)
{
	int	i;

	for (i = 0; t->columns[i] != NULL; i++) {
		if (strcmp(t->columns[i], name) == 0)
			return true;
	}
	return false;
}

/*
 * Compare the columns of T with those DB's catalog lists for it: each
 * one copied, none missing. WD_OK or WD_ESOFTWARE (WD_EFAIL: the catalog
 * could not be read) with *cause.
 */
static enum wd_status
copy_check_columns(struct db *db, const struct copy_table *t, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_OK;
	const char	*col;
	int		 rc, n = 0;

	st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ? sql_pg_columns :
	    sql_sqlite_columns);
	db_bind_text(st, ":t", t->name);
	while ((rc = db_step(st, &status, cause)) == 1) {
		col = db_column_text(st, 0);
		if (!copy_has_column(t, col)) {
			status = status_set(cause, WD_ESOFTWARE, "--copy-to "
			    "does not know the column %s of table %s; nothing "
			    "was copied (a bug: report it)", col, t->name);
			db_reset(st);
			return status;
		}
		n++;
	}
	if (rc < 0)
		return status;
	if (n != copy_ncolumns(t))
		return status_set(cause, WD_ESOFTWARE, "table %s lacks a "
		    "column --copy-to copies; nothing was copied (see "
		    "watchdog --doctor)", t->name);
	return WD_OK;
}

/* Compare the schema of DB with the tables copied; see copy.h. */
enum wd_status
copy_schema_check(struct db *db, char **cause)
{
	const struct copy_table	*t;
	struct db_stmt		*st;
	enum wd_status		 status = WD_OK;
	char			*name;
	int			 rc, seen = 0;

	st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ? sql_pg_tables :
	    sql_sqlite_tables);
	while ((rc = db_step(st, &status, cause)) == 1) {
		name = db_column_strdup(st, 0);
		if ((t = copy_table_find(name)) == NULL) {
			status = status_set(cause, WD_ESOFTWARE, "--copy-to "
			    "does not know the table %s; nothing was copied "
			    "(a bug: report it)", name);
			free(name);
			db_reset(st);
			return status;
		}
		free(name);
		seen++;
	}
	if (rc < 0)
		return status;
	if (seen != COPY_NTABLES)
		return status_set(cause, WD_ESOFTWARE, "the database lacks a "
		    "table --copy-to copies; nothing was copied (see "
		    "watchdog --doctor)");
	for (t = copy_tables; t < copy_tables + COPY_NTABLES; t++) {
		if ((status = copy_check_columns(db, t, cause)) != WD_OK)
			return status;
	}
	return WD_OK;
}

/* The number of rows of T in DB into *N. */
static enum wd_status
copy_count(struct db *db, const struct copy_table *t, int64_t *n,
    char **cause)
{
	return db_one_int(db_prepare(db, t->count), n, cause);
}

/*
 * Make sure the target holds no rows but the migrations': WD_OK, or
 * WD_EDATA naming what it holds.
 */
static enum wd_status
copy_check_empty(struct copy_job *job, char **cause)
{
	const struct copy_table	*t;
	enum wd_status		 status;
	int64_t			 n;

	for (t = copy_tables; t < copy_tables + COPY_NTABLES; t++) {
		if (t->clear != NULL)
			continue;
		if ((status = copy_count(job->dst, t, &n, cause)) != WD_OK)
			return status;
		if (n > 0)
			return status_set(cause, WD_EDATA, "database %s is not "
			    "empty (it holds %lld %s): --copy-to copies only "
			    "into an empty database; nothing was changed",
			    job->dst_name, (long long)n, t->noun);
	}
	return WD_OK;
}

/* Bind column I of the current row of IN to NAME of OUT, as it is. */
static void
copy_value(struct db_stmt *in, int i, struct db_stmt *out, const char *name)
{
	const void	*p;
	size_t		 len;

	switch (db_column_type(in, i)) {
	case DB_TYPE_NULL:
		db_bind_null(out, name);
		break;
	case DB_TYPE_INT:
		db_bind_int(out, name, db_column_int(in, i));
		break;
	case DB_TYPE_BLOB:
		p = db_column_blob(in, i, &len);
		db_bind_blob(out, name, p != NULL ? p : "", len);
		break;
	case DB_TYPE_TEXT:
		db_bind_text(out, name, db_column_text(in, i));
		break;
	}
}

/* Write the current row of IN into T on the target. */
static enum wd_status
copy_row(struct copy_job *job, const struct copy_table *t,
    char *const *binds, struct db_stmt *in, char **cause)
{
	struct db_stmt	*out;
	int		 i;

	out = db_prepare(job->dst, t->insert);
	for (i = 0; t->columns[i] != NULL; i++)
		copy_value(in, i, out, binds[i]);
	return db_exec(out, cause);
}

/* One row more: tell the caller how far the copy is, every so many rows. */
static void
copy_tick(struct copy_job *job)
{
	job->done++;
	if (job->progress != NULL && job->done % COPY_PROGRESS_EVERY == 0)
		job->progress(job->done, job->total, job->arg);
}

/*
 * Copy the rows of T, a page of COPY_PAGE_ROWS at a time when it has an
 * id (the last id read is where the next page starts).
 */
static enum wd_status
copy_rows(struct copy_job *job, const struct copy_table *t, char **cause)
{
	struct db_stmt	*in;
	enum wd_status	 status = WD_OK;
	char		**binds;
	int64_t		 page, after = 0;
	int		 i, n, rc;

	n = copy_ncolumns(t);
	binds = xcalloc((size_t)n, sizeof *binds);
	for (i = 0; i < n; i++)
		binds[i] = xasprintf(":%s", t->columns[i]);
	for (;;) {
		in = db_prepare(job->src, t->select);
		if (t->paged)
			db_bind_int(in, ":after", after);
		page = 0;
		while ((rc = db_step(in, &status, cause)) == 1) {
			if ((status = copy_row(job, t, binds, in, cause)) !=
			    WD_OK) {
				db_reset(in);
				goto out;
			}
			if (t->paged)
				after = db_column_int(in, 0);
			page++;
			job->res->rows[t - copy_tables]++;
			copy_tick(job);
		}
		if (rc < 0)
			goto out;
		if (!t->paged || page < COPY_PAGE_ROWS)
			break;
	}
	job->high[t - copy_tables] = after;
	status = WD_OK;
out:
	for (i = 0; i < n; i++)
		free(binds[i]);
	free(binds);
	return status;
}

/*
 * The highest id the source's sequence for T ever gave, or the highest
 * copied when that is more, into *V.
 */
static enum wd_status
copy_high_mark(struct copy_job *job, const struct copy_table *t, int64_t *v,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	int64_t		 seq;

	*v = job->high[t - copy_tables];
	if (db_engine(job->src) == DB_SQLITE && !t->autoincrement)
		return WD_OK;
	st = db_prepare(job->src, db_engine(job->src) == DB_POSTGRESQL ?
	    sql_pg_seq : sql_sqlite_seq);
	db_bind_text(st, ":t", t->name);
	if ((status = db_one_int(st, &seq, cause)) != WD_OK)
		return status;
	if (seq > *v)
		*v = seq;
	return WD_OK;
}

/*
 * Move the target's sequences past the ids copied: PostgreSQL's identity
 * sequences, and SQLite's high mark of an AUTOINCREMENT table (the id of
 * a deleted ticket is never given again, on either side of the move).
 */
static enum wd_status
copy_sequences(struct copy_job *job, char **cause)
{
	const struct copy_table	*t;
	struct db_stmt		*st;
	enum wd_status		 status;
	int64_t			 v;

	for (t = copy_tables; t < copy_tables + COPY_NTABLES; t++) {
		if (!t->paged)
			continue;
		if ((status = copy_high_mark(job, t, &v, cause)) != WD_OK)
			return status;
		if (v == 0)
			continue;
		if (db_engine(job->dst) == DB_POSTGRESQL) {
			st = db_prepare(job->dst, sql_pg_setval);
			db_bind_text(st, ":t", t->name);
			db_bind_int(st, ":v", v);
			if ((status = db_exec(st, cause)) != WD_OK)
				return status;
			continue;
		}
		if (!t->autoincrement)
			continue;
		st = db_prepare(job->dst, sql_sqlite_seq_raise);
		db_bind_text(st, ":t", t->name);
		db_bind_int(st, ":v", v);
		if ((status = db_exec(st, cause)) != WD_OK)
			return status;
		st = db_prepare(job->dst, sql_sqlite_seq_add);
		db_bind_text(st, ":t", t->name);
		db_bind_int(st, ":v", v);
		if ((status = db_exec(st, cause)) != WD_OK)
			return status;
	}
	return WD_OK;
}

/*
 * Count every table on both sides: the target must hold what was read
 * from the source, and the source what it held when the copy began.
 */
static enum wd_status
copy_verify(struct copy_job *job, char **cause)
{
	const struct copy_table	*t;
	enum wd_status		 status;
	int64_t			 n;
	int			 i;

	for (i = 0; i < COPY_NTABLES; i++) {
		t = &copy_tables[i];
		if ((status = copy_count(job->dst, t, &n, cause)) != WD_OK)
			return status;
		if (n != job->src_rows[i] || n != job->res->rows[i])
			return status_set(cause, WD_ESOFTWARE, "--copy-to: "
			    "table %s counts %lld rows on %s but %lld on the "
			    "source (%lld copied); nothing was copied",
			    t->name, (long long)n, job->dst_name,
			    (long long)job->src_rows[i],
			    (long long)job->res->rows[i]);
	}
	return WD_OK;
}

/*
 * Hold PostgreSQL's open-count and comment-words triggers off (see
 * above), in a savepoint: true when both are off, false (nothing
 * changed) when the role may not.
 */
static bool
copy_triggers_off(struct copy_job *job)
{
	if (db_engine(job->dst) != DB_POSTGRESQL ||
	    db_begin_write(job->dst, NULL) != WD_OK)
		return false;
	if (db_exec(db_prepare(job->dst, sql_pg_count_trigger_off), NULL) !=
	    WD_OK || db_exec(db_prepare(job->dst, sql_pg_words_trigger_off),
	    NULL) != WD_OK) {
		db_rollback(job->dst);
		return false;
	}
	return db_commit(job->dst, NULL) == WD_OK;
}

/*
 * Turn the triggers held off back on and make the comments' words of
 * every ticket at once, as they would have kept them.
 */
static enum wd_status
copy_triggers_on(struct copy_job *job, char **cause)
{
	enum wd_status	status;

	if ((status = db_exec(db_prepare(job->dst, sql_pg_count_trigger_on),
	    cause)) != WD_OK ||
	    (status = db_exec(db_prepare(job->dst, sql_pg_words_trigger_on),
	    cause)) != WD_OK)
		return status;
	return db_exec(db_prepare(job->dst, sql_pg_words_rebuild), cause);
}

/* The copy itself, inside the two transactions. */
static enum wd_status
copy_all(struct copy_job *job, char **cause)
{
	const struct copy_table	*t;
	enum wd_status		 status;
	bool			 held;
	int			 i;

	if ((status = copy_check_empty(job, cause)) != WD_OK)
		return status;
	for (i = 0; i < COPY_NTABLES; i++) {
		if ((status = copy_count(job->src, &copy_tables[i],
		    &job->src_rows[i], cause)) != WD_OK)
			return status;
		job->total += job->src_rows[i];
	}
	held = copy_triggers_off(job);
	for (t = copy_tables; t < copy_tables + COPY_NTABLES; t++) {
		if (t->clear != NULL &&
		    (status = db_exec(db_prepare(job->dst, t->clear), cause)) !=
		    WD_OK)
			return status;
		if ((status = copy_rows(job, t, cause)) != WD_OK)
			return status;
	}
	if (held && (status = copy_triggers_on(job, cause)) != WD_OK)
		return status;
	if ((status = copy_sequences(job, cause)) != WD_OK)
		return status;
	if (db_engine(job->dst) == DB_SQLITE &&
	    (status = db_exec(db_prepare(job->dst, sql_sqlite_search_rebuild),
	    cause)) != WD_OK)
		return status;
	if (job->progress != NULL)
		job->progress(job->done, job->total, job->arg);
	return copy_verify(job, cause);
}

/* Put WHICH (the database it is about) before *CAUSE; returns STATUS. */
static enum wd_status
copy_which(enum wd_status status, const char *which, char **cause)
{
	char	*msg;

	if (cause == NULL || *cause == NULL)
		return status;
	msg = *cause;
	*cause = xasprintf("%s: %s", which, msg);
	free(msg);
	return status;
}

/* Copy SRC into the empty DST; see copy.h. */
enum wd_status
copy_database(struct db *src, struct db *dst, const char *dst_name,
    copy_progress_fn progress, void *arg, struct copy_result *res,
    char **cause)
{
	struct copy_job	 job;
	enum wd_status	 status;

	memset(res, 0, sizeof *res);
	memset(&job, 0, sizeof job);
	job.src = src;
	job.dst = dst;
	job.dst_name = dst_name;
	job.progress = progress;
	job.arg = arg;
	job.res = res;
	if ((status = copy_schema_check(src, cause)) != WD_OK)
		return copy_which(status, "the source database", cause);
	if ((status = copy_schema_check(dst, cause)) != WD_OK)
		return copy_which(status, dst_name, cause);
	if ((status = db_begin_read(src, cause)) != WD_OK)
		return status;
	if ((status = db_begin_write(dst, cause)) != WD_OK) {
		db_rollback(src);
		return status;
	}
	status = copy_all(&job, cause);
	if (status == WD_OK)
		status = db_commit(dst, cause);
	else
		db_rollback(dst);
	db_rollback(src);
	if (status != WD_OK)
		memset(res, 0, sizeof *res);
	return status;
}
