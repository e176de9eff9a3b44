/* test_privilege.c: the start of the program and the group privilege. */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

static void
on_usr1(int sig)
{
	(void)sig;
}

/*
 * In a child with a handler, ignored signals, a blocked one and extra
 * descriptors, privilege_child() leaves only 0-2 and KEEP open, every
 * signal at its default and nothing blocked. The child's exit status says
 * what was wrong (0: nothing).
 */
static int
child_checks(int keep, int other)
{
	struct sigaction	sa;
	sigset_t		set;

	if (!privilege_child(keep, false))
		return 1;
	if (fcntl(keep, F_GETFD) == -1)
		return 2;
	if (fcntl(other, F_GETFD) != -1 || errno != EBADF)
		return 3;
	if (sigaction(SIGUSR1, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
		return 4;
	if (sigaction(SIGTERM, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
		return 5;
	if (sigaction(SIGPIPE, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
		return 6;
	if (sigprocmask(SIG_SETMASK, NULL, &set) != 0 ||
	    sigismember(&set, SIGHUP) || sigismember(&set, SIGINT))
		return 7;
	return 0;
}

START_TEST(test_child_setup)
{
	struct sigaction	sa;
	sigset_t		set;
	pid_t			pid;
	int			p[2], q[2], st;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_usr1;
		sigaction(SIGUSR1, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGPIPE, &sa, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGHUP);
		sigaddset(&set, SIGINT);
		sigprocmask(SIG_BLOCK, &set, NULL);
		_exit(child_checks(q[1], p[0]));
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
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
	tcase_add_test(tc, test_child_setup);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(privilege_suite)
