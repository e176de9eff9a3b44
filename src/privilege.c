/*
 * privilege.c: the discipline of a setgid binary; see privilege.h.
 *
 * Installed for a team the program runs with a group the user is not in.
 * The loader already ignores LD_PRELOAD and its kind for such a process;
 * this file does the rest: the standard descriptors, the umask, an
 * environment cut down to what the program reads, and dropping the group
 * for good when the user points the program at a path of their own.
 */
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog/privilege.h"
#include "watchdog/util.h"

extern char	**environ;

/* What a privileged process keeps of its environment, besides LC_*. */
static const char *const privilege_env_names[] = {
	"TERM", "LANG", "TZ", "HOME", "USER", "LOGNAME", "NO_COLOR",
	"EDITOR", "VISUAL", "TMPDIR", "XDG_DATA_HOME", "WATCHDOG_TOKEN",
	"WATCHDOG_CONFIG", "WATCHDOG_TRACE_FD",
};

/* Whether NAME survives privilege_init(); see privilege.h. */
bool
privilege_env_kept(const char *name)
{
	size_t	i;

	if (strncmp(name, "LC_", 3) == 0 && name[3] != '\0')
		return true;
	for (i = 0; i < sizeof privilege_env_names /
	    sizeof privilege_env_names[0]; i++) {
		if (strcmp(name, privilege_env_names[i]) == 0)
			return true;
	}
	return false;
}

/*
 * Open /dev/null on each of descriptors 0, 1 and 2 that is closed: else
 * the first file the program opens would take the place of its standard
 * input, output or error. Aborts when that cannot be done.
 */
static void
privilege_std_fds(void)
{
	int	fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* The lowest free descriptor, which is FD. */
		if (open("/dev/null", O_RDWR | O_NOCTTY) != fd)
			abort();
	}
}

/*
 * Keep only the variables privilege_env_kept() names, the first of each
 * name as getenv() would see it, and set PATH to PRIVILEGE_PATH. The
 * copies made on the way are wiped (WATCHDOG_TOKEN is a secret).
 */
static void
privilege_env(void)
{
	char	**kept, **e, *name, *eq;
	size_t	  n = 0, i, len;

	for (e = environ; e != NULL && *e != NULL; e++)
		n++;
	kept = xcalloc(n + 1, sizeof *kept);
	n = 0;
	for (e = environ; e != NULL && *e != NULL; e++) {
		if ((eq = strchr(*e, '=')) == NULL || eq == *e)
			continue;
		name = xstrndup(*e, (size_t)(eq - *e));
		if (privilege_env_kept(name))
			kept[n++] = xstrdup(*e);
		free(name);
	}
	if (clearenv() != 0)
		abort();
	for (i = 0; i < n; i++) {
		len = strlen(kept[i]);
		eq = strchr(kept[i], '=');
		*eq = '\0';
		if (setenv(kept[i], eq + 1, 0) != 0)
			abort();
		explicit_bzero(kept[i], len);
		free(kept[i]);
	}
	free(kept);
	if (setenv("PATH", PRIVILEGE_PATH, 1) != 0)
		abort();
}

/* Start the program safely; see privilege.h. */
void
privilege_init(void)
{
	privilege_std_fds();
	umask(PRIVILEGE_UMASK);
	if (privileged())
		privilege_env();
}

/* True while the effective group is not the user's own. */
bool
privileged(void)
{
	return getegid() != getgid();
}

/* Whether the caller is trusted with the group's rights; see privilege.h. */
bool
privilege_caller_trusted(void)
{
	return !privileged() || getuid() == 0;
}

/*
 * Make the real, effective, saved and file-system group IDs the real one,
 * and check that all four took; abort when they did not.
 */
void
privilege_drop(void)
{
	if (!privilege_drop_checked())
		abort();
}

/* Drop the group privilege, reporting failure; see privilege.h. */
bool
privilege_drop_checked(void)
{
	gid_t	gid, r, e, s;

	gid = getgid();
	if (setresgid(gid, gid, gid) != 0)
		return false;
	if (getresgid(&r, &e, &s) != 0 || r != gid || e != gid || s != gid) {
		errno = EPERM;
		return false;
	}
	setfsgid(gid);
	if ((gid_t)setfsgid((gid_t)-1) != gid) {
		errno = EPERM;
		return false;
	}
	return true;
}

/*
 * Close every descriptor from 3 up but KEEP (-1: none), with close_range
 * or, where that fails, one by one up to the descriptor limit.
 */
static void
privilege_closefrom(int keep)
{
	struct rlimit	rl;
	long		fd, max = 65536;

	if (keep < 3) {
		if (close_range(3, ~0U, 0) == 0)
			return;
	} else if ((keep == 3 || close_range(3, (unsigned int)keep - 1,
	    0) == 0) && close_range((unsigned int)keep + 1, ~0U, 0) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)max)
		max = (long)rl.rlim_cur;
	for (fd = 3; fd < max; fd++) {
		if (fd != keep)
			close((int)fd);
	}
}

/* Prepare a forked child; see privilege.h. */
bool
privilege_child(int keep, bool drop)
{
	struct sigaction	sa;
	sigset_t		none;
	int			sig;

	privilege_closefrom(keep);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	/* SIGKILL, SIGSTOP and the C library's own refuse: that is fine. */
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		return false;
	return !drop || privilege_drop_checked();
}
