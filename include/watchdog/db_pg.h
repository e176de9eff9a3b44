/*
 * db_pg.h: the PostgreSQL engine of the storage layer (db_pg.c), for the
 * few callers that need more than db.h: the unit tests of the parameter
 * translation and --doctor.
 */
#ifndef WATCHDOG_DB_PG_H
#define WATCHDOG_DB_PG_H

#include <stdbool.h>

struct db;

/*
 * SQL with its named parameters (":id") replaced by $1, $2, ...: a name
 * used twice is one parameter; quoted text ('...'), quoted identifiers
 * ("..."), "--" comments and "::" casts are left alone. Returns the new
 * text and, in *NAMES (an array of *NNAMES names, ":id" first for $1),
 * the parameters; the caller frees all of it.
 */
char		*db_pg_translate(const char *sql, char ***names, int *nnames);

/* The server's version (PQserverVersion) and whether TLS is in use. */
void		 db_pg_info(struct db *db, int *version, bool *tls);

/*
 * What the connected role may not do that the program needs (--doctor):
 * SELECT, INSERT, UPDATE and DELETE on every table of the schema, USAGE
 * on the schema and on every sequence, EXECUTE on our functions (wd_*,
 * instr). WD_OK with *MISSING NULL when nothing is missing, else a new
 * string such as "DELETE on comments, USAGE on tickets_id_seq"; *ROLE
 * gets the role's name (new). Or a database error.
 */
enum wd_status	 db_pg_missing_privileges(struct db *db, char **role,
		     char **missing, char **cause);

#endif
