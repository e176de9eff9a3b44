/* test_comment.c: comments: rules, order, the ticket's clock, storage. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/comment.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/queue.h"
#include "watchdog/ticket.h"
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

static int64_t
create(void)
{
	struct ticket_fields	 f;
	int64_t			 id = 0;

	memset(&f, 0, sizeof f);
	f.title = "Printer on fire";
	f.has_deadline = true;
	f.deadline = NOW + HOUR;
	if (ticket_create(db, &cfg, &alice, &f, NOW, &id, NULL) != WD_OK)
		ck_abort_msg("ticket_create");
	return id;
}

/* Collects "author:text|" for each comment. */
static int
collect(const struct comment *c, void *arg)
{
	struct strbuf	*sb = arg;

	strbuf_addf(sb, "%s:%s|", c->author, c->text);
	return 0;
}

START_TEST(test_rules)
{
	char	*big;

	ck_assert_int_eq(comment_check("fine\n\ttabbed", NULL), WD_OK);
	ck_assert_int_eq(comment_check("", NULL), WD_EDATA);
	ck_assert_int_eq(comment_check(" \n\t ", NULL), WD_EDATA);
	ck_assert_int_eq(comment_check("a\rb", NULL), WD_EDATA);
	ck_assert_int_eq(comment_check("\x1b[2J", NULL), WD_EDATA);
	ck_assert_int_eq(comment_check("\xff", NULL), WD_EDATA);
	big = xmalloc(TICKET_DESCRIPTION_MAX + 2);
	memset(big, 'x', TICKET_DESCRIPTION_MAX + 1);
	big[TICKET_DESCRIPTION_MAX + 1] = '\0';
	ck_assert_int_eq(comment_check(big, NULL), WD_EDATA);
	big[TICKET_DESCRIPTION_MAX] = '\0';
	ck_assert_int_eq(comment_check(big, NULL), WD_OK);
	free(big);
}
END_TEST

START_TEST(test_add_in_order)
{
	struct strbuf	 sb;
	struct ticket	 t;
	int64_t		 id, c1, c2, n;

	id = create();
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id, "one", NOW + 60,
	    &c1, NULL), WD_OK);
	ck_assert_int_eq(comment_add(db, &cfg, &alice, id, "two\nlines",
	    NOW + 120, &c2, NULL), WD_OK);
	ck_assert_int_gt(c2, c1);
	memset(&sb, 0, sizeof sb);
	ck_assert_int_eq(comment_list(db, id, collect, &sb, NULL), WD_OK);
	ck_assert_str_eq(sb.buf, "bob:one|alice:two\nlines|");
	strbuf_free(&sb);
	ck_assert_int_eq(comment_count(db, id, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 2);
	/* The ticket's clock moves; its version does not. */
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW + 120, &t, NULL), WD_OK);
	ck_assert_int_eq(t.updated_at, NOW + 120);
	ck_assert_int_eq(t.version, 1);
	ticket_clear(&t);
}
END_TEST

START_TEST(test_refused_leaves_nothing)
{
	int64_t	id, c = 5;
	char	*cause = NULL;

	id = create();
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id + 100, "hello", NOW,
	    &c, &cause), WD_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(cause, "no ticket"));
	ck_assert_int_eq(c, 0);
	free(cause);
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id, "", NOW, &c, NULL),
	    WD_EDATA);
	cfg.rate_limit_create.count = 1;
	cfg.rate_limit_create.seconds = HOUR;
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id, "1", NOW, &c, NULL),
	    WD_OK);
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id, "2", NOW + 1, &c,
	    NULL), WD_ETEMP);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM comments"),
	    1);
}
END_TEST

START_TEST(test_deleted_with_ticket)
{
	int64_t	id, keep, c;

	id = create();
	keep = create();
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id, "gone", NOW, &c,
	    NULL), WD_OK);
	ck_assert_int_eq(comment_add(db, &cfg, &bob, keep, "kept", NOW, &c,
	    NULL), WD_OK);
	ck_assert_int_eq(ticket_delete(db, &alice, id, NOW, NULL), WD_OK);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM comments"),
	    1);
}
END_TEST

START_TEST(test_json)
{
	char	*json = NULL;
	int64_t	 id, c;

	id = create();
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id, "say \"hi\"", NOW,
	    &c, NULL), WD_OK);
	ck_assert_int_eq(ticket_json(db, &cfg.sla, id, NOW, true, &json, NULL),
	    WD_OK);
	ck_assert_msg(strstr(json, "\"comments\":[{\"id\":") != NULL &&
	    strstr(json, "\"author\":\"bob\",\"created_at\":"
	    "\"2026-11-18T") != NULL &&
	    strstr(json, "\"text\":\"say \\\"hi\\\"\"}]") != NULL, "%s", json);
	free(json);
}
END_TEST

/* The queue's search (/ in the terminal UI) finds words of comments. */
START_TEST(test_search_finds_comments)
{
	struct queue_view	 v;
	struct ticket		*rows = NULL;
	size_t			 n = 0;
	int64_t			 id, other, c;

	id = create();
	other = create();
	ck_assert_int_eq(comment_add(db, &cfg, &bob, id, "the FUSER blew",
	    NOW, &c, NULL), WD_OK);
	ck_assert_int_eq(comment_add(db, &cfg, &bob, other, "100% fine",
	    NOW, &c, NULL), WD_OK);
	memset(&v, 0, sizeof v);
	v.filter = TICKET_FILTER_OPEN;
	v.search = "fuser";
	ck_assert_int_eq(queue_fetch(db, &cfg.sla, &v, QUEUE_FIRST, NULL, 10, NOW,
	    &rows, &n, NULL), WD_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(rows[0].id, id);
	queue_rows_free(rows, n);
	v.search = "0%";
	ck_assert_int_eq(queue_fetch(db, &cfg.sla, &v, QUEUE_FIRST, NULL, 10, NOW,
	    &rows, &n, NULL), WD_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(rows[0].id, other);
	queue_rows_free(rows, n);
}
END_TEST

START_TEST(test_list_query_plan)
{
	char	*plan = NULL;

	ck_assert_int_eq(db_query_plan(db, comment_list_sql(), &plan, NULL),
	    WD_OK);
	ck_assert_msg(strstr(plan, "INDEX comments_ticket") != NULL &&
	    strstr(plan, "TEMP B-TREE") == NULL,
	    "comment list does not read its index:\n%s", plan);
	free(plan);
}
END_TEST

static Suite *
comment_suite(void)
{
	Suite	*s = suite_create("comment");
	TCase	*tc = tcase_create("comment");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_add_in_order);
	tcase_add_test(tc, test_refused_leaves_nothing);
	tcase_add_test(tc, test_deleted_with_ticket);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_list_query_plan);
	tcase_add_test(tc, test_search_finds_comments);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(comment_suite)
