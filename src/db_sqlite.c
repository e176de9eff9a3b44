/*
 * db.c: the storage layer on SQLite; see db.h. The only file that includes
 * sqlite3.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "watchdog/db.h"
#include "watchdog/db_backend.h"
#include "watchdog/embedded.h"
#include "watchdog/sla.h"
#include "watchdog/timeutil.h"
#include "watchdog/util.h"

#define MIGRATIONS_PREFIX	"data/migrations/"

struct sq_stmt {
	struct db_stmt	 base;		/* the SQL (the cache key), the db */
	sqlite3_stmt	*stmt;		/* NULL when SQL did not compile */
	int		 prepare_rc;	/* then: why (SQLite result code) */
	char		*prepare_error;	/* and SQLite's message (owned) */
	struct sq	*db;
};

struct sq {
	struct db	 base;		/* the front's: transaction levels */
	sqlite3		*conn;
	char		*path;
	int		 busy_ms;	/* how long a writer waits for a lock */
	struct sq_stmt	*stmts;		/* the statement cache */
	size_t		 nstmts;
	size_t		 capstmts;
};

/* The SQLite connection and statement behind the front's. */
#define SQ(d)	((struct sq *)(void *)(d))
#define SQST(s)	((struct sq_stmt *)(void *)(s))

/* Abort on a programming error (bad SQL, unknown parameter). */
static void __attribute__((noreturn))
sq_bug(struct sq *db, const char *what, const char *detail)
{
	char	*msg;

	if (db != NULL && sqlite3_errcode(db->conn) != SQLITE_OK) {
		msg = xasprintf("%s (%s)", detail, sqlite3_errmsg(db->conn));
		db_bug(what, msg);
	}
	db_bug(what, detail);
}

/*
 * The status and message for SQLite result code RC on DB; *cause gets a
 * new string.
 */
static enum wd_status
db_error(struct sq *db, int rc, char **cause)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return status_set(cause, WD_ETEMP,
		    "database busy (another process holds the lock); try again");
	case SQLITE_FULL:
		return status_set(cause, WD_ETEMP,
		    "database: disk full; nothing was changed");
	case SQLITE_IOERR:
		/* What the system said is clearer than "disk I/O error". */
		switch (sqlite3_system_errno(db->conn)) {
		case ENOSPC:
		case EDQUOT:
			return status_set(cause, WD_ETEMP, "database %s: disk "
			    "full; nothing was changed", db->path);
		case EROFS:
			return status_set(cause, WD_EFAIL, "database %s is on a "
			    "read-only file system; nothing was changed",
			    db->path);
		case 0:
			break;
		default:
			return status_set(cause, WD_EFAIL, "database %s: %s",
			    db->path, strerror(sqlite3_system_errno(db->conn)));
		}
		return status_set(cause, WD_EFAIL, "database: %s",
		    sqlite3_errmsg(db->conn));
	case SQLITE_READONLY:
		return status_set(cause, WD_EFAIL,
		    "database %s is read-only; nothing was changed", db->path);
	case SQLITE_CANTOPEN:
		return status_set(cause, WD_EFAIL, "database %s: cannot open",
		    db->path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return status_set(cause, WD_EFAIL,
		    "database %s is damaged (%s)", db->path,
		    sqlite3_errmsg(db->conn));
	default:
		return status_set(cause, WD_EFAIL, "database: %s",
		    sqlite3_errmsg(db->conn));
	}
}

/* Run constant SQL with no results (pragmas, transaction control). */
static enum wd_status
db_exec_sql(struct sq *db, const char *sql, char **cause)
{
	int	rc;

	rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_error(db, rc, cause);
	return WD_OK;
}

/*
 * The value of an integer pragma or query in *V (0 when it yields no row).
 * The result code is taken from the call that failed, before the
 * statement is finalized (afterwards SQLite says "not an error").
 */
static enum wd_status
db_query_int(struct sq *db, const char *sql, int64_t *v, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*v = 0;
	if ((rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL)) !=
	    SQLITE_OK)
		return db_error(db, rc, cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(db, rc, cause);
	}
	sqlite3_finalize(st);
	return WD_OK;
}

/*
 * SQL function wd_sla_state(status, deadline, resolved_at, paused_at,
 * warn_secs, now):
 * the SLA state name, so that queries (and their JSON) use the same rule
 * as the C code (sla.c).
 */
static void
db_fn_sla_state(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*status;
	enum sla_state		 state;
	bool			 resolved;

	(void)argc;
	status = sqlite3_value_text(argv[0]);
	resolved = status != NULL &&
	    strcmp((const char *)status, "resolved") == 0;
	/* An open ticket whose clock stands still (paused_at set). */
	if (!resolved && sqlite3_value_type(argv[3]) != SQLITE_NULL)
		state = SLA_PAUSED;
	else
		state = sla_state_of(resolved, sqlite3_value_int64(argv[1]),
		    sqlite3_value_int64(argv[2]), sqlite3_value_int64(argv[4]),
		    sqlite3_value_int64(argv[5]));
	sqlite3_result_text(ctx, sla_state_name(state), -1, SQLITE_STATIC);
}

/*
 * SQL function wd_iso_time(seconds): the UTC time as ISO 8601 text
 * (time_format_iso), NULL for NULL (DB_ISO_TIME).
 */
static void
db_fn_iso_time(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char	buf[32];

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	time_format_iso(sqlite3_value_int64(argv[0]), buf, sizeof buf);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* Register our SQL functions on CONN; an SQLite result code. */
static int
db_functions(sqlite3 *conn)
{
	int	rc;

	rc = sqlite3_create_function(conn, "wd_sla_state", 6,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    db_fn_sla_state, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	return sqlite3_create_function(conn, "wd_iso_time", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    db_fn_iso_time, NULL, NULL);
}

/* Create the directory holding PATH when it is missing (one level). */
static enum wd_status
db_make_parent(const char *path, char **cause)
{
	char		*dir, *slash, *p;
	struct stat	 sb;
	enum wd_status	 status = WD_OK;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		goto out;
	*slash = '\0';
	if (stat(dir, &sb) == 0)
		goto out;
	/* mkdir -p, each missing level private to the group. */
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		int	end = (*p == '\0');
		*p = '\0';
		if (mkdir(dir, 0770) != 0 && errno != EEXIST) {
			status = status_set(cause, WD_EFAIL,
			    "cannot create directory %s: %s", dir,
			    strerror(errno));
			goto out;
		}
		if (end)
			break;
		*p = '/';
	}
out:
	free(dir);
	return status;
}

/*
 * Refuse a file that exists and is not a SQLite database, before SQLite
 * touches it (SQLite would happily turn an empty or odd file into one).
 */
static enum wd_status
db_check_file(const char *path, char **cause)
{
	static const char	 magic[16] = "SQLite format 3";
	char			 head[16];
	struct stat		 sb;
	ssize_t			 n;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return WD_OK;
		if (errno == ELOOP)
			return status_set(cause, WD_ECONFIG,
			    "database %s is a symbolic link; refusing it",
			    path);
		return status_set(cause, errno == EACCES ? WD_EAUTH : WD_EFAIL,
		    "cannot open database %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return status_set(cause, WD_ECONFIG,
		    "database %s is not a regular file", path);
	}
	n = read(fd, head, sizeof head);
	close(fd);
	if (n == 0 && sb.st_size == 0)
		return WD_OK;
	if (n != (ssize_t)sizeof head || memcmp(head, magic, sizeof magic) != 0)
		return status_set(cause, WD_ECONFIG,
		    "%s is not a SQLite database; refusing to touch it", path);
	return WD_OK;
}

/* The version number of a migration file name "NNNN-name.sql", or -1. */
static int
sq_migration_version(const char *path)
{
	return db_migration_version(MIGRATIONS_PREFIX, path);
}

/* How long a writer waits for a lock, in milliseconds. */
static void
sq_set_busy_timeout(struct db *base, int ms)
{
	struct sq	*db = SQ(base);

	db->busy_ms = ms;
	sqlite3_busy_timeout(db->conn, ms);
}

/* The schema version of the open database; -1 when unreadable. */
static int
sq_schema_version(struct db *base)
{
	int64_t	v;

	if (db_query_int(SQ(base), "PRAGMA user_version", &v, NULL) != WD_OK)
		return -1;
	return (int)v;
}

/*
 * Apply every migration newer than the database, each in its own
 * transaction. The version is first read without a lock (PRAGMA
 * user_version needs no transaction), so that a database that is up to
 * date (every run but the first after an upgrade) never waits for the
 * write lock: readers keep working while another process writes. Only
 * to migrate is BEGIN IMMEDIATE taken, and the version read again under
 * it, so that two processes starting at once do not both apply one.
 */
static enum wd_status
db_migrate(struct sq *db, char **cause)
{
	const struct embedded_file	*f;
	enum wd_status			 status;
	char				*sql, *err = NULL;
	int64_t				 current;
	int				 v, latest, next;

	latest = db_schema_latest();
	if ((status = db_query_int(db, "PRAGMA user_version", &current,
	    cause)) != WD_OK)
		return status;
	if (current >= latest)
		return WD_OK;
	for (;;) {
		if ((status = db_exec_sql(db, "BEGIN IMMEDIATE", cause)) != WD_OK)
			return status;
		if ((status = db_query_int(db, "PRAGMA user_version", &current,
		    cause)) != WD_OK) {
			db_exec_sql(db, "ROLLBACK", NULL);
			return status;
		}
		if (current >= latest) {
			/* Another process migrated while we waited. */
			db_exec_sql(db, "ROLLBACK", NULL);
			return WD_OK;
		}
		/* The smallest migration above the current version. */
		next = INT_MAX;
		for (f = embedded_files; f->path != NULL; f++) {
			v = sq_migration_version(f->path);
			if (v > current && v < next)
				next = v;
		}
		for (f = embedded_files; f->path != NULL; f++) {
			if (sq_migration_version(f->path) == next)
				break;
		}
		if (sqlite3_exec(db->conn, f->data, NULL, NULL, &err) !=
		    SQLITE_OK) {
			status = status_set(cause, WD_EFAIL,
			    "database: schema upgrade %s failed: %s", f->path,
			    err != NULL ? err : "?");
			sqlite3_free(err);
			db_exec_sql(db, "ROLLBACK", NULL);
			return status;
		}
		sql = xasprintf("PRAGMA user_version = %d; "
		    "PRAGMA application_id = %d", next, DB_APPLICATION_ID);
		status = db_exec_sql(db, sql, cause);
		free(sql);
		if (status == WD_OK)
			status = db_exec_sql(db, "COMMIT", cause);
		if (status != WD_OK) {
			db_exec_sql(db, "ROLLBACK", NULL);
			return status;
		}
	}
}

/*
 * Check that an existing database is ours and not newer than we are;
 * an empty one (no tables) is taken as new.
 */
static enum wd_status
db_check_identity(struct sq *db, char **cause)
{
	enum wd_status	status;
	int64_t		app, version, tables;

	if ((status = db_query_int(db, "PRAGMA application_id", &app,
	    cause)) != WD_OK ||
	    (status = db_query_int(db, "PRAGMA user_version", &version,
	    cause)) != WD_OK ||
	    (status = db_query_int(db, "SELECT count(*) FROM sqlite_schema",
	    &tables, cause)) != WD_OK)
		return status;
	if (app == 0 && version == 0 && tables == 0)
		return WD_OK;
	if (app != DB_APPLICATION_ID)
		return status_set(cause, WD_ECONFIG,
		    "%s is a SQLite database but not a watchdog one; "
		    "refusing to touch it", db->path);
	if (version > db_schema_latest())
		return status_set(cause, WD_ECONFIG,
		    "database %s has schema version %lld, newer than this "
		    "program knows (%d): upgrade watchdog", db->path,
		    (long long)version, db_schema_latest());
	return WD_OK;
}

/*
 * Create the database file PATH, empty, when it does not exist: mode 0660
 * less the umask, where SQLite would make it 0644 less the umask, which
 * leaves the group of a team install unable to write (watchdog(1) SECURITY).
 * The -wal and -shm files SQLite makes later take this file's mode.
 */
static enum wd_status
db_create_file(const char *path, char **cause)
{
	int	fd, e;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0660);
	if (fd == -1) {
		if (errno == EEXIST)
			return WD_OK;
		e = errno;
		return status_set(cause, e == EACCES ? WD_EAUTH : WD_EFAIL,
		    "cannot create database %s: %s", path, strerror(e));
	}
	close(fd);
	return WD_OK;
}

static enum wd_status	db_verify_schema(struct sq *, char **);
static void		sq_close(struct db *);

/*
 * Before SQLite starts: no statistics of its memory use, which nothing
 * reads and which take a mutex at every allocation (a fifth of a
 * million in a 1,000-notice SLA pass). Too late once SQLite has started
 * (another open came first): it then keeps them, which is harmless.
 */
static pthread_once_t	sq_configured = PTHREAD_ONCE_INIT;

static void
sq_configure(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * Open the database at PATH. With CREATE, a missing file (and its
 * directory) is created, the schema brought up to date and checked (see
 * db_verify_schema); without, the file must exist and is left as it is
 * found.
 */
static enum wd_status
sq_open(const char *path, bool create, struct db **dbp, char **cause)
{
	struct sq	*db;
	enum wd_status	 status;
	int		 rc, on = 1, flags;

	*dbp = NULL;
	(void)pthread_once(&sq_configured, sq_configure);
	if ((status = db_check_file(path, cause)) != WD_OK)
		return status;
	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
	    SQLITE_OPEN_NOMUTEX;
	if (create) {
		if ((status = db_make_parent(path, cause)) != WD_OK)
			return status;
		if ((status = db_create_file(path, cause)) != WD_OK)
			return status;
		flags |= SQLITE_OPEN_CREATE;
	}

	db = xcalloc(1, sizeof *db);
	db->base.ops = &db_sqlite_ops;
	db->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &db->conn, flags, NULL);
	if (rc != SQLITE_OK) {
		status = status_set(cause, WD_EFAIL,
		    "cannot open database %s: %s", path,
		    db->conn != NULL ? sqlite3_errmsg(db->conn) :
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sq_set_busy_timeout(&db->base, DB_BUSY_TIMEOUT_MS);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, on, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);

	if ((status = db_check_identity(db, cause)) != WD_OK)
		goto fail;
	if ((status = db_exec_sql(db, "PRAGMA foreign_keys = ON; "
	    "PRAGMA trusted_schema = OFF", cause)) != WD_OK)
		goto fail;
	/* WAL: readers never block the writer (the UI polls while cron runs). */
	if ((status = db_exec_sql(db, "PRAGMA journal_mode = WAL", cause)) !=
	    WD_OK)
		goto fail;
	if ((status = db_exec_sql(db, "PRAGMA synchronous = NORMAL",
	    cause)) != WD_OK)
		goto fail;
	if (db_functions(db->conn) != SQLITE_OK) {
		status = db_error(db, sqlite3_errcode(db->conn), cause);
		goto fail;
	}
	if (create && ((status = db_migrate(db, cause)) != WD_OK ||
	    (status = db_verify_schema(db, cause)) != WD_OK))
		goto fail;
	*dbp = &db->base;
	return WD_OK;

fail:
	sq_close(&db->base);
	return status;
}

/* Open another program's SQLite database read-only; see db.h. */
enum wd_status
db_sqlite_open_foreign(const char *path, struct db **dbp, char **cause)
{
	static const char	 magic[16] = "SQLite format 3";
	char			 head[16];
	struct sq		*db;
	enum wd_status		 status;
	struct stat		 sb;
	ssize_t			 n;
	int			 rc, fd;

	*dbp = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return status_set(cause, WD_ENOINPUT, "cannot open %s: %s",
		    path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return status_set(cause, WD_ENOINPUT,
		    "%s is not a regular file", path);
	}
	n = read(fd, head, sizeof head);
	close(fd);
	if (n != (ssize_t)sizeof head || memcmp(head, magic, sizeof magic) != 0)
		return status_set(cause, WD_EDATA,
		    "%s is not a SQLite database", path);
	db = xcalloc(1, sizeof *db);
	db->base.ops = &db_sqlite_ops;
	db->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &db->conn, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		status = status_set(cause, WD_ENOINPUT, "cannot open %s: %s",
		    path, db->conn != NULL ? sqlite3_errmsg(db->conn) :
		    sqlite3_errstr(rc));
		sq_close(&db->base);
		return status;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sq_set_busy_timeout(&db->base, DB_BUSY_TIMEOUT_MS);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);
	*dbp = &db->base;
	return WD_OK;
}

/* Close DB, finalizing the cached statements. */
static void
sq_close(struct db *base)
{
	struct sq	*db = SQ(base);
	size_t		 i;

	for (i = 0; i < db->nstmts; i++) {
		sqlite3_finalize(db->stmts[i].stmt);
		free(db->stmts[i].prepare_error);
	}
	free(db->stmts);
	sqlite3_close(db->conn);
	free(db->path);
	free(db);
}

/*
 * Begin transaction level DEPTH: BEGIN IMMEDIATE for a writer at the
 * outermost level (it waits for the write lock up front), a deferred
 * BEGIN for a reader, a savepoint inside.
 */
static enum wd_status
sq_begin(struct db *base, int depth, bool write, char **cause)
{
	enum wd_status	 status;
	char		*sql;

	if (depth == 0)
		return db_exec_sql(SQ(base), write ? "BEGIN IMMEDIATE" :
		    "BEGIN", cause);
	sql = xasprintf("SAVEPOINT wd%d", depth);
	status = db_exec_sql(SQ(base), sql, cause);
	free(sql);
	return status;
}

/* Commit level DEPTH (COMMIT, or RELEASE of its savepoint). */
static enum wd_status
sq_commit(struct db *base, int depth, char **cause)
{
	enum wd_status	 status;
	char		*sql;

	if (depth == 0)
		return db_exec_sql(SQ(base), "COMMIT", cause);
	sql = xasprintf("RELEASE wd%d", depth);
	status = db_exec_sql(SQ(base), sql, cause);
	free(sql);
	return status;
}

/* Undo level DEPTH. */
static void
sq_rollback(struct db *base, int depth)
{
	struct sq	*db = SQ(base);
	char		*sql;
	size_t		 i;

	/* Statements still stepping would keep the transaction busy. */
	for (i = 0; i < db->nstmts; i++)
		sqlite3_reset(db->stmts[i].stmt);
	if (depth == 0) {
		if (sqlite3_get_autocommit(db->conn) == 0)
			db_exec_sql(db, "ROLLBACK", NULL);
	} else {
		sql = xasprintf("ROLLBACK TO wd%d; RELEASE wd%d", depth, depth);
		db_exec_sql(db, sql, NULL);
		free(sql);
	}
}

/*
 * Compile ST's SQL. On failure ST keeps no statement but the result code
 * and message, which its first step reports (see db.h): a table or column
 * missing means a damaged database, not a crash.
 */
static void
db_compile(struct sq_stmt *st)
{
	struct sq	*db = st->db;
	int		 rc;

	free(st->prepare_error);
	st->prepare_error = NULL;
	rc = sqlite3_prepare_v3(db->conn, st->base.sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &st->stmt, NULL);
	if (rc == SQLITE_OK)
		return;
	st->stmt = NULL;
	st->prepare_rc = rc;
	st->prepare_error = xstrdup(sqlite3_errmsg(db->conn));
}

/* The cached statement for SQL (by address), prepared on first use. */
static struct db_stmt *
sq_prepare(struct db *base, const char *sql)
{
	struct sq	*db = SQ(base);
	struct sq_stmt	*st;
	size_t		 i;

	for (i = 0; i < db->nstmts; i++) {
		st = &db->stmts[i];
		if (st->base.sql != sql)
			continue;
		if (st->stmt == NULL)
			db_compile(st);	/* the lock may have gone since */
		else {
			sqlite3_reset(st->stmt);
			sqlite3_clear_bindings(st->stmt);
		}
		return &st->base;
	}
	if (db->nstmts == db->capstmts) {
		db->capstmts = db->capstmts == 0 ? 32 : db->capstmts * 2;
		db->stmts = xreallocarray(db->stmts, db->capstmts,
		    sizeof *db->stmts);
	}
	st = &db->stmts[db->nstmts];
	memset(st, 0, sizeof *st);
	st->base.sql = sql;
	st->base.db = &db->base;
	st->db = db;
	db_compile(st);
	db->nstmts++;
	return &st->base;
}

/*
 * The status and message for a statement that did not compile: busy, or
 * a damaged database (the SQL is a constant that compiles against the
 * schema our migrations make).
 */
static enum wd_status
db_prepare_failed(struct sq_stmt *st, char **cause)
{
	switch (st->prepare_rc & 0xff) {
	case SQLITE_ERROR:
		return status_set(cause, WD_EFAIL, "database %s is damaged "
		    "(%s); see watchdog --doctor", st->db->path,
		    st->prepare_error);
	default:
		return db_error(st->db, st->prepare_rc, cause);
	}
}

/*
 * The index of parameter NAME in ST (0 when ST did not compile: binds
 * then do nothing); aborts when the SQL lacks it.
 */
static int
db_param(struct sq_stmt *st, const char *name)
{
	int	i;

	if (st->stmt == NULL)
		return 0;
	if ((i = sqlite3_bind_parameter_index(st->stmt, name)) == 0)
		sq_bug(st->db, "no such SQL parameter", name);
	return i;
}

/* Bind the integer V to NAME. */
static void
sq_bind_int(struct db_stmt *bst, const char *name, int64_t v)
{
	struct sq_stmt	*st = SQST(bst);
	int	i;

	if ((i = db_param(st, name)) != 0)
		sqlite3_bind_int64(st->stmt, i, v);
}

/* Bind a copy of the text V to NAME. */
static void
sq_bind_text(struct db_stmt *bst, const char *name, const char *v)
{
	struct sq_stmt	*st = SQST(bst);
	int	i;

	if ((i = db_param(st, name)) != 0)
		sqlite3_bind_text(st->stmt, i, v, -1, SQLITE_TRANSIENT);
}

/* Bind a copy of the LEN bytes at V to NAME. */
static void
sq_bind_blob(struct db_stmt *bst, const char *name, const void *v, size_t len)
{
	struct sq_stmt	*st = SQST(bst);
	int	i;

	if ((i = db_param(st, name)) != 0)
		sqlite3_bind_blob(st->stmt, i, v, (int)len, SQLITE_TRANSIENT);
}

/* Bind NULL to NAME. */
static void
sq_bind_null(struct db_stmt *bst, const char *name)
{
	struct sq_stmt	*st = SQST(bst);
	int	i;

	if ((i = db_param(st, name)) != 0)
		sqlite3_bind_null(st->stmt, i);
}

/*
 * Whether the error RC of a step of ST means that its SQL no longer
 * compiles: the schema changed under the cached statement (a table
 * dropped, a column renamed) and SQLite failed to prepare it again. Then
 * ST is left as one that did not compile (see db_compile).
 */
static bool
db_schema_broken(struct sq_stmt *st, int rc)
{
	sqlite3_stmt	*probe;
	int		 prc;

	if ((rc & 0xff) != SQLITE_ERROR && (rc & 0xff) != SQLITE_SCHEMA)
		return false;
	prc = sqlite3_prepare_v2(st->db->conn, st->base.sql, -1, &probe, NULL);
	if (prc == SQLITE_OK) {
		sqlite3_finalize(probe);
		return false;
	}
	if ((prc & 0xff) != SQLITE_ERROR)
		return false;
	sqlite3_finalize(st->stmt);
	st->stmt = NULL;
	st->prepare_rc = prc;
	free(st->prepare_error);
	st->prepare_error = xstrdup(sqlite3_errmsg(st->db->conn));
	return true;
}

/* Step ST: 1 for a row, 0 when done, -1 on error; see db.h. */
static int
sq_step(struct db_stmt *bst, enum wd_status *status, char **cause)
{
	struct sq_stmt	*st = SQST(bst);
	enum wd_status	s;
	int		rc;

	if (st->stmt == NULL) {
		s = db_prepare_failed(st, cause);
		if (status != NULL)
			*status = s;
		return -1;
	}
	rc = sqlite3_step(st->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	sqlite3_reset(st->stmt);
	if (db_schema_broken(st, rc))
		s = db_prepare_failed(st, cause);
	else
		s = db_error(st->db, rc, cause);
	if (status != NULL)
		*status = s;
	return -1;
}

/*
 * Run ST, a write that may be skipped, without waiting for the lock: when
 * another process holds it, nothing is written and WD_ETEMP returned at
 * once (a reader then never waits on a writer for a bookkeeping update).
 */
static enum wd_status
sq_exec_nowait(struct db_stmt *bst, char **cause)
{
	struct sq_stmt	*st = SQST(bst);
	enum wd_status	status;

	sqlite3_busy_timeout(st->db->conn, 0);
	status = db_exec(bst, cause);
	sqlite3_busy_timeout(st->db->conn, st->db->busy_ms);
	return status;
}

/* Reset ST so that it holds no lock; harmless when it did not compile. */
static void
sq_reset(struct db_stmt *bst)
{
	struct sq_stmt	*st = SQST(bst);
	if (st->stmt != NULL)
		sqlite3_reset(st->stmt);
}

static int64_t
sq_column_int(struct db_stmt *bst, int col)
{
	struct sq_stmt	*st = SQST(bst);
	return sqlite3_column_int64(st->stmt, col);
}

static const char *
sq_column_text(struct db_stmt *bst, int col)
{
	struct sq_stmt	*st = SQST(bst);
	return (const char *)sqlite3_column_text(st->stmt, col);
}

static const void *
sq_column_blob(struct db_stmt *bst, int col, size_t *len)
{
	struct sq_stmt	*st = SQST(bst);
	const void	*p;

	p = sqlite3_column_blob(st->stmt, col);
	*len = (size_t)sqlite3_column_bytes(st->stmt, col);
	return p;
}

static bool
sq_column_is_null(struct db_stmt *bst, int col)
{
	struct sq_stmt	*st = SQST(bst);
	return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

/* The storage class of column COL (a float reads as text). */
static enum db_type
sq_column_type(struct db_stmt *bst, int col)
{
	struct sq_stmt	*st = SQST(bst);

	switch (sqlite3_column_type(st->stmt, col)) {
	case SQLITE_NULL:
		return DB_TYPE_NULL;
	case SQLITE_INTEGER:
		return DB_TYPE_INT;
	case SQLITE_BLOB:
		return DB_TYPE_BLOB;
	default:
		return DB_TYPE_TEXT;
	}
}

static int64_t
sq_last_insert_id(struct db *base)
{
	return sqlite3_last_insert_rowid(SQ(base)->conn);
}

static int
sq_changes(struct db *base)
{
	return sqlite3_changes(SQ(base)->conn);
}

/* PRAGMA data_version; -1 when it cannot be read. */
static int64_t
sq_data_version(struct db *base)
{
	int64_t	v;

	if (db_query_int(SQ(base), "PRAGMA data_version", &v, NULL) != WD_OK)
		return -1;
	return v;
}

/* EXPLAIN QUERY PLAN of SQL into *PLAN; see db.h. */
static enum wd_status
sq_query_plan(struct db *base, const char *sql, char **plan, char **cause)
{
	struct sq	*db = SQ(base);
	struct strbuf	 sb;
	sqlite3_stmt	*st;
	char		*explain;
	int		 rc;

	*plan = NULL;
	explain = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	rc = sqlite3_prepare_v2(db->conn, explain, -1, &st, NULL);
	free(explain);
	if (rc != SQLITE_OK)
		return db_error(db, rc, cause);
	memset(&sb, 0, sizeof sb);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		strbuf_addstr(&sb, (const char *)sqlite3_column_text(st, 3));
		strbuf_addstr(&sb, "\n");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		strbuf_free(&sb);
		return db_error(db, rc, cause);
	}
	*plan = strbuf_detach(&sb);
	return WD_OK;
}

/*
 * A new in-memory database with the migrations up to VERSION applied, as
 * the program builds a database: what one of that version must hold.
 * NULL when it cannot be built (then *cause is set).
 */
static sqlite3 *
db_expected(int version, char **cause)
{
	const struct embedded_file	*f;
	sqlite3				*mem;
	char				*err = NULL;
	int				 v, done = 0, next;

	/* With our SQL function, which a migration may use as the file's. */
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK ||
	    db_functions(mem) != SQLITE_OK) {
		status_set(cause, WD_EFAIL, "internal error: cannot build the "
		    "expected schema");
		sqlite3_close(mem);
		return NULL;
	}
	for (;;) {
		next = INT_MAX;
		for (f = embedded_files; f->path != NULL; f++) {
			v = sq_migration_version(f->path);
			if (v > done && v <= version && v < next)
				next = v;
		}
		if (next == INT_MAX)
			return mem;
		for (f = embedded_files; f->path != NULL; f++) {
			if (sq_migration_version(f->path) == next)
				break;
		}
		if (sqlite3_exec(mem, f->data, NULL, NULL, &err) != SQLITE_OK) {
			status_set(cause, WD_EFAIL, "internal error: cannot "
			    "build the expected schema: %s: %s", f->path,
			    err != NULL ? err : "?");
			sqlite3_free(err);
			sqlite3_close(mem);
			return NULL;
		}
		done = next;
	}
}

/*
 * Add to SB the columns of table NAME that MEM has and DB's table lacks.
 * Returns SQLITE_OK, or the result code of the call that failed.
 */
static int
db_check_columns(struct sq *db, sqlite3 *mem, const char *name,
    struct strbuf *sb)
{
	static const char	 sql[] =
	    "SELECT name FROM pragma_table_info(?1) WHERE name NOT IN "
	    "(SELECT value FROM json_each(?2))";
	static const char	 cols[] =
	    "SELECT json_group_array(name) FROM pragma_table_info(?1)";
	sqlite3_stmt		*have = NULL, *want = NULL;
	int			 rc;

	/* The columns DB has, as a JSON array, then those MEM has beyond. */
	if ((rc = sqlite3_prepare_v2(db->conn, cols, -1, &have, NULL)) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_text(have, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(have)) != SQLITE_ROW)
		goto out;
	if ((rc = sqlite3_prepare_v2(mem, sql, -1, &want, NULL)) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(want, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(want, 2, (const char *)sqlite3_column_text(have, 0),
	    -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(want)) == SQLITE_ROW) {
		strbuf_addf(sb, "%stable %s has no column %s",
		    sb->len > 0 ? "; " : "", name,
		    (const char *)sqlite3_column_text(want, 0));
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
out:
	sqlite3_finalize(want);
	sqlite3_finalize(have);
	return rc;
}

/*
 * Compare DB's schema with what its version should hold. WD_OK with
 * *FINDINGS NULL when nothing is missing, or a new string (the caller
 * frees it) naming each missing object; another status, with *cause, when
 * the comparison itself failed (a busy database).
 */
static enum wd_status
db_schema_compare(struct sq *db, char **findings, char **cause)
{
	static const char	 objects[] =
	    "SELECT type, name FROM sqlite_schema "
	    "WHERE name NOT LIKE 'sqlite_%' ORDER BY type <> 'table', name";
	static const char	 exists[] =
	    "SELECT count(*) FROM sqlite_schema WHERE type = ?1 AND name = ?2";
	struct strbuf		 sb;
	sqlite3			*mem;
	sqlite3_stmt		*obj = NULL, *ex = NULL;
	enum wd_status		 status = WD_OK;
	const char		*type, *name;
	int64_t			 version;
	int			 rc;

	*findings = NULL;
	if ((status = db_query_int(db, "PRAGMA user_version", &version,
	    cause)) != WD_OK)
		return status;
	if ((mem = db_expected((int)version, cause)) == NULL)
		return WD_EFAIL;
	memset(&sb, 0, sizeof sb);
	if ((rc = sqlite3_prepare_v2(mem, objects, -1, &obj, NULL)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db->conn, exists, -1, &ex, NULL)) !=
	    SQLITE_OK) {
		status = db_error(db, rc, cause);
		goto out;
	}
	while ((rc = sqlite3_step(obj)) == SQLITE_ROW) {
		type = (const char *)sqlite3_column_text(obj, 0);
		name = (const char *)sqlite3_column_text(obj, 1);
		sqlite3_reset(ex);
		sqlite3_bind_text(ex, 1, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(ex, 2, name, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(ex)) != SQLITE_ROW) {
			status = db_error(db, rc, cause);
			goto out;
		}
		if (sqlite3_column_int(ex, 0) == 0) {
			strbuf_addf(&sb, "%s%s %s is missing",
			    sb.len > 0 ? "; " : "", type, name);
			continue;
		}
		if (strcmp(type, "table") == 0 &&
		    (rc = db_check_columns(db, mem, name, &sb)) != SQLITE_OK) {
			status = db_error(db, rc, cause);
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		status = db_error(db, rc, cause);
	else if (sb.len > 0)
		*findings = strbuf_detach(&sb);
out:
	strbuf_free(&sb);
	sqlite3_finalize(ex);
	sqlite3_finalize(obj);
	sqlite3_close(mem);
	return status;
}

/* Compare DB's schema with what its version should hold; see db.h. */
static enum wd_status
sq_schema_check(struct db *base, char **cause)
{
	struct sq	*db = SQ(base);
	enum wd_status	 status;
	char		*findings;

	if ((status = db_schema_compare(db, &findings, cause)) != WD_OK)
		return status;
	if (findings == NULL)
		return WD_OK;
	status = status_set(cause, WD_EFAIL, "%s", findings);
	free(findings);
	return status;
}

/*
 * Check at open that the schema is whole, cheaply. PRAGMA schema_version
 * (a counter in the file header that SQLite moves on every change of the
 * schema) is compared with the value under "schema_verified" in the meta
 * table, recorded when the schema last passed db_schema_check(). Equal:
 * nothing changed since, and the check costs two small reads. Otherwise
 * (a new or migrated database, a VACUUM, or a table dropped or a column
 * renamed behind the program's back) the full comparison runs (about
 * 2 ms): a damaged schema is refused before anything is read or printed
 * (WD_EFAIL); a whole one is recorded, without waiting for the lock.
 */
static enum wd_status
db_verify_schema(struct sq *db, char **cause)
{
	static const char	 sql_get[] =
	    "SELECT value FROM meta WHERE key = 'schema_verified'";
	static const char	 sql_set[] =
	    "INSERT INTO meta (key, value) VALUES ('schema_verified', :v) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
	struct db_stmt		*st;
	enum wd_status		 status;
	char			*findings, cookie[32];
	const char		*seen;
	int64_t			 v;

	if ((status = db_query_int(db, "PRAGMA schema_version", &v,
	    cause)) != WD_OK)
		return status;
	snprintf(cookie, sizeof cookie, "%lld", (long long)v);
	st = db_prepare(&db->base, sql_get);
	if (db_step_one(st, NULL) == WD_OK) {
		seen = db_column_text(st, 0);
		status = seen != NULL && strcmp(seen, cookie) == 0 ?
		    WD_OK : WD_ENOTFOUND;
		db_reset(st);
		if (status == WD_OK)
			return WD_OK;
	}
	if ((status = db_schema_compare(db, &findings, cause)) != WD_OK)
		return status;
	if (findings != NULL) {
		status = status_set(cause, WD_EFAIL, "database %s is damaged "
		    "(%s); see watchdog --doctor", db->path, findings);
		free(findings);
		return status;
	}
	st = db_prepare(&db->base, sql_set);
	db_bind_text(st, ":v", cookie);
	(void)db_exec_nowait(st, NULL);
	return WD_OK;
}

/* PRAGMA integrity_check: WD_OK when the answer is "ok". */
static enum wd_status
sq_integrity_check(struct db *base, char **cause)
{
	struct sq	*db = SQ(base);
	sqlite3_stmt	*st;
	const char	*r;
	enum wd_status	 status;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(db->conn, "PRAGMA integrity_check", -1,
	    &st, NULL)) != SQLITE_OK)
		return db_error(db, rc, cause);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		status = db_error(db, rc, cause);
	} else {
		r = (const char *)sqlite3_column_text(st, 0);
		if (r != NULL && strcmp(r, "ok") == 0)
			status = WD_OK;
		else
			status = status_set(cause, WD_EFAIL,
			    "database %s fails its integrity check: %s",
			    db->path, r != NULL ? r : "?");
	}
	sqlite3_finalize(st);
	return status;
}

const struct db_ops db_sqlite_ops = {
	.engine = DB_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.set_busy_timeout = sq_set_busy_timeout,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.exec_nowait = sq_exec_nowait,
	.reset = sq_reset,
	.column_int = sq_column_int,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.column_is_null = sq_column_is_null,
	.column_type = sq_column_type,
	.last_insert_id = sq_last_insert_id,
	.changes = sq_changes,
	.data_version = sq_data_version,
	.query_plan = sq_query_plan,
	.schema_check = sq_schema_check,
	.integrity_check = sq_integrity_check,
};
