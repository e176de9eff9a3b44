/* test_token.c: API tokens: shown once, stored hashed, revocable. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/token.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000

START_TEST(test_tokens)
{
	struct config	 cfg;
	struct db	*db;
	struct user	 u;
	char		*dir, *path, *t1, *t2, *bad, *cause = NULL;
	int64_t		 id;
	int		 n;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	ck_assert_int_eq(user_create(db, &cfg, "alice", "a@example.org",
	    "correct horse 1", false, false, NULL, NOW, &id, NULL), WD_OK);
	ck_assert_int_eq(token_create(db, id, NOW, &t1, NULL), WD_OK);
	ck_assert_int_eq(token_create(db, id, NOW, &t2, NULL), WD_OK);
	ck_assert_str_ne(t1, t2);
	ck_assert_int_eq(strncmp(t1, "wdt_", 4), 0);
	ck_assert_uint_eq(strspn(t1 + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), strlen(t1) - 4);

	ck_assert_int_eq(token_authenticate(db, t1, NOW, &u, NULL), WD_OK);
	ck_assert_int_eq(u.id, id);
	ck_assert_str_eq(u.name, "alice");
	user_clear(&u);

	/* The token itself is not stored, only its hash. */
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM tokens WHERE length(hash) = 32"), 2);

	/* One changed character is an unknown token. */
	bad = xstrdup(t1);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(token_authenticate(db, bad, NOW, &u, NULL), WD_EAUTH);
	ck_assert_int_eq(token_authenticate(db, "", NOW, &u, NULL), WD_EAUTH);
	ck_assert_int_eq(token_authenticate(db, "wdt_' OR 1=1 --", NOW, &u,
	    NULL), WD_EAUTH);
	free(bad);

	ck_assert_int_eq(token_revoke_all(db, id, NOW, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(token_authenticate(db, t2, NOW, &u, &cause), WD_EAUTH);
	ck_assert_ptr_nonnull(strstr(cause, "revoked"));
	free(cause);
	ck_assert_int_eq(token_revoke_all(db, id, NOW, &n, NULL), WD_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(unit_sql_int(path,
	    "SELECT count(*) FROM audit WHERE event = 'tokens_revoked'"), 2);

	free(t1);
	free(t2);
	free(path);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

static Suite *
token_suite(void)
{
	Suite	*s = suite_create("token");
	TCase	*tc = tcase_create("token");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tokens);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(token_suite)
