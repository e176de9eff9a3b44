/* test_privilege.c: the start of the program and the group privilege. */
#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/privilege.h"

/* What a setgid process keeps of its environment, and what it does not. */
START_TEST(test_env_allowlist)
{
	static const char	*kept[] = {
		"TERM", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME", "USER",
		"LOGNAME", "NO_COLOR", "EDITOR", "VISUAL", "TMPDIR",
		"WATCHDOG_TOKEN", "WATCHDOG_CONFIG", "WATCHDOG_TRACE_FD",
	};
	static const char	*dropped[] = {
		"PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "FAKETIME", "IFS",
		"LOCPATH", "TERMINFO", "SQLITE_TMPDIR", "CURL_CA_BUNDLE",
		"SSL_CERT_FILE", "http_proxy", "LC_", "LC", "term",
		"WATCHDOG_TOKENX", "",
	};
	size_t			 i;

	for (i = 0; i < sizeof kept / sizeof kept[0]; i++)
		ck_assert_msg(privilege_env_kept(kept[i]), "%s", kept[i]);
	for (i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
		ck_assert_msg(!privilege_env_kept(dropped[i]), "%s",
		    dropped[i]);
}
END_TEST

/*
 * Unprivileged (as the tests run): a closed standard input is put back
 * on /dev/null, the umask becomes 007, and the environment stays as it is.
 */
START_TEST(test_init_unprivileged)
{
	struct stat	 a, b;
	mode_t		 old;

	ck_assert(!privileged());
	setenv("LD_SOMETHING", "kept", 1);
	close(0);
	privilege_init();
	ck_assert_int_ne(fcntl(0, F_GETFD), -1);
	ck_assert_int_eq(fstat(0, &a), 0);
	ck_assert_int_eq(stat("/dev/null", &b), 0);
	ck_assert(a.st_rdev == b.st_rdev);
	old = umask(022);
	ck_assert_int_eq(old, PRIVILEGE_UMASK);
	ck_assert_str_eq(getenv("LD_SOMETHING"), "kept");
	unsetenv("LD_SOMETHING");
}
END_TEST

/* Dropping what is not held is harmless and leaves the IDs equal. */
START_TEST(test_drop_unprivileged)
{
	gid_t	r, e, s;

	privilege_drop();
	ck_assert(!privileged());
	ck_assert_int_eq(getresgid(&r, &e, &s), 0);
	ck_assert_int_eq(r, getgid());
	ck_assert_int_eq(e, getgid());
	ck_assert_int_eq(s, getgid());
}
END_TEST

static Suite *
privilege_suite(void)
{
	Suite	*s = suite_create("privilege");
	TCase	*tc = tcase_create("privilege");

	tcase_add_test(tc, test_env_allowlist);
	tcase_add_test(tc, test_init_unprivileged);
	tcase_add_test(tc, test_drop_unprivileged);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(privilege_suite)
