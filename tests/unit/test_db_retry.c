/*
 * test_db_retry.c: units of work run again on PostgreSQL (DB_RETRY in
 * db.h; watchdog(1), SEVERAL HOSTS: POSTGRESQL), against a private server
 * (tests/pg/lib.sh) and real failures: our own session ended from a
 * second connection in the middle of a transaction and during its
 * COMMIT, a serialization failure between two REPEATABLE READ writers, a
 * deadlock with a second process; and the real domain functions (a
 * ticket's creation, the SLA pass, a login, a new token, a read counted
 * against RATE_LIMIT_READ) when a trigger ends their session in their
 * middle. And what is never run again: other errors, and anything on
 * SQLite.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/notify.h"
#include "watchdog/ratelimit.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/token.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

/* The private server of this suite. */
static struct unit_pg	 pg;
static bool		 pg_ready;

/*
 * Start the server (unchecked fixture: once, in the runner), with the
 * databases wd and dom; unit_pg_start() stops it and removes its
 * directory however this process ends.
 */
static void
pg_up(void)
{
	pg_ready = unit_pg_start(&pg, "wd dom");
}

/* Stop the server. */
static void
pg_down(void)
{
	unit_pg_stop(&pg);
}

/* The URL of the suite's database NAME (new string). */
static char *
pg_url(const char *name)
{
	ck_assert_msg(pg_ready, "the private PostgreSQL server runs");
	return unit_pg_url(&pg, name);
}

/* Open the suite's database NAME (a new connection); fails the test on error. */
static struct db *
pg_open_db(const char *name)
{
	struct db	*db = NULL;
	char		*url, *cause = NULL;

	url = pg_url(name);
	if (db_open(url, &db, &cause) != WD_OK)
		ck_abort_msg("db_open: %s", cause);
	free(url);
	return db;
}

/* Open the suite's database "wd". */
static struct db *
pg_db(void)
{
	return pg_open_db("wd");
}

static const char sql_drop[] = "DROP TABLE IF EXISTS retry_t";
static const char sql_create[] =
    "CREATE TABLE retry_t (id int PRIMARY KEY, n int NOT NULL)";
static const char sql_fill[] = "INSERT INTO retry_t VALUES (1, 0), (2, 0)";
static const char sql_pid[] = "SELECT pg_backend_pid()";
static const char sql_kill[] = "SELECT pg_terminate_backend(:pid)::int";
static const char sql_n1[] = "SELECT n FROM retry_t WHERE id = 1";
static const char sql_n2[] = "SELECT n FROM retry_t WHERE id = 2";
static const char sql_add1[] = "UPDATE retry_t SET n = n + :d WHERE id = 1";
static const char sql_add2[] = "UPDATE retry_t SET n = n + :d WHERE id = 2";
static const char sql_dup[] = "INSERT INTO retry_t VALUES (1, 0)";

/* What a unit of work under test does, and what happened to it. */
struct work {
	struct db	*other;		/* a second connection */
	int		 runs;
	int		 kill_runs;	/* end our session in these runs */
	bool		 kill_at_commit; /* ... just before the COMMIT */
};

/* Add D to row 1 through statement SQL on DB. */
static enum wd_status
add(struct db *db, const char *sql, int d, char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql);
	db_bind_int(st, ":d", d);
	return db_exec(st, cause);
}

/* End DB's session from W's second connection, as an administrator would. */
static void
kill_session(struct db *db, struct work *w)
{
	struct db_stmt	*st;
	int64_t		 pid, ok;
	char		*cause = NULL;

	pid = unit_int(db, sql_pid);
	st = db_prepare(w->other, sql_kill);
	db_bind_int(st, ":pid", pid);
	ck_assert_int_eq(db_one_int(st, &ok, &cause), WD_OK);
	ck_assert_int_eq(ok, 1);
}

/*
 * One try of a writer: add 1 to row 1, lose the session in the first
 * W->kill_runs runs (in the middle, or just before the COMMIT), add 10.
 */
static enum wd_status
writer_once(struct db *db, struct work *w, char **cause)
{
	enum wd_status	status;

	w->runs++;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = add(db, sql_add1, 1, cause)) != WD_OK)
		goto fail;
	if (w->runs <= w->kill_runs && !w->kill_at_commit)
		kill_session(db, w);
	if ((status = add(db, sql_add1, 10, cause)) != WD_OK)
		goto fail;
	if (w->runs <= w->kill_runs && w->kill_at_commit)
		kill_session(db, w);
	return db_commit(db, cause);
fail:
	db_rollback(db);
	return status;
}

/* Run writer_once() under DB_RETRY. */
static enum wd_status
writer(struct db *db, struct work *w, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = writer_once(db, w, cause);
	return status;
}

/* A fresh table and two connections for a test. */
static void
setup(struct db **db, struct work *w)
{
	memset(w, 0, sizeof *w);
	*db = pg_db();
	w->other = pg_db();
	unit_exec(*db, sql_drop);
	unit_exec(*db, sql_create);
	unit_exec(*db, sql_fill);
	/* Quick tries: the limits are the test's, the logic the real one. */
	db_set_retry(*db, 5, 10000, 20);
}

START_TEST(test_lost_in_the_middle)
{
	struct db	*db;
	struct work	 w;
	char		*cause = NULL;

	setup(&db, &w);
	w.kill_runs = 1;
	ck_assert_int_eq(writer(db, &w, &cause), WD_OK);
	ck_assert_ptr_null(cause);
	/* Run again on a new session, and applied once. */
	ck_assert_int_eq(w.runs, 2);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 11);
	db_close(w.other);
	db_close(db);
}
END_TEST

START_TEST(test_lost_for_good)
{
	struct db	*db;
	struct work	 w;
	char		*cause = NULL;

	setup(&db, &w);
	db_set_retry(db, 3, 10000, 20);
	w.kill_runs = 100;
	ck_assert_int_eq(writer(db, &w, &cause), WD_ETEMP);
	ck_assert_int_eq(w.runs, 3);
	ck_assert_ptr_nonnull(strstr(cause, "the database server at "
	    "postgresql:///wd?host="));
	ck_assert_ptr_nonnull(strstr(cause, "is not answering"));
	ck_assert_ptr_nonnull(strstr(cause, " (tried 3 times in "));
	ck_assert_ptr_null(strchr(cause, '\n'));
	free(cause);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 0);
	/* The connection is good for the next unit. */
	w.kill_runs = 0;
	w.runs = 0;
	cause = NULL;
	ck_assert_int_eq(writer(db, &w, &cause), WD_OK);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 11);
	db_close(w.other);
	db_close(db);
}
END_TEST

START_TEST(test_lost_at_commit)
{
	struct db	*db;
	struct work	 w;
	char		*cause = NULL;

	setup(&db, &w);
	w.kill_runs = 1;
	w.kill_at_commit = true;
	ck_assert_int_eq(writer(db, &w, &cause), WD_ETEMP);
	/* Not run again: the COMMIT may have been made. */
	ck_assert_int_eq(w.runs, 1);
	ck_assert_ptr_nonnull(strstr(cause, "was lost during the commit: "
	    "the change may have been made or not"));
	free(cause);
	db_close(w.other);
	db_close(db);
}
END_TEST

/*
 * One try of a REPEATABLE READ writer: read row 1 (the snapshot), let
 * the other connection change it in the first run, then change it too.
 */
static enum wd_status
snapshot_once(struct db *db, struct work *w, char **cause)
{
	enum wd_status	status;

	w->runs++;
	if ((status = db_begin_read(db, cause)) != WD_OK)
		return status;
	(void)unit_int(db, sql_n1);
	if (w->runs == 1 && (status = add(w->other, sql_add1, 1,
	    cause)) != WD_OK)
		goto fail;
	if ((status = add(db, sql_add1, 10, cause)) != WD_OK)
		goto fail;
	return db_commit(db, cause);
fail:
	db_rollback(db);
	return status;
}

START_TEST(test_serialization_failure)
{
	struct db	*db;
	struct work	 w;
	struct db_retry	 r;
	enum wd_status	 status = WD_OK;
	char		*cause = NULL;

	setup(&db, &w);
	DB_RETRY(db, r, &status, &cause)
		status = snapshot_once(db, &w, &cause);
	ck_assert_msg(status == WD_OK, "%s", cause);
	ck_assert_int_eq(w.runs, 2);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 11);
	db_close(w.other);
	db_close(db);
}
END_TEST

/*
 * The other side of the deadlock, in a child process with its own
 * connection: lock row 2, say so on FD, wait, then ask for row 1 (which
 * the parent holds). Exits 0 when its transaction committed.
 */
static void __attribute__((noreturn))
deadlock_child(int fd)
{
	struct db	*db;
	char		*cause = NULL;
	int		 rc = 1;

	db = pg_db();
	if (db_begin_read(db, &cause) == WD_OK &&
	    add(db, sql_add2, 1, &cause) == WD_OK) {
		if (write(fd, "x", 1) == 1) {
			usleep(300000);
			if (add(db, sql_add1, 1, &cause) == WD_OK &&
			    db_commit(db, &cause) == WD_OK)
				rc = 0;
		}
	}
	_exit(rc);	/* not db_close: the parent's socket is shared */
}

/*
 * One try of the parent: lock row 1; in the first run start the child
 * and wait until it holds row 2; then ask for row 2. PostgreSQL finds
 * the cycle after deadlock_timeout and ends the one that waited first:
 * this one.
 */
static enum wd_status
deadlock_once(struct db *db, struct work *w, pid_t *child, char **cause)
{
	enum wd_status	status;
	int		p[2];
	char		c;

	w->runs++;
	if ((status = db_begin_read(db, cause)) != WD_OK)
		return status;
	if ((status = add(db, sql_add1, 10, cause)) != WD_OK)
		goto fail;
	if (w->runs == 1) {
		ck_assert_int_eq(pipe(p), 0);
		if ((*child = fork()) == 0) {
			close(p[0]);
			deadlock_child(p[1]);
		}
		close(p[1]);
		ck_assert_int_eq(read(p[0], &c, 1), 1);
		close(p[0]);
	}
	if ((status = add(db, sql_add2, 10, cause)) != WD_OK)
		goto fail;
	return db_commit(db, cause);
fail:
	db_rollback(db);
	return status;
}

START_TEST(test_deadlock)
{
	struct db	*db;
	struct work	 w;
	struct db_retry	 r;
	enum wd_status	 status = WD_OK;
	char		*cause = NULL;
	pid_t		 child = -1;
	int		 st;

	setup(&db, &w);
	DB_RETRY(db, r, &status, &cause)
		status = deadlock_once(db, &w, &child, &cause);
	ck_assert_msg(status == WD_OK, "%s", cause);
	ck_assert_int_eq(w.runs, 2);
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 11);
	ck_assert_int_eq(unit_int(w.other, sql_n2), 11);
	db_close(w.other);
	db_close(db);
}
END_TEST

START_TEST(test_other_errors_once)
{
	struct db	*db;
	struct work	 w;
	struct db_retry	 r;
	enum wd_status	 status = WD_OK;
	char		*cause = NULL;
	int		 runs = 0;

	setup(&db, &w);
	DB_RETRY(db, r, &status, &cause) {
		runs++;
		status = db_exec(db_prepare(db, sql_dup), &cause);
	}
	ck_assert_int_eq(status, WD_EFAIL);
	ck_assert_int_eq(runs, 1);
	free(cause);
	db_close(w.other);
	db_close(db);
}
END_TEST

START_TEST(test_outside_a_loop)
{
	struct db	*db;
	struct work	 w;
	char		*cause = NULL;
	int64_t		 v;

	setup(&db, &w);
	/* A statement outside any transaction: reconnected, run again. */
	v = db_data_version(db);
	kill_session(db, &w);
	ck_assert_int_eq(unit_int(db, sql_n1), 0);
	/* What others did meanwhile is unknown: readers look again. */
	ck_assert_int_ne(db_data_version(db), v);
	/* An outermost BEGIN: the same. */
	kill_session(db, &w);
	ck_assert_int_eq(db_begin_write(db, &cause), WD_OK);
	ck_assert_int_eq(add(db, sql_add1, 5, &cause), WD_OK);
	ck_assert_int_eq(db_commit(db, &cause), WD_OK);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 5);
	/* Inside a transaction, outside a loop: the caller hears of it. */
	ck_assert_int_eq(db_begin_write(db, &cause), WD_OK);
	kill_session(db, &w);
	ck_assert_int_eq(add(db, sql_add1, 5, &cause), WD_ETEMP);
	ck_assert_ptr_nonnull(strstr(cause, "is not answering"));
	db_rollback(db);
	free(cause);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 5);
	db_close(w.other);
	db_close(db);
}
END_TEST

START_TEST(test_sqlite_once)
{
	struct config	 cfg;
	struct db	*db;
	struct db_retry	 r;
	enum wd_status	 status = WD_OK;
	char		*dir, *cause = NULL;
	int		 runs = 0;

	db = unit_db(&cfg, &dir);
	DB_RETRY(db, r, &status, &cause) {
		runs++;
		status = db_exec(db_prepare(db, "SELECT nosuch FROM nowhere"),
		    &cause);
	}
	ck_assert_int_ne(status, WD_OK);
	ck_assert_int_eq(runs, 1);
	free(cause);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
}
END_TEST

/*
 * Another program's database (--import-django's source) is only read,
 * also once its session was ended and made again.
 */
START_TEST(test_foreign_read_only)
{
	struct db	*db, *dj = NULL;
	struct work	 w;
	char		*url, *cause = NULL;

	setup(&db, &w);
	url = pg_url("wd");
	ck_assert_int_eq(db_open_foreign(url, &dj, &cause), WD_OK);
	free(url);
	ck_assert_int_ne(add(dj, sql_add1, 1, &cause), WD_OK);
	free(cause);
	cause = NULL;
	kill_session(dj, &w);
	ck_assert_int_eq(unit_int(dj, sql_n1), 0);
	ck_assert_int_ne(add(dj, sql_add1, 1, &cause), WD_OK);
	free(cause);
	ck_assert_int_eq(unit_int(w.other, sql_n1), 0);
	db_close(dj);
	db_close(w.other);
	db_close(db);
}
END_TEST

/*
 * A trigger that ends its own session the first time it fires, in the
 * middle of the transaction of the domain function under test: a real
 * lost connection where the function's own statements put it. The
 * firings are counted by a sequence, which no rollback takes back.
 */
static const char sql_kill_seq[] = "CREATE SEQUENCE kill_seq";
static const char sql_kill_restart[] = "ALTER SEQUENCE kill_seq RESTART";
static const char sql_kill_fn[] =
    "CREATE FUNCTION kill_once() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF nextval('kill_seq') = 1 THEN "
    "PERFORM pg_terminate_backend(pg_backend_pid()); END IF; "
    "RETURN NULL; END $$";
static const char sql_kill_tickets[] = "CREATE TRIGGER kill AFTER INSERT "
    "ON tickets FOR EACH ROW EXECUTE FUNCTION kill_once()";
static const char sql_kill_outbox[] = "CREATE TRIGGER kill AFTER INSERT "
    "ON outbox FOR EACH ROW WHEN (NEW.kind = 'warning') "
    "EXECUTE FUNCTION kill_once()";
static const char sql_kill_users[] = "CREATE TRIGGER kill AFTER UPDATE "
    "ON users FOR EACH ROW EXECUTE FUNCTION kill_once()";
static const char sql_kill_tokens[] = "CREATE TRIGGER kill AFTER INSERT "
    "ON tokens FOR EACH ROW EXECUTE FUNCTION kill_once()";
static const char sql_kill_rate[] = "CREATE TRIGGER kill AFTER INSERT "
    "ON rate_events FOR EACH ROW EXECUTE FUNCTION kill_once()";
static const char sql_unkill_tickets[] = "DROP TRIGGER kill ON tickets";
static const char sql_unkill_users[] = "DROP TRIGGER kill ON users";
static const char sql_unkill_outbox[] = "DROP TRIGGER kill ON outbox";
static const char sql_firings[] = "SELECT last_value FROM kill_seq";
static const char sql_tickets[] = "SELECT count(*) FROM tickets";
static const char sql_warnings[] =
    "SELECT count(*) FROM outbox WHERE kind = 'warning'";
static const char sql_logins[] =
    "SELECT count(*) FROM audit WHERE event = 'login'";
static const char sql_tokens[] = "SELECT count(*) FROM tokens";
static const char sql_reads[] =
    "SELECT count(*) FROM rate_events WHERE kind = 'read'";

#define DOM_NOW	1796212800	/* 2026-12-01 12:00:00Z */

START_TEST(test_domain_units)
{
	struct config		 cfg;
	struct db		*db;
	struct ticket_fields	 f;
	struct notify_stats	 ns;
	struct user		 alice, me;
	int64_t			 id;
	char			*cause = NULL, *token = NULL;

	db = pg_open_db("dom");
	config_defaults(&cfg);
	cfg.rate_limit_create.count = 0;
	cfg.rate_limit_read.count = 0;
	cfg.sla_warning_minutes = 60;
	sla_policy_from_config(&cfg, &cfg.sla);
	memset(&alice, 0, sizeof alice);
	ck_assert_int_eq(user_create(db, &cfg, "alice", "alice@example.org",
	    "correct horse 1", false, false, NULL, DOM_NOW, &alice.id,
	    &cause), WD_OK);
	alice.name = xstrdup("alice");
	unit_exec(db, sql_kill_seq);
	unit_exec(db, sql_kill_fn);

	/* A ticket's creation loses its session at the INSERT. */
	unit_exec(db, sql_kill_tickets);
	memset(&f, 0, sizeof f);
	f.title = "Backups failing";
	f.has_deadline = true;
	f.deadline = DOM_NOW + 90 * 60;
	ck_assert_msg(ticket_create(db, &cfg, &alice, &f, DOM_NOW, &id,
	    &cause) == WD_OK, "%s", cause);
	ck_assert_int_eq(unit_int(db, sql_firings), 2);
	ck_assert_int_eq(unit_int(db, sql_tickets), 1);
	unit_exec(db, sql_unkill_tickets);

	/* The SLA pass loses it as it queues the warning. */
	unit_exec(db, sql_kill_restart);
	unit_exec(db, sql_kill_outbox);
	ck_assert_msg(notify_sla_pass(db, &cfg, DOM_NOW + 45 * 60, false,
	    NULL, NULL, &ns, &cause) == WD_OK, "%s", cause);
	ck_assert_int_eq(ns.warnings, 1);
	ck_assert_int_eq(unit_int(db, sql_firings), 2);
	ck_assert_int_eq(unit_int(db, sql_warnings), 1);
	unit_exec(db, sql_unkill_outbox);

	/* A login loses it as it records the login on the account. */
	unit_exec(db, sql_kill_restart);
	unit_exec(db, sql_kill_users);
	ck_assert_msg(user_login(db, &cfg, "alice", "correct horse 1", 1000,
	    DOM_NOW, &me, &cause) == WD_OK, "%s", cause);
	ck_assert_int_eq(unit_int(db, sql_firings), 2);
	ck_assert_int_eq(unit_int(db, sql_logins), 1);
	unit_exec(db, sql_unkill_users);

	/* A new token loses it at its INSERT. */
	unit_exec(db, sql_kill_restart);
	unit_exec(db, sql_kill_tokens);
	ck_assert_msg(token_create(db, alice.id, DOM_NOW, &token, &cause) ==
	    WD_OK, "%s", cause);
	ck_assert_int_eq(unit_int(db, sql_firings), 2);
	ck_assert_int_eq(unit_int(db, sql_tokens), 1);
	free(token);

	/* A read counted against RATE_LIMIT_READ loses it at its INSERT. */
	unit_exec(db, sql_kill_restart);
	unit_exec(db, sql_kill_rate);
	ck_assert_msg(ratelimit_take(db, &(struct rate_limit){ 5, 60 },
	    alice.id, "read", DOM_NOW, &cause) == WD_OK, "%s", cause);
	ck_assert_int_eq(unit_int(db, sql_firings), 2);
	ck_assert_int_eq(unit_int(db, sql_reads), 1);

	user_clear(&me);
	user_clear(&alice);
	config_free(&cfg);
	db_close(db);
}
END_TEST

static Suite *
db_retry_suite(void)
{
	Suite	*s = suite_create("db_retry");
	TCase	*tc = tcase_create("db_retry");

	tcase_add_unchecked_fixture(tc, pg_up, pg_down);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lost_in_the_middle);
	tcase_add_test(tc, test_lost_for_good);
	tcase_add_test(tc, test_lost_at_commit);
	tcase_add_test(tc, test_serialization_failure);
	tcase_add_test(tc, test_deadlock);
	tcase_add_test(tc, test_other_errors_once);
	tcase_add_test(tc, test_outside_a_loop);
	tcase_add_test(tc, test_foreign_read_only);
	tcase_add_test(tc, test_sqlite_once);
	tcase_add_test(tc, test_domain_units);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(db_retry_suite)
