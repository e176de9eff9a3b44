/*
 * db_backend.h: what the storage front (db.c) needs of an engine, and
 * what each engine's connection and statement begin with. Only db.c,
 * db_sqlite.c and db_pg.c include it; everything else sees db.h.
 *
 * Each engine's struct embeds struct db (and struct db_stmt) as its first
 * member, so that the front keeps the transaction levels and the engines
 * what is theirs (the connection, the statement cache).
 */
#ifndef WATCHDOG_DB_BACKEND_H
#define WATCHDOG_DB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watchdog/db.h"
#include "watchdog/status.h"

/* Transaction levels deeper than this are a programming error. */
#define DB_MAX_DEPTH		16

/* Where an open transaction level began, and whether it writes. */
struct db_level {
	const char	*file;
	int		 line;
	bool		 write;
};

struct db_ops;

/*
 * What the last failure was, as far as running the transaction again
 * goes: set by the engine when a statement fails, cleared by the front
 * before each try (see db_retry_again in db.h).
 */
enum db_fault {
	DB_FAULT_NONE,
	DB_FAULT_CONFLICT,	/* serialization failure, deadlock */
	DB_FAULT_LOST		/* the connection is gone */
};

/* The part of a connection the front owns. */
struct db {
	const struct db_ops	*ops;
	int			 depth;		/* open transaction levels */
	struct db_level		 levels[DB_MAX_DEPTH];
	char			 site[128];	/* db_transaction_site() */
	const char		*where;		/* URL, password hidden */
	enum db_fault		 fault;		/* the last failure's kind */
	bool			 commit_lost;	/* lost in an outer COMMIT */
	bool			 in_retry;	/* a DB_RETRY loop is running */
	int			 retry_tries;	/* db_set_retry() */
	int			 retry_ms;
	int			 retry_base_ms;
};

/* The part of a statement the front reads. */
struct db_stmt {
	struct db	*db;
	const char	*sql;		/* the caller's constant: the cache key */
	int64_t		 rows;		/* rows stepped since the last reset */
};

/*
 * An engine. Transaction control gets the level being begun or ended
 * (0 the outermost): the front has checked the nesting already.
 */
struct db_ops {
	enum db_engine	 engine;
	/* A connection may stay open across a fork whose child leaves it. */
	bool		 survives_fork;
	enum wd_status	(*open)(const char *where, bool create,
			    struct db **dbp, char **cause);
	void		(*close)(struct db *);
	void		(*set_busy_timeout)(struct db *, int);
	int		(*schema_version)(struct db *);
	enum wd_status	(*begin)(struct db *, int, bool, char **);
	enum wd_status	(*commit)(struct db *, int, char **);
	void		(*rollback)(struct db *, int);
	struct db_stmt *(*prepare)(struct db *, const char *);
	void		(*bind_int)(struct db_stmt *, const char *, int64_t);
	void		(*bind_text)(struct db_stmt *, const char *,
			    const char *);
	void		(*bind_blob)(struct db_stmt *, const char *,
			    const void *, size_t);
	void		(*bind_null)(struct db_stmt *, const char *);
	int		(*step)(struct db_stmt *, enum wd_status *, char **);
	enum wd_status	(*exec_nowait)(struct db_stmt *, char **);
	void		(*reset)(struct db_stmt *);
	int64_t		(*column_int)(struct db_stmt *, int);
	const char     *(*column_text)(struct db_stmt *, int);
	const void     *(*column_blob)(struct db_stmt *, int, size_t *);
	bool		(*column_is_null)(struct db_stmt *, int);
	enum db_type	(*column_type)(struct db_stmt *, int);
	int64_t		(*last_insert_id)(struct db *);
	int		(*changes)(struct db *);
	int64_t		(*data_version)(struct db *);
	enum wd_status	(*query_plan)(struct db *, const char *, char **,
			    char **);
	/* NULL: every run is planned for its values anyway. */
	void		(*plan_each_run)(struct db_stmt *);
	/* NULL: the plan does not depend on the values bound. */
	enum wd_status	(*query_plan_bound)(struct db_stmt *, char **,
			    char **);
	enum wd_status	(*schema_check)(struct db *, char **);
	enum wd_status	(*integrity_check)(struct db *, char **);
	/*
	 * A new session after DB_FAULT_LOST, its settings applied again and
	 * its prepared statements forgotten; NULL for an engine that never
	 * loses its connection.
	 */
	enum wd_status	(*reconnect)(struct db *, char **);
	/*
	 * For an engine with a server (NULL otherwise): whether the
	 * connection is up, and one step of making it again without
	 * waiting (see db_reconnect_poll in db.h).
	 */
	bool		(*connected)(struct db *);
	enum wd_status	(*reconnect_poll)(struct db *, char **);
};

extern const struct db_ops	db_sqlite_ops;
extern const struct db_ops	db_pg_ops;

/* db_open_foreign() on each engine (see db.h). */
enum wd_status	 db_sqlite_open_foreign(const char *path, struct db **dbp,
		     char **cause);
enum wd_status	 db_pg_open_foreign(const char *where, struct db **dbp,
		     char **cause);

/*
 * Sleep before another try of R (randomized, growing back-off) and
 * count it; false, with no sleep, when R's tries or time are used up.
 * db_retry_init() sets R up with DB's policy (NULL: the defaults).
 */
void		 db_retry_init(struct db_retry *r, struct db *db);
bool		 db_retry_pause(struct db_retry *r);
/* The seconds since R began, rounded. */
int64_t		 db_retry_seconds(const struct db_retry *r);

/* Abort on a programming error (bad SQL, unknown parameter, nesting). */
void		 db_bug(const char *what, const char *detail)
		     __attribute__((noreturn));

/*
 * The version of a compiled-in migration named PREFIX + "NNNN-name.sql",
 * or -1 when PATH is not one; and the newest version under PREFIX.
 */
int		 db_migration_version(const char *prefix, const char *path);
int		 db_migration_latest(const char *prefix);

#endif
