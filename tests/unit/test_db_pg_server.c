/*
 * test_db_pg_server.c: the PostgreSQL engine against a private server
 * (tests/pg/lib.sh, started once for the suite and stopped after it): the
 * plans of the hot queries on a table of 50,000 tickets after ANALYZE
 * (the queue's pages and counts, the due query of the SLA pass), live
 * refresh by LISTEN/NOTIFY, a connection made again after the server
 * ended it, and the comparison of the schema (on a database of its own,
 * "schema", which it damages).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/db.h"
#include "watchdog/notify.h"
#include "watchdog/queue.h"
#include "watchdog/util.h"

/*
 * The keeper: a shell that starts the server, says "ready", and stops it
 * when its standard input closes (our end of the pipe: at the end of the
 * suite, or when this process dies).
 */
static struct unit_pg	 pg;

static const char sql_user[] =
    "INSERT INTO users (name, email, role, password_hash, created_at) "
    "VALUES ('alice', 'alice@example.org', 'user', 'x', 0), "
    "('bob', 'bob@example.org', 'user', 'x', 0)";
/* A quarter resolved; every priority; a third assigned to bob. */
static const char sql_fill[] =
    "INSERT INTO tickets (title, status, priority, owner_id, assignee_id, "
    "deadline, created_at, updated_at, resolved_at, sla_next_at) "
    "SELECT 'bulk ' || x, CASE WHEN x % 4 = 0 THEN 'resolved' "
    "ELSE 'open' END, CASE x % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' "
    "WHEN 2 THEN 'high' ELSE 'urgent' END, 1 + x % 2, "
    "CASE WHEN x % 3 = 0 THEN 2 END, 1795000000 + x * 60, 1795000000, "
    "1795000000 + x % 977, CASE WHEN x % 4 = 0 THEN 1795000000 END, "
    "CASE WHEN x % 4 <> 0 THEN 1795000000 + x * 60 - 3600 END "
    "FROM generate_series(1, 50000) x";
static const char sql_analyze[] = "ANALYZE";
static const char sql_write[] =
    "INSERT INTO audit (at, event) VALUES (1, 'unit')";
static const char sql_read[] = "SELECT count(*) FROM audit";
static const char sql_pid[] = "SELECT pg_backend_pid()";
static const char sql_terminate[] =
    "SELECT pg_terminate_backend(CAST(:pid AS integer))";

/* The suite's tickets, on the schema the program makes. */
static const char *const seed[] = { sql_user, sql_fill, sql_analyze, NULL };

/* Start the server with the suite's tickets (and the database "schema"). */
static void
server_start(void)
{
	unit_pg_seed(&pg, "wd schema", seed);
}

/* Stop the server. */
static void
server_stop(void)
{
	unit_pg_stop(&pg);
}

/* Sleep MS milliseconds. */
static void
nap(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Poll DB's data version until it is not V (true), for up to 5 s. */
static bool
version_moves(struct db *db, int64_t v)
{
	int	i;

	for (i = 0; i < 100; i++) {
		if (db_data_version(db) != v)
			return true;
		nap(50);
	}
	return false;
}

/* A time in the middle of the tickets' deadlines. */
#define MID	(1795000000 + 25000 * 60)

/*
 * The plan of SQL on DB (ST: of that statement with its values bound),
 * checked for a scan of the whole table of tickets.
 */
static char *
plan_of(struct db *db, const char *sql, struct db_stmt *st)
{
	char	*plan = NULL, *cause = NULL;

	if ((st != NULL ? db_query_plan_bound(st, &plan, &cause) :
	    db_query_plan(db, sql, &plan, &cause)) != WD_OK)
		ck_abort_msg("plan of %s: %s", sql, cause);
	ck_assert_msg(strstr(plan, "Seq Scan on tickets") == NULL,
	    "a scan of the whole table (%s plan):\n%s\n%s",
	    st != NULL ? "bound" : "generic", sql, plan);
	return plan;
}

/* Bind to ST (the queue's SQL) what queue_fetch() would: a screen. */
static void
bind_page(struct db_stmt *st, const char *sql)
{
	static const struct {
		const char	*name;
		int64_t		 v;
	} params[] = {
		{ ":warn", 3600 }, { ":now", MID }, { ":limit", 30 },
		{ ":me", 1 }, { ":qid", 0 }, { ":k_resolved", 0 },
		{ ":k_rank", 2 }, { ":k_deadline", MID - 3600 },
		{ ":k_updated", 1795000500 }, { ":k_id", 24940 },
	};
	size_t	i;

	for (i = 0; i < sizeof params / sizeof params[0]; i++) {
		if (strstr(sql, params[i].name) != NULL)
			db_bind_int(st, params[i].name, params[i].v);
	}
	if (strstr(sql, ":q ") != NULL)
		db_bind_text(st, ":q", "needle");
}

/*
 * Every page of the queue reads an index of the tickets, never the whole
 * table: with a screen's values bound (the plans the server makes while
 * they look cheaper than its generic one) and, but for "mine", in the
 * generic plan too (which a long session may come to use). Without a
 * search, no sort either (the index is in display order), except in
 * "mine", whose two arms are short sorted windows.
 */
START_TEST(test_queue_plans)
{
	struct db		*db = unit_pg_connect(&pg);
	struct queue_view	 v;
	struct db_stmt		*st;
	enum queue_dir		 d;
	const char		*sql;
	char			*plan;
	int			 search, reverse;

	memset(&v, 0, sizeof v);
	for (v.filter = TICKET_FILTER_OPEN; v.filter <= TICKET_FILTER_ALL;
	    v.filter++)
	for (v.sort = 0; v.sort < QUEUE_NSORTS; v.sort++)
	for (reverse = 0; reverse < 2; reverse++)
	for (d = QUEUE_FIRST; d <= QUEUE_FROM; d++)
	for (search = 0; search < 2; search++) {
		v.reverse = reverse;
		v.search = search ? "needle" : NULL;
		sql = queue_sql(DB_POSTGRESQL, &v, d);
		ck_assert_ptr_nonnull(sql);
		ck_assert_ptr_null(strstr(sql, "INDEXED BY"));
		ck_assert_ptr_null(strstr(sql, "CROSS JOIN"));
		st = db_prepare(db, sql);
		bind_page(st, sql);
		plan = plan_of(db, sql, st);
		ck_assert_msg(strstr(plan, "Index") != NULL,
		    "%s/%s dir %d search %d: no index:\n%s",
		    queue_filter_name(v.filter), queue_sort_name(v.sort),
		    (int)d, search, plan);
		if (v.filter != TICKET_FILTER_MINE && !search)
			ck_assert_msg(strstr(plan, "Sort") == NULL,
			    "%s/%s%s dir %d: sorted, not read in order:\n%s",
			    queue_filter_name(v.filter),
			    queue_sort_name(v.sort), reverse ? " reversed" : "",
			    (int)d, plan);
		free(plan);
		if (v.filter != TICKET_FILTER_MINE)
			free(plan_of(db, sql, NULL));
	}
	/* The counts: ranges of the open tickets' deadlines (a thousand late). */
	st = db_prepare(db, queue_counts_sql());
	db_bind_int(st, ":now", 1795000000 + 1000 * 60);
	db_bind_int(st, ":soon", 1795000000 + 1060 * 60);
	plan = plan_of(db, queue_counts_sql(), st);
	ck_assert_msg(strstr(plan, "tickets_open_deadline") != NULL &&
	    strstr(plan, "ticket_counts") != NULL, "counts:\n%s", plan);
	free(plan);
	db_close(db);
}
END_TEST

/*
 * The due query of the SLA pass, with a thousand tickets due, reads its
 * partial index in order. Each pass runs it once, in a process of its
 * own: the server plans it for the values bound, every time.
 */
START_TEST(test_due_plan)
{
	struct db	*db = unit_pg_connect(&pg);
	struct db_stmt	*st;
	char		*plan;

	st = db_prepare(db, notify_due_sql());
	db_bind_int(st, ":horizon", 1795000000 + 1000 * 60);
	plan = plan_of(db, notify_due_sql(), st);
	ck_assert_msg(strstr(plan, "tickets_sla_next") != NULL &&
	    strstr(plan, "Sort") == NULL, "due query:\n%s", plan);
	free(plan);
	db_close(db);
}
END_TEST

/*
 * Live refresh: another connection's committed write moves the data
 * version, once per transaction; its rolled-back write, its reads and
 * our own writes do not.
 */
START_TEST(test_notify)
{
	struct db	*a = unit_pg_connect(&pg), *b = unit_pg_connect(&pg);
	int64_t		 v, n;

	v = db_data_version(a);
	ck_assert_int_eq(db_data_version(a), v);
	ck_assert_int_eq(db_begin_write(b, NULL), WD_OK);
	unit_exec(b, sql_write);
	unit_exec(b, sql_write);
	ck_assert_int_eq(db_commit(b, NULL), WD_OK);
	ck_assert_msg(version_moves(a, v), "another's commit is not seen");
	nap(200);
	ck_assert_int_eq(db_data_version(a), v + 1);
	v = db_data_version(a);
	/* A rollback and a reader send nothing; then one more write does. */
	ck_assert_int_eq(db_begin_write(b, NULL), WD_OK);
	unit_exec(b, sql_write);
	db_rollback(b);
	ck_assert_int_eq(db_begin_read(b, NULL), WD_OK);
	ck_assert_int_eq(db_one_int(db_prepare(b, sql_read), &n, NULL), WD_OK);
	ck_assert_int_eq(db_commit(b, NULL), WD_OK);
	ck_assert_int_eq(db_begin_write(b, NULL), WD_OK);
	unit_exec(b, sql_write);
	ck_assert_int_eq(db_commit(b, NULL), WD_OK);
	ck_assert(version_moves(a, v));
	nap(200);
	ck_assert_int_eq(db_data_version(a), v + 1);
	/* Our own commit: its notice comes back to us, and is not counted. */
	v = db_data_version(a);
	ck_assert_int_eq(db_begin_write(a, NULL), WD_OK);
	unit_exec(a, sql_write);
	ck_assert_int_eq(db_commit(a, NULL), WD_OK);
	nap(200);
	ck_assert_int_eq(db_data_version(a), v);
	ck_assert(db_connected(a));
	db_close(b);
	db_close(a);
}
END_TEST

/*
 * The server ends the session: the connection says it is lost, is made
 * again step by step, listens again and moves its data version.
 */
START_TEST(test_reconnect)
{
	struct db	*a = unit_pg_connect(&pg), *b = unit_pg_connect(&pg);
	struct db_stmt	*st;
	int64_t		 v, pid, n;
	char		*cause = NULL;
	int		 i;

	v = db_data_version(a);
	ck_assert_int_eq(db_one_int(db_prepare(a, sql_pid), &pid, NULL), WD_OK);
	st = db_prepare(b, sql_terminate);
	db_bind_int(st, ":pid", pid);
	ck_assert_int_eq(db_one_int(st, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 1);
	for (i = 0; i < 100 && db_connected(a); i++) {
		(void)db_data_version(a);
		nap(50);
	}
	ck_assert_msg(!db_connected(a), "the lost connection is not noticed");
	for (i = 0; i < 100; i++) {
		if (db_reconnect_poll(a, &cause) == WD_OK)
			break;
		free(cause);
		cause = NULL;
		nap(50);
	}
	ck_assert_msg(db_connected(a), "not connected again");
	ck_assert_int_ne(db_data_version(a), v);
	v = db_data_version(a);
	ck_assert_int_eq(db_one_int(db_prepare(a, sql_read), &n, NULL), WD_OK);
	ck_assert_int_eq(db_begin_write(b, NULL), WD_OK);
	unit_exec(b, sql_write);
	ck_assert_int_eq(db_commit(b, NULL), WD_OK);
	ck_assert_msg(version_moves(a, v), "the new session does not listen");
	db_close(b);
	db_close(a);
}
END_TEST

static const char sql_damage_column[] =
    "ALTER TABLE outbox RENAME COLUMN state TO status";
static const char sql_damage_index[] = "DROP INDEX audit_at";
static const char sql_damage_trigger[] =
    "DROP TRIGGER comments_words_insert ON comments";
static const char sql_damage_table[] = "DROP TABLE rate_events";
static const char sql_damage_function[] =
    "ALTER FUNCTION instr(text, text) RENAME TO instr_gone";
static const char sql_scratch_left[] =
    "SELECT count(*) FROM pg_namespace "
    "WHERE nspname LIKE 'wd\\_schema\\_check\\_%'";
static const char sql_home[] = "SELECT (current_schema() = 'public')::int";

/*
 * The schema is compared with what the migrations make, in a scratch
 * schema that does not outlive the comparison: each missing table,
 * column, index, trigger and function is named, in the order of the
 * SQLite side, and the session is left as it was (its search path, no
 * transaction open: a write goes through).
 */
START_TEST(test_schema_check)
{
	struct db	*db = NULL;
	char		*url, *cause = NULL;

	ck_assert_msg(pg.ready, "the private PostgreSQL server did not "
	    "start (see tests/pg/lib.sh)");
	url = unit_pg_url(&pg, "schema");
	if (db_open(url, &db, &cause) != WD_OK)
		ck_abort_msg("db_open: %s", cause);
	ck_assert_int_eq(db_schema_check(db, &cause), WD_OK);
	ck_assert_ptr_null(cause);
	unit_exec(db, sql_damage_column);
	unit_exec(db, sql_damage_index);
	unit_exec(db, sql_damage_trigger);
	unit_exec(db, sql_damage_table);
	unit_exec(db, sql_damage_function);
	ck_assert_int_eq(db_schema_check(db, &cause), WD_EFAIL);
	ck_assert_str_eq(cause, "table outbox has no column state; "
	    "table rate_events is missing; index audit_at is missing; "
	    "trigger comments_words_insert is missing; "
	    "function instr(text, text) is missing; "
	    "index rate_events_key is missing");
	free(cause);
	ck_assert_int_eq(unit_int(db, sql_scratch_left), 0);
	ck_assert_int_eq(unit_int(db, sql_home), 1);
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	unit_exec(db, sql_write);
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	db_close(db);
	free(url);
}
END_TEST

static Suite *
db_pg_server_suite(void)
{
	Suite	*s = suite_create("db_pg_server");
	TCase	*tc = tcase_create("db_pg_server");

	tcase_add_unchecked_fixture(tc, server_start, server_stop);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_queue_plans);
	tcase_add_test(tc, test_due_plan);
	tcase_add_test(tc, test_notify);
	tcase_add_test(tc, test_reconnect);
	tcase_add_test(tc, test_schema_check);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(db_pg_server_suite)
