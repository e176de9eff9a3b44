/*
 * copy.h: watchdog --copy-to (watchdog(1) SEVERAL HOSTS: POSTGRESQL): the
 * whole of one database copied into an empty one, of either engine, in
 * one transaction on the target, ids kept, the rows counted on both sides
 * before the commit.
 *
 * The tables copied are declared once, in copy.c, with their columns and
 * constant statements; copy_schema_check() holds that list to the schema
 * of a database, so that a table or column added by a migration and not
 * copied is caught by every copy (and by the unit tests).
 */
#ifndef WATCHDOG_COPY_H
#define WATCHDOG_COPY_H

#include <stdint.h>

#include "watchdog/status.h"

struct db;

/*
 * The tables copied, in the order they are written: a row after the rows
 * it refers to.
 */
enum copy_table_id {
	COPY_USERS,
	COPY_TOKENS,
	COPY_LOGIN_FAILURES,
	COPY_AUDIT,
	COPY_TICKETS,
	COPY_TICKET_HISTORY,
	COPY_COMMENTS,
	COPY_RATE_EVENTS,
	COPY_OUTBOX,
	COPY_DJANGO_IMPORT,
	COPY_META,
	COPY_TICKET_COUNTS,
	COPY_NTABLES
};

/* The name of table T in the schema ("ticket_history"). */
const char	*copy_table_name(enum copy_table_id t);

/*
 * What the report calls N rows of table T ("accounts", "history
 * entries"); NULL for the tables of the database's own bookkeeping (meta,
 * ticket_counts), which the report leaves out.
 */
const char	*copy_table_noun(enum copy_table_id t);

/*
 * The columns T copies (NULL-ended, in the order its SELECT reads them)
 * and its statements that read and write a row: for the unit tests,
 * which hold the three to each other.
 */
const char *const *copy_table_columns(enum copy_table_id t);
const char	*copy_table_select(enum copy_table_id t);
const char	*copy_table_insert(enum copy_table_id t);

/* Rows copied, per table. */
struct copy_result {
	int64_t		 rows[COPY_NTABLES];
};

/*
 * Called now and then while rows are copied: DONE of TOTAL rows so far
 * (TOTAL counts every table's rows). NULL: no progress.
 */
typedef void	(*copy_progress_fn)(int64_t done, int64_t total, void *arg);

/*
 * Compare the tables and columns of DB (its catalog) with those copy.c
 * copies: WD_OK when they are the same, else WD_ESOFTWARE with *cause
 * naming the first table or column one has and the other has not (or a
 * database error). What the
 * engines derive from the rows (SQLite's full-text index, PostgreSQL's
 * generated columns and comment_words, the schema version) is not copied
 * and not compared.
 */
enum wd_status	 copy_schema_check(struct db *db, char **cause);

/*
 * Copy every row of SRC into DST, a database at the latest schema with no
 * rows of its own (none but the ones the migrations make): SRC read in
 * one snapshot, DST written in one transaction, which is committed only
 * when each table counts on DST the rows it counts on SRC. Ids are kept;
 * the id sequences of DST are moved past the highest id (past the
 * highest ever given, where SRC knows it). DST_NAME names DST in
 * messages (its password hidden).
 *
 * WD_OK and RES; WD_EDATA when DST is not empty, WD_ESOFTWARE when the
 * counts differ or a schema holds a table this program does not copy,
 * or a database error. On error nothing is written to DST.
 */
enum wd_status	 copy_database(struct db *src, struct db *dst,
		     const char *dst_name, copy_progress_fn progress,
		     void *arg, struct copy_result *res, char **cause);

#endif
