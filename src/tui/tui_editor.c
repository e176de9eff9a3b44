/*
 * tui_editor.c: E edits a ticket's description in $VISUAL or $EDITOR
 * (else vi). The text goes to a file in a new private directory (mode
 * 0700) under $TMPDIR or /tmp; curses steps aside while the editor runs in
 * a child that has given up any group privilege for good and holds no
 * descriptor beyond 0-2; a changed file is saved against the version it
 * was taken from (a conflict shows what changed), an unchanged one is not.
 * The file and its directory go in every case.
 *
 * Installed setgid, the program touches these user-chosen paths with the
 * user's own group (setfsgid), never its privileged one (watchdog(1) SECURITY).
 */
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui_int.h"

#include "watchdog/privilege.h"

#include "watchdog/config.h"
#include "watchdog/util.h"

/* Words of the editor command, at most. */
#define EDITOR_MAX_ARGS	32

/* The temporary file: its directory and path (new strings). */
struct editor_file {
	char	*dir;
	char	*path;
};

/*
 * Touch the file system as the real group (USER true) or as the effective
 * one again (false). Nothing to do when the program is not setgid. False
 * when the switch did not take.
 */
static bool
editor_fsgid(bool user)
{
	gid_t	want;

	if (getgid() == getegid())
		return true;
	want = user ? getgid() : getegid();
	setfsgid(want);
	return (gid_t)setfsgid((gid_t)-1) == want;
}

/*
 * Make the private directory and write TEXT (LEN bytes) into a file in
 * it. Returns 0, or -1 with errno (what was made is removed).
 */
static int
editor_write(struct editor_file *ef, int64_t id, const char *text, size_t len)
{
	const char	*base;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd = -1, e;

	base = getenv("TMPDIR");
	if (base == NULL || *base != '/')
		base = "/tmp";
	ef->dir = xasprintf("%s/watchdog-XXXXXX", base);
	if (mkdtemp(ef->dir) == NULL) {
		e = errno;
		free(ef->dir);
		ef->dir = NULL;
		errno = e;
		return -1;
	}
	if (chmod(ef->dir, 0700) != 0)
		goto fail;
	ef->path = xasprintf("%s/ticket-%lld.txt", ef->dir, (long long)id);
	fd = open(ef->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1)
		goto fail;
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	e = errno;
	if (fd != -1)
		close(fd);
	if (ef->path != NULL)
		unlink(ef->path);
	rmdir(ef->dir);
	free(ef->path);
	free(ef->dir);
	ef->path = ef->dir = NULL;
	errno = e;
	return -1;
}

/*
 * Read the file back into *OUT (new, NUL-terminated, *LEN bytes).
 * Returns 0, 1 when it is longer than a description may be, or -1 with
 * errno.
 */
static int
editor_read(const struct editor_file *ef, char **out, size_t *len)
{
	struct stat	 st;
	struct strbuf	 sb;
	char		 buf[8192];
	ssize_t		 n;
	int		 fd, rc = -1, e;

	*out = NULL;
	*len = 0;
	memset(&sb, 0, sizeof sb);
	fd = open(ef->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto out;
	}
	if (st.st_size > TICKET_DESCRIPTION_MAX) {
		rc = 1;
		goto out;
	}
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		strbuf_add(&sb, buf, (size_t)n);
		if (sb.len > TICKET_DESCRIPTION_MAX) {
			rc = 1;
			goto out;
		}
	}
	*len = sb.len;
	*out = strbuf_detach(&sb);
	rc = 0;
out:
	e = errno;
	strbuf_free(&sb);
	close(fd);
	errno = e;
	return rc;
}

/* Remove the file and the directory. */
static void
editor_remove(struct editor_file *ef)
{
	if (ef->path != NULL)
		unlink(ef->path);
	if (ef->dir != NULL)
		rmdir(ef->dir);
	free(ef->path);
	free(ef->dir);
	ef->path = ef->dir = NULL;
}

/*
 * The editor command split on spaces (no shell), with PATH last: a new
 * NULL-terminated array pointing into *WORDS (new) and at a copy of PATH.
 * Free with editor_argv_free().
 */
static char **
editor_argv(const char *path, char **words)
{
	const char	*cmd;
	char		*p, **argv;
	size_t		 n = 0;

	cmd = getenv("VISUAL");
	if (cmd == NULL || strspn(cmd, " \t") == strlen(cmd))
		cmd = getenv("EDITOR");
	if (cmd == NULL || strspn(cmd, " \t") == strlen(cmd))
		cmd = "vi";
	*words = xstrdup(cmd);
	argv = xcalloc(EDITOR_MAX_ARGS + 2, sizeof *argv);
	p = *words;
	while (*p != '\0' && n < EDITOR_MAX_ARGS) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		argv[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	argv[n++] = xstrdup(path);
	argv[n] = NULL;
	return argv;
}

/* Free what editor_argv() made. */
static void
editor_argv_free(char **argv, char *words)
{
	size_t	n;

	for (n = 0; argv[n] != NULL; n++)
		;
	free(argv[n - 1]);	/* the path */
	free(argv);
	free(words);
}

/*
 * In the child: give up the group privilege for good, close every
 * descriptor beyond 0-2, put the signals back to their defaults and run
 * the editor. Never returns.
 */
static void __attribute__((noreturn))
editor_child(char **argv)
{
	if (!privilege_child(-1, true))
		_exit(126);
	execvp(argv[0], argv);
	_exit(127);
}

/*
 * Leave curses, run the editor on PATH and wait for it, then come back.
 * Returns its wait status, or -1 with errno when it could not start.
 */
static int
editor_spawn(struct tui *tui, const char *path)
{
	struct sigaction	 ign, old_int, old_quit;
	char			**argv, *words;
	pid_t			 pid;
	int			 wstatus = -1, e = 0;

	argv = editor_argv(path, &words);
	def_prog_mode();
	endwin();
	fflush(NULL);
	/* As system(3): the editor, not us, takes Ctrl-C meanwhile. */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0)
		editor_child(argv);
	if (pid == -1)
		e = errno;
	else {
		while (waitpid(pid, &wstatus, 0) == -1) {
			if (errno != EINTR) {
				e = errno;
				wstatus = -1;
				break;
			}
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	reset_prog_mode();
	/* The editor took its time: the save happens now. */
	(void)tui_clock(tui);
	tui_redraw(tui);
	editor_argv_free(argv, words);
	errno = e;
	return pid == -1 ? -1 : wstatus;
}

/*
 * The description as written to the file: a text that does not end in a
 * newline gets one, as editors add it (new string). *STRIP says that the
 * stored text has no final newline, so that the edited one loses its own.
 */
static char *
editor_text(const char *description, bool *strip)
{
	size_t	len = strlen(description);

	*strip = len == 0 || description[len - 1] != '\n';
	if (len > 0 && *strip)
		return xasprintf("%s\n", description);
	return xstrdup(description);
}

/*
 * Edit TEXT (the user's version so far) of WHAT ("description") for
 * ticket ID in the editor. On return *EDITED is the new text (new
 * string), or NULL when it is BASE (the stored description as written to
 * a file) or could not be had (the status line says why).
 */
static void
editor_edit(struct tui *tui, int64_t id, const char *what, const char *text,
    const char *base, char **edited)
{
	struct editor_file	 ef;
	char			*back = NULL;
	size_t			 len = 0;
	int			 wstatus, rc;

	*edited = NULL;
	memset(&ef, 0, sizeof ef);
	if (!editor_fsgid(true)) {
		tui_message(tui, "cannot drop the group privilege to write "
		    "the file for the editor");
		goto out;
	}
	if (editor_write(&ef, id, text, strlen(text)) != 0) {
		tui_message(tui, "cannot write a file for the editor: %s",
		    strerror(errno));
		goto out;
	}
	wstatus = editor_spawn(tui, ef.path);
	if (wstatus == -1) {
		tui_message(tui, "cannot run the editor: %s", strerror(errno));
		goto out;
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127) {
		tui_message(tui, "cannot run the editor (set VISUAL or "
		    "EDITOR); nothing saved");
		goto out;
	}
	if (WIFSIGNALED(wstatus)) {
		tui_message(tui, "the editor was killed (signal %d); nothing "
		    "saved", WTERMSIG(wstatus));
		goto out;
	}
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
		tui_message(tui, "the editor failed (exit %d); nothing saved",
		    WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
		goto out;
	}
	rc = editor_read(&ef, &back, &len);
	if (rc == 1) {
		tui_message(tui, "the %s is longer than %d bytes; nothing "
		    "saved", what, TICKET_DESCRIPTION_MAX);
		goto out;
	}
	if (rc != 0) {
		tui_message(tui, "cannot read the edited file: %s",
		    strerror(errno));
		goto out;
	}
	if (memchr(back, '\0', len) != NULL) {
		tui_message(tui, "the %s holds a NUL byte; nothing saved",
		    what);
		goto out;
	}
	if (strcmp(back, base) == 0) {
		tui_message(tui, "ticket #%lld: %s unchanged", (long long)id,
		    what);
		goto out;
	}
	*edited = back;
	back = NULL;
out:
	editor_remove(&ef);
	editor_fsgid(false);
	free(back);
}

/*
 * E: edit ticket ID's description in the editor and save it if it
 * changed, against the version it was read at. On a conflict the dialog
 * shows what changed; r runs the editor again on the user's text over the
 * current version, Esc drops the edit.
 */
void
tui_editor_run(struct tui *tui, int64_t id)
{
	struct ticket_fields	 f;
	struct ticket		 orig, current;
	enum wd_status		 status;
	char			*cause = NULL, *text = NULL, *edited = NULL;
	char			*base = NULL;
	size_t			 len;
	bool			 added = false, extra, changed = false;

	memset(&orig, 0, sizeof orig);
	memset(&current, 0, sizeof current);
	status = ticket_get(tui->db, &tui->cfg->sla, id, tui->now, &orig,
	    &cause);
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		return;
	}
	base = editor_text(orig.description, &added);
	text = xstrdup(base);
	for (;;) {
		editor_edit(tui, id, "description", text, base, &edited);
		if (edited == NULL)
			break;
		/* Take back the newline given to a text that had none. */
		len = strlen(edited);
		if (added && len > 0 && edited[len - 1] == '\n' &&
		    (len < 2 || edited[len - 2] != '\n'))
			edited[len - 1] = '\0';
		memset(&f, 0, sizeof f);
		f.description = edited;
		f.expect_version = orig.version;
		status = ticket_update(tui->db, &tui->cfg->sla, &tui->me, id,
		    &f, tui->now, &changed, &cause);
		if (status == WD_OK) {
			tui_message(tui, "ticket #%lld: description saved",
			    (long long)id);
			tui_data_changed(tui);
			break;
		}
		if (status != WD_ECONFLICT) {
			tui_message_cause(tui, status, cause);
			break;
		}
		free(cause);
		cause = NULL;
		if (!tui_conflict_ask(tui, id, &orig, &current))
			break;
		/* Again, on the current version, from the user's text. */
		ticket_clear(&orig);
		orig = current;
		memset(&current, 0, sizeof current);
		free(base);
		base = editor_text(orig.description, &added);
		free(text);
		text = editor_text(edited, &extra);
		free(edited);
		edited = NULL;
	}
	free(edited);
	free(text);
	free(base);
	ticket_clear(&orig);
}

/*
 * C: write a comment on ticket ID in the editor, from an empty file; one
 * final newline is dropped. An empty file saves nothing.
 */
void
tui_editor_comment(struct tui *tui, int64_t id)
{
	enum wd_status	 status;
	char		*edited = NULL, *cause = NULL;
	size_t		 len;

	editor_edit(tui, id, "comment", "", "", &edited);
	if (edited == NULL)
		return;
	len = strlen(edited);
	if (len > 0 && edited[len - 1] == '\n')
		edited[len - 1] = '\0';
	if (!tui_comment_save(tui, id, edited, &status, &cause))
		tui_message_cause(tui, status, cause);
	free(edited);
}
