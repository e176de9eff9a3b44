/* test_ticket.c: tickets: rules, history, versions, permissions, JSON. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/ticket.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000
#define HOUR	3600

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path;
static struct user	 alice, bob, root;

static void
make(struct user *u, const char *name, bool admin)
{
	memset(u, 0, sizeof *u);
	if (user_create(db, &cfg, name, "x@example.org", "correct horse 1",
	    admin, false, NULL, NOW, &u->id, NULL) != WD_OK)
		ck_abort_msg("user_create");
	u->name = xstrdup(name);
	u->admin = admin;
}

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	make(&root, "root", true);
	make(&alice, "alice", false);
	make(&bob, "bob", false);
}

static void
teardown(void)
{
	user_clear(&alice);
	user_clear(&bob);
	user_clear(&root);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

static int64_t
create(const char *title, int64_t deadline)
{
	struct ticket_fields	 f;
	int64_t			 id = 0;
	char			*cause = NULL;

	memset(&f, 0, sizeof f);
	f.title = title;
	f.has_deadline = true;
	f.deadline = deadline;
	if (ticket_create(db, &cfg, &alice, &f, NOW, &id, &cause) != WD_OK)
		ck_abort_msg("ticket_create: %s", cause);
	return id;
}

START_TEST(test_title_rules)
{
	char	long_title[300];

	ck_assert_int_eq(ticket_check_title("Printer on fire", NULL), WD_OK);
	ck_assert_int_eq(ticket_check_title("", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_title("   ", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_title("two\nlines", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_title("cr\rhere", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_title("tab\there", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_title("\x1b]0;pwned\x07", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_title("c1 \xc2\x9b" "31m", NULL),
	    WD_EDATA);
	ck_assert_int_eq(ticket_check_title("bad \xff utf8", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_title("\xe6\x89\x93\xe5\x8d\xb0\xe6\x9c\xba",
	    NULL), WD_OK);
	memset(long_title, 'x', 255);
	long_title[255] = '\0';
	ck_assert_int_eq(ticket_check_title(long_title, NULL), WD_OK);
	long_title[255] = 'x';
	long_title[256] = '\0';
	ck_assert_int_eq(ticket_check_title(long_title, NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_description("line 1\n\tline 2\n", NULL),
	    WD_OK);
	ck_assert_int_eq(ticket_check_description("bell\a", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_status("resolved", NULL), WD_OK);
	ck_assert_int_eq(ticket_check_status("closed", NULL), WD_EDATA);
	ck_assert_int_eq(ticket_check_priority("urgent", NULL), WD_OK);
	ck_assert_int_eq(ticket_check_priority("URGENT", NULL), WD_EDATA);
}
END_TEST

/*
 * A change shown back to the caller (--json) is a read: it takes from the
 * read limit, a no-op too, and past the limit nothing changes.
 */
START_TEST(test_read_back_limit)
{
	struct rate_limit	 limit = { 2, 60 };
	struct ticket_fields	 f;
	struct ticket		 t;
	char			*cause = NULL;
	int64_t			 id, id2 = 0;

	id = create("Read back", NOW + HOUR);
	memset(&f, 0, sizeof f);
	f.priority = "normal";		/* what it is already */
	f.read_limit = &limit;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM rate_events "
	    "WHERE kind = 'read'"), 1);
	memset(&f, 0, sizeof f);
	f.title = "New title";
	f.has_deadline = true;
	f.deadline = NOW + HOUR;
	f.read_limit = &limit;
	ck_assert_int_eq(ticket_create(db, &cfg, &bob, &f, NOW, &id2, NULL),
	    WD_OK);
	/* Past the limit: refused, nothing changed, nothing created. */
	memset(&f, 0, sizeof f);
	f.priority = "urgent";
	f.read_limit = &limit;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 1,
	    NULL, &cause), WD_ETEMP);
	ck_assert_ptr_nonnull(strstr(cause, "rate limit"));
	free(cause);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_str_eq(t.priority, "normal");
	ck_assert_int_eq(t.version, 1);
	ticket_clear(&t);
	memset(&f, 0, sizeof f);
	f.title = "Not made";
	f.has_deadline = true;
	f.deadline = NOW + HOUR;
	f.read_limit = &limit;
	ck_assert_int_eq(ticket_create(db, &cfg, &bob, &f, NOW + 1, &id2,
	    NULL), WD_ETEMP);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets "
	    "WHERE title = 'Not made'"), 0);
	/* Without read_limit the change is not a read. */
	memset(&f, 0, sizeof f);
	f.priority = "urgent";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 1,
	    NULL, NULL), WD_OK);
}
END_TEST

/* Titles that read other than they are, or show nothing, are refused. */
START_TEST(test_title_invisible)
{
	static const char *const bad[] = {
		"Invoice\xe2\x80\xae" "txt.exe",	/* U+202E */
		"\xe2\x80\xaa" "a",			/* U+202A */
		"a\xe2\x81\xa6" "b\xe2\x81\xa9",	/* U+2066, U+2069 */
		"pay\xe2\x80\x8bpal",			/* U+200B */
		"rtl\xe2\x80\x8f",			/* U+200F */
		"\xef\xbb\xbf" "bom",			/* U+FEFF */
		"word\xe2\x81\xa0joiner",		/* U+2060 */
		"tag\xf3\xa0\x80\x81",			/* U+E0001 */
		"\xe3\x80\x80\xc2\xa0",			/* U+3000, NBSP */
		"\xcc\x81\xcc\x82",			/* marks alone */
		"\xe3\x85\xa4",				/* Hangul filler */
		" \xe2\xa0\x80 ",				/* blank Braille */
	};
	char	*cause = NULL;
	size_t	 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(ticket_check_title(bad[i], NULL) == WD_EDATA,
		    "title %zu accepted", i);
	ck_assert_int_eq(ticket_check_title("Invoice\xe2\x80\xae" "txt.exe",
	    &cause), WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "U+202E"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(ticket_check_title("\xe3\x80\x80", &cause),
	    WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "no visible character"));
	free(cause);
	/* Visible text in any script, with marks, is fine. */
	ck_assert_int_eq(ticket_check_title("Caf\xc3\xa9 e\xcc\x81", NULL),
	    WD_OK);
	ck_assert_int_eq(ticket_check_title("\xd8\xb7\xd8\xa7\xd8\xa8\xd8\xb9\xd8\xa9",
	    NULL), WD_OK);
	ck_assert_int_eq(ticket_check_title("\xf0\x9f\x94\xa5 fire", NULL),
	    WD_OK);
}
END_TEST

START_TEST(test_description_size)
{
	char	*big;

	big = xmalloc(TICKET_DESCRIPTION_MAX + 2);
	memset(big, 'a', TICKET_DESCRIPTION_MAX);
	big[TICKET_DESCRIPTION_MAX] = '\0';
	ck_assert_int_eq(ticket_check_description(big, NULL), WD_OK);
	big[TICKET_DESCRIPTION_MAX] = 'a';
	big[TICKET_DESCRIPTION_MAX + 1] = '\0';
	ck_assert_int_eq(ticket_check_description(big, NULL), WD_EDATA);
	free(big);
}
END_TEST

START_TEST(test_create_and_get)
{
	struct ticket_fields	 f;
	struct ticket		 t;
	int64_t			 id;
	char			*cause = NULL;

	memset(&f, 0, sizeof f);
	f.title = "Mail server down";
	f.description = "since 9:00\nsee logs";
	f.priority = "urgent";
	f.assignee = "BOB";
	f.has_deadline = true;
	f.deadline = NOW + 2 * HOUR;
	ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW, &id, NULL),
	    WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_str_eq(t.title, "Mail server down");
	ck_assert_str_eq(t.description, "since 9:00\nsee logs");
	ck_assert_str_eq(t.status, "open");
	ck_assert_str_eq(t.priority, "urgent");
	ck_assert_str_eq(t.owner, "alice");
	ck_assert_str_eq(t.assignee, "bob");
	ck_assert_int_eq(t.deadline, NOW + 2 * HOUR);
	ck_assert_int_eq(t.version, 1);
	ck_assert_int_eq(t.resolved_at, 0);
	ck_assert_int_eq(t.sla, SLA_OK);
	ticket_clear(&t);
	/* SLA state follows the clock it is read with. */
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW + HOUR + 1, &t, NULL),
	    WD_OK);
	ck_assert_int_eq(t.sla, SLA_WARNING);
	ticket_clear(&t);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW + 2 * HOUR, &t, NULL),
	    WD_OK);
	ck_assert_int_eq(t.sla, SLA_MISSED);
	ticket_clear(&t);

	/* Unknown assignee, missing fields: nothing written. */
	f.assignee = "nobody";
	ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW, &id, &cause),
	    WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "nobody"));
	free(cause);
	f.assignee = NULL;
	f.has_deadline = false;
	ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW, &id, NULL),
	    WD_EDATA);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets"), 1);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, 999, NOW, &t, NULL),
	    WD_ENOTFOUND);
}
END_TEST

static int
count_history(const struct ticket_change *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return 0;
}

START_TEST(test_update_history_version)
{
	struct ticket_fields	 f;
	struct ticket		 t;
	int64_t			 id;
	int			 n = 0;
	bool			 changed;
	char			*cause = NULL;

	id = create("Disk full", NOW + HOUR);
	memset(&f, 0, sizeof f);
	f.status = "in_progress";
	f.assignee = "bob";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 10,
	    &changed, NULL), WD_OK);
	ck_assert(changed);
	/* The same values again change nothing, not even the version. */
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 20,
	    &changed, NULL), WD_OK);
	ck_assert(!changed);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_int_eq(t.version, 2);
	ck_assert_int_eq(t.updated_at, NOW + 10);
	ticket_clear(&t);
	ck_assert_int_eq(ticket_history(db, id, count_history, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 3);		/* created, status, assignee */

	/* Resolving records when; reopening clears it. */
	memset(&f, 0, sizeof f);
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &alice, id, &f, NOW + 30,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW + 40, &t, NULL),
	    WD_OK);
	ck_assert_int_eq(t.resolved_at, NOW + 30);
	ck_assert_int_eq(t.sla, SLA_MET);
	ticket_clear(&t);
	f.status = "open";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &alice, id, &f, NOW + 50,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW + 50, &t, NULL),
	    WD_OK);
	ck_assert_int_eq(t.resolved_at, 0);
	ck_assert_int_eq(t.version, 4);
	ticket_clear(&t);

	/* An edit made from version 2 is a conflict and changes nothing. */
	memset(&f, 0, sizeof f);
	f.title = "Disk full on db1";
	f.expect_version = 2;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 60,
	    NULL, &cause), WD_ECONFLICT);
	ck_assert_ptr_nonnull(strstr(cause, "version 4"));
	free(cause);
	f.expect_version = 4;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 60,
	    NULL, NULL), WD_OK);
	/* Unassign and move the deadline. */
	memset(&f, 0, sizeof f);
	f.assignee = "";
	f.has_deadline = true;
	f.deadline = NOW + 5 * HOUR;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + 70,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_ptr_null(t.assignee);
	ck_assert_int_eq(t.deadline, NOW + 5 * HOUR);
	ck_assert_str_eq(t.title, "Disk full on db1");
	ticket_clear(&t);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM "
	    "ticket_history WHERE field = 'deadline' AND "
	    "new_value = '2026-11-18T16:06:40Z'"), 1);
	/* Bad values: refused, nothing changed. */
	memset(&f, 0, sizeof f);
	f.status = "closed";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW, NULL,
	    NULL), WD_EDATA);
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, 999, &f, NOW, NULL,
	    NULL), WD_EDATA);
	f.status = NULL;
	f.title = "x";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, 999, &f, NOW, NULL,
	    NULL), WD_ENOTFOUND);
}
END_TEST

START_TEST(test_delete_permissions)
{
	int64_t	 id;
	char	*cause = NULL;

	id = create("Owned by alice", NOW + HOUR);
	ck_assert_int_eq(ticket_delete(db, &bob, id, NOW, &cause), WD_EAUTH);
	ck_assert_ptr_nonnull(strstr(cause, "alice"));
	free(cause);
	ck_assert_int_eq(ticket_delete(db, &alice, id, NOW, NULL), WD_OK);
	ck_assert_int_eq(ticket_delete(db, &alice, id, NOW, NULL),
	    WD_ENOTFOUND);
	id = create("Another", NOW + HOUR);
	ck_assert_int_eq(ticket_delete(db, &root, id, NOW, NULL), WD_OK);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets"), 0);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM "
	    "ticket_history"), 0);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM audit "
	    "WHERE event = 'ticket_deleted'"), 2);
}
END_TEST

struct collect {
	int64_t	ids[16];
	int	n;
};

static int
collect(const struct ticket *t, void *arg)
{
	struct collect	*c = arg;

	c->ids[c->n++] = t->id;
	return 0;
}

START_TEST(test_list_filters)
{
	struct ticket_fields	 f;
	struct collect		 c;
	int64_t			 late, soon, done, mine;

	late = create("later", NOW + 5 * HOUR);
	soon = create("sooner", NOW + HOUR);
	done = create("done", NOW - HOUR);
	memset(&f, 0, sizeof f);
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &alice, done, &f, NOW,
	    NULL, NULL), WD_OK);
	mine = create("overdue, bob's", NOW - 60);
	memset(&f, 0, sizeof f);
	f.assignee = "bob";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &alice, mine, &f, NOW,
	    NULL, NULL), WD_OK);

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(ticket_list(db, &cfg.sla, TICKET_FILTER_OPEN, &alice,
	    NOW, collect, &c, NULL), WD_OK);
	ck_assert_int_eq(c.n, 3);
	ck_assert_int_eq(c.ids[0], mine);
	ck_assert_int_eq(c.ids[1], soon);
	ck_assert_int_eq(c.ids[2], late);

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(ticket_list(db, &cfg.sla, TICKET_FILTER_ALL, &alice,
	    NOW, collect, &c, NULL), WD_OK);
	ck_assert_int_eq(c.n, 4);
	ck_assert_int_eq(c.ids[0], done);

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(ticket_list(db, &cfg.sla, TICKET_FILTER_OVERDUE,
	    &alice, NOW, collect, &c, NULL), WD_OK);
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(c.ids[0], mine);

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(ticket_list(db, &cfg.sla, TICKET_FILTER_MINE, &bob,
	    NOW, collect, &c, NULL), WD_OK);
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(c.ids[0], mine);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(ticket_list(db, &cfg.sla, TICKET_FILTER_MINE, &root,
	    NOW, collect, &c, NULL), WD_OK);
	ck_assert_int_eq(c.n, 0);
}
END_TEST

START_TEST(test_json)
{
	struct ticket_fields	 f;
	int64_t			 id;
	char			*json = NULL;

	memset(&f, 0, sizeof f);
	f.title = "Quote \" backslash \\ and 'single' \xe2\x9c\x93";
	f.description = "line\n\ttab";
	f.has_deadline = true;
	f.deadline = 1795006800;	/* 2026-11-18T13:00:00Z */
	ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW, &id, NULL),
	    WD_OK);
	ck_assert_int_eq(ticket_json(db, &cfg.sla, id, NOW, false, &json, NULL),
	    WD_OK);
	ck_assert_ptr_nonnull(strstr(json,
	    "\"title\":\"Quote \\\" backslash \\\\ and 'single' \xe2\x9c\x93\""));
	ck_assert_ptr_nonnull(strstr(json, "\"description\":\"line\\n\\ttab\""));
	ck_assert_ptr_nonnull(strstr(json, "\"deadline\":\"2026-11-18T13:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(json, "\"resolved_at\":null"));
	ck_assert_ptr_nonnull(strstr(json, "\"assignee\":null"));
	ck_assert_ptr_nonnull(strstr(json, "\"owner\":\"alice\""));
	ck_assert_ptr_nonnull(strstr(json, "\"sla_state\":\"ok\""));
	ck_assert_ptr_nonnull(strstr(json, "\"version\":1"));
	ck_assert_ptr_nonnull(strstr(json, "\"id\":"));
	ck_assert_ptr_null(strstr(json, "history"));
	free(json);
	ck_assert_int_eq(ticket_json(db, &cfg.sla, id, NOW, true, &json, NULL),
	    WD_OK);
	ck_assert_ptr_nonnull(strstr(json, "\"history\":[{\"at\":"));
	ck_assert_ptr_nonnull(strstr(json, "\"field\":\"created\""));
	free(json);
	ck_assert_int_eq(ticket_json(db, &cfg.sla, 999, NOW, false, &json,
	    NULL), WD_ENOTFOUND);
}
END_TEST

START_TEST(test_create_rate_limit)
{
	struct ticket_fields	 f;
	int64_t			 id;
	char			*cause = NULL;
	int			 i;

	cfg.rate_limit_create.count = 2;
	cfg.rate_limit_create.seconds = 60;
	memset(&f, 0, sizeof f);
	f.title = "t";
	f.has_deadline = true;
	f.deadline = NOW;
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW, &id,
		    NULL), WD_OK);
	ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW + 1, &id,
	    &cause), WD_ETEMP);
	ck_assert_ptr_nonnull(strstr(cause, "try again in 59 s"));
	free(cause);
	ck_assert_int_eq(ticket_create(db, &cfg, &bob, &f, NOW + 1, &id, NULL),
	    WD_OK);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets"), 3);
	ck_assert_int_eq(db_depth(db), 0);
}
END_TEST

/*
 * The list queries read the deadline indexes, never the whole table, on a
 * table big enough for the planner to care.
 */
/* The stored sla_policy of ticket ID, or "-" for none. */
static char *
stored_policy(int64_t id)
{
	struct ticket	t;
	char		*p;

	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	p = xstrdup(t.sla_policy != NULL ? t.sla_policy : "-");
	ticket_clear(&t);
	return p;
}

START_TEST(test_sla_policies)
{
	struct ticket_fields	 f;
	struct ticket		 t;
	int64_t			 id = 0, hand = 0;
	char			*cause = NULL, *p;

	ck_assert_int_eq(sla_target_parse("4h calendar",
	    &cfg.sla_targets[TICKET_URGENT]), 0);
	ck_assert_int_eq(sla_target_parse("2d calendar",
	    &cfg.sla_targets[TICKET_NORMAL]), 0);
	sla_policy_from_config(&cfg, &cfg.sla);

	/* No deadline: the policy's, from the creation. */
	memset(&f, 0, sizeof f);
	f.title = "Printer on fire";
	f.priority = "urgent";
	ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW, &id, NULL),
	    WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_int_eq(t.deadline, NOW + 4 * HOUR);
	ck_assert_str_eq(t.sla_policy, "urgent 4h calendar");
	ck_assert_int_eq(t.paused_seconds, 0);
	ticket_clear(&t);

	/* A priority change an hour later counts again from the creation. */
	memset(&f, 0, sizeof f);
	f.priority = "normal";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + HOUR,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_int_eq(t.deadline, NOW + 2 * 24 * HOUR);
	ck_assert_str_eq(t.sla_policy, "normal 2d calendar");
	ticket_clear(&t);

	/* By hand: the policy is left; a priority change then moves nothing. */
	memset(&f, 0, sizeof f);
	f.has_deadline = true;
	f.deadline = NOW + 5 * HOUR;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + HOUR,
	    NULL, NULL), WD_OK);
	ck_assert_str_eq(p = stored_policy(id), "-");
	free(p);
	memset(&f, 0, sizeof f);
	f.priority = "urgent";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + HOUR,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_int_eq(t.deadline, NOW + 5 * HOUR);
	ticket_clear(&t);

	/* auto: back to the policy, recorded in the history. */
	memset(&f, 0, sizeof f);
	f.deadline_auto = true;
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, id, &f, NOW + HOUR,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(ticket_get(db, &cfg.sla, id, NOW, &t, NULL), WD_OK);
	ck_assert_int_eq(t.deadline, NOW + 4 * HOUR);
	ck_assert_str_eq(t.sla_policy, "urgent 4h calendar");
	ticket_clear(&t);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM "
	    "ticket_history WHERE field = 'sla_policy'"), 3);

	/* An explicit deadline on creation: set by hand. */
	hand = create("By hand", NOW + 9 * HOUR);
	ck_assert_str_eq(p = stored_policy(hand), "-");
	free(p);

	/* No deadline and no policy (high): refused, nothing created. */
	memset(&f, 0, sizeof f);
	f.title = "No policy";
	f.priority = "high";
	ck_assert_int_eq(ticket_create(db, &cfg, &alice, &f, NOW, &id,
	    &cause), WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "SLA_POLICY_HIGH"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets "
	    "WHERE title = 'No policy'"), 0);
	/* Nor can auto or a priority change reach a priority without one. */
	memset(&f, 0, sizeof f);
	f.deadline_auto = true;
	f.priority = "high";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, hand, &f, NOW,
	    NULL, NULL), WD_EDATA);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets "
	    "WHERE priority = 'high'"), 0);
}
END_TEST

START_TEST(test_query_plans)
{
	enum ticket_filter	 f;
	char			*plan = NULL;
	int			 i;

	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	for (i = 0; i < 2000; i++)
		create(i % 3 ? "open one" : "another", NOW + i * 60);
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	for (f = TICKET_FILTER_OPEN; f <= TICKET_FILTER_ALL; f++) {
		ck_assert_int_eq(db_query_plan(db, ticket_list_sql(f), &plan,
		    NULL), WD_OK);
		ck_assert_msg(strstr(plan, "SCAN t\n") == NULL &&
		    strstr(plan, "INDEX tickets_") != NULL,
		    "filter %d scans the table:\n%s", (int)f, plan);
		if (f == TICKET_FILTER_OPEN || f == TICKET_FILTER_OVERDUE)
			ck_assert_msg(strstr(plan, "tickets_open_deadline") !=
			    NULL && strstr(plan, "TEMP B-TREE") == NULL,
			    "open queue not read in deadline order:\n%s", plan);
		free(plan);
	}
}
END_TEST

static Suite *
ticket_suite(void)
{
	Suite	*s = suite_create("ticket");
	TCase	*tc = tcase_create("ticket");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_title_rules);
	tcase_add_test(tc, test_title_invisible);
	tcase_add_test(tc, test_read_back_limit);
	tcase_add_test(tc, test_description_size);
	tcase_add_test(tc, test_create_and_get);
	tcase_add_test(tc, test_update_history_version);
	tcase_add_test(tc, test_delete_permissions);
	tcase_add_test(tc, test_list_filters);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_create_rate_limit);
	tcase_add_test(tc, test_query_plans);
	tcase_add_test(tc, test_sla_policies);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ticket_suite)
