/*
 * db_pg.c: the storage layer on PostgreSQL, through libpq; see db.h and
 * db_backend.h. The only file that includes libpq-fe.h.
 *
 * libpq (and the TLS, Kerberos and LDAP libraries it needs) is loaded
 * with dlopen() when a DATABASE_URL first names PostgreSQL, as smtp.c
 * loads libcurl: linked in, it would lengthen the start of every run on
 * SQLite. The fixed soname is found in the system's library directories
 * only (a setgid program's loader ignores LD_LIBRARY_PATH).
 *
 * The URL goes to PQconnectdb() untouched, so that every libpq parameter
 * works (sslmode=verify-full, sslrootcert, host=/run/postgresql,
 * application_name, ...); messages show it with the password hidden
 * (db_where_safe).
 *
 * Statements keep their named parameters (":id"); each is translated to
 * $1, $2, ... once, when it is first prepared on the connection, and kept
 * in a cache by the address of its SQL, as the SQLite side does.
 *
 * Transactions: a writer's outermost level is BEGIN ISOLATION LEVEL READ
 * COMMITTED followed by a transaction-scoped advisory lock that every
 * writer takes (DB_PG_WRITE_LOCK): writers run one at a time, as SQLite's
 * BEGIN IMMEDIATE makes them, and each of their statements sees every
 * commit before it. Domain code written for SQLite's serial writers
 * (read a version, then write) keeps its meaning without a serialization
 * failure to retry, and two writers never deadlock on each other; the
 * lock is held only for the transaction, never while mail is sent. Rows
 * that many hosts share a queue of (the outbox) are claimed with FOR
 * UPDATE SKIP LOCKED besides. A reader's level is REPEATABLE READ: one
 * snapshot, as SQLite's deferred BEGIN gives. Waiting for the lock ends
 * after the busy timeout (lock_timeout) with WD_ETEMP, as on SQLite.
 *
 * Failures another try may cure are marked for the front (struct db's
 * fault): a serialization failure or a deadlock (40001, 40P01, which
 * statements outside the writers' lock can still meet) and a lost
 * connection (PQstatus bad, SQLSTATE 08xxx, or the server shutting down
 * or ending our session: 57P01-57P03). The front rolls back, reconnects
 * (pg_reconnect) and runs the unit again (DB_RETRY in db.h); a server
 * that stays away is WD_ETEMP (exit 75) with how often it was tried.
 * Connecting is tried the same way, unless the server answered and
 * refused us (a password, a database that does not exist): another try
 * would not change its mind.
 *
 * Live refresh (the terminal interface's db_data_version): every
 * writer's outermost COMMIT is preceded by NOTIFY on DB_PG_CHANNEL, which
 * the server delivers to the listeners when, and only if, the transaction
 * commits. A connection starts to LISTEN the first time it is asked for
 * its data version; it then reads what has arrived on its socket without
 * waiting (PQconsumeInput) and counts the notices of other sessions. A
 * connection that is lost is made again without waiting either
 * (db_reconnect_poll: PQresetStart, then PQresetPoll while the socket is
 * ready), so that the interface keeps drawing meanwhile; the new session
 * listens again, and its data version moves, because notices may have
 * been missed while it was away.
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "watchdog/db.h"
#include "watchdog/db_backend.h"
#include "watchdog/db_pg.h"
#include "watchdog/embedded.h"
#include "watchdog/util.h"

#define PG_MIGRATIONS_PREFIX	"data/pg/"
#define PG_LIBPQ		"libpq.so.5"

/* The key of the advisory lock every writer holds ("WDOG"). */
#define DB_PG_WRITE_LOCK	"1463111495"
/* The channel of the writers' NOTIFY and the interface's LISTEN. */
#define DB_PG_CHANNEL		"watchdog"

/* The functions of libpq this file calls, once loaded. */
static struct {
	PGconn		*(*connectdb)(const char *);
	ConnStatusType	 (*status)(const PGconn *);
	char		*(*error_message)(const PGconn *);
	void		 (*finish)(PGconn *);
	void		 (*reset)(PGconn *);
	PQnoticeReceiver (*set_notice_receiver)(PGconn *, PQnoticeReceiver,
			     void *);
	PGresult	*(*exec)(PGconn *, const char *);
	PGresult	*(*prepare)(PGconn *, const char *, const char *, int,
			     const Oid *);
	PGresult	*(*exec_prepared)(PGconn *, const char *, int,
			     const char *const *, const int *, const int *, int);
	PGresult	*(*exec_params)(PGconn *, const char *, int,
			     const Oid *, const char *const *, const int *,
			     const int *, int);
	ExecStatusType	 (*result_status)(const PGresult *);
	char		*(*result_error_field)(const PGresult *, int);
	char		*(*result_error_message)(const PGresult *);
	int		 (*ntuples)(const PGresult *);
	char		*(*getvalue)(const PGresult *, int, int);
	int		 (*getlength)(const PGresult *, int, int);
	int		 (*getisnull)(const PGresult *, int, int);
	Oid		 (*ftype)(const PGresult *, int);
	char		*(*cmd_tuples)(PGresult *);
	void		 (*clear)(PGresult *);
	unsigned char	*(*unescape_bytea)(const unsigned char *, size_t *);
	void		 (*freemem)(void *);
	int		 (*server_version)(const PGconn *);
	int		 (*ssl_in_use)(PGconn *);
	PGTransactionStatusType (*transaction_status)(const PGconn *);
	int		 (*consume_input)(PGconn *);
	PGnotify	*(*notifies)(PGconn *);
	int		 (*backend_pid)(const PGconn *);
	int		 (*socket)(const PGconn *);
	int		 (*reset_start)(PGconn *);
	PostgresPollingStatusType (*reset_poll)(PGconn *);
	PQconninfoOption *(*conninfo_parse)(const char *, char **);
	void		 (*conninfo_free)(PQconninfoOption *);
} lpq;

struct pg_stmt {
	struct db_stmt	 base;		/* the SQL (the cache key), the db */
	struct pg	*db;
	char		 name[16];	/* the server-side statement: wdN */
	char		*text;		/* the SQL with $1, $2, ... */
	char		**names;	/* the parameters, $1 first */
	int		 nparams;
	char		**values;	/* bound: text, or NULL for NULL */
	int		*lengths;
	int		*formats;	/* 1 for a blob (binary) */
	bool		 prepared;	/* on this connection */
	bool		 each_run;	/* unnamed: planned at each run */
	PGresult	*res;		/* the rows, once stepped */
	int		 row;		/* the current one */
	unsigned char	*blob;		/* db_column_blob's last answer */
};

struct pg {
	struct db	 base;		/* the front's: transaction levels */
	PGconn		*conn;
	char		*where;		/* the URL, password hidden */
	int		 busy_ms;
	int		 changes;	/* rows the last statement changed */
	int64_t		 data_version;	/* others' commits, new sessions */
	bool		 listening;	/* LISTEN asked for (data_version) */
	bool		 resetting;	/* a reconnection under way */
	bool		 ending;	/* the server ends the session */
	bool		 read_only;	/* every transaction (foreign) */
	PostgresPollingStatusType polling; /* its last step */
	struct pg_stmt	**stmts;	/* the statement cache */
	size_t		 nstmts;
	size_t		 capstmts;
};

#define PG(d)	((struct pg *)(void *)(d))
#define PGST(s)	((struct pg_stmt *)(void *)(s))

/* Load libpq once; 0, or -1 with *cause set. */
static int
pg_load(char **cause)
{
	static int	 loaded;
	void		*h;

	if (loaded)
		return 0;
	if ((h = dlopen(PG_LIBPQ, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		status_set(cause, WD_ECONFIG, "DATABASE_URL names PostgreSQL "
		    "but %s cannot be loaded (install libpq5): %s", PG_LIBPQ,
		    dlerror());
		return -1;
	}
	if (lib_sym(h, "PQconnectdb", &lpq.connectdb) != 0 ||
	    lib_sym(h, "PQstatus", &lpq.status) != 0 ||
	    lib_sym(h, "PQerrorMessage", &lpq.error_message) != 0 ||
	    lib_sym(h, "PQfinish", &lpq.finish) != 0 ||
	    lib_sym(h, "PQreset", &lpq.reset) != 0 ||
	    lib_sym(h, "PQsetNoticeReceiver",
	    &lpq.set_notice_receiver) != 0 ||
	    lib_sym(h, "PQexec", &lpq.exec) != 0 ||
	    lib_sym(h, "PQprepare", &lpq.prepare) != 0 ||
	    lib_sym(h, "PQexecPrepared", &lpq.exec_prepared) != 0 ||
	    lib_sym(h, "PQexecParams", &lpq.exec_params) != 0 ||
	    lib_sym(h, "PQresultStatus", &lpq.result_status) != 0 ||
	    lib_sym(h, "PQresultErrorField", &lpq.result_error_field) != 0 ||
	    lib_sym(h, "PQresultErrorMessage",
	    &lpq.result_error_message) != 0 ||
	    lib_sym(h, "PQntuples", &lpq.ntuples) != 0 ||
	    lib_sym(h, "PQgetvalue", &lpq.getvalue) != 0 ||
	    lib_sym(h, "PQgetlength", &lpq.getlength) != 0 ||
	    lib_sym(h, "PQgetisnull", &lpq.getisnull) != 0 ||
	    lib_sym(h, "PQftype", &lpq.ftype) != 0 ||
	    lib_sym(h, "PQcmdTuples", &lpq.cmd_tuples) != 0 ||
	    lib_sym(h, "PQclear", &lpq.clear) != 0 ||
	    lib_sym(h, "PQunescapeBytea", &lpq.unescape_bytea) != 0 ||
	    lib_sym(h, "PQfreemem", &lpq.freemem) != 0 ||
	    lib_sym(h, "PQserverVersion", &lpq.server_version) != 0 ||
	    lib_sym(h, "PQsslInUse", &lpq.ssl_in_use) != 0 ||
	    lib_sym(h, "PQtransactionStatus", &lpq.transaction_status) != 0 ||
	    lib_sym(h, "PQconsumeInput", &lpq.consume_input) != 0 ||
	    lib_sym(h, "PQnotifies", &lpq.notifies) != 0 ||
	    lib_sym(h, "PQbackendPID", &lpq.backend_pid) != 0 ||
	    lib_sym(h, "PQsocket", &lpq.socket) != 0 ||
	    lib_sym(h, "PQresetStart", &lpq.reset_start) != 0 ||
	    lib_sym(h, "PQresetPoll", &lpq.reset_poll) != 0 ||
	    lib_sym(h, "PQconninfoParse", &lpq.conninfo_parse) != 0 ||
	    lib_sym(h, "PQconninfoFree", &lpq.conninfo_free) != 0) {
		status_set(cause, WD_ECONFIG, "%s lacks a function this "
		    "program needs: %s", PG_LIBPQ, dlerror());
		return -1;
	}
	loaded = 1;
	return 0;
}

/*
 * Server notices (NOTICE, WARNING) are not ours to print. A FATAL one
 * that comes between statements is the server ending the session (it is
 * shutting down, or an administrator ended it): the connection ARG is
 * lost from now on, even before libpq reads the end of it.
 */
static void
pg_notice(void *arg, const PGresult *res)
{
	struct pg	*db = arg;
	const char	*severity;

	severity = lpq.result_error_field(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	if (severity != NULL && (strcmp(severity, "FATAL") == 0 ||
	    strcmp(severity, "PANIC") == 0))
		db->ending = true;
}

/*
 * SQL with its ":name" parameters replaced by $1, $2, ... (a name used
 * twice is one parameter), skipping quoted text, quoted identifiers,
 * comments and "::" casts; see db_pg.h.
 */
char *
db_pg_translate(const char *sql, char ***names, int *nnames)
{
	struct strbuf	 sb;
	const char	*p, *q;
	char		*name;
	int		 i, n = 0;

	*names = NULL;
	memset(&sb, 0, sizeof sb);
	strbuf_addstr(&sb, "");
	for (p = sql; *p != '\0'; ) {
		if (*p == '\'' || *p == '"') {
			q = strchr(p + 1, *p);
			q = q != NULL ? q + 1 : p + strlen(p);
			strbuf_addf(&sb, "%.*s", (int)(q - p), p);
			p = q;
		} else if (p[0] == '-' && p[1] == '-') {
			q = p + strcspn(p, "\n");
			strbuf_addf(&sb, "%.*s", (int)(q - p), p);
			p = q;
		} else if (p[0] == ':' && p[1] == ':') {
			strbuf_addstr(&sb, "::");
			p += 2;
		} else if (p[0] == ':' && (p[1] == '_' ||
		    (p[1] >= 'a' && p[1] <= 'z') ||
		    (p[1] >= 'A' && p[1] <= 'Z'))) {
			for (q = p + 1; *q == '_' || (*q >= 'a' && *q <= 'z') ||
			    (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9');
			    q++)
				;
			name = xasprintf("%.*s", (int)(q - p), p);
			for (i = 0; i < n; i++) {
				if (strcmp((*names)[i], name) == 0)
					break;
			}
			if (i == n) {
				*names = xreallocarray(*names, (size_t)n + 1,
				    sizeof **names);
				(*names)[n++] = name;
			} else
				free(name);
			strbuf_addf(&sb, "$%d", i + 1);
			p = q;
		} else {
			strbuf_addf(&sb, "%c", *p);
			p++;
		}
	}
	*nnames = n;
	return strbuf_detach(&sb);
}

/*
 * The status and message for a failed result RES (NULL: the connection
 * failed) of DB; *cause gets a new string.
 */
static enum wd_status
pg_error(struct pg *db, const PGresult *res, char **cause)
{
	const char	*state, *msg;
	size_t		 len;
	char		*m;
	enum wd_status	 status;

	db->base.fault = DB_FAULT_NONE;
	if (res == NULL || lpq.status(db->conn) != CONNECTION_OK) {
		db->base.fault = DB_FAULT_LOST;
		msg = lpq.error_message(db->conn);
		/* The server's last word, without its severity. */
		if (strncmp(msg, "FATAL:  ", 8) == 0)
			msg += 8;
		len = strcspn(msg, "\n");
		return status_set(cause, WD_ETEMP, "the database server at %s "
		    "is not answering: %.*s", db->where, (int)len, msg);
	}
	state = lpq.result_error_field(res, PG_DIAG_SQLSTATE);
	msg = lpq.result_error_field(res, PG_DIAG_MESSAGE_PRIMARY);
	if (state == NULL)
		state = "";
	m = xstrdup(msg != NULL ? msg : "?");
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		db->base.fault = DB_FAULT_CONFLICT;
		status = status_set(cause, WD_ETEMP, "database: a concurrent "
		    "change got in the way (%s); nothing was changed", m);
	} else if (strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	    strcmp(state, "57P03") == 0) {
		db->base.fault = DB_FAULT_LOST;
		status = status_set(cause, WD_ETEMP, "the database server at "
		    "%s is not answering: %s", db->where, m);
	} else if (strcmp(state, "55P03") == 0)
		status = status_set(cause, WD_ETEMP,
		    "database busy (another process holds the lock); try again");
	else if (strcmp(state, "57014") == 0)	/* statement_timeout, a cancel */
		status = status_set(cause, WD_ETEMP, "database server %s: %s; "
		    "nothing was changed; try again", db->where, m);
	else if (strcmp(state, "53100") == 0)
		status = status_set(cause, WD_ETEMP,
		    "database: disk full; nothing was changed");
	else if (strncmp(state, "57P", 3) == 0)
		status = status_set(cause, WD_ETEMP, "database server %s: %s; "
		    "try again", db->where, m);
	else if (strcmp(state, "42P01") == 0 || strcmp(state, "42703") == 0 ||
	    strcmp(state, "42883") == 0)
		status = status_set(cause, WD_EFAIL, "database %s is damaged "
		    "(%s); see watchdog --doctor", db->where, m);
	else if (strcmp(state, "42501") == 0)
		status = status_set(cause, WD_EAUTH, "database %s: %s",
		    db->where, m);
	else
		status = status_set(cause, WD_EFAIL, "database: %s", m);
	free(m);
	return status;
}

/* Run constant SQL with no rows wanted (transaction control, SET). */
static enum wd_status
pg_exec_sql(struct pg *db, const char *sql, char **cause)
{
	PGresult	*res;
	enum wd_status	 status = WD_OK;

	res = lpq.exec(db->conn, sql);
	if (res == NULL || (lpq.result_status(res) != PGRES_COMMAND_OK &&
	    lpq.result_status(res) != PGRES_TUPLES_OK))
		status = pg_error(db, res, cause);
	lpq.clear(res);
	return status;
}

/*
 * The text in the first column of the first row of constant SQL, in *V
 * (new; NULL when there is no row or it is NULL).
 */
static enum wd_status
pg_query_text(struct pg *db, const char *sql, char **v, char **cause)
{
	PGresult	*res;
	enum wd_status	 status = WD_OK;

	*v = NULL;
	res = lpq.exec(db->conn, sql);
	if (res == NULL || lpq.result_status(res) != PGRES_TUPLES_OK)
		status = pg_error(db, res, cause);
	else if (lpq.ntuples(res) > 0 && !lpq.getisnull(res, 0, 0))
		*v = xstrdup(lpq.getvalue(res, 0, 0));
	lpq.clear(res);
	return status;
}

/*
 * The integer in the first column of the first row of constant SQL in
 * *V (0 when there is no row or it is NULL).
 */
static enum wd_status
pg_query_int(struct pg *db, const char *sql, int64_t *v, char **cause)
{
	enum wd_status	 status;
	char		*text;

	*v = 0;
	if ((status = pg_query_text(db, sql, &text, cause)) == WD_OK &&
	    text != NULL)
		*v = strtoll(text, NULL, 10);
	free(text);
	return status;
}

/* Forget that the cached statements exist on the server (a new session). */
static void
pg_forget_prepared(struct pg *db)
{
	size_t	i;

	for (i = 0; i < db->nstmts; i++)
		db->stmts[i]->prepared = false;
}

/*
 * Settings of every session: UTC, our lock timeout, quiet notices,
 * LISTEN when the connection listened before, and read-only transactions
 * on another program's database. Run after connecting and
 * after a reset; a new session moves the data version (notices may have
 * been missed meanwhile).
 */
static enum wd_status
pg_session(struct pg *db, char **cause)
{
	char	*sql;
	enum wd_status status;

	lpq.set_notice_receiver(db->conn, pg_notice, db);
	db->ending = false;
	sql = xasprintf("SET TIME ZONE 'UTC'; SET lock_timeout = %d%s%s",
	    db->busy_ms, db->listening ? "; LISTEN " DB_PG_CHANNEL : "",
	    db->read_only ? "; SET default_transaction_read_only = on" : "");
	status = pg_exec_sql(db, sql, cause);
	free(sql);
	db->data_version++;
	return status;
}

/* How long a writer waits for the lock, in milliseconds. */
static void
pg_set_busy_timeout(struct db *base, int ms)
{
	struct pg	*db = PG(base);
	char		*sql;

	db->busy_ms = ms;
	sql = xasprintf("SET lock_timeout = %d", ms);
	(void)pg_exec_sql(db, sql, NULL);
	free(sql);
}

/* The schema version (table wd_schema); -1 when unreadable or none. */
static int
pg_schema_version(struct db *base)
{
	int64_t	v;

	if (pg_query_int(PG(base), "SELECT version FROM wd_schema", &v,
	    NULL) != WD_OK)
		return -1;
	return (int)v;
}

/*
 * Check that the database is ours and not newer than we are: it has our
 * table wd_schema with application 'watchdog', or no table at all (new).
 * *VERSION gets the version (0 for a new one).
 */
static enum wd_status
pg_check_identity(struct pg *db, int64_t *version, char **cause)
{
	enum wd_status	status;
	int64_t		ours, tables;

	*version = 0;
	if ((status = pg_query_int(db, "SELECT count(*) FROM pg_class "
	    "WHERE relname = 'wd_schema' AND "
	    "relnamespace = current_schema()::regnamespace",
	    &ours, cause)) != WD_OK)
		return status;
	if (ours == 0) {
		if ((status = pg_query_int(db, "SELECT count(*) FROM pg_class "
		    "WHERE relnamespace = current_schema()::regnamespace",
		    &tables, cause)) != WD_OK)
			return status;
		if (tables == 0)
			return WD_OK;
		return status_set(cause, WD_ECONFIG, "%s is a PostgreSQL "
		    "database but not a watchdog one; refusing to touch it",
		    db->where);
	}
	/* One row, ours: its version; anything else: -1. */
	if ((status = pg_query_int(db, "SELECT CASE WHEN count(*) = 1 AND "
	    "bool_and(application = 'watchdog') THEN max(version) ELSE -1 "
	    "END FROM wd_schema", version, cause)) != WD_OK)
		return status;
	if (*version < 0) {
		*version = 0;
		return status_set(cause, WD_ECONFIG, "%s is a PostgreSQL "
		    "database but not a watchdog one; refusing to touch it",
		    db->where);
	}
	if (*version > db_schema_latest())
		return status_set(cause, WD_ECONFIG, "database %s has schema "
		    "version %lld, newer than this program knows (%d): "
		    "upgrade watchdog", db->where, (long long)*version,
		    db_schema_latest());
	return WD_OK;
}

/*
 * The PostgreSQL migration that comes first after version AFTER, or NULL
 * when none does (the embedded file, not ours to free).
 */
static const struct embedded_file *
pg_migration_next(int64_t after)
{
	const struct embedded_file	*f, *next = NULL;
	int				 v;

	for (f = embedded_files; f->path != NULL; f++) {
		v = db_migration_version(PG_MIGRATIONS_PREFIX, f->path);
		if (v > after && (next == NULL || v <
		    db_migration_version(PG_MIGRATIONS_PREFIX, next->path)))
			next = f;
	}
	return next;
}

/*
 * Apply every PostgreSQL migration newer than the database, each in its
 * own transaction under the writers' lock; the version is read again
 * under the lock, so that two processes starting at once do not both
 * apply one. The first migration creates wd_schema. A database already
 * up to date (every run but the first after an upgrade) is only read:
 * a reader never waits for the writers' lock.
 */
static enum wd_status
pg_migrate(struct pg *db, char **cause)
{
	const struct embedded_file	*next;
	enum wd_status			 status;
	int64_t				 current;
	char				*sql;
	int				 latest;

	latest = db_migration_latest(PG_MIGRATIONS_PREFIX);
	/* Up to date, the common case: no transaction, no lock. */
	if ((status = pg_check_identity(db, &current, cause)) != WD_OK)
		return status;
	if (current >= latest)
		return WD_OK;
	for (;;) {
		if ((status = pg_exec_sql(db, "BEGIN ISOLATION LEVEL READ "
		    "COMMITTED; SELECT pg_advisory_xact_lock("
		    DB_PG_WRITE_LOCK ")", cause)) != WD_OK)
			return status;
		if ((status = pg_check_identity(db, &current, cause)) !=
		    WD_OK)
			goto fail;
		if (current >= latest) {
			(void)pg_exec_sql(db, "ROLLBACK", NULL);
			return WD_OK;
		}
		next = pg_migration_next(current);
		if ((status = pg_exec_sql(db, next->data, cause)) != WD_OK) {
			free(*cause);
			*cause = NULL;
			status = status_set(cause, WD_EFAIL, "database: schema "
			    "upgrade %s failed: %s", next->path,
			    lpq.error_message(db->conn));
			goto fail;
		}
		sql = xasprintf("UPDATE wd_schema SET version = %d",
		    db_migration_version(PG_MIGRATIONS_PREFIX, next->path));
		status = pg_exec_sql(db, sql, cause);
		free(sql);
		if (status != WD_OK ||
		    (status = pg_exec_sql(db, "COMMIT", cause)) != WD_OK)
			goto fail;
	}
fail:
	(void)pg_exec_sql(db, "ROLLBACK", NULL);
	return status;
}

static void	pg_close(struct db *);

/*
 * Whether a failed connection may succeed on another try: the server
 * did not answer (no socket, refused, timed out, closed), or answered
 * that it is starting up or shutting down, or that its connections (or
 * the role's, or the database's) are all taken. A server that answered
 * and refused us (FATAL: a password, a database or a pg_hba.conf line)
 * would refuse again, and so would TLS that cannot be had as the URL asks
 * (a certificate not verified, or for another host; no TLS on the
 * server), a password the server asks for and the URL lacks, and a
 * value of the URL that libpq refuses (an sslmode, a port number): the
 * URL is to be mended.
 */
static bool
pg_connect_curable(const char *msg)
{
	if (strncmp(msg, "invalid ", 8) == 0 ||
	    strstr(msg, "could not match") != NULL ||
	    strstr(msg, "no password supplied") != NULL ||
	    strstr(msg, "certificate") != NULL ||
	    strstr(msg, "does not support SSL") != NULL)
		return false;
	return strstr(msg, "FATAL") == NULL ||
	    strstr(msg, "the database system is") != NULL ||
	    strstr(msg, "too many clients") != NULL ||
	    strstr(msg, "too many connections") != NULL ||
	    strstr(msg, "connection slots are reserved") != NULL;
}

/*
 * Connect DB to WHERE, trying again after a short back-off while the
 * server does not answer (db_retry_pause). WD_OK; WD_ETEMP with the
 * reason and how often it was tried; or WD_ECONFIG, at once, when the
 * server refused us (pg_connect_curable).
 */
static enum wd_status
pg_connect(struct pg *db, const char *where, char **cause)
{
	struct db_retry	 r;
	const char	*msg;

	db_retry_init(&r, NULL);
	for (r.tries = 1; ; ) {
		if (db->conn != NULL)
			lpq.finish(db->conn);
		db->conn = lpq.connectdb(where);
		if (db->conn != NULL && lpq.status(db->conn) == CONNECTION_OK)
			return WD_OK;
		msg = db->conn != NULL ? lpq.error_message(db->conn) :
		    "out of memory";
		if (!pg_connect_curable(msg))
			return status_set(cause, WD_ECONFIG, "cannot connect "
			    "to database %s: %.*s", db->where,
			    (int)strcspn(msg, "\n"), msg);
		if (!db_retry_pause(&r))
			break;
	}
	return status_set(cause, WD_ETEMP, "the database server at %s is not "
	    "answering: %.*s (tried %d time%s in %lld s)", db->where,
	    (int)strcspn(msg, "\n"), msg, r.tries, r.tries == 1 ? "" : "s",
	    (long long)db_retry_seconds(&r));
}

/*
 * A new session on DB's connection after it was lost: libpq connects
 * again with the same parameters; our settings are applied again and the
 * statements will be prepared again. What others committed meanwhile is
 * unknown: the data version moves, so that a reader looks again. (The
 * one place a session is renewed: what a session must hold, a LISTEN
 * among it, belongs here or in pg_session.)
 */
static enum wd_status
pg_reconnect(struct db *base, char **cause)
{
	struct pg	*db = PG(base);

	lpq.reset(db->conn);
	pg_forget_prepared(db);
	if (lpq.status(db->conn) != CONNECTION_OK)
		return pg_error(db, NULL, cause);
	return pg_session(db, cause);
}

/*
 * Check that libpq can read the URL WHERE (SAFE: the same, its password
 * hidden) before any try to connect: a parameter it does not know, a
 * bad value, a malformed host is WD_ECONFIG at once, not a server that
 * does not answer. libpq's message may quote the URL, password and all:
 * only what comes before the quotation is kept.
 */
static enum wd_status
pg_check_url(const char *where, const char *safe, char **cause)
{
	PQconninfoOption	*opts;
	enum wd_status		 status;
	char			*msg = NULL, *quote;
	size_t			 len;

	if ((opts = lpq.conninfo_parse(where, &msg)) != NULL) {
		lpq.conninfo_free(opts);
		return WD_OK;
	}
	if (msg == NULL)
		return status_set(cause, WD_ETEMP, "out of memory");
	len = strcspn(msg, "\n");
	if ((quote = strstr(msg, " in URI: ")) != NULL &&
	    (size_t)(quote - msg) < len)
		len = (size_t)(quote - msg);
	status = status_set(cause, WD_ECONFIG, "database URL %s: %.*s", safe,
	    (int)len, msg);
	lpq.freemem(msg);
	return status;
}

/*
 * Connect to the URL WHERE and set the session up, every transaction
 * read-only with READ_ONLY: the one way both openers below connect. WD_OK
 * and *DBP, or the error (*DBP NULL).
 */
static enum wd_status
pg_start(const char *where, bool read_only, struct pg **dbp, char **cause)
{
	struct pg	*db;
	enum wd_status	 status;

	*dbp = NULL;
	if (pg_load(cause) != 0)
		return WD_ECONFIG;
	db = xcalloc(1, sizeof *db);
	db->base.ops = &db_pg_ops;
	db->where = db_where_safe(where);
	db->base.where = db->where;
	db->busy_ms = DB_BUSY_TIMEOUT_MS;
	db->read_only = read_only;
	if ((status = pg_check_url(where, db->where, cause)) != WD_OK ||
	    (status = pg_connect(db, where, cause)) != WD_OK)
		goto fail;
	if ((status = pg_session(db, cause)) != WD_OK)
		goto fail;
	*dbp = db;
	return WD_OK;
fail:
	pg_close(&db->base);
	return status;
}

/*
 * Connect to the database the URL WHERE names. With CREATE, the schema
 * is created or brought up to date; without, it is left as it is found.
 */
static enum wd_status
pg_open(const char *where, bool create, struct db **dbp, char **cause)
{
	struct pg	*db;
	enum wd_status	 status;
	int64_t		 version;

	*dbp = NULL;
	if ((status = pg_start(where, false, &db, cause)) != WD_OK)
		return status;
	if (create)
		status = pg_migrate(db, cause);
	else
		status = pg_check_identity(db, &version, cause);
	if (status != WD_OK) {
		pg_close(&db->base);
		return status;
	}
	*dbp = &db->base;
	return WD_OK;
}

/*
 * Connect to another program's database (a Django one, for
 * --import-django) at the URL WHERE, every transaction read-only; see
 * db.h db_open_foreign().
 */
enum wd_status
db_pg_open_foreign(const char *where, struct db **dbp, char **cause)
{
	struct pg	*db;
	enum wd_status	 status;

	*dbp = NULL;
	if ((status = pg_start(where, true, &db, cause)) != WD_OK)
		return status;
	*dbp = &db->base;
	return WD_OK;
}

/* Free ST's result and its last blob. */
static void
pg_stmt_clear(struct pg_stmt *st)
{
	if (st->blob != NULL)
		lpq.freemem(st->blob);
	st->blob = NULL;
	lpq.clear(st->res);
	st->res = NULL;
	st->row = -1;
}

/* Forget the values bound to ST. */
static void
pg_unbind(struct pg_stmt *st)
{
	int	i;

	for (i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

/* Close DB and free its statements. */
static void
pg_close(struct db *base)
{
	struct pg	*db = PG(base);
	struct pg_stmt	*st;
	size_t		 i;
	int		 j;

	for (i = 0; i < db->nstmts; i++) {
		st = db->stmts[i];
		pg_stmt_clear(st);
		pg_unbind(st);
		for (j = 0; j < st->nparams; j++)
			free(st->names[j]);
		free(st->names);
		free(st->values);
		free(st->lengths);
		free(st->formats);
		free(st->text);
		free(st);
	}
	free(db->stmts);
	if (db->conn != NULL)
		lpq.finish(db->conn);
	free(db->where);
	free(db);
}

/*
 * Begin transaction level DEPTH: see the top of this file for the
 * isolation levels; savepoints inside.
 */
static enum wd_status
pg_begin(struct db *base, int depth, bool write, char **cause)
{
	struct pg	*db = PG(base);
	enum wd_status	 status;
	char		*sql;

	if (depth == 0) {
		status = pg_exec_sql(db, write ? "BEGIN ISOLATION LEVEL READ "
		    "COMMITTED; SELECT pg_advisory_xact_lock("
		    DB_PG_WRITE_LOCK ")" : "BEGIN ISOLATION LEVEL REPEATABLE "
		    "READ", cause);
		if (status != WD_OK && lpq.status(db->conn) == CONNECTION_OK &&
		    lpq.transaction_status(db->conn) != PQTRANS_IDLE)
			(void)pg_exec_sql(db, "ROLLBACK", NULL);
		return status;
	}
	sql = xasprintf("SAVEPOINT wd%d", depth);
	status = pg_exec_sql(db, sql, cause);
	free(sql);
	return status;
}

/*
 * Commit level DEPTH. A writer's outermost level tells the listeners
 * (see the top of this file): the NOTIFY goes out with the COMMIT, in
 * the same round trip, and only if it commits.
 */
static enum wd_status
pg_commit(struct db *base, int depth, char **cause)
{
	struct pg	*db = PG(base);
	enum wd_status	 status;
	char		*sql;

	if (depth == 0)
		return pg_exec_sql(db, base->levels[0].write ?
		    "NOTIFY " DB_PG_CHANNEL "; COMMIT" : "COMMIT", cause);
	sql = xasprintf("RELEASE SAVEPOINT wd%d", depth);
	status = pg_exec_sql(db, sql, cause);
	free(sql);
	return status;
}

/* Undo level DEPTH. */
static void
pg_rollback(struct db *base, int depth)
{
	struct pg	*db = PG(base);
	char		*sql;
	size_t		 i;

	for (i = 0; i < db->nstmts; i++)
		pg_stmt_clear(db->stmts[i]);
	if (depth == 0) {
		(void)pg_exec_sql(db, "ROLLBACK", NULL);
		return;
	}
	sql = xasprintf("ROLLBACK TO SAVEPOINT wd%d; RELEASE SAVEPOINT wd%d",
	    depth, depth);
	(void)pg_exec_sql(db, sql, NULL);
	free(sql);
}

/* The cached statement for SQL (by address), translated on first use. */
static struct db_stmt *
pg_prepare(struct db *base, const char *sql)
{
	struct pg	*db = PG(base);
	struct pg_stmt	*st;
	size_t		 i;

	for (i = 0; i < db->nstmts; i++) {
		st = db->stmts[i];
		if (st->base.sql != sql)
			continue;
		pg_stmt_clear(st);
		pg_unbind(st);
		return &st->base;
	}
	if (db->nstmts == db->capstmts) {
		db->capstmts = db->capstmts == 0 ? 32 : db->capstmts * 2;
		db->stmts = xreallocarray(db->stmts, db->capstmts,
		    sizeof *db->stmts);
	}
	st = xcalloc(1, sizeof *st);
	st->base.sql = sql;
	st->base.db = base;
	st->db = db;
	st->row = -1;
	snprintf(st->name, sizeof st->name, "wd%zu", db->nstmts);
	st->text = db_pg_translate(sql, &st->names, &st->nparams);
	st->values = xcalloc((size_t)st->nparams + 1, sizeof *st->values);
	st->lengths = xcalloc((size_t)st->nparams + 1, sizeof *st->lengths);
	st->formats = xcalloc((size_t)st->nparams + 1, sizeof *st->formats);
	db->stmts[db->nstmts++] = st;
	return &st->base;
}

/* The index of parameter NAME in ST; aborts when the SQL lacks it. */
static int
pg_param(struct pg_stmt *st, const char *name)
{
	int	i;

	for (i = 0; i < st->nparams; i++) {
		if (strcmp(st->names[i], name) == 0)
			return i;
	}
	db_bug("no such SQL parameter", name);
}

/* Bind the integer V to NAME. */
static void
pg_bind_int(struct db_stmt *bst, const char *name, int64_t v)
{
	struct pg_stmt	*st = PGST(bst);
	int		 i = pg_param(st, name);

	free(st->values[i]);
	st->values[i] = xasprintf("%" PRId64, v);
	st->formats[i] = 0;
}

/* Bind a copy of the text V to NAME. */
static void
pg_bind_text(struct db_stmt *bst, const char *name, const char *v)
{
	struct pg_stmt	*st = PGST(bst);
	int		 i = pg_param(st, name);

	free(st->values[i]);
	st->values[i] = xstrdup(v);
	st->formats[i] = 0;
}

/* Bind a copy of the LEN bytes at V to NAME (binary: a bytea). */
static void
pg_bind_blob(struct db_stmt *bst, const char *name, const void *v,
    size_t len)
{
	struct pg_stmt	*st = PGST(bst);
	int		 i = pg_param(st, name);

	free(st->values[i]);
	st->values[i] = xmalloc(len + 1);
	memcpy(st->values[i], v, len);
	st->lengths[i] = (int)len;
	st->formats[i] = 1;
}

/* Bind NULL to NAME. */
static void
pg_bind_null(struct db_stmt *bst, const char *name)
{
	struct pg_stmt	*st = PGST(bst);
	int		 i = pg_param(st, name);

	free(st->values[i]);
	st->values[i] = NULL;
}

/*
 * Prepare (once per session) and run ST, or run it unnamed when it is to
 * be planned at each run (db_plan_each_run); its rows in st->res. WD_OK
 * or the error.
 */
static enum wd_status
pg_run(struct pg_stmt *st, char **cause)
{
	struct pg	*db = st->db;
	PGresult	*res;
	ExecStatusType	 rs;
	const char	*n;

	if (!st->prepared && !st->each_run) {
		res = lpq.prepare(db->conn, st->name, st->text, st->nparams,
		    NULL);
		if (res == NULL || lpq.result_status(res) != PGRES_COMMAND_OK) {
			enum wd_status s = pg_error(db, res, cause);
			lpq.clear(res);
			return s;
		}
		lpq.clear(res);
		st->prepared = true;
	}
	if (st->each_run)
		res = lpq.exec_params(db->conn, st->text, st->nparams, NULL,
		    (const char *const *)st->values, st->lengths, st->formats,
		    0);
	else
		res = lpq.exec_prepared(db->conn, st->name, st->nparams,
		    (const char *const *)st->values, st->lengths,
		    st->formats, 0);
	rs = res != NULL ? lpq.result_status(res) : PGRES_FATAL_ERROR;
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
		enum wd_status s = pg_error(db, res, cause);
		lpq.clear(res);
		return s;
	}
	n = lpq.cmd_tuples(res);
	db->changes = n != NULL && *n != '\0' ? (int)strtol(n, NULL, 10) : 0;
	st->res = res;
	st->row = -1;
	return WD_OK;
}

/* Step ST: 1 for a row, 0 when done, -1 on error; see db.h. */
static int
pg_step(struct db_stmt *bst, enum wd_status *status, char **cause)
{
	struct pg_stmt	*st = PGST(bst);
	enum wd_status	 s;

	if (st->res == NULL) {
		/* A lost session is the front's to renew (db_step). */
		s = pg_run(st, cause);
		if (s != WD_OK) {
			if (status != NULL)
				*status = s;
			return -1;
		}
	}
	if (st->blob != NULL) {
		lpq.freemem(st->blob);
		st->blob = NULL;
	}
	if (st->row + 1 < lpq.ntuples(st->res)) {
		st->row++;
		return 1;
	}
	st->row = lpq.ntuples(st->res);
	return 0;
}

/*
 * Run ST, a bookkeeping write that may be skipped. On PostgreSQL it takes
 * no writers' lock outside a transaction and waits only for the row it
 * changes: it runs as db_exec() does.
 */
static enum wd_status
pg_exec_nowait(struct db_stmt *bst, char **cause)
{
	return db_exec(bst, cause);
}

/* Reset ST: drop its rows; its bindings stay. */
static void
pg_reset(struct db_stmt *bst)
{
	pg_stmt_clear(PGST(bst));
}

/* Whether column COL of the current row is NULL (or there is no row). */
static bool
pg_column_is_null(struct db_stmt *bst, int col)
{
	struct pg_stmt	*st = PGST(bst);

	return st->res == NULL || st->row < 0 ||
	    st->row >= lpq.ntuples(st->res) ||
	    lpq.getisnull(st->res, st->row, col);
}

/*
 * What column COL holds, from its type: int2, int4 and int8 (OIDs 21, 23,
 * 20) are integers, bytea (17) a blob, the rest text.
 */
static enum db_type
pg_column_type(struct db_stmt *bst, int col)
{
	struct pg_stmt	*st = PGST(bst);

	if (pg_column_is_null(bst, col))
		return DB_TYPE_NULL;
	switch (lpq.ftype(st->res, col)) {
	case 20:
	case 21:
	case 23:
		return DB_TYPE_INT;
	case 17:
		return DB_TYPE_BLOB;
	default:
		return DB_TYPE_TEXT;
	}
}

/* An integer column; a boolean reads as 1 or 0, NULL as 0. */
static int64_t
pg_column_int(struct db_stmt *bst, int col)
{
	struct pg_stmt	*st = PGST(bst);
	const char	*v;

	if (pg_column_is_null(bst, col))
		return 0;
	v = lpq.getvalue(st->res, st->row, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

/* A text column; NULL for NULL. Valid until the next step or reset. */
static const char *
pg_column_text(struct db_stmt *bst, int col)
{
	struct pg_stmt	*st = PGST(bst);

	if (pg_column_is_null(bst, col))
		return NULL;
	return lpq.getvalue(st->res, st->row, col);
}

/* A bytea column, unescaped; valid until the next call, step or reset. */
static const void *
pg_column_blob(struct db_stmt *bst, int col, size_t *len)
{
	struct pg_stmt	*st = PGST(bst);

	*len = 0;
	if (pg_column_is_null(bst, col))
		return NULL;
	if (st->blob != NULL)
		lpq.freemem(st->blob);
	st->blob = lpq.unescape_bytea((const unsigned char *)
	    lpq.getvalue(st->res, st->row, col), len);
	return st->blob;
}

/*
 * The id the last INSERT gave: lastval(), the value the session took last
 * from a sequence (every table's identity column has one; the triggers
 * take none). 0 when it cannot be read.
 */
static int64_t
pg_last_insert_id(struct db *base)
{
	int64_t	v;

	if (pg_query_int(PG(base), "SELECT lastval()", &v, NULL) != WD_OK)
		return 0;
	return v;
}

/* Rows the last statement changed. */
static int
pg_changes(struct db *base)
{
	return PG(base)->changes;
}

/*
 * A number that moves when another session commits a change, or when
 * the connection is a new session: the first call LISTENs, each call
 * then counts the notices that have arrived, without waiting for any.
 * Our own notices (the same backend) do not count, as on SQLite.
 */
static int64_t
pg_data_version(struct db *base)
{
	struct pg	*db = PG(base);
	PGnotify	*n;
	int		 self;

	if (lpq.status(db->conn) != CONNECTION_OK)
		return db->data_version;
	if (!db->listening && base->depth == 0) {
		if (pg_exec_sql(db, "LISTEN " DB_PG_CHANNEL, NULL) != WD_OK)
			return db->data_version;
		db->listening = true;
	}
	if (lpq.consume_input(db->conn) == 0)
		return db->data_version;
	self = lpq.backend_pid(db->conn);
	while ((n = lpq.notifies(db->conn)) != NULL) {
		if (n->be_pid != self)
			db->data_version++;
		lpq.freemem(n);
	}
	return db->data_version;
}

/*
 * Whether the connection is up: not lost, not being ended by the server,
 * no reconnection under way.
 */
static bool
pg_connected(struct db *base)
{
	return lpq.status(PG(base)->conn) == CONNECTION_OK &&
	    !PG(base)->ending;
}

/*
 * One step of making a lost connection again, without waiting: WD_OK
 * once it is up (its session set up again, see pg_session), WD_ETEMP
 * while it is not yet, with *CAUSE saying why when an attempt failed
 * (the next call starts another).
 */
static enum wd_status
pg_reconnect_poll(struct db *base, char **cause)
{
	struct pg	*db = PG(base);
	struct pollfd	 pfd;
	const char	*msg;

	/* Made again meanwhile (a statement's reset, or our last step). */
	if (pg_connected(base) && !db->resetting)
		return WD_OK;
	if (!db->resetting) {
		if (!lpq.reset_start(db->conn))
			goto failed;
		db->resetting = true;
		db->polling = PGRES_POLLING_WRITING;
	}
	for (;;) {
		if (lpq.status(db->conn) == CONNECTION_OK ||
		    db->polling == PGRES_POLLING_OK) {
			db->resetting = false;
			pg_forget_prepared(db);
			return pg_session(db, cause);
		}
		if (db->polling == PGRES_POLLING_FAILED ||
		    lpq.status(db->conn) == CONNECTION_BAD)
			goto failed;
		memset(&pfd, 0, sizeof pfd);
		pfd.fd = lpq.socket(db->conn);
		pfd.events = db->polling == PGRES_POLLING_READING ? POLLIN :
		    POLLOUT;
		if (pfd.fd < 0 || poll(&pfd, 1, 0) <= 0)
			return status_set(cause, WD_ETEMP, "database server "
			    "%s: still connecting", db->where);
		db->polling = lpq.reset_poll(db->conn);
	}
failed:
	db->resetting = false;
	msg = lpq.error_message(db->conn);
	return status_set(cause, WD_ETEMP, "database server %s: %.*s",
	    db->where, (int)strcspn(msg, "\n"), msg);
}

/* The lines of the EXPLAIN result RES, each ending in a newline (new). */
static char *
pg_plan_text(PGresult *res)
{
	struct strbuf	sb;
	int		i;

	memset(&sb, 0, sizeof sb);
	strbuf_addstr(&sb, "");
	for (i = 0; i < lpq.ntuples(res); i++)
		strbuf_addf(&sb, "%s\n", lpq.getvalue(res, i, 0));
	return strbuf_detach(&sb);
}

/*
 * The generic plan of SQL into *PLAN (new), one line of EXPLAIN a line:
 * the plan the server makes without knowing the parameters' values, as
 * it does for a prepared statement run often (plan_cache_mode =
 * force_generic_plan for the EXPLAIN EXECUTE, its parameters NULL). No
 * transaction may be open.
 */
static enum wd_status
pg_query_plan(struct db *base, const char *sql, char **plan, char **cause)
{
	struct pg	*db = PG(base);
	struct strbuf	 sb;
	PGresult	*res;
	enum wd_status	 status;
	char		**names, *text, *explain;
	int		 n, i;

	*plan = NULL;
	text = db_pg_translate(sql, &names, &n);
	memset(&sb, 0, sizeof sb);
	strbuf_addstr(&sb, "EXPLAIN EXECUTE wd_plan");
	for (i = 0; i < n; i++) {
		strbuf_addstr(&sb, i == 0 ? "(NULL" : ", NULL");
		free(names[i]);
	}
	free(names);
	if (n > 0)
		strbuf_addstr(&sb, ")");
	explain = strbuf_detach(&sb);
	res = lpq.prepare(db->conn, "wd_plan", text, n, NULL);
	free(text);
	if (res == NULL || lpq.result_status(res) != PGRES_COMMAND_OK) {
		status = pg_error(db, res, cause);
		lpq.clear(res);
		free(explain);
		return status;
	}
	lpq.clear(res);
	if ((status = pg_exec_sql(db, "SET plan_cache_mode = "
	    "force_generic_plan", cause)) != WD_OK)
		goto out;
	res = lpq.exec(db->conn, explain);
	if (res == NULL || lpq.result_status(res) != PGRES_TUPLES_OK)
		status = pg_error(db, res, cause);
	else {
		*plan = pg_plan_text(res);
	}
	lpq.clear(res);
out:
	(void)pg_exec_sql(db, "DEALLOCATE wd_plan; RESET plan_cache_mode",
	    NULL);
	free(explain);
	return status;
}

/* Run BST unnamed from now on: planned for its values at each run. */
static void
pg_plan_each_run(struct db_stmt *bst)
{
	PGST(bst)->each_run = true;
}

/*
 * The plan of the statement BST for the values bound to it into *PLAN
 * (new), one line of EXPLAIN a line: the plan the server makes for a
 * statement run once (a "custom" plan), as --check-sla runs its due
 * query, and as a session runs a statement whose plan depends on its
 * values (the server keeps making custom plans while the generic one
 * looks dearer).
 */
static enum wd_status
pg_query_plan_bound(struct db_stmt *bst, char **plan, char **cause)
{
	struct pg_stmt	*st = PGST(bst);
	struct pg	*db = st->db;
	PGresult	*res;
	enum wd_status	 status = WD_OK;
	char		*explain;

	*plan = NULL;
	explain = xasprintf("EXPLAIN %s", st->text);
	res = lpq.exec_params(db->conn, explain, st->nparams, NULL,
	    (const char *const *)st->values, st->lengths, st->formats, 0);
	free(explain);
	if (res == NULL || lpq.result_status(res) != PGRES_TUPLES_OK)
		status = pg_error(db, res, cause);
	else {
		*plan = pg_plan_text(res);
	}
	lpq.clear(res);
	return status;
}

/*
 * What the migrations make (in the scratch schema, $2) that the
 * database's own schema ($1) lacks, one finding a row, in the order of
 * the SQLite side (db_sqlite.c db_schema_compare): the tables by name,
 * each followed by the columns it lacks, then the indexes, triggers and
 * functions by name. Indexes include those of the primary keys and the
 * unique constraints; triggers are those the migrations create (not the
 * server's own of the foreign keys); functions are named with their
 * argument types.
 */
static const char pg_sql_missing[] =
    "WITH ns AS (SELECT "
    "(SELECT oid FROM pg_namespace WHERE nspname = $1) AS home, "
    "(SELECT oid FROM pg_namespace WHERE nspname = $2) AS scratch), "
    "obj AS ("
    "SELECT c.relnamespace AS nsp, CASE WHEN c.relkind = 'i' "
    "THEN 'index' ELSE 'table' END AS type, c.relname::text AS name, "
    "'' AS tab FROM pg_class c, ns "
    "WHERE c.relnamespace IN (ns.home, ns.scratch) "
    "AND c.relkind IN ('r', 'p', 'i') "
    "UNION ALL SELECT c.relnamespace, 'trigger', t.tgname::text, "
    "c.relname::text FROM pg_trigger t JOIN pg_class c "
    "ON c.oid = t.tgrelid, ns "
    "WHERE c.relnamespace IN (ns.home, ns.scratch) AND NOT t.tgisinternal "
    "UNION ALL SELECT p.pronamespace, 'function', p.proname || '(' || "
    "oidvectortypes(p.proargtypes) || ')', '' FROM pg_proc p, ns "
    "WHERE p.pronamespace IN (ns.home, ns.scratch)), "
    "col AS (SELECT c.relnamespace AS nsp, c.relname::text AS tab, "
    "a.attname::text AS name, a.attnum FROM pg_attribute a "
    "JOIN pg_class c ON c.oid = a.attrelid, ns "
    "WHERE c.relnamespace IN (ns.home, ns.scratch) "
    "AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
    "AND NOT a.attisdropped) "
    "SELECT finding FROM ("
    "SELECT w.type || ' ' || w.name || ' is missing' AS finding, "
    "w.type <> 'table' AS late, w.name AS k1, 0 AS k2 FROM obj w, ns "
    "WHERE w.nsp = ns.scratch AND NOT EXISTS (SELECT 1 FROM obj h "
    "WHERE h.nsp = ns.home AND h.type = w.type AND h.name = w.name "
    "AND h.tab = w.tab) "
    "UNION ALL SELECT 'table ' || w.tab || ' has no column ' || w.name, "
    "false, w.tab, w.attnum FROM col w, ns WHERE w.nsp = ns.scratch "
    "AND EXISTS (SELECT 1 FROM obj h WHERE h.nsp = ns.home "
    "AND h.type = 'table' AND h.name = w.tab) "
    "AND NOT EXISTS (SELECT 1 FROM col h WHERE h.nsp = ns.home "
    "AND h.tab = w.tab AND h.name = w.name)) f "
    "ORDER BY late, k1 COLLATE \"C\", k2";

/*
 * Within the transaction: a schema of our own for the comparison, named
 * after the session (no other session can have it), first in the
 * search path, before the database's own schema and those of the
 * extensions (citext, unaccent), for the rest of the transaction.
 */
static const char pg_sql_scratch[] =
    "DO $$BEGIN "
    "EXECUTE format('CREATE SCHEMA %I', "
    "'wd_schema_check_' || pg_backend_pid()); "
    "PERFORM set_config('search_path', format('%I, ', "
    "'wd_schema_check_' || pg_backend_pid()) || "
    "current_setting('search_path'), true); "
    "END$$";

/*
 * Whether the role may create the scratch schema: WD_OK, or WD_EAUTH
 * with what to grant.
 */
static enum wd_status
pg_scratch_allowed(struct pg *db, char **cause)
{
	PGresult	*res;
	enum wd_status	 status = WD_OK;

	res = lpq.exec(db->conn, "SELECT current_user, current_database() "
	    "WHERE NOT has_database_privilege(current_database(), 'CREATE')");
	if (res == NULL || lpq.result_status(res) != PGRES_TUPLES_OK)
		status = pg_error(db, res, cause);
	else if (lpq.ntuples(res) > 0)
		status = status_set(cause, WD_EAUTH, "role %s may not create "
		    "a schema in database %s to build the expected one in "
		    "(GRANT CREATE ON DATABASE %s TO %s, or run it as the "
		    "database's owner)", lpq.getvalue(res, 0, 0),
		    lpq.getvalue(res, 0, 1), lpq.getvalue(res, 0, 1),
		    lpq.getvalue(res, 0, 0));
	lpq.clear(res);
	return status;
}

/*
 * Compare DB's schema with what its version VERSION should hold: the
 * migrations up to it are run in a scratch schema, in a transaction that
 * is always rolled back, and the catalogs of the two are compared. WD_OK
 * with *FINDINGS NULL when nothing is missing, or a new string (the
 * caller frees it) naming each missing object; another status, with
 * *cause, when the comparison itself failed. The scratch schema and its
 * objects are the transaction's own: writers, who touch none of them,
 * never wait for it.
 */
static enum wd_status
pg_schema_compare(struct pg *db, int64_t version, char **findings,
    char **cause)
{
	const struct embedded_file	*f;
	const char			*params[2];
	struct strbuf			 sb;
	PGresult			*res = NULL;
	enum wd_status			 status;
	char				*home = NULL, *scratch = NULL;
	int64_t				 done;
	int				 i;

	*findings = NULL;
	memset(&sb, 0, sizeof sb);
	if ((status = pg_scratch_allowed(db, cause)) != WD_OK)
		return status;
	if ((status = pg_query_text(db, "SELECT current_schema()", &home,
	    cause)) != WD_OK)
		return status;
	if (home == NULL)
		return status_set(cause, WD_EFAIL, "database %s: no schema in "
		    "the search path", db->where);
	if ((status = pg_exec_sql(db, "BEGIN ISOLATION LEVEL READ COMMITTED",
	    cause)) != WD_OK)
		goto out;
	if ((status = pg_exec_sql(db, pg_sql_scratch, cause)) != WD_OK ||
	    (status = pg_query_text(db, "SELECT current_schema()", &scratch,
	    cause)) != WD_OK)
		goto out;
	for (done = 0; (f = pg_migration_next(done)) != NULL &&
	    db_migration_version(PG_MIGRATIONS_PREFIX, f->path) <= version;
	    done = db_migration_version(PG_MIGRATIONS_PREFIX, f->path)) {
		if ((status = pg_exec_sql(db, f->data, cause)) != WD_OK) {
			/* A privilege lacking, a lost session: as they are. */
			if (status != WD_EFAIL)
				goto out;
			free(*cause);
			*cause = NULL;
			status = status_set(cause, WD_EFAIL, "cannot build the "
			    "expected schema: %s: %s", f->path,
			    lpq.error_message(db->conn));
			goto out;
		}
	}
	params[0] = home;
	params[1] = scratch;
	res = lpq.exec_params(db->conn, pg_sql_missing, 2, NULL, params, NULL,
	    NULL, 0);
	if (res == NULL || lpq.result_status(res) != PGRES_TUPLES_OK) {
		status = pg_error(db, res, cause);
		goto out;
	}
	for (i = 0; i < lpq.ntuples(res); i++)
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? "; " : "",
		    lpq.getvalue(res, i, 0));
	if (sb.len > 0)
		*findings = strbuf_detach(&sb);
out:
	lpq.clear(res);
	if (lpq.transaction_status(db->conn) != PQTRANS_IDLE)
		(void)pg_exec_sql(db, "ROLLBACK", NULL);
	strbuf_free(&sb);
	free(scratch);
	free(home);
	return status;
}

/*
 * Check that the schema is ours and whole: its identity and version,
 * then every table, column, index, trigger and function its version
 * should hold (pg_schema_compare). WD_EAUTH when the role may not make
 * the scratch schema the comparison needs.
 */
static enum wd_status
pg_schema_check(struct db *base, char **cause)
{
	struct pg	*db = PG(base);
	int64_t		 v;
	enum wd_status	 status;
	char		*findings;

	if ((status = pg_check_identity(db, &v, cause)) != WD_OK)
		return status;
	if (v == 0)
		return status_set(cause, WD_EFAIL, "database %s has no "
		    "schema yet: run watchdog --init", db->where);
	if ((status = pg_schema_compare(db, v, &findings, cause)) != WD_OK)
		return status;
	if (findings == NULL)
		return WD_OK;
	status = status_set(cause, WD_EFAIL, "%s", findings);
	free(findings);
	return status;
}

/*
 * PostgreSQL checks its pages itself (data checksums, when the cluster
 * has them); there is nothing of ours to run.
 */
static enum wd_status
pg_integrity_check(struct db *base, char **cause)
{
	(void)base;
	(void)cause;
	return WD_OK;
}

/* The server's version (e.g. 150018) and whether TLS is in use. */
void
db_pg_info(struct db *base, int *version, bool *tls)
{
	struct pg	*db = PG(base);

	*version = lpq.server_version(db->conn);
	*tls = lpq.ssl_in_use(db->conn) != 0;
}

/*
 * The privileges the program needs that the role lacks, one "PRIVILEGE on
 * OBJECT" each, in one row; see db_pg.h.
 */
static const char sql_pg_missing_privileges[] =
    "SELECT current_user::text, string_agg(what, ', ' ORDER BY what) FROM ("
    "SELECT 'USAGE on schema ' || current_schema() AS what "
    "WHERE NOT has_schema_privilege(current_schema(), 'USAGE') "
    "UNION ALL "
    "SELECT p.priv || ' on ' || c.relname FROM pg_class c "
    "CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE')) "
    "AS p(priv) "
    "WHERE c.relnamespace = current_schema()::regnamespace "
    "AND c.relkind IN ('r', 'p') AND NOT has_table_privilege(c.oid, p.priv) "
    "UNION ALL "
    "SELECT 'USAGE on ' || c.relname FROM pg_class c "
    "WHERE c.relnamespace = current_schema()::regnamespace "
    "AND CASE WHEN c.relkind = 'S' THEN "
    "NOT has_sequence_privilege(c.oid, 'USAGE') ELSE false END "
    "UNION ALL "
    "SELECT 'EXECUTE on ' || f.proname || '()' FROM pg_proc f "
    "WHERE f.pronamespace = current_schema()::regnamespace "
    "AND (f.proname LIKE 'wd\\_%' OR f.proname = 'instr') "
    "AND NOT has_function_privilege(f.oid, 'EXECUTE')) AS m";

/* What the role lacks; see db_pg.h. */
enum wd_status
db_pg_missing_privileges(struct db *db, char **role, char **missing,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	*role = *missing = NULL;
	st = db_prepare(db, sql_pg_missing_privileges);
	if ((status = db_step_one(st, cause)) != WD_OK)
		return status;
	*role = db_column_strdup(st, 0);
	*missing = db_column_strdup(st, 1);
	db_reset(st);
	return WD_OK;
}

const struct db_ops db_pg_ops = {
	.engine = DB_POSTGRESQL,
	.survives_fork = true,
	.open = pg_open,
	.close = pg_close,
	.set_busy_timeout = pg_set_busy_timeout,
	.schema_version = pg_schema_version,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.exec_nowait = pg_exec_nowait,
	.reset = pg_reset,
	.column_int = pg_column_int,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_is_null = pg_column_is_null,
	.column_type = pg_column_type,
	.last_insert_id = pg_last_insert_id,
	.changes = pg_changes,
	.data_version = pg_data_version,
	.query_plan = pg_query_plan,
	.plan_each_run = pg_plan_each_run,
	.query_plan_bound = pg_query_plan_bound,
	.schema_check = pg_schema_check,
	.integrity_check = pg_integrity_check,
	.reconnect = pg_reconnect,
	.connected = pg_connected,
	.reconnect_poll = pg_reconnect_poll,
};
