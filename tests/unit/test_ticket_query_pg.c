/*
 * test_ticket_query_pg.c: the plans of the listings of --list on
 * PostgreSQL (a private server, tests/pg/lib.sh, started once for the
 * suite): 100,000 tickets after VACUUM ANALYZE, four in five resolved as
 * in a team's long-lived database, each listing planned for the values
 * it binds, as --list runs it: once, in a process of its own. A page of a listing reads an index in list order and stops at
 * its limit; a selective filter never reads the whole table.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/sla.h"
#include "watchdog/ticket_query.h"
#include "watchdog/user.h"

static struct unit_pg	 pg;

/* The tickets' first deadline, one a minute after it. */
#define BASE	1795000000
/* Now: the deadline of ticket 85,000. */
#define NOW	(BASE + 85000 * 60)
/* Whom --mine and --owner me are for. */
#define ME	5

/* 37 accounts, as in make bench. */
static const char sql_users[] =
    "INSERT INTO users (name, email, role, password_hash, created_at) "
    "SELECT 'user' || i, 'user' || i || '@example.org', 'user', 'x', 0 "
    "FROM generate_series(1, 37) i";
/*
 * Ticket x (its id) falls due x minutes after BASE. The first 80,000 are
 * resolved but for one in fifty, left open and long overdue; the last
 * 20,000 are open (5,000 of them overdue at NOW), one in seven on hold,
 * a third of the rest in progress. Owners go round the 37 accounts, and
 * two in three tickets have an assignee. Titles take two words of a few
 * hundred, as real text has common words whose frequencies ANALYZE
 * keeps (without them the server cannot tell a rare word from a common
 * one); a third hold "printer", one in 5,000 "needle".
 */
static const char sql_fill[] =
    "INSERT INTO tickets (title, status, priority, owner_id, assignee_id, "
    "deadline, created_at, updated_at, resolved_at) "
    "SELECT 'bulk ' || x || ' w' || x % 293 || ' v' || x * 7 % 211 || "
    "CASE WHEN x % 3 = 0 THEN ' printer' ELSE '' "
    "END || CASE WHEN x % 5000 = 0 THEN ' needle' ELSE '' END, "
    "CASE WHEN x <= 80000 AND x % 50 <> 0 THEN 'resolved' "
    "WHEN x % 7 = 0 THEN 'on_hold' WHEN x % 3 = 0 THEN 'in_progress' "
    "ELSE 'open' END, CASE x % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' "
    "WHEN 2 THEN 'high' ELSE 'urgent' END, 1 + x % 37, "
    "CASE WHEN x % 3 <> 0 THEN 1 + (x * 7) % 37 END, "
    "1795000000 + x * 60, 1795000000 + x * 60 - 86400, "
    "1795000000 + x * 60 - 86400 + x % 977, "
    "CASE WHEN x <= 80000 AND x % 50 <> 0 THEN 1795000000 + x * 60 - 3600 "
    "END FROM generate_series(1, 100000) x";
/* Settled, as autovacuum would leave it (its visibility map too). */
static const char sql_analyze[] = "VACUUM ANALYZE tickets";
/*
 * The statements of the listings the server holds a generic plan for
 * (this one aside, which has one: it takes no parameter).
 */
static const char sql_generic[] =
    "SELECT count(*) FROM pg_prepared_statements WHERE generic_plans > 0 "
    "AND statement LIKE '%ORDER BY t.deadline, t.id%' "
    "AND statement NOT LIKE '%pg_prepared_statements%'";

/* The suite's tickets, on the schema the program makes. */
static const char *const seed[] = { sql_users, sql_fill, sql_analyze, NULL };

/* Start the server with the suite's tickets. */
static void
server_start(void)
{
	unit_pg_seed(&pg, "wd", seed);
}

/* Stop the server. */
static void
server_stop(void)
{
	unit_pg_stop(&pg);
}

/*
 * The most rows any sort node of PLAN is estimated to take in (0: no
 * sort): a top-N sort under a limit still reads all of its input.
 */
static long
sorted_rows(const char *plan)
{
	const char	*p, *r;
	long		 n, most = 0;

	for (p = plan; (p = strstr(p, "Sort  (")) != NULL; p++) {
		if ((r = strstr(p, "rows=")) == NULL)
			break;
		n = strtol(r + 5, NULL, 10);
		most = n > most ? n : most;
	}
	return most;
}

/* Does PLAN read one of the indexes of the list "a|b"? */
static bool
reads_one_of(const char *plan, const char *indexes)
{
	char	 want[128];
	const char *p, *end;

	for (p = indexes; ; p = end + 1) {
		end = strchr(p, '|');
		snprintf(want, sizeof want, " %.*s ",
		    (int)(end != NULL ? end - p : (ptrdiff_t)strlen(p)), p);
		if (strstr(plan, want) != NULL)
			return true;
		if (end == NULL)
			return false;
	}
}

/* What a listing's plan must show besides its index. */
enum list_shape {
	/* A page: a limit over an index read in list order, no sort. */
	IN_ORDER,
	/* A page of a rare match: a limit over a sort of its few rows. */
	FEW_SORTED,
	/* A whole listing: a sort, if any, of the rows it keeps. */
	ANY_ORDER,
};

/* One listing: its filters, the indexes it may read, its shape. */
struct list_case {
	const char		*name;
	struct ticket_query	 q;
	const char		*indexes;
	enum list_shape		 shape;
};

/* The most rows a page may sort: 2% of the table. */
#define FEW		2000
/* The most rows a whole listing may sort: a quarter of the table. */
#define QUARTER		25000

/*
 * Check the plan of each output FIRST to LAST of C for the values it
 * binds at NOW for account ME: no scan of the whole table of tickets,
 * one of its indexes, and its shape.
 */
static void
check_case(struct db *db, const struct config *cfg, const struct list_case *c,
    enum ticket_query_output first, enum ticket_query_output last)
{
	struct ticket_plan		 plan;
	struct user			 me;
	struct db_stmt			*st;
	enum ticket_query_output	 o;
	char				*text, *cause = NULL;
	long				 sorted;

	memset(&me, 0, sizeof me);
	me.id = ME;
	if (ticket_query_prepare(db, &cfg->sla, &c->q, &me, NOW, &plan,
	    &cause) != WD_OK)
		ck_abort_msg("%s: %s", c->name, cause);
	for (o = first; o <= last; o++) {
		st = ticket_query_statement(db, &plan, o, NOW);
		if (db_query_plan_bound(st, &text, &cause) != WD_OK)
			ck_abort_msg("%s: plan: %s", c->name, cause);
		db_reset(st);
		sorted = sorted_rows(text);
		ck_assert_msg(strstr(text, "Seq Scan on tickets") == NULL,
		    "%s, output %d: a scan of the whole table:\n%s", c->name,
		    (int)o, text);
		ck_assert_msg(reads_one_of(text, c->indexes), "%s, output %d: "
		    "not through %s:\n%s", c->name, (int)o, c->indexes, text);
		if (c->shape != ANY_ORDER)
			ck_assert_msg(strncmp(text, "Limit", 5) == 0,
			    "%s, output %d: no limit:\n%s", c->name, (int)o,
			    text);
		ck_assert_msg(c->shape != IN_ORDER || sorted == 0,
		    "%s, output %d: sorted, not read in order:\n%s", c->name,
		    (int)o, text);
		ck_assert_msg(c->shape != FEW_SORTED || sorted <= FEW,
		    "%s, output %d: a sort of %ld rows for a page:\n%s",
		    c->name, (int)o, sorted, text);
		ck_assert_msg(sorted <= QUARTER, "%s, output %d: a sort of %ld "
		    "rows:\n%s", c->name, (int)o, sorted, text);
		free(text);
	}
	ticket_plan_clear(&plan);
}

/* The configuration of the listings: a warning window of an hour. */
static void
config_of(struct config *cfg)
{
	config_defaults(cfg);
	cfg->sla_warning_minutes = 60;
	sla_policy_from_config(cfg, &cfg->sla);
}

/*
 * check_case() for each of the N CASES, outputs FIRST to LAST, on a
 * connection of its own.
 */
static void
check_cases(const struct list_case *cases, size_t n,
    enum ticket_query_output first, enum ticket_query_output last)
{
	struct config	 cfg;
	struct db	*db = unit_pg_connect(&pg);
	size_t		 i;

	config_of(&cfg);
	for (i = 0; i < n; i++)
		check_case(db, &cfg, &cases[i], first, last);
	config_free(&cfg);
	db_close(db);
}

/*
 * The pages of --list (with --limit, and the next one with --after),
 * whatever they print (rows, JSON, ids): each reads an index in list
 * order, from where the page starts, and stops at its limit. The index
 * of a filter that keeps a good share of the open tickets may be the one
 * of the open tickets' deadlines, its filter tested on the way: either
 * way a page costs about a page. A rare word is looked up in the
 * full-text index and its few tickets sorted, rather than read for among
 * every open ticket.
 */
START_TEST(test_list_pages)
{
	static const struct list_case cases[] = {
		{ "the open queue", { .limit = 50 },
		    "tickets_open_deadline", IN_ORDER },
		{ "the open queue, a later page",
		    { .limit = 50, .after = 95001 },
		    "tickets_open_deadline", IN_ORDER },
		{ "--all, a page in the middle",
		    { .all = true, .limit = 500, .after = 50000 },
		    "tickets_deadline", IN_ORDER },
		{ "--overdue", { .overdue = true, .limit = 50 },
		    "tickets_open_deadline", IN_ORDER },
		{ "--due-within 4h, a later page",
		    { .has_due = true, .due_within = 4 * 3600, .limit = 50,
		    .after = 85001 },
		    "tickets_open_deadline", IN_ORDER },
		{ "--status on_hold", { .statuses = "on_hold", .limit = 50 },
		    "tickets_status|tickets_open_deadline", IN_ORDER },
		{ "--status resolved, a later page",
		    { .statuses = "resolved", .limit = 50, .after = 40001 },
		    "tickets_status|tickets_deadline", IN_ORDER },
		{ "--priority urgent", { .priorities = "urgent", .limit = 50 },
		    "tickets_open_priority_deadline|tickets_open_deadline",
		    IN_ORDER },
		{ "--owner me", { .owner = "me", .limit = 50 },
		    "tickets_open_owner_deadline|tickets_open_deadline",
		    IN_ORDER },
		{ "--assignee none", { .assignee = "none", .limit = 50 },
		    "tickets_open_unassigned|tickets_open_deadline", IN_ORDER },
		{ "--mine", { .mine = true, .limit = 50 },
		    "tickets_open_deadline", IN_ORDER },
		{ "--search printer", { .search = "printer", .limit = 50 },
		    "tickets_open_deadline", IN_ORDER },
		{ "--search needle", { .search = "needle", .limit = 50 },
		    "tickets_search", FEW_SORTED },
	};

	check_cases(cases, sizeof cases / sizeof cases[0], TQ_OUT_ROWS, TQ_OUT_IDS);
}
END_TEST

/*
 * Whole listings and counts of a selective filter: an index, never the
 * whole table, and a sort (when fetching the rows first is cheaper) of
 * the rows kept only. The deadline range of the open tickets may be read
 * from the smaller index of their ids (all of it, never the table). The
 * count of the open queue is left out: a fifth of the table, which the
 * server may as well read whole (as it does for --all --count, every
 * row).
 */
START_TEST(test_list_selective)
{
	static const struct list_case cases[] = {
		{ "--mine", { .mine = true },
		    "tickets_open_owner_deadline|tickets_open_deadline",
		    ANY_ORDER },
		{ "--overdue", { .overdue = true },
		    "tickets_open_deadline|tickets_open_id", ANY_ORDER },
		{ "--due-within 4h", { .has_due = true,
		    .due_within = 4 * 3600 },
		    "tickets_open_deadline|tickets_open_id", ANY_ORDER },
		{ "--status on_hold", { .statuses = "on_hold" },
		    "tickets_status|tickets_open_deadline", ANY_ORDER },
		{ "--all --search needle", { .all = true, .search = "needle" },
		    "tickets_search", ANY_ORDER },
		{ "--owner me", { .owner = "me" },
		    "tickets_open_owner_deadline|tickets_open_deadline",
		    ANY_ORDER },
	};

	check_cases(cases, sizeof cases / sizeof cases[0], TQ_OUT_ROWS, TQ_OUT_COUNT);
}
END_TEST

/* Count the JSON objects of a listing (a ticket_query_json callback). */
static int
count_json(const char *json, void *arg)
{
	int	*n = arg;

	(void)json;
	(*n)++;
	return 0;
}

/* List Q's first page as the API does (JSON); the number of tickets. */
static int
list_json(struct db *db, const struct config *cfg, const struct ticket_query *q)
{
	struct ticket_plan	 plan;
	struct user		 me;
	char			*cause = NULL;
	int			 n = 0;

	memset(&me, 0, sizeof me);
	me.id = ME;
	if (ticket_query_prepare(db, &cfg->sla, q, &me, NOW, &plan,
	    &cause) != WD_OK)
		ck_abort_msg("prepare: %s", cause);
	if (ticket_query_json(db, &plan, NOW, count_json, &n, &cause) != WD_OK)
		ck_abort_msg("list: %s", cause);
	ticket_plan_clear(&plan);
	return n;
}

/*
 * A session that lists again and again (an API worker's, whose
 * connection lasts) has each listing planned for its values. Run often,
 * a statement prepared once gets the server's generic plan, made without
 * the values: for --status, a bitmap of every ticket of the status and a
 * sort of them all, fine for a rare status, not for a page of "resolved"
 * (four tickets in five).
 */
START_TEST(test_list_replanned)
{
	struct ticket_query	 q;
	struct config		 cfg;
	struct db		*db = unit_pg_connect(&pg);
	int			 i;

	config_of(&cfg);
	memset(&q, 0, sizeof q);
	q.statuses = "on_hold";
	q.limit = 50;
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(list_json(db, &cfg, &q), 50);
	q.statuses = "resolved";
	q.after = 40001;
	ck_assert_int_eq(list_json(db, &cfg, &q), 50);
	ck_assert_int_eq(unit_int(db, sql_generic), 0);
	config_free(&cfg);
	db_close(db);
}
END_TEST

static Suite *
ticket_query_pg_suite(void)
{
	Suite	*s = suite_create("ticket_query_pg");
	TCase	*tc = tcase_create("ticket_query_pg");

	tcase_add_unchecked_fixture(tc, server_start, server_stop);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_list_pages);
	tcase_add_test(tc, test_list_selective);
	tcase_add_test(tc, test_list_replanned);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ticket_query_pg_suite)
