/*
 * db.c: the storage front; see db.h. It picks the engine (db_sqlite.c or
 * db_pg.c, through struct db_ops), keeps the transaction levels and the
 * helpers that are the same on both (one row, one integer, exec).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "watchdog/db.h"
#include "watchdog/db_backend.h"
#include "watchdog/embedded.h"
#include "watchdog/util.h"

/* Abort on a programming error (bad SQL, unknown parameter, nesting). */
void
db_bug(const char *what, const char *detail)
{
	fprintf(stderr, "watchdog: internal error: %s: %s\n", what,
	    detail != NULL ? detail : "?");
	abort();
}

/* Whether WHERE is a postgresql:// or postgres:// URL. */
bool
db_where_is_pg(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 ||
	    strncmp(where, "postgres://", 11) == 0;
}

/*
 * WHERE with its password hidden: "user:***@" in the authority, and
 * "password=***" among the parameters. A path is returned as it is. The
 * caller frees the copy.
 */
char *
db_where_safe(const char *where)
{
	struct strbuf	 sb;
	const char	*p, *auth, *end, *colon, *at, *q;

	if (!db_where_is_pg(where))
		return xstrdup(where);
	memset(&sb, 0, sizeof sb);
	auth = strstr(where, "://") + 3;
	end = auth + strcspn(auth, "/?");
	at = NULL;
	for (p = auth; p < end; p++) {
		if (*p == '@')
			at = p;
	}
	colon = at != NULL ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon != NULL) {
		strbuf_addf(&sb, "%.*s***", (int)(colon + 1 - where), where);
		p = at;
	} else
		p = where;
	/* The parameters after '?': password=... hidden. */
	if ((q = strchr(p, '?')) == NULL) {
		strbuf_addstr(&sb, p);
		return strbuf_detach(&sb);
	}
	strbuf_addf(&sb, "%.*s", (int)(q + 1 - p), p);
	for (p = q + 1; *p != '\0'; ) {
		end = p + strcspn(p, "&");
		if (strncmp(p, "password=", 9) == 0)
			strbuf_addstr(&sb, "password=***");
		else
			strbuf_addf(&sb, "%.*s", (int)(end - p), p);
		if (*end == '&')
			strbuf_addstr(&sb, "&");
		p = *end == '&' ? end + 1 : end;
	}
	return strbuf_detach(&sb);
}

/* The engine behind DB. */
enum db_engine
db_engine(struct db *db)
{
	return db->ops->engine;
}

/* Whether DB may stay open across a fork; see db.h. */
bool
db_survives_fork(struct db *db)
{
	return db->ops->survives_fork;
}

/* The name of ENGINE for messages. */
const char *
db_engine_name(enum db_engine engine)
{
	return engine == DB_POSTGRESQL ? "PostgreSQL" : "SQLite";
}

/* The engine for WHERE. */
static const struct db_ops *
db_ops_for(const char *where)
{
	return db_where_is_pg(where) ? &db_pg_ops : &db_sqlite_ops;
}

/* Open WHERE, creating and upgrading it; see db.h. */
enum wd_status
db_open(const char *where, struct db **dbp, char **cause)
{
	return db_ops_for(where)->open(where, true, dbp, cause);
}

/* Open WHERE as it is; see db.h. */
enum wd_status
db_open_existing(const char *where, struct db **dbp, char **cause)
{
	return db_ops_for(where)->open(where, false, dbp, cause);
}

/* Open another program's database read-only; see db.h. */
enum wd_status
db_open_foreign(const char *where, struct db **dbp, char **cause)
{
	if (db_where_is_pg(where))
		return db_pg_open_foreign(where, dbp, cause);
	return db_sqlite_open_foreign(where, dbp, cause);
}

/* Close DB, which must have no transaction open. NULL is allowed. */
void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->depth > 0)
		db_bug("database closed with a transaction open",
		    db_transaction_site(db));
	db->ops->close(db);
}

/* How long a writer waits for a lock, in milliseconds. */
void
db_set_busy_timeout(struct db *db, int ms)
{
	db->ops->set_busy_timeout(db, ms);
}

/* The version of a migration file PREFIX "NNNN-name.sql", or -1. */
int
db_migration_version(const char *prefix, const char *path)
{
	const char	*name;
	int		 v = 0, i;

	if (strncmp(path, prefix, strlen(prefix)) != 0)
		return -1;
	name = path + strlen(prefix);
	for (i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return name[4] == '-' ? v : -1;
}

/* The newest migration version compiled in under PREFIX. */
int
db_migration_latest(const char *prefix)
{
	const struct embedded_file	*f;
	int				 v, latest = 0;

	for (f = embedded_files; f->path != NULL; f++) {
		if ((v = db_migration_version(prefix, f->path)) > latest)
			latest = v;
	}
	return latest;
}

/*
 * The newest schema version compiled in: the SQLite migrations' number,
 * which the PostgreSQL ones match (one version means the same schema on
 * both engines).
 */
int
db_schema_latest(void)
{
	return db_migration_latest("data/migrations/");
}

/* The schema version of the open database; -1 when unreadable. */
int
db_schema_version(struct db *db)
{
	return db->ops->schema_version(db);
}

/* Milliseconds on the monotonic clock (the back-off's, not the SLA's). */
static int64_t
db_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set R up with DB's limits (the defaults when DB is NULL or has none). */
void
db_retry_init(struct db_retry *r, struct db *db)
{
	memset(r, 0, sizeof *r);
	r->started = db_now_ms();
	r->max_tries = DB_RETRY_TRIES;
	r->max_ms = DB_RETRY_MS;
	r->base_ms = DB_RETRY_BASE_MS;
	if (db != NULL && db->retry_tries > 0) {
		r->max_tries = db->retry_tries;
		r->max_ms = db->retry_ms;
		r->base_ms = db->retry_base_ms;
	}
}

/*
 * Sleep before another try: the back-off doubles from base_ms up to
 * DB_RETRY_CAP_MS and is drawn at random from half to one and a half of
 * that, so that hosts that lost the server together do not come back in
 * step. False when the tries or the time would be used up.
 */
bool
db_retry_pause(struct db_retry *r)
{
	struct timespec	ts;
	int64_t		ms;
	int		i;

	if (r->tries >= r->max_tries)
		return false;
	ms = r->base_ms;
	for (i = 1; i < r->tries && ms < DB_RETRY_CAP_MS; i++)
		ms *= 2;
	if (ms > DB_RETRY_CAP_MS)
		ms = DB_RETRY_CAP_MS;
	ms = ms / 2 + (int64_t)randombytes_uniform((uint32_t)ms + 1);
	if (db_now_ms() - r->started + ms > r->max_ms)
		return false;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1)
		;
	r->tries++;
	return true;
}

/* The seconds since R began, rounded. */
int64_t
db_retry_seconds(const struct db_retry *r)
{
	return (db_now_ms() - r->started + 500) / 1000;
}

/* Change DB's retry limits; see db.h. */
void
db_set_retry(struct db *db, int tries, int ms, int base_ms)
{
	db->retry_tries = tries;
	db->retry_ms = ms;
	db->retry_base_ms = base_ms;
}

/*
 * *CAUSE (which may be NULL) with how often and how long R tried added,
 * or, after a COMMIT lost on the way, replaced by a warning that the
 * change may have been made.
 */
static void
db_retry_gave_up(struct db *db, struct db_retry *r, char **cause)
{
	char	*old;

	if (cause == NULL)
		return;
	old = *cause;
	if (db->commit_lost)
		*cause = xasprintf("the connection to the database server at "
		    "%s was lost during the commit: the change may have been "
		    "made or not; look before trying again",
		    db->where != NULL ? db->where : "?");
	else
		*cause = xasprintf("%s (tried %d time%s in %lld s)",
		    old != NULL ? old : "database failure", r->tries,
		    r->tries == 1 ? "" : "s", (long long)db_retry_seconds(r));
	free(old);
}

/*
 * After a failure with DB_FAULT_LOST or _CONFLICT, wait and (when lost)
 * reconnect, counting in R: true when another try may start, with the
 * fault forgotten; false when R is used up.
 */
static bool
db_retry_recover(struct db *db, struct db_retry *r)
{
	char	*why;

	for (;;) {
		if (!db_retry_pause(r))
			return false;
		if (db->fault != DB_FAULT_LOST || db->ops->reconnect == NULL)
			break;
		why = NULL;
		if (db->ops->reconnect(db, &why) == WD_OK) {
			free(why);
			break;
		}
		free(why);
	}
	db->fault = DB_FAULT_NONE;
	db->commit_lost = false;
	return true;
}

/* Start a DB_RETRY loop; see db.h. */
void
db_retry_start(struct db *db, struct db_retry *r)
{
	db_retry_init(r, db);
	r->outer = db->depth > 0 || db->in_retry;
	if (!r->outer) {
		db->in_retry = true;
		db->fault = DB_FAULT_NONE;
		db->commit_lost = false;
	}
}

/* Whether a DB_RETRY body runs (again); see db.h. */
bool
db_retry_again(struct db *db, struct db_retry *r, enum wd_status *status,
    char **cause)
{
	if (r->tries == 0) {
		r->tries = 1;
		return true;
	}
	if (r->outer)
		return false;
	if (*status == WD_OK || db->fault == DB_FAULT_NONE ||
	    db->depth > 0)
		goto stop;
	if (db->commit_lost || !db_retry_recover(db, r)) {
		db_retry_gave_up(db, r, cause);
		*status = WD_ETEMP;
		goto stop;
	}
	if (cause != NULL) {
		free(*cause);
		*cause = NULL;
	}
	return true;
stop:
	db->in_retry = false;
	return false;
}

/*
 * Begin a transaction level (a writer's when WRITE) for the caller at
 * FILE:LINE, which is recorded for messages about unbalanced use.
 * Outside a DB_RETRY loop, an outermost BEGIN that finds the connection
 * gone reconnects and begins again, within the same limits.
 */
static enum wd_status
db_begin(struct db *db, bool write, const char *file, int line, char **cause)
{
	struct db_retry	 r;
	enum wd_status	 status;

	if (db->depth == DB_MAX_DEPTH)
		db_bug("transactions nested too deep", db_transaction_site(db));
	/* A write in a read snapshot could not wait for the lock. */
	if (write && db->depth > 0 && !db->levels[0].write) {
		db->depth = 1;
		db_bug("write inside a read transaction",
		    db_transaction_site(db));
	}
	db_retry_init(&r, db);
	r.tries = 1;
	while ((status = db->ops->begin(db, db->depth, write, cause)) !=
	    WD_OK) {
		if (db->depth > 0 || db->in_retry ||
		    db->fault != DB_FAULT_LOST || !db_retry_recover(db, &r)) {
			if (db->depth == 0 && !db->in_retry &&
			    db->fault == DB_FAULT_LOST)
				db_retry_gave_up(db, &r, cause);
			return status;
		}
		if (cause != NULL) {
			free(*cause);
			*cause = NULL;
		}
	}
	db->levels[db->depth].file = file;
	db->levels[db->depth].line = line;
	db->levels[db->depth].write = write;
	db->depth++;
	return WD_OK;
}

/* Begin a writer's level for the caller at FILE:LINE; see db.h. */
enum wd_status
db_begin_write_at(struct db *db, const char *file, int line, char **cause)
{
	return db_begin(db, true, file, line, cause);
}

/* Begin a reader's level (a snapshot) for FILE:LINE; see db.h. */
enum wd_status
db_begin_read_at(struct db *db, const char *file, int line, char **cause)
{
	return db_begin(db, false, file, line, cause);
}

/* Where the innermost open level began, in DB's buffer; NULL if none. */
const char *
db_transaction_site(struct db *db)
{
	const struct db_level	*l;

	if (db->depth == 0)
		return NULL;
	l = &db->levels[db->depth - 1];
	snprintf(db->site, sizeof db->site, "transaction begun at %s:%d",
	    l->file, l->line);
	return db->site;
}

/* Commit the innermost level; on failure the level is rolled back. */
enum wd_status
db_commit(struct db *db, char **cause)
{
	enum wd_status	status;

	if (db->depth == 0)
		db_bug("db_commit", "no transaction is open");
	if ((status = db->ops->commit(db, db->depth - 1, cause)) != WD_OK) {
		if (db->depth == 1 && db->fault == DB_FAULT_LOST)
			db->commit_lost = true;
		db_rollback(db);
		return status;
	}
	db->depth--;
	return WD_OK;
}

/* Undo the innermost level. Safe when nothing is open. */
void
db_rollback(struct db *db)
{
	if (db->depth == 0)
		return;
	db->ops->rollback(db, db->depth - 1);
	db->depth--;
}

/* The number of open transaction levels. */
int
db_depth(struct db *db)
{
	return db->depth;
}

/* The cached statement for SQL (by address); see db.h. */
struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt	*st;

	st = db->ops->prepare(db, sql);
	st->rows = 0;
	return st;
}

/* Bind the integer V to NAME. */
void
db_bind_int(struct db_stmt *st, const char *name, int64_t v)
{
	st->db->ops->bind_int(st, name, v);
}

/* Bind a copy of the text V to NAME. */
void
db_bind_text(struct db_stmt *st, const char *name, const char *v)
{
	st->db->ops->bind_text(st, name, v);
}

/* Bind V to NAME, or NULL when V is NULL. */
void
db_bind_text_or_null(struct db_stmt *st, const char *name, const char *v)
{
	if (v == NULL)
		db_bind_null(st, name);
	else
		db_bind_text(st, name, v);
}

/* Bind a copy of the LEN bytes at V to NAME. */
void
db_bind_blob(struct db_stmt *st, const char *name, const void *v, size_t len)
{
	st->db->ops->bind_blob(st, name, v, len);
}

/* Bind NULL to NAME. */
void
db_bind_null(struct db_stmt *st, const char *name)
{
	st->db->ops->bind_null(st, name);
}

/*
 * Step ST: 1 for a row, 0 when done, -1 on error; see db.h. A statement
 * outside any transaction and outside a DB_RETRY loop that finds the
 * connection gone before its first row reconnects and runs again.
 */
int
db_step(struct db_stmt *st, enum wd_status *status, char **cause)
{
	struct db	*db = st->db;
	struct db_retry	 r;
	int		 rc;

	rc = db->ops->step(st, status, cause);
	if (rc >= 0 || st->rows > 0 || db->depth > 0 || db->in_retry ||
	    db->fault != DB_FAULT_LOST)
		goto out;
	db_retry_init(&r, db);
	r.tries = 1;
	while (rc < 0 && db->fault == DB_FAULT_LOST) {
		if (!db_retry_recover(db, &r)) {
			db_retry_gave_up(db, &r, cause);
			break;
		}
		if (cause != NULL) {
			free(*cause);
			*cause = NULL;
		}
		db->ops->reset(st);
		rc = db->ops->step(st, status, cause);
	}
out:
	if (rc == 1)
		st->rows++;
	return rc;
}

/* Step ST for its one row; see db.h. */
enum wd_status
db_step_one(struct db_stmt *st, char **cause)
{
	enum wd_status	status = WD_EFAIL;

	switch (db_step(st, &status, cause)) {
	case 1:
		return WD_OK;
	case 0:
		db_reset(st);
		return WD_ENOTFOUND;
	default:
		return status;
	}
}

/* The integer of the one row ST yields; see db.h. */
enum wd_status
db_one_int(struct db_stmt *st, int64_t *v, char **cause)
{
	enum wd_status	status;

	*v = 0;
	status = db_step_one(st, cause);
	if (status == WD_ENOTFOUND)
		return status_set(cause, WD_EFAIL, "database: a query that "
		    "always answers gave no row: %s", st->sql);
	if (status != WD_OK)
		return status;
	*v = db_column_int(st, 0);
	db_reset(st);
	return WD_OK;
}

/* Run ST to completion, expecting no rows; resets it. */
enum wd_status
db_exec(struct db_stmt *st, char **cause)
{
	enum wd_status	status = WD_OK;
	int		rc;

	while ((rc = db_step(st, &status, cause)) == 1)
		;
	db_reset(st);
	return rc == 0 ? WD_OK : status;
}

/* Run ST without waiting for the lock; see db.h. */
enum wd_status
db_exec_nowait(struct db_stmt *st, char **cause)
{
	return st->db->ops->exec_nowait(st, cause);
}

/* Reset ST so that it holds no lock; harmless when it did not compile. */
void
db_reset(struct db_stmt *st)
{
	st->db->ops->reset(st);
	st->rows = 0;
}

int64_t
db_column_int(struct db_stmt *st, int col)
{
	return st->db->ops->column_int(st, col);
}

const char *
db_column_text(struct db_stmt *st, int col)
{
	return st->db->ops->column_text(st, col);
}

const void *
db_column_blob(struct db_stmt *st, int col, size_t *len)
{
	return st->db->ops->column_blob(st, col, len);
}

bool
db_column_is_null(struct db_stmt *st, int col)
{
	return st->db->ops->column_is_null(st, col);
}

/* What column COL of the current row holds; see db.h. */
enum db_type
db_column_type(struct db_stmt *st, int col)
{
	return st->db->ops->column_type(st, col);
}

/* A copy of a text column the caller frees, or NULL for NULL. */
char *
db_column_strdup(struct db_stmt *st, int col)
{
	const char	*s;

	s = db_column_text(st, col);
	return s != NULL ? xstrdup(s) : NULL;
}

int64_t
db_last_insert_id(struct db *db)
{
	return db->ops->last_insert_id(db);
}

int
db_changes(struct db *db)
{
	return db->ops->changes(db);
}

/* A number that changes when another connection commits; see db.h. */
int64_t
db_data_version(struct db *db)
{
	return db->ops->data_version(db);
}

/* The plan of ST for the values bound to it; see db.h. */
enum wd_status
db_query_plan_bound(struct db_stmt *st, char **plan, char **cause)
{
	if (st->db->ops->query_plan_bound == NULL)
		return db_query_plan(st->db, st->sql, plan, cause);
	return st->db->ops->query_plan_bound(st, plan, cause);
}

/* Plan ST for its values at each run; see db.h. */
void
db_plan_each_run(struct db_stmt *st)
{
	if (st->db->ops->plan_each_run != NULL)
		st->db->ops->plan_each_run(st);
}

/* Whether the connection to the server is up; see db.h. */
bool
db_connected(struct db *db)
{
	return db->ops->connected == NULL || db->ops->connected(db);
}

/* One step of making a lost connection again; see db.h. */
enum wd_status
db_reconnect_poll(struct db *db, char **cause)
{
	if (db->ops->reconnect_poll == NULL || db_connected(db))
		return WD_OK;
	return db->ops->reconnect_poll(db, cause);
}

/* The plan of SQL into *PLAN; see db.h. */
enum wd_status
db_query_plan(struct db *db, const char *sql, char **plan, char **cause)
{
	return db->ops->query_plan(db, sql, plan, cause);
}

/* Compare the schema with what its version should hold; see db.h. */
enum wd_status
db_schema_check(struct db *db, char **cause)
{
	return db->ops->schema_check(db, cause);
}

/* The engine's own integrity check; see db.h. */
enum wd_status
db_integrity_check(struct db *db, char **cause)
{
	return db->ops->integrity_check(db, cause);
}
