/*
 * cli_bulk.c: --update - and --delete -: the same change applied to each
 * ticket id read from standard input, one a line (what --list --ids
 * prints), each in its own transaction (watchdog(1), FILTERS AND
 * FORMATS). A failure is one line on standard error and the run goes on;
 * the exit status is 1 if any failed. A temporary failure (a rate limit,
 * a busy database) stops the run with its own exit status, 75.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "watchdog/cli.h"
#include "watchdog/ticket.h"
#include "watchdog/util.h"

/* A run through the ids: what it did and how it shows progress. */
struct bulk {
	struct cli	*cli;
	const char	*verb;		/* "updated", "deleted" */
	size_t		 done;
	size_t		 failed;
	bool		 tty;		/* stderr is a terminal: progress */
	bool		 shown;		/* a progress line is on screen */
	struct timespec	 last;		/* when it was drawn */
	/* Apply the change to ticket ID: WD_OK or a status with *cause. */
	enum wd_status	(*apply)(struct bulk *, int64_t, char **);
	const struct ticket_fields *f;
};

/* Take the progress line off the screen before another line. */
static void
bulk_unshow(struct bulk *b)
{
	if (b->shown) {
		fputs("\r\033[K", stderr);
		b->shown = false;
	}
}

/*
 * On a terminal, redraw "N updated, M failed" at most ten times a
 * second, or always when FORCE. Silent in a pipe or under cron.
 */
static void
bulk_progress(struct bulk *b, bool force)
{
	struct timespec	now;
	long long	ms;

	if (!b->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - b->last.tv_sec) * 1000LL +
	    (now.tv_nsec - b->last.tv_nsec) / 1000000;
	if (!force && b->shown && ms < 100)
		return;
	b->last = now;
	fprintf(stderr, "\rwatchdog: %zu %s, %zu failed", b->done, b->verb,
	    b->failed);
	b->shown = true;
}

/* Report one failure: "watchdog: #12: not found". */
static void
bulk_fail(struct bulk *b, const char *what, enum wd_status status,
    char *cause)
{
	bulk_unshow(b);
	if (status == WD_ENOTFOUND)
		cli_failf(status, "%s: not found", what);
	else
		cli_failf(status, "%s: %s", what, cause != NULL ? cause :
		    status_text(status));
	free(cause);
	b->failed++;
}

/*
 * Parse one line of input: blanks around it are ignored, "#" before the
 * number too. 1 with *ID, 0 for a blank line, -1 for a bad one.
 */
static int
bulk_parse(char *line, int64_t *id)
{
	long long	 v;
	char		*end;

	line += strspn(line, " \t");
	end = line + strlen(line);
	while (end > line && strchr(" \t\r\n", end[-1]) != NULL)
		*--end = '\0';
	if (*line == '\0')
		return 0;
	if (*line == '#')
		line++;
	if (parse_int64(line, 1, INT64_MAX, &v) != 0)
		return -1;
	*id = v;
	return 1;
}

/* Read the ids and apply B's change to each; the exit status. */
static int
bulk_run(struct bulk *b)
{
	enum wd_status	 status;
	char		*line = NULL, *cause, what[64], *shown;
	size_t		 cap = 0, lineno = 0;
	ssize_t		 len;
	int64_t		 id;
	int		 rc = 0, kind;

	b->tty = isatty(STDERR_FILENO) == 1;
	while ((len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if ((size_t)len != strlen(line) ||
		    (kind = bulk_parse(line, &id)) < 0) {
			bulk_unshow(b);
			shown = xasprintf("line %zu: bad ticket id '%.40s': one "
			    "id a line, such as 42", lineno, line);
			cli_fail(WD_EDATA, shown);
			free(shown);
			b->failed++;
			continue;
		}
		if (kind == 0)
			continue;
		snprintf(what, sizeof what, "#%lld", (long long)id);
		cause = NULL;
		status = b->apply(b, id, &cause);
		if (status == WD_OK)
			b->done++;
		else if (status == WD_ETEMP) {
			/* The rest would fail alike: stop, say where. */
			bulk_unshow(b);
			rc = cli_failf(status, "%s: %s; stopped there (%zu %s "
			    "before it)", what, cause != NULL ? cause :
			    status_text(status), b->done, b->verb);
			free(cause);
			b->failed++;
			break;
		} else
			bulk_fail(b, what, status, cause);
		bulk_progress(b, false);
	}
	if (ferror(stdin)) {
		bulk_unshow(b);
		rc = cli_fail(WD_EFAIL, "cannot read the ticket ids from "
		    "standard input");
	}
	free(line);
	if (b->shown) {
		bulk_progress(b, true);
		fputc('\n', stderr);
	}
	if (rc == 0 && b->failed > 0)
		rc = 1;
	return rc;
}

/* Apply --update's fields to ticket ID (a bulk apply function). */
static enum wd_status
bulk_update(struct bulk *b, int64_t id, char **cause)
{
	enum wd_status	status;

	status = ticket_update(b->cli->db, &b->cli->cfg.sla, &b->cli->me, id, b->f, b->cli->now,
	    NULL, cause);
	if (status == WD_OK && b->cli->json && cli_print_json(b->cli, id) != 0)
		return WD_EFAIL;
	return status;
}

/* Delete ticket ID (a bulk apply function). */
static enum wd_status
bulk_delete(struct bulk *b, int64_t id, char **cause)
{
	return ticket_delete(b->cli->db, &b->cli->me, id, b->cli->now, cause);
}

/*
 * Check the new values once, before any id is read: a bad title would
 * otherwise fail on every line. 0 or the exit code (65).
 */
static int
bulk_check(struct cli *cli)
{
	enum wd_status	 status = WD_OK;
	char		*cause = NULL;

	if (cli->title != NULL)
		status = ticket_check_title(cli->title, &cause);
	if (status == WD_OK && cli->description != NULL)
		status = ticket_check_description(cli->description, &cause);
	if (status == WD_OK && cli->status != NULL)
		status = ticket_check_status(cli->status, &cause);
	if (status == WD_OK && cli->priority != NULL)
		status = ticket_check_priority(cli->priority, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}

/* --update - [fields]; see cli.h. */
int
cli_update_each(struct cli *cli)
{
	struct ticket_fields	 f;
	struct bulk		 b;
	char			*description = NULL;
	int			 rc;

	if (cli->if_version != NULL)
		return cli_fail(WD_EUSAGE, "--if-version needs one ticket: it "
		    "is not used with --update -");
	if (cli->description != NULL && strcmp(cli->description, "-") == 0)
		return cli_fail(WD_EUSAGE, "--update - reads ticket ids from "
		    "standard input: --description - cannot read it too");
	if (cli->title == NULL && cli->deadline == NULL &&
	    cli->description == NULL && cli->status == NULL &&
	    cli->priority == NULL && cli->assignee == NULL)
		return cli_fail(WD_EUSAGE, "--update needs something to change "
		    "(--title, --deadline, --description, --status, "
		    "--priority or --assignee)");
	if ((rc = bulk_check(cli)) != 0 || (rc = cli_auth_token(cli)) != 0)
		return rc;
	if ((rc = cli_fields(cli, &f, &description)) != 0)
		return rc;
	memset(&b, 0, sizeof b);
	b.cli = cli;
	b.verb = "updated";
	b.apply = bulk_update;
	b.f = &f;
	rc = bulk_run(&b);
	free(description);
	return rc;
}

/* --delete -; see cli.h. */
int
cli_delete_each(struct cli *cli)
{
	struct bulk	b;
	int		rc;

	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	memset(&b, 0, sizeof b);
	b.cli = cli;
	b.verb = "deleted";
	b.apply = bulk_delete;
	return bulk_run(&b);
}
