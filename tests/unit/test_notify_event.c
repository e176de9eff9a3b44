/*
 * test_notify_event.c: the assigned and commented notices: who gets them,
 * once per event, threaded under the created message, in the change's
 * transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/comment.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/notify.h"
#include "watchdog/ticket.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000
#define HOUR	3600

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path;
static struct user	 alice, bob, carol;

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	free(cfg.default_from_email);
	cfg.default_from_email = xstrdup("watchdog@example.net");
	unit_user(db, &cfg, "alice", NOW, &alice);
	unit_user(db, &cfg, "bob", NOW, &bob);
	unit_user(db, &cfg, "carol", NOW, &carol);
}

static void
teardown(void)
{
	user_clear(&alice);
	user_clear(&bob);
	user_clear(&carol);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

/* A ticket of alice's, assigned to ASSIGNEE (NULL: nobody). */
static int64_t
create(const char *assignee)
{
	struct ticket_fields	 f;
	int64_t			 id = 0;

	memset(&f, 0, sizeof f);
	f.title = "Backups failing";
	f.assignee = assignee;
	f.has_deadline = true;
	f.deadline = NOW + 4 * HOUR;
	if (ticket_create(db, &cfg, &alice, &f, NOW, &id, NULL) != WD_OK)
		ck_abort_msg("ticket_create");
	return id;
}

/* How many messages of KIND to RCPT are queued. */
static long long
count(const char *kind, const char *rcpt)
{
	char		*sql;
	long long	 n;

	sql = xasprintf("SELECT count(*) FROM outbox WHERE kind = '%s' AND "
	    "recipient LIKE '%s'", kind, rcpt);
	n = unit_sql_int(path, sql);
	free(sql);
	return n;
}

/* Assign ticket ID to NAME as BY, with notices on or off. */
static enum wd_status
assign(const struct user *by, int64_t id, const char *name, bool notices)
{
	struct ticket_fields	f;

	memset(&f, 0, sizeof f);
	f.assignee = name;
	f.notify_cfg = notices ? &cfg : NULL;
	return ticket_update(db, &cfg.sla, by, id, &f, NOW + 60, NULL, NULL);
}

START_TEST(test_assigned)
{
	int64_t	id;

	id = create(NULL);
	ck_assert_int_eq(assign(&alice, id, "bob", true), WD_OK);
	ck_assert_int_eq(count("assigned", "bob@%"), 1);
	ck_assert_int_eq(count("assigned", "%"), 1);
	/* Threaded under the created message, named in the subject. */
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox "
	    "WHERE kind = 'assigned' AND message LIKE '%In-Reply-To: <wd.1."
	    "created.%' AND message LIKE '%References: <wd.1.created.%' AND "
	    "message LIKE '%Subject: [watchdog #1] Assigned to you: Backups "
	    "failing (due %'"), 1);
	/* Taking a ticket yourself tells nobody. */
	ck_assert_int_eq(assign(&carol, id, "carol", true), WD_OK);
	ck_assert_int_eq(count("assigned", "carol@%"), 0);
	/* Back to bob by carol: a new event, a new notice. */
	ck_assert_int_eq(assign(&carol, id, "bob", true), WD_OK);
	ck_assert_int_eq(count("assigned", "bob@%"), 2);
	/* Unassigning, or changing another field, tells nobody. */
	ck_assert_int_eq(assign(&carol, id, "", true), WD_OK);
	ck_assert_int_eq(count("assigned", "%"), 2);
	/* Without a configuration (no notices asked for), nothing. */
	ck_assert_int_eq(assign(&carol, id, "alice", false), WD_OK);
	ck_assert_int_eq(count("assigned", "%"), 2);
}
END_TEST

START_TEST(test_assigned_rolled_back_with_change)
{
	struct ticket_fields	f;
	int64_t			id;

	id = create(NULL);
	memset(&f, 0, sizeof f);
	f.assignee = "bob";
	f.notify_cfg = &cfg;
	f.expect_version = 7;		/* a conflict: nothing is kept */
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &alice, id, &f, NOW, NULL, NULL),
	    WD_ECONFLICT);
	ck_assert_int_eq(count("assigned", "%"), 0);
}
END_TEST

START_TEST(test_commented)
{
	int64_t	id, c;

	id = create("bob");
	/* carol comments: owner and assignee hear of it. */
	ck_assert_int_eq(comment_add(db, &cfg, &carol, id, "Disk full?",
	    NOW + 60, &c, NULL), WD_OK);
	ck_assert_int_eq(count("commented", "alice@%"), 1);
	ck_assert_int_eq(count("commented", "bob@%"), 1);
	ck_assert_int_eq(count("commented", "carol@%"), 0);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox "
	    "WHERE kind = 'commented' AND message LIKE '%In-Reply-To: <wd.1."
	    "created.%' AND message LIKE '%carol commented on ticket #1:%' "
	    "AND message LIKE '%Disk full?%'"), 2);
	/* The owner comments: only the assignee. */
	ck_assert_int_eq(comment_add(db, &cfg, &alice, id, "Yes", NOW + 120,
	    &c, NULL), WD_OK);
	ck_assert_int_eq(count("commented", "alice@%"), 1);
	ck_assert_int_eq(count("commented", "bob@%"), 2);
	/* Each comment is its own message, with its own Message-ID. */
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(DISTINCT "
	    "message_id) FROM outbox WHERE kind = 'commented'"), 3);
}
END_TEST

START_TEST(test_commented_nobody_else)
{
	int64_t	id, c;

	/* alice comments on her own unassigned ticket: nobody to tell. */
	id = create(NULL);
	ck_assert_int_eq(comment_add(db, &cfg, &alice, id, "note to self",
	    NOW, &c, NULL), WD_OK);
	ck_assert_int_eq(count("commented", "%"), 0);
}
END_TEST

static Suite *
notify_event_suite(void)
{
	Suite	*s = suite_create("notify_event");
	TCase	*tc = tcase_create("notify_event");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_assigned);
	tcase_add_test(tc, test_assigned_rolled_back_with_change);
	tcase_add_test(tc, test_commented);
	tcase_add_test(tc, test_commented_nobody_else);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(notify_event_suite)
