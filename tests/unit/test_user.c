/* test_user.c: accounts, password policy, logins, lockout, audit. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000	/* a fixed clock */

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path;

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
}

static void
teardown(void)
{
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

/* The number of accounts (fails the test on a storage error). */
static int64_t
accounts(void)
{
	int64_t	n = -1;

	ck_assert_int_eq(user_count(db, &n, NULL), WD_OK);
	return n;
}

static int64_t
make_user(const char *name, const char *password, bool admin, bool first)
{
	int64_t	 id = 0;
	char	*cause = NULL;

	if (user_create(db, &cfg, name, "x@example.org", password, admin,
	    first, NULL, NOW, &id, &cause) != WD_OK)
		ck_abort_msg("user_create %s: %s", name, cause);
	return id;
}

START_TEST(test_names)
{
	ck_assert_int_eq(user_check_name("alice", NULL), WD_OK);
	ck_assert_int_eq(user_check_name("a.b_c-9", NULL), WD_OK);
	ck_assert_int_eq(user_check_name("", NULL), WD_EDATA);
	ck_assert_int_eq(user_check_name("-rf", NULL), WD_EDATA);
	ck_assert_int_eq(user_check_name(".hidden", NULL), WD_EDATA);
	ck_assert_int_eq(user_check_name("bob smith", NULL), WD_EDATA);
	ck_assert_int_eq(user_check_name("bob'; DROP TABLE users;--", NULL),
	    WD_EDATA);
	ck_assert_int_eq(user_check_name("j\xc3\xb6rg", NULL), WD_EDATA);
	ck_assert_int_eq(user_check_name(
	    "a123456789012345678901234567890123456789012345678901234567890123",
	    NULL), WD_OK);
	ck_assert_int_eq(user_check_name(
	    "a1234567890123456789012345678901234567890123456789012345678901234",
	    NULL), WD_EDATA);
	ck_assert_int_eq(user_check_email("bob@example.org", NULL), WD_OK);
	ck_assert_int_eq(user_check_email("bob@example.org>\r\nBcc: x@y", NULL),
	    WD_EDATA);
}
END_TEST

START_TEST(test_password_policy)
{
	char	*cause = NULL;

	ck_assert_int_eq(user_check_password(&cfg, "alice", "correct horse 1",
	    NULL), WD_OK);
	ck_assert_int_eq(user_check_password(&cfg, "alice", "short1", &cause),
	    WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "at least 8"));
	free(cause);
	ck_assert_int_eq(user_check_password(&cfg, "alice", "12345678901",
	    NULL), WD_EDATA);
	ck_assert_int_eq(user_check_password(&cfg, "alicealice",
	    "AliceAlice", NULL), WD_EDATA);
	cause = NULL;
	ck_assert_int_eq(user_check_password(&cfg, "alice", "Password123",
	    &cause), WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "common"));
	free(cause);
	ck_assert_int_eq(user_check_password(&cfg, "alice", "qwertyuiop",
	    NULL), WD_EDATA);
	/* Characters, not bytes: 8 two-byte characters pass. */
	ck_assert_int_eq(user_check_password(&cfg, "alice",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	    NULL), WD_OK);
	ck_assert_int_eq(user_check_password(&cfg, "alice",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", NULL), WD_EDATA);
	cfg.password_min_length = 20;
	ck_assert_int_eq(user_check_password(&cfg, "alice", "correct horse 1",
	    NULL), WD_EDATA);
}
END_TEST

START_TEST(test_first_admin_only_once)
{
	int64_t	 id;
	char	*cause = NULL;

	ck_assert_int_eq(accounts(), 0);
	make_user("root1", "correct horse 1", true, true);
	ck_assert_int_eq(accounts(), 1);
	ck_assert_int_eq(user_create(db, &cfg, "root2", "r@example.org",
	    "correct horse 2", true, true, NULL, NOW, &id, &cause), WD_EAUTH);
	free(cause);
	ck_assert_int_eq(accounts(), 1);
	/* Names are unique whatever their case. */
	cause = NULL;
	ck_assert_int_eq(user_create(db, &cfg, "ROOT1", "r@example.org",
	    "correct horse 2", false, false, NULL, NOW, &id, &cause), WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "exists"));
	free(cause);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM audit WHERE event = 'user_created'"), 1);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'"),
	    1);
}
END_TEST

START_TEST(test_login)
{
	struct user	 u;
	char		*cause1 = NULL, *cause2 = NULL;
	int64_t		 id;

	id = make_user("alice", "correct horse 1", false, false);
	ck_assert_int_eq(user_login(db, &cfg, "alice", "correct horse 1", 1000,
	    NOW, &u, NULL), WD_OK);
	ck_assert_int_eq(u.id, id);
	ck_assert_str_eq(u.name, "alice");
	ck_assert(!u.admin);
	user_clear(&u);
	/* Case-insensitive name. */
	ck_assert_int_eq(user_login(db, &cfg, "ALICE", "correct horse 1", 1000,
	    NOW, &u, NULL), WD_OK);
	user_clear(&u);
	/* Wrong password and unknown account: the same message. */
	ck_assert_int_eq(user_login(db, &cfg, "alice", "wrong horse 1", 1000,
	    NOW, &u, &cause1), WD_EAUTH);
	ck_assert_int_eq(user_login(db, &cfg, "nobody", "wrong horse 1", 1000,
	    NOW, &u, &cause2), WD_EAUTH);
	ck_assert_str_eq(cause1, cause2);
	free(cause1);
	free(cause2);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM audit WHERE event = 'login'"), 2);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM audit WHERE event = 'login_failed'"), 2);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM audit WHERE event = 'login_failed' "
	    "AND user_id IS NULL AND name = 'nobody'"), 1);
}
END_TEST

START_TEST(test_lockout)
{
	struct user	 u;
	char		*cause = NULL;
	int		 i;

	cfg.login_max_failures = 3;
	cfg.login_lockout_minutes = 15;
	make_user("alice", "correct horse 1", false, false);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(user_login(db, &cfg, "alice", "bad", 1000,
		    NOW + i, &u, NULL), WD_EAUTH);
	ck_assert_int_eq(user_login(db, &cfg, "alice", "bad", 1000, NOW + 2,
	    &u, &cause), WD_EAUTH);
	ck_assert_ptr_nonnull(strstr(cause, "locked"));
	free(cause);
	/* The right password does not open a locked account... */
	cause = NULL;
	ck_assert_int_eq(user_login(db, &cfg, "alice", "correct horse 1", 1000,
	    NOW + 60, &u, &cause), WD_EAUTH);
	ck_assert_ptr_nonnull(strstr(cause, "locked"));
	free(cause);
	/* ...but another Unix user is not locked out by this one. */
	ck_assert_int_eq(user_login(db, &cfg, "alice", "correct horse 1", 1001,
	    NOW + 60, &u, NULL), WD_OK);
	user_clear(&u);
	/* The lock ends after LOGIN_LOCKOUT_MINUTES. */
	ck_assert_int_eq(user_login(db, &cfg, "alice", "correct horse 1", 1000,
	    NOW + 2 + 15 * 60, &u, NULL), WD_OK);
	user_clear(&u);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM audit WHERE event = 'lockout'"), 1);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM login_failures"), 0);
}
END_TEST

/*
 * Attempts are reserved before the password is checked: a count filled by
 * attempts still running refuses further ones, even the right password,
 * until they end or LOGIN_LOCKOUT_MINUTES pass; a lock that comes while
 * the right password is being checked is kept.
 */
START_TEST(test_lockout_reserved)
{
	struct user	 u;
	char		*cause = NULL;
	int64_t		 id;

	cfg.login_max_failures = 3;
	cfg.login_lockout_minutes = 15;
	id = make_user("alice", "correct horse 1", false, false);
	ck_assert_int_eq(id, 1);
	/* Three attempts of another process, reserved and not yet answered. */
	ck_assert_int_eq(unit_sql_int(path, "INSERT INTO login_failures "
	    "(user_id, unix_uid, failures, last_failure_at) "
	    "VALUES (1, 1000, 3, 1795000000) RETURNING failures"), 3);
	ck_assert_int_eq(user_login(db, &cfg, "alice", "correct horse 1", 1000,
	    NOW + 5, &u, &cause), WD_EAUTH);
	ck_assert_ptr_nonnull(strstr(cause, "locked"));
	free(cause);
	cause = NULL;
	/* Nothing was checked, nothing was cleared. */
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT failures FROM login_failures"), 3);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM audit WHERE event = 'login_locked' "
	    "AND detail = 'attempts in progress'"), 1);
	/* Attempts that never answered are given back after the lockout. */
	ck_assert_int_eq(user_login(db, &cfg, "alice", "correct horse 1", 1000,
	    NOW + 15 * 60, &u, NULL), WD_OK);
	user_clear(&u);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM login_failures"), 0);

	/* Two reserved, this one the third: its failure locks. */
	ck_assert_int_eq(unit_sql_int(path, "INSERT INTO login_failures "
	    "(user_id, unix_uid, failures, last_failure_at) "
	    "VALUES (1, 1000, 2, 1795001000) RETURNING failures"), 2);
	ck_assert_int_eq(user_login(db, &cfg, "alice", "bad", 1000,
	    NOW + 1001, &u, &cause), WD_EAUTH);
	ck_assert_ptr_nonnull(strstr(cause, "locked"));
	free(cause);
	/* A success does not clear an active lock. */
	ck_assert_int_eq(user_login(db, &cfg, "alice", "correct horse 1", 1000,
	    NOW + 1002, &u, NULL), WD_EAUTH);
	ck_assert_int_gt(unit_sql_int(path,
	    "SELECT locked_until FROM login_failures"), NOW + 1002);
}
END_TEST

START_TEST(test_find)
{
	struct user	 u;
	int64_t		 id;

	id = make_user("carol", "correct horse 1", true, false);
	ck_assert_int_eq(user_find(db, "Carol", &u, NULL), WD_OK);
	ck_assert_int_eq(u.id, id);
	ck_assert(u.admin);
	user_clear(&u);
	ck_assert_int_eq(user_get(db, id, &u, NULL), WD_OK);
	ck_assert_str_eq(u.email, "x@example.org");
	user_clear(&u);
	ck_assert_int_eq(user_find(db, "dave", &u, NULL), WD_ENOTFOUND);
	ck_assert_int_eq(user_get(db, 999, &u, NULL), WD_ENOTFOUND);
}
END_TEST

static Suite *
user_suite(void)
{
	Suite	*s = suite_create("user");
	TCase	*tc = tcase_create("user");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_password_policy);
	tcase_add_test(tc, test_first_admin_only_once);
	tcase_add_test(tc, test_login);
	tcase_add_test(tc, test_lockout);
	tcase_add_test(tc, test_lockout_reserved);
	tcase_add_test(tc, test_find);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(user_suite)
