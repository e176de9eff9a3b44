/* test_ratelimit.c: the sliding window shared through the database. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/ratelimit.h"
#include "watchdog/user.h"

#define NOW	1795000000

START_TEST(test_window)
{
	struct config		 cfg;
	struct rate_limit	 lim = { 3, 60 };
	struct rate_limit	 off = { 0, 60 };
	struct db		*db;
	char			*dir, *cause = NULL;
	int64_t			 a, b;
	int			 i;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(user_create(db, &cfg, "alice", "a@example.org",
	    "correct horse 1", false, false, NULL, NOW, &a, NULL), WD_OK);
	ck_assert_int_eq(user_create(db, &cfg, "bob", "b@example.org",
	    "correct horse 2", false, false, NULL, NOW, &b, NULL), WD_OK);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(ratelimit_take(db, &lim, a, "create",
		    NOW + i * 10, NULL), WD_OK);
	ck_assert_int_eq(ratelimit_take(db, &lim, a, "create", NOW + 30,
	    &cause), WD_ETEMP);
	/* The oldest event (NOW) leaves the window at NOW + 60. */
	ck_assert_ptr_nonnull(strstr(cause, "try again in 30 s"));
	free(cause);
	/* Other accounts and other kinds have their own counts. */
	ck_assert_int_eq(ratelimit_take(db, &lim, b, "create", NOW + 30,
	    NULL), WD_OK);
	ck_assert_int_eq(ratelimit_take(db, &lim, a, "read", NOW + 30, NULL),
	    WD_OK);
	/* A refusal is not counted; the window slides. */
	ck_assert_int_eq(ratelimit_take(db, &lim, a, "create", NOW + 60,
	    NULL), WD_OK);
	ck_assert_int_eq(ratelimit_take(db, &lim, a, "create", NOW + 61,
	    NULL), WD_ETEMP);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(ratelimit_take(db, &off, a, "create", NOW,
		    NULL), WD_OK);
	ck_assert_int_eq(db_depth(db), 0);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

static Suite *
ratelimit_suite(void)
{
	Suite	*s = suite_create("ratelimit");
	TCase	*tc = tcase_create("ratelimit");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_window);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ratelimit_suite)
