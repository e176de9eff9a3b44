/* test_db.c: the storage layer: open, migrations, refusals, transactions. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/util.h"

static const char sql_ins[] =
    "INSERT INTO audit (at, event) VALUES (:at, 'test')";
static const char sql_count[] = "SELECT count(*) FROM audit WHERE event = 'test'";

static long long
count_test_rows(struct db *db)
{
	struct db_stmt	*st;
	long long	 n;

	st = db_prepare(db, sql_count);
	ck_assert_int_eq(db_step(st, NULL, NULL), 1);
	n = db_column_int(st, 0);
	db_reset(st);
	return n;
}

static void
insert_row(struct db *db, int64_t at)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_ins);
	db_bind_int(st, ":at", at);
	ck_assert_int_eq(db_exec(st, NULL), WD_OK);
}

START_TEST(test_open_creates_schema)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir, *path;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(db_schema_version(db), db_schema_latest());
	ck_assert_int_ge(db_schema_latest(), 1);
	db_close(db);
	path = unit_db_path(dir);
	ck_assert_int_eq(unit_sql_int(path, "PRAGMA application_id"),
	    DB_APPLICATION_ID);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
	/* Opening again is harmless and keeps the data. */
	ck_assert_int_eq(unit_sql_int(path,
	    "INSERT INTO audit (at, event) VALUES (1, 'x') RETURNING id"), 1);
	ck_assert_int_eq(db_open(path, &db, NULL), WD_OK);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM audit"), 1);
	db_close(db);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

START_TEST(test_refuses_other_files)
{
	struct db	*db = NULL;
	char		*dir, *path, *cause = NULL, buf[64];
	sqlite3		*conn;
	FILE		*f;
	size_t		 n;

	dir = unit_tmpdir();
	/* A text file is left untouched. */
	path = xasprintf("%s/notes.txt", dir);
	f = fopen(path, "w");
	fputs("my precious notes\n", f);
	fclose(f);
	ck_assert_int_eq(db_open(path, &db, &cause), WD_ECONFIG);
	ck_assert_ptr_null(db);
	ck_assert_ptr_nonnull(strstr(cause, "not a SQLite database"));
	free(cause);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	ck_assert_int_eq(n, 18);
	ck_assert_int_eq(memcmp(buf, "my precious notes\n", 18), 0);
	free(path);

	/* Another program's SQLite database. */
	path = xasprintf("%s/other.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &conn), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(conn, "CREATE TABLE t (x)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(conn);
	cause = NULL;
	ck_assert_int_eq(db_open(path, &db, &cause), WD_ECONFIG);
	ck_assert_ptr_nonnull(strstr(cause, "not a watchdog"));
	free(cause);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM sqlite_schema"), 1);
	free(path);

	/* Ours, from a newer version. */
	path = xasprintf("%s/newer.db", dir);
	ck_assert_int_eq(db_open(path, &db, NULL), WD_OK);
	db_close(db);
	unit_sql_int(path, "PRAGMA user_version = 999");
	cause = NULL;
	ck_assert_int_eq(db_open(path, &db, &cause), WD_ECONFIG);
	ck_assert_ptr_nonnull(strstr(cause, "newer"));
	free(cause);
	free(path);

	/* A symbolic link is refused. */
	path = xasprintf("%s/link.db", dir);
	ck_assert_int_eq(symlink("newer.db", path), 0);
	cause = NULL;
	ck_assert_int_eq(db_open(path, &db, &cause), WD_ECONFIG);
	free(cause);
	free(path);

	unit_tmpdir_remove(dir);
	free(dir);
}
END_TEST

START_TEST(test_nested_transactions)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	insert_row(db, 1);
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	ck_assert_int_eq(db_depth(db), 2);
	insert_row(db, 2);
	db_rollback(db);		/* undoes only the inner level */
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	insert_row(db, 3);
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	ck_assert_int_eq(db_depth(db), 0);
	ck_assert_int_eq(count_test_rows(db), 2);

	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	insert_row(db, 4);
	db_rollback(db);
	ck_assert_int_eq(count_test_rows(db), 2);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

START_TEST(test_busy_is_temporary)
{
	struct config	 cfg;
	struct db	*db;
	sqlite3		*other;
	char		*dir, *path, *cause = NULL;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	db_set_busy_timeout(db, 200);
	ck_assert_int_eq(db_begin_write(db, &cause), WD_ETEMP);
	ck_assert_ptr_nonnull(strstr(cause, "busy"));
	free(cause);
	ck_assert_int_eq(db_depth(db), 0);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	ck_assert_int_eq(db_integrity_check(db, NULL), WD_OK);
	db_close(db);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

START_TEST(test_data_version_moves)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir, *path;
	int64_t		 v;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	v = db_data_version(db);
	unit_sql_int(path, "INSERT INTO audit (at, event) VALUES (1, 'y')");
	ck_assert_int_ne(db_data_version(db), v);
	db_close(db);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

static const char sql_audit_by_event[] =
    "SELECT id FROM audit WHERE event = :event";
static const char sql_ins_returning[] =
    "INSERT INTO audit (at, event) VALUES (0, 'test') RETURNING id";
static const char sql_history_any[] =
    "SELECT id FROM ticket_history WHERE ticket_id = :id";

/* db_step_one tells a row, no row, busy and a damaged schema apart. */
START_TEST(test_step_one)
{
	struct config	 cfg;
	struct db	*db;
	struct db_stmt	*st;
	sqlite3		*other;
	char		*dir, *path, *cause = NULL;
	int64_t		 n;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	insert_row(db, 7);
	st = db_prepare(db, sql_audit_by_event);
	db_bind_text(st, ":event", "test");
	ck_assert_int_eq(db_step_one(st, &cause), WD_OK);
	ck_assert_int_gt(db_column_int(st, 0), 0);
	db_reset(st);
	st = db_prepare(db, sql_audit_by_event);
	db_bind_text(st, ":event", "nothing");
	ck_assert_int_eq(db_step_one(st, &cause), WD_ENOTFOUND);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(db_one_int(db_prepare(db, sql_count), &n, NULL), WD_OK);
	ck_assert_int_eq(n, 1);

	/* Busy: WD_ETEMP, said so, and nothing written. */
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	db_set_busy_timeout(db, 100);
	ck_assert_int_eq(db_step_one(db_prepare(db, sql_ins_returning), &cause),
	    WD_ETEMP);
	ck_assert_ptr_nonnull(strstr(cause, "busy"));
	free(cause);
	cause = NULL;
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	ck_assert_int_eq(count_test_rows(db), 1);

	/* A dropped table: a damaged database, no abort. */
	unit_sql_int(path, "DROP TABLE ticket_history");
	st = db_prepare(db, sql_history_any);
	db_bind_int(st, ":id", 1);
	ck_assert_int_eq(db_step_one(st, &cause), WD_EFAIL);
	ck_assert_ptr_nonnull(strstr(cause, "damaged"));
	ck_assert_ptr_nonnull(strstr(cause, "ticket_history"));
	free(cause);
	db_close(db);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

/* An up-to-date database opens while another process holds the write lock. */
START_TEST(test_open_under_write_lock)
{
	struct config	 cfg;
	struct db	*db;
	sqlite3		*other;
	char		*dir, *path;

	db = unit_db(&cfg, &dir);
	db_close(db);
	path = unit_db_path(dir);
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(db_open(path, &db, NULL), WD_OK);
	ck_assert_int_eq(count_test_rows(db), 0);
	db_close(db);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

static const char sql_defer_fk[] = "PRAGMA defer_foreign_keys = ON";
static const char sql_bad_token[] =
    "INSERT INTO tokens (user_id, selector, hash, created_at) "
    "VALUES (999, 'x', x'00', 0)";

/* A COMMIT that fails is reported, and the level rolled back. */
START_TEST(test_commit_failure)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir, *cause = NULL;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	ck_assert_int_eq(db_exec(db_prepare(db, sql_defer_fk), NULL), WD_OK);
	insert_row(db, 1);
	ck_assert_int_eq(db_exec(db_prepare(db, sql_bad_token), NULL), WD_OK);
	ck_assert_int_eq(db_commit(db, &cause), WD_EFAIL);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ck_assert_int_eq(db_depth(db), 0);
	ck_assert_int_eq(count_test_rows(db), 0);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

/* Each level knows where it began. */
START_TEST(test_transaction_site)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir;

	db = unit_db(&cfg, &dir);
	ck_assert_ptr_null(db_transaction_site(db));
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	ck_assert_ptr_nonnull(strstr(db_transaction_site(db), "test_db.c:"));
	db_rollback(db);
	ck_assert_ptr_null(db_transaction_site(db));
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

/*
 * The schema is compared with what the migrations make: each missing
 * table, column, index and trigger is named.
 */
START_TEST(test_schema_check)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir, *path, *cause = NULL;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	ck_assert_int_eq(db_schema_check(db, &cause), WD_OK);
	ck_assert_ptr_null(cause);
	unit_sql_int(path, "DROP INDEX audit_at");
	unit_sql_int(path, "DROP TRIGGER tickets_open_count_insert");
	unit_sql_int(path, "ALTER TABLE outbox RENAME COLUMN state TO status");
	unit_sql_int(path, "DROP TABLE rate_events");
	ck_assert_int_eq(db_schema_check(db, &cause), WD_EFAIL);
	ck_assert_str_eq(cause, "table outbox has no column state; "
	    "table rate_events is missing; index audit_at is missing; "
	    "index rate_events_key is missing; "
	    "trigger tickets_open_count_insert is missing");
	free(cause);
	db_close(db);
	/* And opening it is refused, in one line. */
	cause = NULL;
	ck_assert_int_eq(db_open(path, &db, &cause), WD_EFAIL);
	ck_assert_ptr_nonnull(strstr(cause, "is damaged (table outbox has no "
	    "column state;"));
	free(cause);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

/* Closing with a level open is a programming error: it aborts. */
START_TEST(test_unbalanced_close_aborts)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	/* The abort skips the teardown: the files go first (still open). */
	unit_tmpdir_remove(dir);
	db_close(db);
}
END_TEST

static Suite *
db_suite(void)
{
	Suite	*s = suite_create("db");
	TCase	*tc = tcase_create("db");

	tcase_add_test(tc, test_open_creates_schema);
	tcase_add_test(tc, test_refuses_other_files);
	tcase_add_test(tc, test_nested_transactions);
	tcase_add_test(tc, test_busy_is_temporary);
	tcase_add_test(tc, test_data_version_moves);
	tcase_add_test(tc, test_step_one);
	tcase_add_test(tc, test_open_under_write_lock);
	tcase_add_test(tc, test_commit_failure);
	tcase_add_test(tc, test_transaction_site);
	tcase_add_test(tc, test_schema_check);
	tcase_add_test_raise_signal(tc, test_unbalanced_close_aborts, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(db_suite)
