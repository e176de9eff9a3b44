/*
 * unit.h: the unit test runner. Each tests/unit/test_*.c file registers
 * its Check suite with UNIT_SUITE(name), so no central list needs editing:
 *
 *	static Suite *config_suite(void) { ... }
 *	UNIT_SUITE(config_suite)
 */
#ifndef WATCHDOG_TESTS_UNIT_H
#define WATCHDOG_TESTS_UNIT_H

#include <stdbool.h>
#include <stdint.h>

#include <check.h>

void	unit_register(Suite *(*make)(void));

#define UNIT_SUITE(fn)							\
	static void fn##_register(void) __attribute__((constructor));	\
	static void fn##_register(void) { unit_register(fn); }

/*
 * A fresh temporary directory for one test (removed by unit_tmpdir_remove).
 * Returns a path the caller frees.
 */
char	*unit_tmpdir(void);
void	 unit_tmpdir_remove(const char *dir);

struct config;
struct db;

/*
 * Open a fresh database in a new temporary directory (*DIR, caller frees
 * after unit_tmpdir_remove) with the default configuration in *CFG, rate
 * limits off. Fails the test on error.
 */
struct db *unit_db(struct config *cfg, char **dir);

/* The path of the database of unit_db() in DIR (caller frees). */
char	*unit_db_path(const char *dir);

/* Run SQL on the database file PATH through a separate connection and
 * return the first column of the first row as an integer (-1: no row). */
long long unit_sql_int(const char *path, const char *sql);

/*
 * A private PostgreSQL server for a suite (tests/pg/lib.sh's pg_start, in
 * a new temporary directory): a keeper shell starts it, creates the
 * databases DBS (names separated by blanks) and, when its input closes
 * (unit_pg_stop) or the runner dies, stops it and removes the directory.
 * False, having said why on stderr, when it did not start.
 */
struct unit_pg {
	char	*dir;
	int	 keeper;	/* the keeper's process id, or -1 */
	int	 keeper_fd;	/* its input, or -1 */
	char	*url;		/* unit_pg_seed(): database "wd" */
	bool	 ready;		/* ... which holds the seed */
};
bool	 unit_pg_start(struct unit_pg *pg, const char *dbs);
void	 unit_pg_stop(struct unit_pg *pg);
/* The URL of database DB on PG's server, as the postgres account (new). */
char	*unit_pg_url(const struct unit_pg *pg, const char *db);
/*
 * A suite's server (an unchecked fixture): unit_pg_start(PG, DBS), DBS
 * naming "wd", then on "wd", opened as the program opens it (its schema
 * made), each constant statement of SEED (NULL-ended). PG->url is the
 * URL of "wd" and PG->ready says whether all that went.
 */
void	 unit_pg_seed(struct unit_pg *pg, const char *dbs,
	     const char *const *seed);
/* A new connection to "wd" of unit_pg_seed(); fails the test on error. */
struct db *unit_pg_connect(const struct unit_pg *pg);

struct config;
struct db;
struct user;
/*
 * Account NAME (NAME@example.org, password "correct horse 1", not an
 * administrator) created on DB at NOW, into *U (U->id, U->name); fails the
 * test on an error.
 */
void	 unit_user(struct db *db, const struct config *cfg, const char *name,
	     int64_t now, struct user *u);

/* Run constant SQL on DB, its rows if any ignored; fails the test on error. */
void	 unit_exec(struct db *db, const char *sql);
/* The integer constant SQL yields on DB; fails the test on error. */
int64_t	 unit_int(struct db *db, const char *sql);

#endif
