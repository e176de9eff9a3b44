/*
 * mailer.c: delivering finished messages through the backend that
 * EMAIL_BACKEND names.
 *
 *	smtp		smtp.c (libcurl), one connection for the mailer's life
 *	sendmail	SENDMAIL_PATH -t -i, the message on its standard input
 *			with LF line ends
 *	file		a Maildir at EMAIL_FILE_PATH: tmp/, fsync, rename into
 *			new/; the message is kept byte for byte (CRLF)
 *	console		the message with LF line ends and a separator line,
 *			written to the FILE * given
 *
 * Every backend checks the envelope addresses first, and reports a failure
 * worth retrying as WD_ETEMP and a permanent one as WD_EFAIL.
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "watchdog/address.h"
#include "watchdog/config.h"
#include "watchdog/mailer.h"
#include "watchdog/privilege.h"
#include "watchdog/smtp.h"
#include "watchdog/status.h"
#include "watchdog/util.h"

#define MAILER_STDERR_MAX	200	/* bytes of sendmail's stderr kept */
#define MAILER_DIR_MODE		0770	/* less the umask */
#define MAILER_FILE_MODE	0660
/*
 * A file in tmp/ is NAME (its name in new/) + ',' + what makes it this
 * write's own; one older than this is what a killed process left, and
 * goes (the Maildir convention's 36 hours).
 */
#define MAILER_TMP_SEP		','
#define MAILER_TMP_STALE	(36 * 3600)

#define nitems(a)		(sizeof (a) / sizeof (a)[0])

struct mailer {
	enum email_backend	 backend;
	struct smtp		*smtp;		/* smtp */
	FILE			*console;	/* console */
	char			*path;		/* SENDMAIL_PATH or
						   EMAIL_FILE_PATH */
	int			 timeout;	/* sendmail: idle seconds */
	char			*host;		/* file: for unique names */
	unsigned long		 counter;	/* file: messages delivered */
	bool			 maildir_ready;	/* file: tmp/ new/ cur/ exist */
	int			 tmpfd, newfd;	/* file: tmp/ and new/ */
	mailer_tick_fn		*tick;		/* while a send goes on */
	void			*tick_arg;
	bool			 batch;		/* file: stage until flushed */
	char			**staged;	/* file: tmp/ names written */
	size_t			 nstaged, capstaged;
};

/* Arguments of SENDMAIL_PATH; writable arrays because execv wants char *. */
static char	mailer_opt_t[] = "-t";
static char	mailer_opt_i[] = "-i";

/*
 * This host's name as it may go into a Maildir file name: '/' and ':'
 * written as \057 and \072, anything unprintable as '_'. New string.
 */
static char *
mailer_host_name(void)
{
	struct strbuf	 sb = { NULL, 0, 0 };
	char		 host[HOST_NAME_MAX + 1];
	size_t		 i;

	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		return xstrdup("localhost");
	host[sizeof host - 1] = '\0';
	for (i = 0; host[i] != '\0'; i++) {
		if (host[i] == '/')
			strbuf_addstr(&sb, "\\057");
		else if (host[i] == ':')
			strbuf_addstr(&sb, "\\072");
		else if ((unsigned char)host[i] <= ' ' ||
		    (unsigned char)host[i] >= 0x7f)
			strbuf_add(&sb, "_", 1);
		else
			strbuf_add(&sb, &host[i], 1);
	}
	return strbuf_detach(&sb);
}

/*
 * Prepare delivery through the backend of CFG; CONSOLE (stdout when NULL)
 * is where the console backend writes. Nothing connects or is created yet.
 * Returns WD_OK and *OUT (freed with mailer_close()), or a failure with
 * *CAUSE.
 */
enum wd_status
mailer_open(const struct config *cfg, FILE *console, struct mailer **out,
    char **cause)
{
	struct mailer	*m;
	enum wd_status	 st = WD_OK;

	*out = NULL;
	m = xcalloc(1, sizeof *m);
	m->tmpfd = m->newfd = -1;
	m->backend = cfg->email_backend;
	m->timeout = cfg->email_timeout > 0 ? cfg->email_timeout : 30;
	switch (m->backend) {
	case EMAIL_BACKEND_SMTP:
		st = smtp_open(cfg, &m->smtp, cause);
		break;
	case EMAIL_BACKEND_SENDMAIL:
		if (cfg->sendmail_path == NULL || cfg->sendmail_path[0] != '/')
			st = status_set(cause, WD_ECONFIG,
			    "SENDMAIL_PATH must be an absolute path");
		else
			m->path = xstrdup(cfg->sendmail_path);
		break;
	case EMAIL_BACKEND_FILE:
		if (cfg->email_file_path == NULL ||
		    cfg->email_file_path[0] != '/')
			st = status_set(cause, WD_ECONFIG,
			    "EMAIL_FILE_PATH must be an absolute path");
		else {
			m->path = xstrdup(cfg->email_file_path);
			m->host = mailer_host_name();
		}
		break;
	case EMAIL_BACKEND_CONSOLE:
		m->console = console != NULL ? console : stdout;
		break;
	default:
		st = status_set(cause, WD_ECONFIG, "unknown EMAIL_BACKEND");
		break;
	}
	if (st != WD_OK)
		mailer_close(m);
	else
		*out = m;
	return st;
}

/*
 * MESSAGE (LEN bytes) with every CRLF turned into LF, as a new buffer of
 * *OUTLEN bytes (NUL-terminated) that the caller frees.
 */
static char *
mailer_to_lf(const char *message, size_t len, size_t *outlen)
{
	char	*buf;
	size_t	 i, n = 0;

	buf = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (message[i] == '\r' && i + 1 < len && message[i + 1] == '\n')
			continue;
		buf[n++] = message[i];
	}
	buf[n] = '\0';
	*outlen = n;
	return buf;
}

/*
 * In the forked child: stdin from IN, stdout to OUT, stderr to ERR, no
 * other descriptor open, default signal handling, the group privilege of
 * a setgid binary dropped; then run ARGV. When that fails, the errno goes
 * down REPORT (close-on-exec, so exec closes it) and the child exits 127.
 * Only async-signal-safe calls here.
 */
static void __attribute__((noreturn))
mailer_child(char *const argv[], int in, int out, int err, int report)
{
	int	e;

	/* Out of the way of 0, 1 and 2 first, so that dup2 cannot clobber. */
	if ((in = fcntl(in, F_DUPFD, 3)) == -1 ||
	    (out = fcntl(out, F_DUPFD, 3)) == -1 ||
	    (err = fcntl(err, F_DUPFD, 3)) == -1 ||
	    (report = fcntl(report, F_DUPFD_CLOEXEC, 3)) == -1)
		_exit(127);
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		goto fail;
	if (!privilege_child(report, true))
		goto fail;
	execv(argv[0], argv);
fail:
	e = errno;
	while (write(report, &e, sizeof e) == -1 && errno == EINTR)
		;
	_exit(127);
}

/* Close *FD when it is open and mark it closed. */
static void
mailer_close_fd(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/*
 * Wait for child PID to end; its wait status goes in *WSTATUS. Returns 0,
 * or -1 with errno.
 */
static int
mailer_wait(pid_t pid, int *wstatus)
{
	while (waitpid(pid, wstatus, 0) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/*
 * Feed DATA (LEN bytes) to the child's standard input IN and collect the
 * start of its standard error ERR into ERRBUF (SIZE bytes), until all of
 * DATA is in (or the child stopped reading) and ERR reached its end. IN is
 * closed here; ERR is left to the caller. M's tick is called about once
 * a second meanwhile. Returns 0 when all of DATA went in; 1 when the
 * child stopped reading early; -1 when nothing moved for TIMEOUT seconds;
 * -2 on another error (errno set).
 */
static int
mailer_feed(struct mailer *m, int *in, int err, const char *data, size_t len,
    int timeout, char *errbuf, size_t size)
{
	struct pollfd	 pfd[2];
	struct timespec	 now, moved;
	char		 buf[512];
	size_t		 off = 0, kept = 0, n;
	ssize_t		 r;
	int		 ret = 0, nfds, flags, ein = -1;
	long		 idle;

	clock_gettime(CLOCK_MONOTONIC, &moved);

	if ((flags = fcntl(*in, F_GETFL)) == -1 ||
	    fcntl(*in, F_SETFL, flags | O_NONBLOCK) == -1)
		return -2;
	if (len == 0)
		mailer_close_fd(in);
	while (err != -1 || *in != -1) {
		nfds = 0;
		ein = -1;
		if (err != -1) {
			pfd[nfds].fd = err;
			pfd[nfds++].events = POLLIN;
		}
		if (*in != -1) {
			ein = nfds;
			pfd[nfds].fd = *in;
			pfd[nfds++].events = POLLOUT;
		}
		/* Woken every second at least, for the tick. */
		r = poll(pfd, (nfds_t)nfds, 1000);
		if (m->tick != NULL)
			m->tick(m->tick_arg);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -2;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (r == 0) {
			idle = (long)(now.tv_sec - moved.tv_sec) * 1000 +
			    (now.tv_nsec - moved.tv_nsec) / 1000000;
			if (idle >= (long)timeout * 1000)
				return -1;
			continue;
		}
		moved = now;
		if (err != -1 && pfd[0].revents != 0) {
			r = read(err, buf, sizeof buf);
			if (r == -1 && errno != EINTR && errno != EAGAIN)
				return -2;
			if (r == 0)
				err = -1;	/* the caller closes it */
			if (r > 0 && kept + 1 < size) {
				n = (size_t)r;
				if (n > size - 1 - kept)
					n = size - 1 - kept;
				memcpy(errbuf + kept, buf, n);
				kept += n;
				errbuf[kept] = '\0';
			}
		}
		if (ein != -1 && pfd[ein].revents != 0) {
			r = write(*in, data + off, len - off);
			if (r == -1 && (errno == EPIPE ||
			    (pfd[ein].revents & (POLLERR | POLLHUP)))) {
				ret = 1;	/* it stopped reading */
				mailer_close_fd(in);
			} else if (r == -1 && errno != EINTR && errno != EAGAIN)
				return -2;
			else if (r > 0 && (off += (size_t)r) == len)
				mailer_close_fd(in);
		}
	}
	return ret;
}

/*
 * The first line of sendmail's standard error, for a cause: ": text", or
 * "" when there was none. New string.
 */
static char *
mailer_stderr_line(const char *errbuf)
{
	char	line[MAILER_STDERR_MAX + 1];
	size_t	i, j = 0;

	for (i = 0; errbuf[i] != '\0' && errbuf[i] != '\n' &&
	    j < MAILER_STDERR_MAX; i++) {
		if ((unsigned char)errbuf[i] < 0x20 ||
		    (unsigned char)errbuf[i] >= 0x7f)
			line[j++] = '?';
		else
			line[j++] = errbuf[i];
	}
	line[j] = '\0';
	return j == 0 ? xstrdup("") : xasprintf(": %s", line);
}

/*
 * Deliver MESSAGE through SENDMAIL_PATH -t -i (the recipients come from
 * its headers): fork, exec without a shell, the message with LF line ends
 * on its standard input, its standard output to /dev/null. Exit 0 is
 * WD_OK; 75 (EX_TEMPFAIL), a signal, a failed exec or a hang of
 * EMAIL_TIMEOUT seconds is WD_ETEMP; any other exit is WD_EFAIL.
 */
static enum wd_status
mailer_sendmail(struct mailer *m, const char *message, size_t len,
    char **cause)
{
	struct sigaction	 ign, dfl, old_pipe, old_chld;
	char			*argv[] = { m->path, mailer_opt_t, mailer_opt_i,
				    NULL };
	char			*lf = NULL, *line = NULL;
	char			 errbuf[MAILER_STDERR_MAX + 1] = "";
	int			 in[2] = { -1, -1 }, err[2] = { -1, -1 };
	int			 rep[2] = { -1, -1 }, devnull = -1;
	int			 wstatus, e, fed;
	size_t			 lflen;
	ssize_t			 r;
	pid_t			 pid = -1;
	bool			 pipe_saved = false, chld_saved = false;
	enum wd_status		 st = WD_OK;

	/*
	 * Our child is ours to reap: no SIGCHLD handler of the caller may
	 * take its status, and SIG_IGN would make waitpid() fail.
	 */
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	if (sigaction(SIGCHLD, &dfl, &old_chld) == 0)
		chld_saved = true;

	lf = mailer_to_lf(message, len, &lflen);
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
	    pipe2(rep, O_CLOEXEC) != 0 ||
	    (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1) {
		e = errno;
		st = status_set(cause, WD_ETEMP, "%s: cannot start: %s",
		    m->path, strerror(e));
		goto out;
	}
	if ((pid = fork()) == -1) {
		e = errno;
		st = status_set(cause, WD_ETEMP, "%s: cannot start: %s",
		    m->path, strerror(e));
		goto out;
	}
	if (pid == 0)
		mailer_child(argv, in[0], devnull, err[1], rep[1]);
	mailer_close_fd(&in[0]);
	mailer_close_fd(&err[1]);
	mailer_close_fd(&rep[1]);
	mailer_close_fd(&devnull);

	/* Did the exec work? The report pipe closes on exec, or says why. */
	do
		r = read(rep[0], &e, sizeof e);
	while (r == -1 && errno == EINTR);
	if (r == (ssize_t)sizeof e) {
		st = status_set(cause, WD_ETEMP, "%s: cannot run: %s",
		    m->path, strerror(e));
		goto out;
	}

	/* A child that stops reading must not kill us with SIGPIPE. */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	if (sigaction(SIGPIPE, &ign, &old_pipe) == 0)
		pipe_saved = true;
	fed = mailer_feed(m, &in[1], err[0], lf, lflen, m->timeout, errbuf,
	    sizeof errbuf);
	if (fed == -1) {
		kill(pid, SIGKILL);
		st = status_set(cause, WD_ETEMP, "%s: no progress within %d "
		    "seconds (EMAIL_TIMEOUT); stopped it", m->path,
		    m->timeout);
		goto out;
	}
	if (fed == -2) {
		e = errno;
		kill(pid, SIGKILL);
		st = status_set(cause, WD_ETEMP, "%s: cannot write the "
		    "message: %s", m->path, strerror(e));
		goto out;
	}
	if (mailer_wait(pid, &wstatus) != 0) {
		e = errno;
		pid = -1;
		st = status_set(cause, WD_ETEMP, "%s: cannot wait for it: %s",
		    m->path, strerror(e));
		goto out;
	}
	pid = -1;
	line = mailer_stderr_line(errbuf);
	if (WIFSIGNALED(wstatus))
		st = status_set(cause, WD_ETEMP, "%s: killed by signal %d%s",
		    m->path, WTERMSIG(wstatus), line);
	else if (!WIFEXITED(wstatus))
		st = status_set(cause, WD_ETEMP, "%s: ended abnormally%s",
		    m->path, line);
	else if (WEXITSTATUS(wstatus) == 75)
		st = status_set(cause, WD_ETEMP, "%s: temporary failure "
		    "(exit 75)%s", m->path, line);
	else if (WEXITSTATUS(wstatus) != 0)
		st = status_set(cause, WD_EFAIL, "%s: exit %d%s", m->path,
		    WEXITSTATUS(wstatus), line);
	else if (fed == 1)
		st = status_set(cause, WD_ETEMP, "%s: exited before reading "
		    "the whole message", m->path);

out:
	if (pipe_saved)
		sigaction(SIGPIPE, &old_pipe, NULL);
	mailer_close_fd(&in[0]);
	mailer_close_fd(&in[1]);
	mailer_close_fd(&err[0]);
	mailer_close_fd(&err[1]);
	mailer_close_fd(&rep[0]);
	mailer_close_fd(&rep[1]);
	mailer_close_fd(&devnull);
	if (pid > 0)
		mailer_wait(pid, &wstatus);
	if (chld_saved)
		sigaction(SIGCHLD, &old_chld, NULL);
	free(line);
	free(lf);
	return st;
}

/*
 * Make directory PATH and any missing parents, mode 0770 less the umask.
 * Returns 0, or -1 with errno and the directory that failed in *FAILED
 * (new string).
 */
static int
mailer_mkdirs(const char *path, char **failed)
{
	char	*copy, *p;
	int	 ret = 0, e;

	copy = xstrdup(path);
	for (p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			e = *p;
			*p = '\0';
			if (mkdir(copy, MAILER_DIR_MODE) != 0 &&
			    errno != EEXIST) {
				*failed = xstrdup(copy);
				ret = -1;
				break;
			}
			*p = (char)e;
		}
		if (*p == '\0')
			break;
	}
	e = errno;
	free(copy);
	errno = e;
	return ret;
}

/*
 * Write all LEN bytes of DATA to FD. Returns 0, or -1 with errno.
 */
static int
mailer_write_all(int fd, const char *data, size_t len)
{
	ssize_t	r;

	while (len > 0) {
		r = write(fd, data, len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		data += r;
		len -= (size_t)r;
	}
	return 0;
}

/*
 * The Maildir file name of MESSAGE (LEN bytes): its Message-ID without
 * the angle brackets, each byte but [A-Za-z0-9._@+=-] (and a leading
 * '.') as '_', then the host, so that a message sent again (after a crash
 * between the delivery and its record) replaces its first copy in new/
 * instead of doubling it. Without a Message-ID, a name of its own:
 * TIME.PID_COUNTER_RANDOM.HOST. New string.
 */
static char *
mailer_file_name(struct mailer *m, const char *message, size_t len)
{
	static const char	 hdr[] = "Message-ID:";
	struct strbuf		 sb = { NULL, 0, 0 };
	struct timespec		 ts;
	const char		*p, *end = message + len, *line;
	unsigned int		 rnd;
	unsigned char		 c;

	for (line = message; line < end && *line != '\r' && *line != '\n';) {
		if ((size_t)(end - line) > sizeof hdr - 1 &&
		    memcmp(line, hdr, sizeof hdr - 1) == 0) {
			for (p = line + sizeof hdr - 1; p < end && *p == ' ';
			    p++)
				;
			for (; p < end && *p != '\r' && *p != '\n' &&
			    sb.len < 200; p++) {
				c = (unsigned char)*p;
				if (c == '<' || c == '>')
					continue;
				/* No dot file: a leading '.' is a '_'. */
				strbuf_add(&sb, (c >= 'a' && c <= 'z') ||
				    (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9') || (c != '\0' &&
				    strchr("_@+=-", c) != NULL) ||
				    (c == '.' && sb.len > 0) ? p : "_", 1);
			}
			break;
		}
		if ((p = memchr(line, '\n', (size_t)(end - line))) == NULL)
			break;
		line = p + 1;
	}
	if (sb.len > 0) {
		strbuf_addf(&sb, ".%s", m->host);
		return strbuf_detach(&sb);
	}
	strbuf_free(&sb);
	clock_gettime(CLOCK_REALTIME, &ts);
	if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
		rnd = (unsigned int)ts.tv_nsec ^ (unsigned int)m->counter;
	m->counter++;
	return xasprintf("%lld.%ld_%lu_%08x.%s", (long long)ts.tv_sec,
	    (long)getpid(), m->counter, rnd, m->host);
}

/* Close the file backend's directories. */
static void
mailer_close_dirs(struct mailer *m)
{
	if (m->tmpfd != -1)
		close(m->tmpfd);
	if (m->newfd != -1)
		close(m->newfd);
	m->tmpfd = m->newfd = -1;
}

/*
 * The tmp/ name of a write of NAME: NAME, MAILER_TMP_SEP, this process
 * and a random number. Two processes that deliver one message at once (a
 * pass that took over a lapsed lease while a background delivery still
 * writes) each write a file of their own, and each rename is whole: new/
 * ends with one complete copy. New string.
 */
static char *
mailer_tmp_name(const char *name)
{
	unsigned int	rnd;

	if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
		rnd = (unsigned int)time(NULL) ^ (unsigned int)(uintptr_t)name;
	return xasprintf("%s%c%ld.%08x", name, MAILER_TMP_SEP, (long)getpid(),
	    rnd);
}

/*
 * Move tmp/TMP into new/ under its name there (TMP up to its last
 * MAILER_TMP_SEP), replacing a copy there. Returns 0, or -1 with errno.
 */
static int
mailer_file_rename(struct mailer *m, const char *tmp)
{
	char	*name;
	int	 rc, e;

	name = xstrndup(tmp, (size_t)(strrchr(tmp, MAILER_TMP_SEP) - tmp));
	rc = renameat(m->tmpfd, tmp, m->newfd, name);
	e = errno;
	free(name);
	errno = e;
	return rc;
}

/*
 * Remove what killed processes left in tmp/: files of ours (their names
 * hold MAILER_TMP_SEP) older than MAILER_TMP_STALE. Best effort.
 */
static void
mailer_tmp_sweep(struct mailer *m)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	time_t		 now = time(NULL);
	int		 fd;

	if ((fd = dup(m->tmpfd)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strchr(de->d_name, MAILER_TMP_SEP) == NULL ||
		    fstatat(m->tmpfd, de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode) ||
		    now - sb.st_mtime < MAILER_TMP_STALE)
			continue;
		(void)unlinkat(m->tmpfd, de->d_name, 0);
	}
	closedir(d);
}

/*
 * Make the Maildir's tmp/, new/ and cur/ when they are not known to be,
 * and open tmp/ and new/, where every file is made and moved by name.
 */
static enum wd_status
mailer_maildir(struct mailer *m, char **cause)
{
	static const char	*subdirs[] = { "tmp", "new", "cur" };
	char			*dir, *failed = NULL;
	size_t			 i;
	int			 e;
	enum wd_status		 st = WD_OK;

	int			*fd;

	if (m->maildir_ready)
		return WD_OK;
	mailer_close_dirs(m);
	for (i = 0; i < nitems(subdirs); i++) {
		dir = xasprintf("%s/%s", m->path, subdirs[i]);
		if (mailer_mkdirs(dir, &failed) != 0) {
			e = errno;
			st = status_set(cause, WD_ETEMP, "%s: cannot create "
			    "the directory: %s", failed, strerror(e));
			free(failed);
			free(dir);
			return st;
		}
		fd = i == 0 ? &m->tmpfd : i == 1 ? &m->newfd : NULL;
		if (fd != NULL && (*fd = open(dir, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) == -1) {
			e = errno;
			st = status_set(cause, WD_ETEMP, "%s: %s", dir,
			    strerror(e));
			free(dir);
			mailer_close_dirs(m);
			return st;
		}
		free(dir);
	}
	mailer_tmp_sweep(m);
	m->maildir_ready = true;
	return WD_OK;
}

/* Remove tmp/NAME, never delivered. */
static void
mailer_file_discard(struct mailer *m, const char *name)
{
	if (m->tmpfd != -1)
		unlinkat(m->tmpfd, name, 0);
}

/*
 * Deliver MESSAGE into the Maildir EMAIL_FILE_PATH: create it with cur/,
 * new/ and tmp/ when missing, write a file of this write's own in tmp/
 * (mailer_tmp_name()), fsync it, rename it into new/ as NAME
 * (mailer_file_name(): a second delivery of one message replaces the
 * first) and fsync new/. In a batch (mailer_batch()) the
 * file is only written to tmp/, and mailer_flush() does the rest for the
 * whole batch. The message is kept as given (CRLF). Any failure is
 * WD_ETEMP naming the path; tmp/ is left clean.
 */
static enum wd_status
mailer_file(struct mailer *m, const char *message, size_t len, char **cause)
{
	char			*final = NULL, *name = NULL, *tmp = NULL;
	char			*newdir = NULL;
	const char		*what = NULL;
	int			 fd = -1, e = 0;
	bool			 created = false;
	enum wd_status		 st;

	if ((st = mailer_maildir(m, cause)) != WD_OK)
		return st;
	final = mailer_file_name(m, message, len);
	name = mailer_tmp_name(final);
	tmp = xasprintf("%s/tmp/%s", m->path, name);
	newdir = xasprintf("%s/new", m->path);

	if ((fd = openat(m->tmpfd, name, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, MAILER_FILE_MODE)) == -1) {
		what = tmp;
		goto fail;
	}
	created = true;
	if (mailer_write_all(fd, message, len) != 0 ||
	    (!m->batch && fsync(fd) != 0)) {
		what = tmp;
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		what = tmp;
		goto fail;
	}
	fd = -1;
	if (m->batch) {
		if (m->nstaged == m->capstaged) {
			m->capstaged = m->capstaged == 0 ? 64 :
			    m->capstaged * 2;
			m->staged = xreallocarray(m->staged, m->capstaged,
			    sizeof *m->staged);
		}
		m->staged[m->nstaged++] = name;
		name = NULL;
		created = false;
		goto out;
	}
	if (mailer_file_rename(m, name) != 0) {
		what = m->path;
		goto fail;
	}
	created = false;
	if (fsync(m->newfd) != 0) {
		what = newdir;
		goto fail;
	}
	goto out;

fail:
	e = errno;
	st = status_set(cause, WD_ETEMP, "%s: %s", what, strerror(e));
	m->maildir_ready = false;	/* look again next time */
out:
	if (fd != -1)
		close(fd);
	if (created)
		mailer_file_discard(m, name);
	free(final);
	free(name);
	free(tmp);
	free(newdir);
	return st;
}

/* Call FN (ARG) now and then while a send goes on; see mailer.h. */
void
mailer_set_tick(struct mailer *m, mailer_tick_fn *fn, void *arg)
{
	m->tick = fn;
	m->tick_arg = arg;
	if (m->smtp != NULL)
		smtp_set_tick(m->smtp, fn, arg);
}

/* Stage the file backend's messages until mailer_flush(); see mailer.h. */
bool
mailer_batch(struct mailer *m)
{
	if (m->backend != EMAIL_BACKEND_FILE)
		return false;
	m->batch = true;
	return true;
}

/* Deliver what a batch staged; see mailer.h. */
enum wd_status
mailer_flush(struct mailer *m, char **cause)
{
	size_t		 i, done = 0;
	int		 e = 0;
	enum wd_status	 st = WD_OK;

	if (m->nstaged == 0)
		return WD_OK;
	/* One flush of the file system for the whole batch. */
	if (syncfs(m->tmpfd) != 0) {
		e = errno;
		st = status_set(cause, WD_ETEMP, "%s/tmp: %s", m->path,
		    strerror(e));
	}
	for (; st == WD_OK && done < m->nstaged; done++) {
		if (mailer_file_rename(m, m->staged[done]) != 0) {
			e = errno;
			st = status_set(cause, WD_ETEMP, "%s/tmp/%s: %s",
			    m->path, m->staged[done], strerror(e));
		}
	}
	if (st == WD_OK && fsync(m->newfd) != 0) {
		e = errno;
		st = status_set(cause, WD_ETEMP, "%s/new: %s", m->path,
		    strerror(e));
	}
	for (i = 0; i < m->nstaged; i++) {
		if (st != WD_OK && i >= done)
			mailer_file_discard(m, m->staged[i]);
		free(m->staged[i]);
	}
	m->nstaged = 0;
	if (st != WD_OK)
		m->maildir_ready = false;
	return st;
}

/*
 * Write MESSAGE with LF line ends to the console, then a separator line.
 * Returns WD_OK, or WD_ETEMP when the stream fails.
 */
static enum wd_status
mailer_console(struct mailer *m, const char *message, size_t len,
    char **cause)
{
	char		*lf;
	size_t		 lflen;
	int		 e;
	enum wd_status	 st = WD_OK;

	lf = mailer_to_lf(message, len, &lflen);
	clearerr(m->console);
	fwrite(lf, 1, lflen, m->console);
	if (lflen > 0 && lf[lflen - 1] != '\n')
		fputc('\n', m->console);
	fputs("-------------------------------------------------------------"
	    "------------------\n", m->console);
	if (fflush(m->console) != 0 || ferror(m->console)) {
		e = errno;
		st = status_set(cause, WD_ETEMP, "console: cannot write: %s",
		    strerror(e));
	}
	free(lf);
	return st;
}

/*
 * Send MESSAGE (LEN bytes, CRLF lines) from FROM to RCPT through the
 * backend of M. Returns WD_OK once the message is accepted, WD_ETEMP for a
 * failure worth retrying, WD_EFAIL for a permanent one; *CAUSE is one line.
 */
enum wd_status
mailer_send(struct mailer *m, const char *from, const char *rcpt,
    const char *message, size_t len, char **cause)
{
	const char	*why;

	if (!address_valid(from, &why))
		return status_set(cause, WD_EFAIL, "bad sender address: %s",
		    why);
	if (!address_valid(rcpt, &why))
		return status_set(cause, WD_EFAIL, "bad recipient address: %s",
		    why);
	switch (m->backend) {
	case EMAIL_BACKEND_SMTP:
		return smtp_send(m->smtp, from, rcpt, message, len, cause);
	case EMAIL_BACKEND_SENDMAIL:
		return mailer_sendmail(m, message, len, cause);
	case EMAIL_BACKEND_FILE:
		return mailer_file(m, message, len, cause);
	case EMAIL_BACKEND_CONSOLE:
		return mailer_console(m, message, len, cause);
	}
	return status_set(cause, WD_EFAIL, "unknown EMAIL_BACKEND");
}

/*
 * Whether the directory DIR lets this process (its effective IDs, as the
 * file backend writes) create files in it. Returns 0, or -1 with errno.
 */
static int
mailer_dir_writable(const char *dir)
{
	struct stat	sb;

	if (stat(dir, &sb) != 0)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS);
}

/*
 * The file backend's check: EMAIL_FILE_PATH and those of tmp/ and new/
 * that exist are writable directories; when it is missing, the nearest
 * directory above it that exists is writable, so that it can be made.
 */
static enum wd_status
mailer_check_file(const char *path, char **note, char **cause)
{
	const char	*sub[] = { "tmp", "new" };
	char		*dir = NULL, *slash;
	size_t		 i;
	int		 e;
	enum wd_status	 st = WD_OK;

	if (mailer_dir_writable(path) == 0) {
		for (i = 0; i < nitems(sub); i++) {
			free(dir);
			dir = xasprintf("%s/%s", path, sub[i]);
			if (mailer_dir_writable(dir) != 0 && errno != ENOENT) {
				e = errno;
				st = status_set(cause, WD_EFAIL, "%s: %s", dir,
				    strerror(e));
				goto out;
			}
		}
		*note = xstrdup("writable");
		goto out;
	}
	if (errno != ENOENT) {
		e = errno;
		st = status_set(cause, WD_EFAIL, "%s: %s", path, strerror(e));
		goto out;
	}
	dir = xstrdup(path);
	for (;;) {
		if ((slash = strrchr(dir, '/')) == NULL)
			break;
		*(slash == dir ? slash + 1 : slash) = '\0';
		if (mailer_dir_writable(dir) == 0) {
			*note = xasprintf("not there yet; made at the first "
			    "message (%s is writable)", dir);
			goto out;
		}
		if (errno != ENOENT || slash == dir)
			break;
	}
	e = errno;
	st = status_set(cause, WD_EFAIL, "%s cannot be made: %s: %s", path,
	    dir, strerror(e));
out:
	free(dir);
	return st;
}

/* Check the backend of CFG without sending anything; see mailer.h. */
enum wd_status
mailer_check(const struct config *cfg, char **note, char **cause)
{
	struct stat	sb;
	int		e;
	enum wd_status	st;

	*note = NULL;
	switch (cfg->email_backend) {
	case EMAIL_BACKEND_SMTP:
		if ((st = smtp_probe(cfg, cause)) != WD_OK)
			return st;
		*note = xstrdup(cfg->email_host_user != NULL ?
		    "the server answered EHLO and accepted the login" :
		    "the server answered EHLO");
		return WD_OK;
	case EMAIL_BACKEND_SENDMAIL:
		if (cfg->sendmail_path == NULL || cfg->sendmail_path[0] != '/')
			return status_set(cause, WD_ECONFIG,
			    "SENDMAIL_PATH must be an absolute path");
		/* The child runs it with the user's own group: access(2). */
		if (stat(cfg->sendmail_path, &sb) != 0 ||
		    access(cfg->sendmail_path, X_OK) != 0) {
			e = errno;
			return status_set(cause, WD_EFAIL, "%s: %s",
			    cfg->sendmail_path, strerror(e));
		}
		if (!S_ISREG(sb.st_mode))
			return status_set(cause, WD_EFAIL, "%s: not a regular "
			    "file", cfg->sendmail_path);
		*note = xstrdup("executable");
		return WD_OK;
	case EMAIL_BACKEND_FILE:
		if (cfg->email_file_path == NULL ||
		    cfg->email_file_path[0] != '/')
			return status_set(cause, WD_ECONFIG,
			    "EMAIL_FILE_PATH must be an absolute path");
		return mailer_check_file(cfg->email_file_path, note, cause);
	case EMAIL_BACKEND_CONSOLE:
		*note = xstrdup("messages go to the standard output of "
		    "--check-sla");
		return WD_OK;
	}
	return status_set(cause, WD_ECONFIG, "unknown EMAIL_BACKEND");
}

/* Close the SMTP connection (QUIT) and free M. NULL is allowed. */
void
mailer_close(struct mailer *m)
{
	if (m == NULL)
		return;
	smtp_close(m->smtp);
	/* Staged and never flushed: not delivered, and not left behind. */
	while (m->nstaged > 0) {
		m->nstaged--;
		mailer_file_discard(m, m->staged[m->nstaged]);
		free(m->staged[m->nstaged]);
	}
	free(m->staged);
	mailer_close_dirs(m);
	free(m->path);
	free(m->host);
	free(m);
}
