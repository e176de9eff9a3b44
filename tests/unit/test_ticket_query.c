/*
 * test_ticket_query.c: the filters of --list: each alone and combined,
 * keyset pages, counts, search, and the query plans of every listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_query.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000
#define HOUR	3600

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path;
static struct user	 alice, bob;

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	cfg.sla_warning_minutes = 60;
	sla_policy_from_config(&cfg, &cfg.sla);
	unit_user(db, &cfg, "alice", NOW, &alice);
	unit_user(db, &cfg, "bob", NOW, &bob);
}

static void
teardown(void)
{
	user_clear(&alice);
	user_clear(&bob);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

/* Create a ticket as BY; returns its id. */
static int64_t
create(const struct user *by, const char *title, const char *description,
    const char *priority, const char *assignee, const char *status,
    int64_t deadline)
{
	struct ticket_fields	 f;
	int64_t			 id = 0;
	char			*cause = NULL;

	memset(&f, 0, sizeof f);
	f.title = title;
	f.description = description;
	f.priority = priority;
	f.assignee = assignee;
	f.status = status;
	f.has_deadline = true;
	f.deadline = deadline;
	if (ticket_create(db, &cfg, by, &f, NOW - 10 * HOUR, &id, &cause) !=
	    WD_OK)
		ck_abort_msg("ticket_create: %s", cause);
	return id;
}

/* Append the id of each listed ticket to the string ARG ("1 2 3"). */
static int
collect(const struct ticket *t, void *arg)
{
	struct strbuf	*sb = arg;

	strbuf_addf(sb, "%s%lld", sb->len > 0 ? " " : "", (long long)t->id);
	return 0;
}

/*
 * The ids Q lists for ME as "1 2 3" (new), or "error: CAUSE"; checks
 * that the count agrees.
 */
static char *
list(const struct ticket_query *q, const struct user *me)
{
	struct ticket_plan	 plan;
	struct strbuf		 sb;
	char			*cause = NULL, *s;
	int64_t			 n = -1;
	size_t			 words;

	memset(&sb, 0, sizeof sb);
	if (ticket_query_prepare(db, &cfg.sla, q, me, NOW, &plan, &cause) !=
	    WD_OK) {
		s = xasprintf("error: %s", cause);
		free(cause);
		return s;
	}
	ck_assert_int_eq(ticket_query_rows(db, &plan, TQ_OUT_ROWS, NOW,
	    collect, &sb, NULL), WD_OK);
	ck_assert_int_eq(ticket_query_count(db, &plan, NOW, &n, NULL), WD_OK);
	ticket_plan_clear(&plan);
	s = sb.len > 0 ? strbuf_detach(&sb) : xstrdup("");
	words = s[0] == '\0' ? 0 : 1;
	for (const char *p = s; *p != '\0'; p++)
		words += *p == ' ';
	ck_assert_int_eq(n, (int64_t)words);
	return s;
}

#define CHECK_LIST(q, me, want) do {					\
	char *got_ = list((q), (me));					\
	ck_assert_msg(strcmp(got_, (want)) == 0, "got '%s', want '%s'",	\
	    got_, (want));						\
	free(got_);							\
} while (0)

/*
 * Five tickets: 1 alice's missed urgent, assigned to bob; 2 alice's in
 * warning, unassigned, on hold; 3 bob's ok high, assigned to alice; 4
 * bob's resolved in time (met); 5 alice's resolved late (breached).
 */
static void
five(void)
{
	struct ticket_fields	f;

	create(&alice, "Printer on fire", "smoke in room 12", "urgent", "bob",
	    NULL, NOW - HOUR);
	create(&alice, "Café crème machine", "the ÉCLAIR is cold", NULL, NULL,
	    "on_hold", NOW + HOUR / 2);
	create(&bob, "Disk full", NULL, "high", "alice", "in_progress",
	    NOW + 5 * HOUR);
	create(&bob, "Old thing", NULL, NULL, NULL, NULL, NOW + 7 * HOUR);
	create(&alice, "Late thing", NULL, "low", NULL, NULL, NOW - 20 * HOUR);
	memset(&f, 0, sizeof f);
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, 4, &f, NOW - 9 * HOUR, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, 5, &f, NOW - 9 * HOUR, NULL,
	    NULL), WD_OK);
}

START_TEST(test_filters)
{
	struct ticket_query	q;

	five();
	memset(&q, 0, sizeof q);
	CHECK_LIST(&q, &alice, "1 2 3");
	q.all = true;
	CHECK_LIST(&q, &alice, "5 1 2 3 4");
	memset(&q, 0, sizeof q);
	q.statuses = "on_hold,resolved";
	CHECK_LIST(&q, &alice, "5 2 4");
	q.statuses = "resolved";
	CHECK_LIST(&q, &alice, "5 4");
	q.statuses = "open,closed";
	CHECK_LIST(&q, &alice, "error: --status: bad value 'closed': use "
	    "open, in_progress, on_hold or resolved (a comma-separated list)");
	q.statuses = "open,";
	CHECK_LIST(&q, &alice, "error: --status: bad value '': use open, "
	    "in_progress, on_hold or resolved (a comma-separated list)");
	memset(&q, 0, sizeof q);
	q.priorities = "urgent,high";
	CHECK_LIST(&q, &alice, "1 3");
	q.priorities = "normal";
	CHECK_LIST(&q, &alice, "2");
	q.all = true;
	CHECK_LIST(&q, &alice, "2 4");
	memset(&q, 0, sizeof q);
	q.assignee = "bob";
	CHECK_LIST(&q, &alice, "1");
	q.assignee = "me";
	CHECK_LIST(&q, &alice, "3");
	q.assignee = "none";
	CHECK_LIST(&q, &alice, "2");
	q.all = true;
	CHECK_LIST(&q, &alice, "5 2 4");
	q.assignee = "nobody";
	CHECK_LIST(&q, &alice, "error: --assignee: no account named 'nobody'");
	memset(&q, 0, sizeof q);
	q.owner = "me";
	CHECK_LIST(&q, &bob, "3");
	q.owner = "ALICE";
	CHECK_LIST(&q, &bob, "1 2");
	memset(&q, 0, sizeof q);
	q.mine = true;
	CHECK_LIST(&q, &bob, "1 3");
	q.overdue = true;
	CHECK_LIST(&q, &bob, "1");
}
END_TEST

/* --sla by the rule of sla.c, with the warning window of an hour. */
START_TEST(test_sla)
{
	struct ticket_query	q;

	five();
	memset(&q, 0, sizeof q);
	q.slas = "missed";
	CHECK_LIST(&q, &alice, "1");
	/* Ticket 2 is on hold (SLA_PAUSE_STATUSES): paused, not warning. */
	q.slas = "warning";
	CHECK_LIST(&q, &alice, "");
	q.slas = "ok";
	CHECK_LIST(&q, &alice, "3");
	q.slas = "ok,missed";
	CHECK_LIST(&q, &alice, "1 3");
	q.slas = "met";
	CHECK_LIST(&q, &alice, "4");
	q.slas = "breached,warning";
	CHECK_LIST(&q, &alice, "5");
	q.slas = "paused";
	CHECK_LIST(&q, &alice, "2");
	q.slas = "paused,missed";
	CHECK_LIST(&q, &alice, "1 2");
	q.slas = "late";
	CHECK_LIST(&q, &alice, "error: --sla: bad value 'late': use ok, "
	    "warning, missed, paused, met or breached (a comma-separated "
	    "list)");
	/* The edge: due exactly at the end of the warning window. */
	create(&bob, "edge", NULL, NULL, NULL, NULL, NOW + HOUR);
	q.slas = "warning";
	CHECK_LIST(&q, &alice, "6");
	create(&bob, "now", NULL, NULL, NULL, NULL, NOW);
	q.slas = "missed";
	CHECK_LIST(&q, &alice, "1 7");
}
END_TEST

START_TEST(test_due_within)
{
	struct ticket_query	q;

	five();
	memset(&q, 0, sizeof q);
	q.has_due = true;
	q.due_within = HOUR;
	CHECK_LIST(&q, &alice, "1 2");
	q.due_within = 5 * HOUR;
	CHECK_LIST(&q, &alice, "1 2 3");
	q.due_within = 0;
	CHECK_LIST(&q, &alice, "1");
	q.priorities = "normal";
	q.due_within = HOUR;
	CHECK_LIST(&q, &alice, "2");
}
END_TEST

/* Keyset pages: --limit and --after walk the list without overlap. */
START_TEST(test_pages)
{
	struct ticket_query	q;
	int			i;

	for (i = 0; i < 7; i++)
		create(&alice, "same deadline", NULL, NULL, NULL, NULL, NOW);
	create(&alice, "earlier", NULL, NULL, NULL, NULL, NOW - HOUR);
	memset(&q, 0, sizeof q);
	q.limit = 3;
	CHECK_LIST(&q, &alice, "8 1 2");
	q.after = 2;
	CHECK_LIST(&q, &alice, "3 4 5");
	q.after = 5;
	CHECK_LIST(&q, &alice, "6 7");
	q.after = 7;
	CHECK_LIST(&q, &alice, "");
	q.after = 99;
	CHECK_LIST(&q, &alice, "error: --after: no ticket #99 (deleted "
	    "since?): list again from the start");
	q.after = 8;
	q.limit = 0;
	CHECK_LIST(&q, &alice, "1 2 3 4 5 6 7");
}
END_TEST

/* Search: titles and descriptions, any case, any accent, as prefixes. */
START_TEST(test_search)
{
	struct ticket_query	q;
	struct ticket_fields	f;
	char			*m;

	five();
	memset(&q, 0, sizeof q);
	q.search = "printer";
	CHECK_LIST(&q, &alice, "1");
	q.search = "CAFÉ";
	CHECK_LIST(&q, &alice, "2");
	q.search = "eclair";
	CHECK_LIST(&q, &alice, "2");
	q.search = "ROOM 12 smo";
	CHECK_LIST(&q, &alice, "1");
	q.search = "thing";
	CHECK_LIST(&q, &alice, "");
	q.all = true;
	CHECK_LIST(&q, &alice, "5 4");
	q.search = "thing late";
	CHECK_LIST(&q, &alice, "5");
	q.search = "\"unbalanced AND OR ( *";
	CHECK_LIST(&q, &alice, "");
	q.search = "  ";
	CHECK_LIST(&q, &alice, "error: --search: give at least one word to "
	    "look for");
	q.search = "caf\xe9";
	CHECK_LIST(&q, &alice, "error: --search: not valid UTF-8");
	/* The index follows edits and deletes. */
	memset(&f, 0, sizeof f);
	f.title = "Toner low";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, 1, &f, NOW, NULL, NULL),
	    WD_OK);
	q.search = "printer";
	CHECK_LIST(&q, &alice, "");
	q.search = "toner";
	CHECK_LIST(&q, &alice, "1");
	ck_assert_int_eq(ticket_delete(db, &alice, 1, NOW, NULL), WD_OK);
	CHECK_LIST(&q, &alice, "");
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM "
	    "ticket_search WHERE ticket_search MATCH 'toner'"), 0);
	m = ticket_query_match(" a\"b  c ");
	ck_assert_str_eq(m, "\"a\"\"b\"* \"c\"*");
	free(m);
}
END_TEST

/* Every filter combined with every other still lists their AND. */
START_TEST(test_combined)
{
	struct ticket_query	q;

	five();
	memset(&q, 0, sizeof q);
	q.all = true;
	q.owner = "alice";
	q.slas = "missed,breached";
	CHECK_LIST(&q, &alice, "5 1");
	q.assignee = "none";
	CHECK_LIST(&q, &alice, "5");
	q.search = "late";
	q.priorities = "low";
	q.statuses = "resolved";
	CHECK_LIST(&q, &alice, "5");
	q.priorities = "high";
	CHECK_LIST(&q, &alice, "");
}
END_TEST

/* The filter that leads, over the open tickets when only they are listed. */
START_TEST(test_drivers)
{
	struct ticket_query	 q;
	struct ticket_plan	 plan;

	memset(&q, 0, sizeof q);
	q.assignee = "none";
	ck_assert_int_eq(ticket_query_prepare(db, &cfg.sla, &q, &alice, NOW, &plan,
	    NULL), WD_OK);
	ck_assert_int_eq(plan.driver, TQ_BY_OPEN_UNASSIGNED);
	ticket_plan_clear(&plan);
	q.all = true;
	ck_assert_int_eq(ticket_query_prepare(db, &cfg.sla, &q, &alice, NOW, &plan,
	    NULL), WD_OK);
	ck_assert_int_eq(plan.driver, TQ_BY_UNASSIGNED);
	ticket_plan_clear(&plan);
	q.assignee = NULL;
	q.priorities = "low";
	ck_assert_int_eq(ticket_query_prepare(db, &cfg.sla, &q, &alice, NOW, &plan,
	    NULL), WD_OK);
	ck_assert_int_eq(plan.driver, TQ_BY_PRIORITY);
	ticket_plan_clear(&plan);
	q.all = false;
	q.owner = "bob";
	q.search = "x";
	ck_assert_int_eq(ticket_query_prepare(db, &cfg.sla, &q, &alice, NOW, &plan,
	    NULL), WD_OK);
	ck_assert_int_eq(plan.driver, TQ_BY_OPEN_SEARCH);
	ticket_plan_clear(&plan);
	q.search = NULL;
	ck_assert_int_eq(ticket_query_prepare(db, &cfg.sla, &q, &alice, NOW, &plan,
	    NULL), WD_OK);
	ck_assert_int_eq(plan.driver, TQ_BY_OPEN_OWNER);
	ticket_plan_clear(&plan);
	q.statuses = "on_hold";
	ck_assert_int_eq(ticket_query_prepare(db, &cfg.sla, &q, &alice, NOW, &plan,
	    NULL), WD_OK);
	ck_assert_int_eq(plan.driver, TQ_BY_OWNER);
	ticket_plan_clear(&plan);
}
END_TEST

/* Does PLAN read the tickets through index IDX, in order, without a sort? */
static int
plan_reads(const char *plan, const char *idx)
{
	char	want[128];

	if (strstr(plan, "TEMP B-TREE") != NULL)
		return 0;
	if (strstr(plan, "SCAN t\n") != NULL)
		return 0;
	snprintf(want, sizeof want, "USING INDEX %s ", idx);
	if (strstr(plan, want) != NULL)
		return 1;
	snprintf(want, sizeof want, "USING COVERING INDEX %s ", idx);
	return strstr(plan, want) != NULL;
}

/*
 * Each listing reads its own index in list order, without a sort,
 * whatever the output, on a few thousand rows without ANALYZE; search
 * keeps the ids that the full-text index matches.
 */
START_TEST(test_query_plans)
{
	static const char *const idx[TQ_NDRIVERS] = {
		[TQ_BY_OPEN] = "tickets_open_deadline",
		[TQ_BY_DEADLINE] = "tickets_deadline",
		[TQ_BY_STATUS] = "tickets_status",
		[TQ_BY_PRIORITY] = "tickets_priority_deadline",
		[TQ_BY_ASSIGNEE] = "tickets_assignee",
		[TQ_BY_UNASSIGNED] = "tickets_unassigned",
		[TQ_BY_OWNER] = "tickets_owner",
		[TQ_BY_OPEN_PRIORITY] = "tickets_open_priority_deadline",
		[TQ_BY_OPEN_ASSIGNEE] = "tickets_open_assignee_deadline",
		[TQ_BY_OPEN_UNASSIGNED] = "tickets_open_unassigned",
		[TQ_BY_OPEN_OWNER] = "tickets_open_owner_deadline",
		[TQ_BY_MINE] = "tickets_open_deadline",
		[TQ_BY_SEARCH] = "tickets_deadline",
		[TQ_BY_OPEN_SEARCH] = "tickets_open_deadline",
	};
	enum ticket_query_driver	 d;
	enum ticket_query_output	 o;
	char				*plan = NULL, *cause = NULL;
	const char			*sql;

	unit_sql_int(path, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL "
	    "SELECT x + 1 FROM n WHERE x < 5000) INSERT INTO tickets (title, "
	    "status, priority, owner_id, assignee_id, deadline, created_at, "
	    "updated_at, resolved_at) SELECT 'bulk ' || x, CASE WHEN x % 4 = 0 "
	    "THEN 'resolved' ELSE 'open' END, CASE x % 4 WHEN 0 THEN 'low' "
	    "WHEN 1 THEN 'normal' WHEN 2 THEN 'high' ELSE 'urgent' END, "
	    "1 + x % 2, CASE WHEN x % 3 = 0 THEN 2 END, 1795000000 + x * 60, "
	    "1795000000, 1795000000, CASE WHEN x % 4 = 0 THEN 1795000000 END "
	    "FROM n");
	for (d = 0; d < TQ_NDRIVERS; d++)
	for (o = 0; o < TQ_NOUTPUTS; o++) {
		sql = ticket_query_sql(d, o);
		if (db_query_plan(db, sql, &plan, &cause) != WD_OK)
			ck_abort_msg("plan: %s", cause);
		ck_assert_msg(plan_reads(plan, idx[d]),
		    "driver %d output %d:\n%s\n%s", (int)d, (int)o, sql,
		    plan);
		if (d == TQ_BY_SEARCH || d == TQ_BY_OPEN_SEARCH)
			ck_assert_msg(strstr(plan, "SCAN ticket_search VIRTUAL "
			    "TABLE INDEX"), "search %d:\n%s", (int)o, plan);
		free(plan);
	}
}
END_TEST

static Suite *
ticket_query_suite(void)
{
	Suite	*s = suite_create("ticket_query");
	TCase	*tc = tcase_create("ticket_query");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_sla);
	tcase_add_test(tc, test_due_within);
	tcase_add_test(tc, test_pages);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_combined);
	tcase_add_test(tc, test_drivers);
	tcase_add_test(tc, test_query_plans);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ticket_query_suite)
