/*
 * cli_comment.c: --comment ID --text TEXT, and the comments --show prints;
 * authenticated by WATCHDOG_TOKEN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/cli.h"
#include "watchdog/comment.h"
#include "watchdog/deliver.h"
#include "watchdog/ticket.h"
#include "watchdog/timeutil.h"
#include "watchdog/util.h"

/*
 * Read a comment from standard input (--text -): at most
 * TICKET_DESCRIPTION_MAX bytes after the one trailing newline is dropped.
 * *OUT is new. 0 or an exit code.
 */
static int
cli_read_text(char **out)
{
	struct strbuf	sb;
	char		buf[4096];
	size_t		n;

	memset(&sb, 0, sizeof sb);
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > TICKET_DESCRIPTION_MAX + 1)
			break;
	}
	if (ferror(stdin)) {
		strbuf_free(&sb);
		return cli_fail(WD_EFAIL, "cannot read the comment from "
		    "standard input");
	}
	if (memchr(sb.buf != NULL ? sb.buf : "", '\0', sb.len) != NULL) {
		strbuf_free(&sb);
		return cli_fail(WD_EDATA, "comment contains a NUL byte");
	}
	if (sb.len > 0 && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	if (sb.len > TICKET_DESCRIPTION_MAX) {
		strbuf_free(&sb);
		return cli_failf(WD_EDATA, "comment is longer than %d bytes",
		    TICKET_DESCRIPTION_MAX);
	}
	*out = sb.buf != NULL ? strbuf_detach(&sb) : xstrdup("");
	return 0;
}

/* --comment ID --text TEXT. */
int
cli_comment(struct cli *cli)
{
	enum wd_status	 status;
	const char	*text;
	char		*input = NULL, *cause = NULL;
	int64_t		 id = 0, cid = 0;
	int		 rc;

	if ((rc = cli_ticket_id(cli->mode_arg, &id)) != 0)
		return rc;
	if (cli->text == NULL)
		return cli_fail(WD_EUSAGE, "--comment needs --text TEXT (or "
		    "--text - to read it from standard input)");
	text = cli->text;
	if (strcmp(text, "-") == 0) {
		if ((rc = cli_read_text(&input)) != 0)
			return rc;
		text = input;
	}
	/* A bad text is refused before the token is looked at. */
	if ((status = comment_check(text, &cause)) != WD_OK) {
		rc = cli_fail_cause(status, cause);
		goto out;
	}
	if ((rc = cli_auth_token(cli)) != 0)
		goto out;
	status = comment_add(cli->db, &cli->cfg, &cli->me, id, text, cli->now,
	    &cid, &cause);
	if (status != WD_OK) {
		rc = cli_fail_cause(status, cause);
		goto out;
	}
	printf("%lld\n", (long long)cid);
	/* The notices go out now, without making the script wait. */
	deliver_spawn(&cli->cfg, &cli->db, false, id, "commented", NULL);
out:
	free(input);
	return rc;
}

/* Print one comment of --show: a heading line, then the text indented. */
static int
comment_print(const struct comment *c, void *arg)
{
	const char	*p, *nl;
	char		 when[32];
	char		*line;

	(void)arg;
	time_format_local(c->created_at, when, sizeof when);
	printf("  #%lld  %s  ", (long long)c->id, when);
	cli_print_visible(stdout, c->author != NULL ? c->author : "(gone)",
	    false);
	putchar('\n');
	for (p = c->text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		line = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		fputs("    ", stdout);
		cli_print_visible(stdout, line, true);
		putchar('\n');
		free(line);
		if (nl == NULL)
			break;
	}
	return 0;
}

/* The comments of --show; see cli.h. */
int
cli_show_comments(struct cli *cli, int64_t id)
{
	enum wd_status	 status;
	char		*cause = NULL;
	int64_t		 n = 0;

	if ((status = comment_count(cli->db, id, &n, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	if (n == 0)
		return 0;
	printf("\nComments:\n");
	status = comment_list(cli->db, id, comment_print, NULL, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}
