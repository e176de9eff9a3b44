/*
 * db.h: the storage layer, on SQLite (db_sqlite.c, the only file that
 * includes sqlite3.h) or PostgreSQL (db_pg.c, the only one that includes
 * libpq-fe.h), behind one front (db.c; fossil src/db.c). It opens the database (WAL, foreign keys, busy timeout),
 * applies the schema migrations compiled in from data/migrations, prepares
 * statements with named parameters (":id") and caches them for reuse, and
 * runs nested transactions: the outermost is BEGIN IMMEDIATE for writers,
 * inner ones are savepoints.
 *
 * Domain modules (user, token, ticket, ratelimit, ...) call it; the front
 * ends never do. SQL text is always a constant: values are bound, never
 * pasted in.
 */
#ifndef WATCHDOG_DB_H
#define WATCHDOG_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watchdog/status.h"

struct db;
struct db_stmt;

/*
 * The engines. A DATABASE_URL of postgresql:// or postgres:// is handed
 * to libpq as it is (db_pg.c); anything else is a SQLite file's path
 * (db_sqlite.c). Domain modules ask db_engine() only where the SQL of the
 * two genuinely differs, and then keep both texts side by side.
 */
enum db_engine {
	DB_SQLITE,
	DB_POSTGRESQL
};

/* Whether WHERE (a DATABASE_URL's value) names a PostgreSQL database. */
bool		 db_where_is_pg(const char *where);

/*
 * WHERE fit to be shown: a path as it is, a URL with its password (in
 * the user part or as a password= parameter) replaced by "***". New.
 */
char		*db_where_safe(const char *where);

/* The engine behind DB, and its name ("SQLite", "PostgreSQL"). */
enum db_engine	 db_engine(struct db *db);
const char	*db_engine_name(enum db_engine engine);
/*
 * Whether DB may stay open across a fork() whose child never uses it
 * and leaves by _exit(): true for a PostgreSQL connection (a socket the
 * child does not touch), false for SQLite (no SQLite state may cross a
 * fork: its locks are the process's).
 */
bool		 db_survives_fork(struct db *db);

/*
 * SQL for a column of UTC seconds as ISO 8601 ("2026-11-27T14:00:00Z"),
 * NULL for NULL: db.c's wd_iso_time(), time_format_iso() in C, which costs
 * a fifth of SQLite's strftime() (a million rows of --list --ndjson).
 */
#define DB_ISO_TIME(col) "wd_iso_time(" col ")"

/* Our files carry this PRAGMA application_id ("WDOG"). */
#define DB_APPLICATION_ID	0x57444f47

/* Milliseconds a writer waits for a lock before giving up (WD_ETEMP). */
#define DB_BUSY_TIMEOUT_MS	5000

/*
 * Open the database WHERE names: a PostgreSQL URL (see db_where_is_pg),
 * whose schema is created or brought up to date the same way, or a path.
 * Open (creating when absent, with its directory: modes 0660 and 0770 less
 * the umask) the database at PATH and bring its schema up to date. A file
 * that is not a SQLite database, or a SQLite database that is not ours, is
 * refused untouched (WD_ECONFIG); one from a newer version of the program
 * too. Returns WD_OK and *DBP, which the caller closes with db_close().
 */
enum wd_status	 db_open(const char *path, struct db **dbp, char **cause);

/*
 * Open the database at PATH as it is, for looking at it (--doctor): it
 * must exist; nothing is created and the schema is not upgraded. The same
 * files are refused as by db_open().
 */
enum wd_status	 db_open_existing(const char *path, struct db **dbp,
		     char **cause);
/*
 * Open PATH, another program's SQLite database (a Django db.sqlite3 for
 * --import-django), read-only and as it is: nothing is created, migrated
 * or checked for our application_id (db_open() still refuses such a file).
 * WD_ENOINPUT when it is missing or unreadable, WD_EDATA when it is not a
 * SQLite database. The caller opens it only unprivileged.
 *
 * A PostgreSQL URL (a Django database on a server) is connected to with
 * every transaction read-only (default_transaction_read_only), nothing
 * checked either; a server that cannot be reached is WD_ETEMP.
 */
enum wd_status	 db_open_foreign(const char *path, struct db **dbp,
		     char **cause);
void		 db_close(struct db *db);

/* Change how long a writer waits for a lock (milliseconds). */
void		 db_set_busy_timeout(struct db *db, int ms);

/*
 * The schema version of the open database (-1 when it cannot be read),
 * and the newest one we know.
 */
int		 db_schema_version(struct db *db);
int		 db_schema_latest(void);

/*
 * Transactions. db_begin_write() starts BEGIN IMMEDIATE at the outermost
 * level and a savepoint inside one; db_begin_read() a deferred transaction
 * (a consistent snapshot). db_commit() ends the innermost level and, when
 * the COMMIT fails, rolls it back and returns the error; db_rollback()
 * undoes it and is safe to call on error paths.
 *
 * Each level records where it began (file and line, as fossil's
 * db_begin_transaction does), so that unbalanced use names its origin: a
 * database closed with a level still open, a commit with none open, or a
 * write begun inside a read snapshot is a programming error that aborts
 * with "transaction begun at FILE:LINE".
 */
#define db_begin_write(db, cause)					\
	db_begin_write_at((db), __FILE__, __LINE__, (cause))
#define db_begin_read(db, cause)					\
	db_begin_read_at((db), __FILE__, __LINE__, (cause))
enum wd_status	 db_begin_write_at(struct db *db, const char *file, int line,
		     char **cause);
enum wd_status	 db_begin_read_at(struct db *db, const char *file, int line,
		     char **cause);
enum wd_status	 db_commit(struct db *db, char **cause);
void		 db_rollback(struct db *db);
int		 db_depth(struct db *db);
/*
 * "transaction begun at FILE:LINE" for the innermost open level (in DB's
 * buffer, valid until the next call); NULL when none is open.
 */
const char	*db_transaction_site(struct db *db);

/*
 * Running a unit of work again (PostgreSQL; see watchdog(1), SEVERAL
 * HOSTS: POSTGRESQL). A function that does its work in one outermost
 * transaction (db_begin_write .. db_commit, or a read) and has no effect
 * outside the database unless it succeeds (its reports and output wait
 * for the commit; no mail is sent inside) keeps its shape: it becomes
 * the body of a loop its public wrapper runs,
 *
 *	DB_RETRY(db, r, &status, cause)
 *		status = thing_once(db, ..., cause);
 *
 * The body runs once; when it failed on a serialization failure
 * (40001), a deadlock (40P01) or a lost connection (reconnected first)
 * and rolled everything back, it runs again after a short randomized
 * back-off, up to DB_RETRY_TRIES times within DB_RETRY_MS; then the
 * failure is WD_ETEMP with one line that says how often and how long it
 * tried ("the database server at URL is not answering: ... (tried 5
 * times in 4 s)"). A connection lost during the COMMIT itself is not
 * tried again: the change may have been made; the message says so.
 *
 * Why here and not around a whole command: only the function knows that
 * nothing has left the process yet (mail sent, a line printed); a
 * command re-run after a lost COMMIT or a sent message would repeat it.
 * Why a loop around the old function rather than a callback: the
 * function's arguments and its begin..commit body stay as they were.
 *
 * Inside an open transaction, or inside another DB_RETRY, the body runs
 * once and the outermost loop decides. On SQLite nothing is run twice
 * (a busy database already waits DB_BUSY_TIMEOUT_MS). Outside a loop, an
 * outermost BEGIN or a statement outside any transaction that finds the
 * connection lost reconnects and runs again with the same limits.
 */
#define DB_RETRY_TRIES		5
#define DB_RETRY_MS		10000
#define DB_RETRY_BASE_MS	200	/* the first back-off, doubled after */
#define DB_RETRY_CAP_MS		2000

struct db_retry {
	int		 tries;		/* runs and reconnections so far */
	int64_t		 started;	/* monotonic milliseconds */
	bool		 outer;		/* another loop or level decides */
	int		 max_tries;
	int		 max_ms;
	int		 base_ms;
};

#define DB_RETRY(db, r, statusp, cause)					\
	for (db_retry_start((db), &(r));				\
	    db_retry_again((db), &(r), (statusp), (cause)); )
void		 db_retry_start(struct db *db, struct db_retry *r);
/*
 * Whether the body runs (again): true the first time; afterwards only
 * when *STATUS failed for a reason another try may cure, with *CAUSE
 * freed and the connection back. When it stops, *STATUS and *CAUSE are
 * the answer (the message rewritten when the tries ran out).
 */
bool		 db_retry_again(struct db *db, struct db_retry *r,
		     enum wd_status *status, char **cause);
/*
 * Change DB's limits: tries, total milliseconds, first back-off (the
 * tests; and the terminal interface, which reconnects on its own).
 */
void		 db_set_retry(struct db *db, int tries, int ms, int base_ms);

/*
 * A prepared statement for SQL, which must be a string constant: it is
 * cached by its address and reused (reset, bindings cleared) on the next
 * call. Never NULL; do not finalize it. SQL that does not compile against
 * the database (a table or column missing: a damaged schema) gives a
 * statement whose binds do nothing and whose first step fails with
 * "database ... is damaged" (WD_EFAIL), or WD_ETEMP when the schema could
 * not be read because another process holds the database.
 */
struct db_stmt	*db_prepare(struct db *db, const char *sql);

/* Bind by name (":id"); binding a name the SQL lacks aborts. */
void		 db_bind_int(struct db_stmt *st, const char *name, int64_t v);
void		 db_bind_text(struct db_stmt *st, const char *name, const char *v);
void		 db_bind_blob(struct db_stmt *st, const char *name,
		     const void *v, size_t len);
void		 db_bind_null(struct db_stmt *st, const char *name);
/* Bind V, or NULL when V is NULL. */
void		 db_bind_text_or_null(struct db_stmt *st, const char *name,
		     const char *v);

/*
 * Step ST. Returns 1 for a row, 0 when done, -1 on error with *cause set
 * and *status (when not NULL) the status to report: WD_ETEMP when the
 * database stayed busy past the timeout, WD_EFAIL otherwise.
 */
int		 db_step(struct db_stmt *st, enum wd_status *status,
		     char **cause);

/*
 * Step ST for the one row it yields (a lookup by key, a count): the one
 * way the domain modules tell "a row", "no row", "busy" and "error"
 * apart. WD_OK with the row current: read its columns, then db_reset();
 * WD_ENOTFOUND when there is none (ST is reset and *cause untouched: the
 * caller names what was missing, or takes it as an answer); otherwise the
 * error with *cause, ST reset: WD_ETEMP when the database stayed busy past
 * the timeout, WD_EFAIL for the rest (a damaged database among them).
 */
enum wd_status	 db_step_one(struct db_stmt *st, char **cause);

/*
 * The integer in the first column of the one row ST yields (a count) in
 * *V, ST reset. No row at all is an error (WD_EFAIL), as for db_step_one.
 */
enum wd_status	 db_one_int(struct db_stmt *st, int64_t *v, char **cause);

/* Step a statement that returns no rows. WD_OK or an error status. */
enum wd_status	 db_exec(struct db_stmt *st, char **cause);

/*
 * Run ST, a bookkeeping write that may be skipped, without waiting for the
 * lock: WD_ETEMP at once, nothing written, when another process holds it.
 */
enum wd_status	 db_exec_nowait(struct db_stmt *st, char **cause);

/* Reset ST (done automatically by db_prepare and db_exec). */
void		 db_reset(struct db_stmt *st);

/* Columns of the current row, counted from 0. Text is NULL for NULL. */
int64_t		 db_column_int(struct db_stmt *st, int col);
const char	*db_column_text(struct db_stmt *st, int col);
const void	*db_column_blob(struct db_stmt *st, int col, size_t *len);
bool		 db_column_is_null(struct db_stmt *st, int col);
/* A copy of a text column the caller frees, or NULL for NULL. */
char		*db_column_strdup(struct db_stmt *st, int col);

/*
 * What a column of the current row holds, for code that moves rows it
 * does not interpret (--copy-to): an integer (SQLite INTEGER; PostgreSQL
 * smallint, integer, bigint), a blob (BLOB; bytea), NULL, or text (the
 * rest: read it with db_column_text).
 */
enum db_type {
	DB_TYPE_NULL,
	DB_TYPE_INT,
	DB_TYPE_TEXT,
	DB_TYPE_BLOB
};
enum db_type	 db_column_type(struct db_stmt *st, int col);

int64_t		 db_last_insert_id(struct db *db);
int		 db_changes(struct db *db);

/*
 * A number that changes when another connection commits (the UI polls it
 * once a second to notice colleagues' changes), without waiting: SQLite's
 * PRAGMA data_version; on PostgreSQL the notices of the writers' NOTIFY
 * that have arrived (the first call LISTENs), and a new session after a
 * lost connection.
 */
int64_t		 db_data_version(struct db *db);

/*
 * Whether the connection to the database server is up (always, on
 * SQLite). When it is not, db_reconnect_poll() takes one step of making
 * it again without waiting: WD_OK once it is up (its statements will be
 * prepared again), WD_ETEMP while it is not, *CAUSE (new, may be NULL)
 * saying why. The terminal interface calls them once a second; the
 * command-line modes give up with WD_ETEMP instead (exit 75).
 */
bool		 db_connected(struct db *db);
enum wd_status	 db_reconnect_poll(struct db *db, char **cause);

/*
 * Have ST planned for the values bound to it at each run, never run with
 * a plan kept for the statement whatever its values: for a query whose
 * right index depends on which of its optional filters are given (the
 * listings of --list and of the API). PostgreSQL: ST runs as an unnamed
 * statement, planned with its values every time, instead of a statement
 * prepared once, for which the server may come to use its generic plan
 * after five runs. SQLite plans every run anyway: nothing to do. Call it
 * after db_prepare(), before the first step.
 */
void		 db_plan_each_run(struct db_stmt *st);

/*
 * The plan the engine picks for SQL, one step a line, in *PLAN (new). For
 * tests that hold the hot queries to their indexes. SQLite: EXPLAIN QUERY
 * PLAN. PostgreSQL: the generic plan (EXPLAIN EXECUTE under
 * plan_cache_mode = force_generic_plan), made without the parameters'
 * values; db_query_plan_bound() gives the plan for the values bound to a
 * statement (on SQLite the same as db_query_plan()).
 */
enum wd_status	 db_query_plan(struct db *db, const char *sql, char **plan,
		     char **cause);
enum wd_status	 db_query_plan_bound(struct db_stmt *st, char **plan,
		     char **cause);

/*
 * Compare the tables, columns, indexes and triggers of DB with those the
 * migrations compiled in make for its schema version (applied to an
 * in-memory database): WD_OK when nothing is missing, else WD_EFAIL with
 * *cause naming each missing object and column ("table tickets has no
 * column title; index audit_at is missing"). PostgreSQL: the functions
 * too; the migrations are applied in a scratch schema, in a transaction
 * that is always rolled back (DB must be outside any), and WD_EAUTH says
 * that the role may not create it (*cause: what to grant).
 */
enum wd_status	 db_schema_check(struct db *db, char **cause);

/* Run PRAGMA integrity_check; WD_OK when it says "ok". */
enum wd_status	 db_integrity_check(struct db *db, char **cause);

#endif
