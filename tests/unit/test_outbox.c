/* test_outbox.c: queueing, leases, retries and giving up. */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/outbox.h"
#include "watchdog/util.h"

#define NOW	1795000000

static struct config	 cfg;
static struct db	*db;
static char		*dir;

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
}

static void
teardown(void)
{
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}

/* The messages waiting for a retry (fails the test on an error). */
static int64_t
retrying(void)
{
	int64_t	n = -1;

	ck_assert_int_eq(outbox_retrying(db, &n, NULL), WD_OK);
	return n;
}

static int64_t
add(int64_t ticket, const char *kind, const char *rcpt)
{
	int64_t	row;

	ck_assert_int_eq(outbox_add(db, ticket, kind, 0, NOW + 3600, rcpt,
	    "wd@example.org", NOW, &row, NULL), WD_OK);
	if (row != 0)
		ck_assert_int_eq(outbox_set_message(db, row, "<id@x>",
		    "Subject: x\r\n\r\nbody\r\n", NULL), WD_OK);
	return row;
}

START_TEST(test_backoff)
{
	ck_assert_int_eq(outbox_backoff(1), 60);
	ck_assert_int_eq(outbox_backoff(2), 120);
	ck_assert_int_eq(outbox_backoff(3), 240);
	ck_assert_int_le(outbox_backoff(1), 300);	/* within 5 minutes */
	ck_assert_int_eq(outbox_backoff(7), 3600);
	ck_assert_int_eq(outbox_backoff(100), 3600);
}
END_TEST

START_TEST(test_unique_key)
{
	ck_assert_int_ne(add(1, "warning", "a@example.org"), 0);
	ck_assert_int_eq(add(1, "warning", "a@example.org"), 0);
	ck_assert_int_ne(add(1, "warning", "b@example.org"), 0);
	ck_assert_int_ne(add(1, "missed", "a@example.org"), 0);
	ck_assert_int_ne(add(2, "warning", "a@example.org"), 0);
}
END_TEST

START_TEST(test_lease)
{
	struct outbox_msg	m, m2;
	bool			got;
	int64_t			id;

	id = add(1, "warning", "a@example.org");
	ck_assert_int_eq(outbox_claim(db, NOW, 300, 0, NULL, &m, &got, NULL),
	    WD_OK);
	ck_assert(got);
	ck_assert_int_eq(m.id, id);
	ck_assert_str_eq(m.recipient, "a@example.org");
	ck_assert_str_eq(m.message, "Subject: x\r\n\r\nbody\r\n");
	/* Claimed: another pass does not get it... */
	ck_assert_int_eq(outbox_claim(db, NOW + 10, 300, 0, NULL, &m2, &got,
	    NULL), WD_OK);
	ck_assert(!got);
	/* ...until the lease of a pass that died runs out. */
	ck_assert_int_eq(outbox_claim(db, NOW + 301, 300, 0, NULL, &m2, &got,
	    NULL), WD_OK);
	ck_assert(got);
	ck_assert_int_eq(m2.id, id);
	ck_assert_str_eq(m2.message_id, m.message_id);
	ck_assert_int_eq(outbox_sent(db, id, NOW + 302, NULL), WD_OK);
	outbox_msg_clear(&m2);
	ck_assert_int_eq(outbox_claim(db, NOW + 10000, 300, 0, NULL, &m2, &got,
	    NULL), WD_OK);
	ck_assert(!got);
	outbox_msg_clear(&m);
}
END_TEST

START_TEST(test_retry_and_give_up)
{
	struct outbox_msg	m;
	bool			got, gave_up;
	int64_t			id, next;

	id = add(1, "missed", "a@example.org");
	ck_assert_int_eq(outbox_claim(db, NOW, 300, 0, NULL, &m, &got, NULL),
	    WD_OK);
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_failed(db, id, NOW, "connection refused",
	    false, &gave_up, &next, NULL), WD_OK);
	ck_assert(!gave_up);
	ck_assert_int_eq(next, NOW + 60);
	ck_assert_int_eq(retrying(), 1);
	ck_assert_int_eq(outbox_claim(db, NOW + 59, 300, 0, NULL, &m, &got,
	    NULL), WD_OK);
	ck_assert(!got);
	ck_assert_int_eq(outbox_claim(db, NOW + 60, 300, 0, NULL, &m, &got,
	    NULL), WD_OK);
	ck_assert(got);
	ck_assert_int_eq(m.attempts, 1);
	ck_assert_str_eq(m.last_error, "connection refused");
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_failed(db, id, NOW + 60, "451 try later",
	    false, &gave_up, &next, NULL), WD_OK);
	ck_assert_int_eq(next, NOW + 60 + 120);
	/* A day after it was queued, it is given up on, but kept. */
	ck_assert_int_eq(outbox_failed(db, id, NOW + OUTBOX_GIVE_UP, "timeout",
	    false, &gave_up, &next, NULL), WD_OK);
	ck_assert(gave_up);
	ck_assert_int_eq(retrying(), 0);
	ck_assert_int_eq(outbox_claim(db, NOW + 2 * OUTBOX_GIVE_UP, 300, 0,
	    NULL, &m, &got, NULL), WD_OK);
	ck_assert(!got);
}
END_TEST

static int
count_failed(const struct outbox_msg *m, void *arg)
{
	if (strcmp(m->state, "failed") == 0)
		(*(int *)arg)++;
	return 0;
}

START_TEST(test_permanent)
{
	struct outbox_msg	m;
	bool			got, gave_up;
	int64_t			id, next;
	int			n = 0;

	id = add(7, "created", "a@example.org");
	add(8, "created", "b@example.org");
	ck_assert_int_eq(outbox_claim(db, NOW, 300, 7, "created", &m, &got,
	    NULL), WD_OK);
	ck_assert(got);
	ck_assert_int_eq(m.id, id);
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_failed(db, id, NOW, "550 no such user", true,
	    &gave_up, &next, NULL), WD_OK);
	ck_assert(gave_up);
	ck_assert_int_eq(outbox_list(db, count_failed, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 1);
	/* Only ticket 7's created notice was asked for: 8's is untouched. */
	ck_assert_int_eq(outbox_claim(db, NOW, 300, 7, "created", &m, &got,
	    NULL), WD_OK);
	ck_assert(!got);
}
END_TEST

static void
count_reported(const struct outbox_msg *m, void *arg)
{
	ck_assert_str_eq(m->state, "failed");
	ck_assert_str_eq(m->last_error, "550 refused");
	(*(int *)arg)++;
}

START_TEST(test_refused_reported_once)
{
	struct outbox_msg	m;
	bool			got;
	int64_t			id;
	int			n = 0;

	id = add(7, "created", "a@example.org");
	ck_assert_int_eq(outbox_claim(db, NOW, 300, 7, "created", &m, &got,
	    NULL), WD_OK);
	ck_assert(got);
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_refused(db, id, NOW, "550 refused", NULL),
	    WD_OK);
	/* Final: no later pass claims it again. */
	ck_assert_int_eq(outbox_claim(db, NOW + 10000, 300, 0, NULL, &m, &got,
	    NULL), WD_OK);
	ck_assert(!got);
	ck_assert_int_eq(retrying(), 0);
	/* Reported by the next pass, and by that one only. */
	ck_assert_int_eq(outbox_report_failed(db, count_reported, &n, NULL),
	    WD_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(outbox_report_failed(db, count_reported, &n, NULL),
	    WD_OK);
	ck_assert_int_eq(n, 1);
}
END_TEST

/* A batch claim records the message sent before it in one transaction. */
START_TEST(test_claim_batch_records_sent)
{
	struct outbox_msg	*ms;
	size_t			 n, i;
	int64_t			 a, b;

	a = add(1, "warning", "a@example.org");
	b = add(2, "warning", "a@example.org");
	add(3, "warning", "a@example.org");
	ck_assert_int_eq(outbox_claim_batch(db, NOW, 300, 0, NULL, 2, 0, &ms,
	    &n, NULL), WD_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ms[0].id, a);
	ck_assert_int_eq(ms[1].id, b);
	for (i = 0; i < n; i++)
		outbox_msg_clear(&ms[i]);
	free(ms);
	/* The rest, and A recorded as sent on the way. */
	ck_assert_int_eq(outbox_claim_batch(db, NOW + 1, 300, 0, NULL, 5, a,
	    &ms, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 1);
	outbox_msg_clear(&ms[0]);
	free(ms);
	ck_assert_int_eq(retrying(), 0);
	/* Nothing left to claim: B is still recorded. */
	ck_assert_int_eq(outbox_claim_batch(db, NOW + 2, 300, 0, NULL, 5, b,
	    &ms, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 0);
	free(ms);
	ck_assert_int_eq(outbox_unclaim(db, &b, 1, NOW + 3, NULL), WD_OK);
	/* B is sent, so giving its claim back does nothing. */
	ck_assert_int_eq(outbox_claim_batch(db, NOW + 4, 300, 0, NULL, 5, 0,
	    &ms, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 0);
	free(ms);
}
END_TEST

/* How many OpenEphemeral opcodes SQLite's program for SQL has. */
static int
ephemeral_tables(const char *sql)
{
	sqlite3		*conn;
	sqlite3_stmt	*st;
	char		*path, *explain;
	int		 n = 0;

	path = unit_db_path(dir);
	/* Read-write: SQLite leaves the CHECKs out of a read-only program. */
	ck_assert_int_eq(sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	explain = xasprintf("EXPLAIN %s", sql);
	ck_assert_int_eq(sqlite3_prepare_v2(conn, explain, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(st, 1),
		    "OpenEphemeral") == 0)
			n++;
	sqlite3_finalize(st);
	sqlite3_close(conn);
	free(explain);
	free(path);
	return n;
}

/*
 * Queueing a notice and moving it through its states builds no temporary
 * b-tree: SQLite makes one for each CHECK (x IN (three or more constants))
 * every time a statement runs, which was a tenth of an SLA pass.
 */
START_TEST(test_writes_build_no_temporary_tree)
{
	ck_assert_int_eq(ephemeral_tables("INSERT INTO outbox (ticket_id, "
	    "kind, seq, deadline, recipient, sender, message_id, message, "
	    "created_at, next_attempt_at) VALUES (1, 'warning', 0, 1, 'a', "
	    "'b', '', '', 1, 1)"), 0);
	ck_assert_int_eq(ephemeral_tables("UPDATE outbox SET state = 'sent', "
	    "sent_at = 2 WHERE id = 1"), 0);
	ck_assert_int_eq(ephemeral_tables("UPDATE outbox SET state = "
	    "'sending', next_attempt_at = 2 WHERE id = 1"), 0);
}
END_TEST

static Suite *
outbox_suite(void)
{
	Suite	*s = suite_create("outbox");
	TCase	*tc = tcase_create("outbox");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_backoff);
	tcase_add_test(tc, test_unique_key);
	tcase_add_test(tc, test_lease);
	tcase_add_test(tc, test_retry_and_give_up);
	tcase_add_test(tc, test_permanent);
	tcase_add_test(tc, test_refused_reported_once);
	tcase_add_test(tc, test_claim_batch_records_sent);
	tcase_add_test(tc, test_writes_build_no_temporary_tree);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(outbox_suite)
