/*
 * privilege.h: the discipline of a setgid binary (watchdog(1) SECURITY).
 *
 * Installed for a team, watchdog is setgid to a group that owns the
 * database and the configuration file; the process starts with that group
 * as its effective (and saved) group and the user's as its real one.
 * privilege_init() runs first thing in the program: the standard
 * descriptors are made sure of, the umask set and, while privileged, the
 * environment cut down to what the program reads. privilege_drop() gives
 * the group up for good, before anything the user chose is opened. Nothing
 * here prints: what cannot be done safely aborts.
 */
#ifndef WATCHDOG_PRIVILEGE_H
#define WATCHDOG_PRIVILEGE_H

#include <stdbool.h>

/* Files the program creates: group read-write, nothing for others. */
#define PRIVILEGE_UMASK		007

/* PATH while privileged: the user's would choose what the children run. */
#define PRIVILEGE_PATH		"/usr/bin:/bin"

/*
 * Start the program safely: descriptors 0, 1 and 2 that are closed are
 * opened on /dev/null (so that no file the program opens becomes its
 * standard output), the umask becomes PRIVILEGE_UMASK, and while
 * privileged the environment keeps only the variables of
 * privilege_env_kept() and PATH becomes PRIVILEGE_PATH. Unprivileged, the
 * environment is left as it is: the user could set any of it anyway.
 * Aborts when a descriptor cannot be opened.
 */
void		privilege_init(void);

/* True while the process holds a group the user does not (setgid). */
bool		privileged(void);

/*
 * True when the caller may act with everything the program can reach
 * without an account: unprivileged (the data is the caller's own), or the
 * real root on a team install. Only such a caller creates the first
 * administrator of a team install or runs --check-sla without logging in.
 */
bool		privilege_caller_trusted(void);

/*
 * Give up the group privilege for good: the real, effective, saved and
 * file-system group IDs all become the real one, checked after the
 * change. Harmless when not privileged. Aborts when the change does not
 * take: going on with the group would break the promise made to the user.
 */
void		privilege_drop(void);

/*
 * The same without aborting, for a child about to exec another program:
 * true when every group ID is the real one afterwards, false (errno EPERM
 * when the change did not take) otherwise.
 */
bool		privilege_drop_checked(void);

/*
 * Prepare a forked child (the sendmail program, the editor, the background
 * delivery) the one way: every descriptor from 3 up closed but KEEP (-1:
 * none), every signal back to its default disposition, an empty signal
 * mask, and with DROP the group privilege given up for good. Only
 * async-signal-safe calls. Returns true, or false with errno when the mask
 * or the group could not be changed.
 */
bool		privilege_child(int keep, bool drop);

/*
 * Whether the environment entry NAME (without "=value") survives
 * privilege_init() in a privileged process: TERM, LANG, LC_*, TZ, HOME,
 * USER, LOGNAME, NO_COLOR, EDITOR, VISUAL, TMPDIR, XDG_DATA_HOME,
 * WATCHDOG_TOKEN, WATCHDOG_CONFIG and WATCHDOG_TRACE_FD. PATH is not kept
 * but replaced. (TMPDIR never arrives: glibc's UNSECURE_ENVVARS removes
 * it, with LD_*, LOCPATH, NLSPATH, TZDIR and others, from the environment
 * of a setgid program before main().)
 */
bool		privilege_env_kept(const char *name);

#endif
