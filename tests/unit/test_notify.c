/* test_notify.c: which notices go when, queued once per deadline. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/notify.h"
#include "watchdog/ticket.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000
#define MIN	60
#define HOUR	3600

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path, **default_escalation;
static struct user	 alice, bob;
static char		 boss[] = "boss@example.org";
static char		*escalation[] = { boss, NULL };

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	cfg.sla_warning_minutes = 60;
	sla_policy_from_config(&cfg, &cfg.sla);
	default_escalation = cfg.escalation_emails;
	free(cfg.default_from_email);
	cfg.default_from_email = xstrdup("watchdog@example.net");
	unit_user(db, &cfg, "alice", NOW, &alice);
	unit_user(db, &cfg, "bob", NOW, &bob);
}

static void
teardown(void)
{
	cfg.escalation_emails = default_escalation;
	sla_policy_from_config(&cfg, &cfg.sla);
	user_clear(&alice);
	user_clear(&bob);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

/* A ticket of alice's, assigned to bob, due at DEADLINE. */
static int64_t
create(int64_t deadline)
{
	struct ticket_fields	 f;
	int64_t			 id = 0;
	char			*cause = NULL;

	memset(&f, 0, sizeof f);
	f.title = "Backups failing";
	f.assignee = "bob";
	f.has_deadline = true;
	f.deadline = deadline;
	if (ticket_create(db, &cfg, &alice, &f, NOW, &id, &cause) != WD_OK)
		ck_abort_msg("ticket_create: %s", cause);
	return id;
}

static long long
count(const char *kind)
{
	char		*sql;
	long long	 n;

	sql = xasprintf("SELECT count(*) FROM outbox WHERE kind = '%s'", kind);
	n = unit_sql_int(path, sql);
	free(sql);
	return n;
}

static void
pass(int64_t now, bool dry_run, struct notify_stats *st)
{
	char	*cause = NULL;

	if (notify_sla_pass(db, &cfg, now, dry_run, NULL, NULL, st, &cause) !=
	    WD_OK)
		ck_abort_msg("pass: %s", cause);
}

START_TEST(test_created)
{
	int64_t	id;

	id = create(NOW + 5 * HOUR);
	ck_assert_int_eq(count("created"), 1);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox WHERE "
	    "recipient = 'alice@example.org' AND message LIKE "
	    "'%Subject: [watchdog #1] New ticket: Backups failing%'"), 1);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox "
	    "WHERE message_id LIKE '<wd.1.created.%@example.net>'"), 1);
	(void)id;
}
END_TEST

/* A malformed template fails the notice, kept for a pass to report. */
START_TEST(test_broken_template)
{
	char	*tdir, *file;
	FILE	*f;

	tdir = xasprintf("%s/templates", dir);
	ck_assert_int_eq(mkdir(tdir, 0700), 0);
	file = xasprintf("%s/created.txt", tdir);
	ck_assert_ptr_nonnull(f = fopen(file, "w"));
	fputs("no subject line\n\n{{title}}\n", f);
	fclose(f);
	free(cfg.template_dir);
	cfg.template_dir = tdir;
	create(NOW + 5 * HOUR);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets"),
	    1);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox "
	    "WHERE kind = 'created' AND state = 'failed' AND reported = 0 "
	    "AND last_error LIKE '%created.txt%Subject%'"), 1);
	free(file);
}
END_TEST

START_TEST(test_warning_then_missed)
{
	struct notify_stats	st;

	create(NOW + 2 * HOUR);
	pass(NOW, false, &st);			/* 2 h left: nothing */
	ck_assert_int_eq(count("warning"), 0);
	ck_assert_int_eq(st.checked, 0);
	pass(NOW + HOUR + MIN, false, &st);	/* 59 min left */
	ck_assert_int_eq(st.warnings, 2);
	ck_assert_int_eq(count("warning"), 2);	/* owner and assignee */
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox WHERE "
	    "kind = 'warning' AND message LIKE '%In-Reply-To: <wd.1.created.%' "
	    "AND message LIKE '%SLA warning: Backups failing (due %'"), 2);
	pass(NOW + HOUR + 2 * MIN, false, &st);	/* once per deadline */
	ck_assert_int_eq(count("warning"), 2);
	ck_assert_int_eq(st.warnings, 0);
	cfg.escalation_emails = escalation;
	sla_policy_from_config(&cfg, &cfg.sla);
	pass(NOW + 2 * HOUR, false, &st);	/* deadline reached */
	ck_assert_int_eq(st.missed, 3);
	ck_assert_int_eq(count("missed"), 3);	/* and the escalation list */
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox WHERE "
	    "kind = 'missed' AND recipient = 'boss@example.org'"), 1);
	pass(NOW + 3 * HOUR, false, &st);
	ck_assert_int_eq(count("missed"), 3);
	ck_assert_int_eq(st.checked, 0);	/* out of the due index */
}
END_TEST

START_TEST(test_no_stale_warning)
{
	struct notify_stats	st;

	create(NOW + 2 * HOUR);
	pass(NOW + 3 * HOUR, false, &st);	/* ok, then missed: one pass */
	ck_assert_int_eq(count("warning"), 0);
	ck_assert_int_eq(count("missed"), 2);
}
END_TEST

START_TEST(test_moved_deadline_rearms)
{
	struct ticket_fields	f;
	struct notify_stats	st;
	int64_t			id;

	id = create(NOW + HOUR);
	pass(NOW + 2 * HOUR, false, &st);
	ck_assert_int_eq(count("missed"), 2);
	memset(&f, 0, sizeof f);
	f.has_deadline = true;
	f.deadline = NOW + 10 * HOUR;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 2 *
	    HOUR, NULL, NULL), WD_OK);
	pass(NOW + 9 * HOUR + 30 * MIN, false, &st);
	ck_assert_int_eq(count("warning"), 2);
	pass(NOW + 10 * HOUR, false, &st);
	ck_assert_int_eq(count("missed"), 4);
}
END_TEST

START_TEST(test_resolved_quiet_reopen_reevaluates)
{
	struct ticket_fields	f;
	struct notify_stats	st;
	int64_t			id;

	id = create(NOW + HOUR);
	memset(&f, 0, sizeof f);
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_OK);
	pass(NOW + 30 * MIN, false, &st);
	pass(NOW + 2 * HOUR, false, &st);
	ck_assert_int_eq(count("warning") + count("missed"), 0);
	/* Reopened after its deadline: measured again, missed once. */
	f.status = "open";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 2 *
	    HOUR, NULL, NULL), WD_OK);
	pass(NOW + 2 * HOUR, false, &st);
	ck_assert_int_eq(count("missed"), 2);
	/* Resolved and reopened again, same deadline: no second notice. */
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_OK);
	f.status = "in_progress";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_OK);
	pass(NOW + 3 * HOUR, false, &st);
	ck_assert_int_eq(count("missed"), 2);
}
END_TEST

START_TEST(test_dry_run_changes_nothing)
{
	struct notify_stats	st;

	create(NOW + HOUR);
	pass(NOW + 2 * HOUR, true, &st);
	ck_assert_int_eq(st.missed, 2);
	ck_assert_int_eq(count("missed"), 0);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT sla_notified FROM tickets"), 0);
	pass(NOW + 2 * HOUR, false, &st);
	ck_assert_int_eq(count("missed"), 2);
}
END_TEST

/*
 * A report callback that checks that nobody holds the write lock while it
 * is told: another connection takes it at once.
 */
static void
report_unlocked(const struct ticket *t, enum mail_kind kind,
    const char *recipients, void *arg)
{
	struct db	*other;

	(void)t;
	(void)kind;
	ck_assert_ptr_nonnull(strstr(recipients, "alice@example.org"));
	ck_assert_int_eq(db_open(path, &other, NULL), WD_OK);
	db_set_busy_timeout(other, 0);
	ck_assert_int_eq(db_begin_write(other, NULL), WD_OK);
	db_rollback(other);
	db_close(other);
	(*(int *)arg)++;
}

START_TEST(test_report_outside_transaction)
{
	struct notify_stats	st;
	int			told = 0;

	create(NOW + HOUR);
	ck_assert_int_eq(notify_sla_pass(db, &cfg, NOW + 2 * HOUR, true,
	    report_unlocked, &told, &st, NULL), WD_OK);
	ck_assert_int_eq(told, 1);
	ck_assert_int_eq(count("missed"), 0);
	ck_assert_int_eq(notify_sla_pass(db, &cfg, NOW + 2 * HOUR, false,
	    report_unlocked, &told, &st, NULL), WD_OK);
	ck_assert_int_eq(told, 2);
	ck_assert_int_eq(count("missed"), 2);
}
END_TEST

START_TEST(test_due_query_plan)
{
	char	*plan = NULL;

	ck_assert_int_eq(db_query_plan(db, notify_due_sql(), &plan, NULL),
	    WD_OK);
	ck_assert_msg(strstr(plan, "COVERING INDEX tickets_sla_next") != NULL &&
	    strstr(plan, "TEMP B-TREE") == NULL,
	    "due query does not read its index:\n%s", plan);
	free(plan);
}
END_TEST

/* The stored next notice time of ticket ID (-1: none). */
static long long
next_at(int64_t id)
{
	char		*sql;
	long long	 n;

	sql = xasprintf("SELECT coalesce(sla_next_at, -1) FROM tickets "
	    "WHERE id = %lld", (long long)id);
	n = unit_sql_int(path, sql);
	free(sql);
	return n;
}

START_TEST(test_next_at_kept)
{
	struct ticket_fields	f;
	struct notify_stats	st;
	int64_t			id;

	id = create(NOW + 2 * HOUR);
	ck_assert_int_eq(next_at(id), NOW + HOUR);	/* the warning */
	memset(&f, 0, sizeof f);
	f.has_deadline = true;
	f.deadline = NOW + 3 * HOUR;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(next_at(id), NOW + 2 * HOUR);
	pass(NOW + 2 * HOUR, false, &st);
	ck_assert_int_eq(st.warnings, 2);
	ck_assert_int_eq(next_at(id), NOW + 3 * HOUR);	/* the miss */
	/* A pass before the next time does not even look at the ticket. */
	pass(NOW + 3 * HOUR - 1, false, &st);
	ck_assert_int_eq(st.checked, 0);
	pass(NOW + 3 * HOUR, false, &st);
	ck_assert_int_eq(st.missed, 2);
	ck_assert_int_eq(next_at(id), -1);
	/* Resolved: nothing due; reopened: the miss again (new deadline). */
	memset(&f, 0, sizeof f);
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(next_at(id), -1);
	f.status = "open";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(next_at(id), NOW + 2 * HOUR);
}
END_TEST

START_TEST(test_changed_window_recomputes)
{
	struct notify_stats	st;
	int64_t			id;

	id = create(NOW + 3 * HOUR);
	pass(NOW, false, &st);			/* the rule is recorded */
	ck_assert_int_eq(next_at(id), NOW + 2 * HOUR);
	/* SLA_WARNING_MINUTES=120 from now on: the warning is due at once. */
	cfg.sla_warning_minutes = 120;
	sla_policy_from_config(&cfg, &cfg.sla);
	pass(NOW + 90 * MIN, false, &st);
	ck_assert_int_eq(st.warnings, 2);
	ck_assert_int_eq(next_at(id), NOW + 3 * HOUR);
	/* The next pass reads only what is due again. */
	pass(NOW + 91 * MIN, false, &st);
	ck_assert_int_eq(st.checked, 0);
}
END_TEST

static Suite *
notify_suite(void)
{
	Suite	*s = suite_create("notify");
	TCase	*tc = tcase_create("notify");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_created);
	tcase_add_test(tc, test_broken_template);
	tcase_add_test(tc, test_warning_then_missed);
	tcase_add_test(tc, test_no_stale_warning);
	tcase_add_test(tc, test_moved_deadline_rearms);
	tcase_add_test(tc, test_resolved_quiet_reopen_reevaluates);
	tcase_add_test(tc, test_dry_run_changes_nothing);
	tcase_add_test(tc, test_report_outside_transaction);
	tcase_add_test(tc, test_due_query_plan);
	tcase_add_test(tc, test_next_at_kept);
	tcase_add_test(tc, test_changed_window_recomputes);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(notify_suite)
