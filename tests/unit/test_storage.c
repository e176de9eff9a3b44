/*
 * test_storage.c: the one way the domain modules report "no row", "busy"
 * and "error" (db_step_one): a busy database is WD_ETEMP everywhere, a
 * missing row never passes for success.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/meta.h"
#include "watchdog/outbox.h"
#include "watchdog/ratelimit.h"
#include "watchdog/ticket.h"
#include "watchdog/user.h"

#define NOW	1795000000

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path;
static sqlite3		*other;

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	other = NULL;
}

static void
teardown(void)
{
	if (other != NULL)
		sqlite3_close(other);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

/* Another connection holds the write lock; ours waits 50 ms for it. */
static void
hold_write_lock(void)
{
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	db_set_busy_timeout(db, 50);
}

/* Expect STATUS to be WD_EFAIL with a message that says damaged. */
static void
expect_damaged(enum wd_status status, char *cause, const char *what)
{
	ck_assert_int_eq(status, WD_EFAIL);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_nonnull(strstr(cause, "damaged"));
	ck_assert_ptr_nonnull(strstr(cause, what));
	free(cause);
}

/* Expect STATUS to be WD_ETEMP with a message that says busy. */
static void
expect_busy(enum wd_status status, char *cause)
{
	ck_assert_int_eq(status, WD_ETEMP);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_nonnull(strstr(cause, "busy"));
	free(cause);
}

/*
 * The counts were -1 whatever went wrong, which callers made exit 1 (and
 * a damaged schema aborted): now the storage error comes back as it is.
 */
START_TEST(test_counts_report_errors)
{
	enum wd_status	 status;
	char		*cause = NULL;
	int64_t		 n;

	ck_assert_int_eq(user_count(db, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(outbox_retrying(db, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 0);
	unit_sql_int(path, "DROP TABLE outbox");
	status = outbox_retrying(db, &n, &cause);
	expect_damaged(status, cause, "outbox");
	unit_sql_int(path, "ALTER TABLE users RENAME TO accounts");
	cause = NULL;
	status = user_count(db, &n, &cause);
	expect_damaged(status, cause, "users");
}
END_TEST

/* Single-row lookups and the rate limit: one way to say what went wrong. */
START_TEST(test_lookups_report_errors)
{
	struct ticket	 t;
	struct user	 u;
	struct rate_limit limit = { .count = 5, .seconds = 60 };
	enum wd_status	 status;
	char		*cause = NULL, *value = NULL;

	ck_assert_int_eq(meta_get_text(db, "no such key", &value, NULL), WD_OK);
	ck_assert_ptr_null(value);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, 42, NOW, &t, &cause),
	    WD_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(cause, "#42"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(user_find(db, "nobody", &u, &cause), WD_ENOTFOUND);
	free(cause);
	cause = NULL;
	hold_write_lock();
	status = ratelimit_take(db, &limit, 1, "read", NOW, &cause);
	expect_busy(status, cause);
	ck_assert_int_eq(db_depth(db), 0);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	cause = NULL;
	unit_sql_int(path, "DROP TABLE meta");
	status = meta_get_text(db, "instance", &value, &cause);
	expect_damaged(status, cause, "meta");
	cause = NULL;
	unit_sql_int(path, "ALTER TABLE users RENAME COLUMN email TO mail");
	status = user_find(db, "nobody", &u, &cause);
	expect_damaged(status, cause, "email");
}
END_TEST

/* A failure recorded for a message that is not there is not a success. */
START_TEST(test_outbox_failed_missing)
{
	bool	gave_up;
	int64_t	next;

	ck_assert_int_eq(outbox_failed(db, 12345, NOW, "refused", false,
	    &gave_up, &next, NULL), WD_ENOTFOUND);
	ck_assert_int_eq(db_depth(db), 0);
}
END_TEST

/* A damaged schema is an error from the lookup, never an abort. */
START_TEST(test_damaged_schema)
{
	struct ticket	 t;
	char		*cause = NULL;
	int64_t		 n;

	unit_sql_int(path, "ALTER TABLE users RENAME COLUMN name TO login");
	ck_assert_int_eq(user_count(db, &n, NULL), WD_OK);
	unit_sql_int(path, "DROP TABLE ticket_history");
	unit_sql_int(path, "ALTER TABLE tickets RENAME COLUMN title TO subject");
	ck_assert_int_eq(ticket_get(db, &cfg.sla, 1, NOW, &t, &cause),
	    WD_EFAIL);
	ck_assert_ptr_nonnull(strstr(cause, "damaged"));
	free(cause);
}
END_TEST

static Suite *
storage_suite(void)
{
	Suite	*s = suite_create("storage");
	TCase	*tc = tcase_create("storage");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_counts_report_errors);
	tcase_add_test(tc, test_lookups_report_errors);
	tcase_add_test(tc, test_outbox_failed_missing);
	tcase_add_test(tc, test_damaged_schema);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(storage_suite)
