/* test_account.c: account administration: rules, storage, the audit. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "unit.h"
#include "watchdog/account.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/token.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path;
static struct user	 root, bob;

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
	make(&bob, "bob", false);
}

static void
teardown(void)
{
	user_clear(&root);
	user_clear(&bob);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

static enum wd_status
update(const struct user *by, const char *name, const char *email,
    enum account_flag admin, enum account_flag disabled, bool reset,
    char **otp)
{
	struct account_change	 ch;
	char			*mine = NULL;
	enum wd_status		 status;

	memset(&ch, 0, sizeof ch);
	ch.email = email;
	ch.admin = admin;
	ch.disabled = disabled;
	ch.reset_password = reset;
	status = account_update(db, by, name, &ch, NOW + 10,
	    otp != NULL ? otp : &mine, NULL, NULL);
	free(mine);
	return status;
}

static int
collect(const struct account *a, void *arg)
{
	struct strbuf	*sb = arg;

	strbuf_addf(sb, "%s:%d%d|", a->name, a->admin, a->disabled);
	return 0;
}

START_TEST(test_permissions)
{
	ck_assert_int_eq(update(&bob, "bob", "bob@new.example.org",
	    ACCOUNT_KEEP, ACCOUNT_KEEP, false, NULL), WD_OK);
	ck_assert_int_eq(update(&bob, "bob", NULL, ACCOUNT_SET, ACCOUNT_KEEP,
	    false, NULL), WD_EAUTH);
	ck_assert_int_eq(update(&bob, "root", "r@example.org", ACCOUNT_KEEP,
	    ACCOUNT_KEEP, false, NULL), WD_EAUTH);
	ck_assert_int_eq(update(&root, "bob", "bad address", ACCOUNT_KEEP,
	    ACCOUNT_KEEP, false, NULL), WD_EDATA);
	ck_assert_int_eq(update(&root, "nobody", NULL, ACCOUNT_SET,
	    ACCOUNT_KEEP, false, NULL), WD_ENOTFOUND);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM users "
	    "WHERE email = 'bob@new.example.org'"), 1);
}
END_TEST

START_TEST(test_last_admin)
{
	struct strbuf	sb;

	ck_assert_int_eq(update(&root, "root", NULL, ACCOUNT_CLEAR,
	    ACCOUNT_KEEP, false, NULL), WD_EAUTH);
	ck_assert_int_eq(update(&root, "root", NULL, ACCOUNT_KEEP,
	    ACCOUNT_SET, false, NULL), WD_EAUTH);
	/* Both in one change: refused whole, nothing kept. */
	ck_assert_int_eq(update(&root, "root", "new@example.org",
	    ACCOUNT_CLEAR, ACCOUNT_KEEP, false, NULL), WD_EAUTH);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM users "
	    "WHERE email = 'new@example.org'"), 0);
	ck_assert_int_eq(update(&root, "bob", NULL, ACCOUNT_SET, ACCOUNT_KEEP,
	    false, NULL), WD_OK);
	ck_assert_int_eq(update(&root, "root", NULL, ACCOUNT_CLEAR,
	    ACCOUNT_KEEP, false, NULL), WD_OK);
	memset(&sb, 0, sizeof sb);
	ck_assert_int_eq(account_list(db, collect, &sb, NULL), WD_OK);
	ck_assert_str_eq(sb.buf, "bob:10|root:00|");
	strbuf_free(&sb);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM audit WHERE "
	    "event IN ('admin_granted', 'admin_revoked')"), 2);
}
END_TEST

START_TEST(test_disable_refuses_tokens_and_logins)
{
	struct user	 u;
	char		*token = NULL;

	ck_assert_int_eq(token_create(db, bob.id, NOW, &token, NULL), WD_OK);
	ck_assert_int_eq(token_authenticate(db, token, NOW, &u, NULL), WD_OK);
	user_clear(&u);
	ck_assert_int_eq(update(&root, "bob", NULL, ACCOUNT_KEEP, ACCOUNT_SET,
	    false, NULL), WD_OK);
	ck_assert_int_eq(token_authenticate(db, token, NOW, &u, NULL),
	    WD_EAUTH);
	ck_assert_int_eq(user_login(db, &cfg, "bob", "correct horse 1", 1000,
	    NOW + 20, &u, NULL), WD_EAUTH);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM audit WHERE "
	    "event = 'login_refused'"), 1);
	ck_assert_int_eq(update(&root, "bob", NULL, ACCOUNT_KEEP,
	    ACCOUNT_CLEAR, false, NULL), WD_OK);
	ck_assert_int_eq(user_login(db, &cfg, "bob", "correct horse 1", 1000,
	    NOW + 30, &u, NULL), WD_OK);
	ck_assert(!u.disabled && !u.must_change);
	user_clear(&u);
	ck_assert_int_eq(unit_sql_int(path, "SELECT last_login_at FROM users "
	    "WHERE name = 'bob'"), NOW + 30);
	/* Revoked by the disabling, it stays revoked. */
	ck_assert_int_eq(token_authenticate(db, token, NOW, &u, NULL),
	    WD_EAUTH);
	sodium_memzero(token, strlen(token));
	free(token);
}
END_TEST

/*
 * A token of a disabled account is refused even when it was never
 * revoked (disabled_at set while the token stayed live).
 */
START_TEST(test_disabled_token_refused)
{
	struct user	 u;
	char		*token = NULL, *cause = NULL;

	ck_assert_int_eq(token_create(db, bob.id, NOW, &token, NULL), WD_OK);
	unit_sql_int(path, "UPDATE users SET disabled_at = 1 WHERE name = "
	    "'bob'");
	ck_assert_int_eq(token_authenticate(db, token, NOW, &u, &cause),
	    WD_EAUTH);
	ck_assert_ptr_nonnull(strstr(cause, "bob is disabled"));
	free(cause);
	unit_sql_int(path, "UPDATE users SET disabled_at = NULL WHERE name = "
	    "'bob'");
	ck_assert_int_eq(token_authenticate(db, token, NOW, &u, NULL), WD_OK);
	user_clear(&u);
	sodium_memzero(token, strlen(token));
	free(token);
}
END_TEST

START_TEST(test_reset_and_change)
{
	struct user	 u;
	char		*otp = NULL;

	ck_assert_int_eq(update(&root, "bob", NULL, ACCOUNT_KEEP, ACCOUNT_KEEP,
	    true, &otp), WD_OK);
	ck_assert_ptr_nonnull(otp);
	ck_assert_uint_eq(strlen(otp), ACCOUNT_OTP_LEN);
	ck_assert_int_eq(user_login(db, &cfg, "bob", "correct horse 1", 1000,
	    NOW + 20, &u, NULL), WD_EAUTH);
	ck_assert_int_eq(user_login(db, &cfg, "bob", otp, 1000, NOW + 30, &u,
	    NULL), WD_OK);
	ck_assert(u.must_change);
	ck_assert_int_eq(account_set_password(db, &cfg, &u, otp, otp,
	    NOW + 40, NULL), WD_EDATA);
	ck_assert_int_eq(account_set_password(db, &cfg, &u, otp, "12345678",
	    NOW + 40, NULL), WD_EDATA);
	ck_assert_int_eq(account_set_password(db, &cfg, &u, otp,
	    "fresh stable horse", NOW + 40, NULL), WD_OK);
	user_clear(&u);
	ck_assert_int_eq(user_login(db, &cfg, "bob", "fresh stable horse",
	    1000, NOW + 50, &u, NULL), WD_OK);
	ck_assert(!u.must_change);
	user_clear(&u);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM audit WHERE "
	    "event IN ('password_reset', 'password_changed')"), 2);
	free(otp);
}
END_TEST

/* Collects each JSON object, a line each. */
static int
collect_json(const char *json, void *arg)
{
	strbuf_addf(arg, "%s\n", json);
	return 0;
}

START_TEST(test_json)
{
	struct strbuf	sb;

	ck_assert_int_eq(update(&root, "bob", NULL, ACCOUNT_KEEP, ACCOUNT_SET,
	    false, NULL), WD_OK);
	memset(&sb, 0, sizeof sb);
	ck_assert_int_eq(account_list_json(db, collect_json, &sb, NULL),
	    WD_OK);
	ck_assert_str_eq(sb.buf, "{\"name\":\"bob\",\"email\":"
	    "\"x@example.org\",\"admin\":false,\"disabled\":true,"
	    "\"created_at\":\"2026-11-18T11:06:40Z\",\"last_login\":null}\n"
	    "{\"name\":\"root\",\"email\":\"x@example.org\",\"admin\":true,"
	    "\"disabled\":false,\"created_at\":\"2026-11-18T11:06:40Z\","
	    "\"last_login\":null}\n");
	strbuf_free(&sb);
}
END_TEST

static Suite *
account_suite(void)
{
	Suite	*s = suite_create("account");
	TCase	*tc = tcase_create("account");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_permissions);
	tcase_add_test(tc, test_last_admin);
	tcase_add_test(tc, test_disable_refuses_tokens_and_logins);
	tcase_add_test(tc, test_reset_and_change);
	tcase_add_test(tc, test_disabled_token_refused);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(account_suite)
