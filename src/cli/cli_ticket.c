/*
 * cli_ticket.c: the ticket modes --show, --create, --update and --delete,
 * authenticated by WATCHDOG_TOKEN (--list: cli_list.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog/cli.h"
#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/ratelimit.h"
#include "watchdog/ticket.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Parse a ticket id ("42" or "#42"); see cli.h. */
int
cli_ticket_id(const char *s, int64_t *id)
{
	long long	v;

	if (s[0] == '#')
		s++;
	if (parse_int64(s, 1, INT64_MAX, &v) != 0)
		return cli_fail(WD_EDATA, "bad ticket id: use a positive number "
		    "such as 42");
	*id = v;
	return 0;
}

/* Authenticate and take a read from the read rate limit. */
static int
cli_reader(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;
	int		 rc;

	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	status = ratelimit_take(cli->db, &cli->cfg.rate_limit_read,
	    cli->me.id, "read", cli->now, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}

/* The countdown cell of T: time left while open, else empty. */
static void
cli_left(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	if (t->resolved_at != 0)
		snprintf(buf, len, "-");
	else
		time_format_left(t->deadline - cli->now, buf, len);
}

/* Print one history row (a ticket_history callback). */
static int
history_print(const struct ticket_change *c, void *arg)
{
	char	when[32];

	(void)arg;
	time_format_local(c->at, when, sizeof when);
	printf("  %s  ", when);
	cli_print_visible(stdout, c->user != NULL ? c->user : "(gone)", false);
	printf("  %s", c->field);
	if (strcmp(c->field, "description") == 0)
		printf(" changed");
	else if (strcmp(c->field, "created") == 0) {
		printf(": ");
		cli_print_visible(stdout, c->new_value, false);
	} else {
		printf(": ");
		cli_print_visible(stdout, c->old_value != NULL ?
		    c->old_value : "-", false);
		printf(" -> ");
		cli_print_visible(stdout, c->new_value != NULL ?
		    c->new_value : "-", false);
	}
	putchar('\n');
	return 0;
}

/* Print "LABEL:  VALUE" with VALUE made visible. */
static void
show_field(const char *label, const char *value)
{
	printf("%-10s ", label);
	cli_print_visible(stdout, value, false);
	putchar('\n');
}

/* Print a time as local and UTC, or "-". */
static void
show_time(const char *label, int64_t t)
{
	char	local[32], iso[32], both[80];

	if (t == 0) {
		show_field(label, "-");
		return;
	}
	time_format_local(t, local, sizeof local);
	time_format_iso(t, iso, sizeof iso);
	snprintf(both, sizeof both, "%s (%s)", local, iso);
	show_field(label, both);
}

/* --show ID. */
int
cli_show(struct cli *cli)
{
	struct ticket	 t;
	enum wd_status	 status;
	char		*cause = NULL, *json = NULL, left[32], sla[64], ver[24];
	int64_t		 id = 0;
	int		 rc;

	if ((rc = cli_ticket_id(cli->mode_arg, &id)) != 0)
		return rc;
	if ((rc = cli_reader(cli)) != 0)
		return rc;
	if (cli->json) {
		status = ticket_json(cli->db, &cli->cfg.sla, id, cli->now, true,
		    &json, &cause);
		if (status != WD_OK)
			return cli_fail_cause(status, cause);
		cli_put_json(json);
		putchar('\n');
		free(json);
		return 0;
	}
	status = ticket_get(cli->db, &cli->cfg.sla, id, cli->now, &t, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	printf("Ticket #%lld: ", (long long)t.id);
	cli_print_visible(stdout, t.title, false);
	putchar('\n');
	show_field("Status:", t.status);
	show_field("Priority:", t.priority);
	cli_left(cli, &t, left, sizeof left);
	if (t.resolved_at == 0)
		snprintf(sla, sizeof sla, "%s (%s)", sla_state_name(t.sla),
		    left);
	else
		snprintf(sla, sizeof sla, "%s", sla_state_name(t.sla));
	show_field("SLA:", sla);
	show_field("Owner:", t.owner);
	show_field("Assignee:", t.assignee != NULL ? t.assignee : "-");
	show_time("Deadline:", t.deadline);
	show_field("Policy:", t.sla_policy != NULL ? t.sla_policy :
	    "none (deadline set by hand)");
	show_time("Created:", t.created_at);
	show_time("Updated:", t.updated_at);
	show_time("Resolved:", t.resolved_at);
	snprintf(ver, sizeof ver, "%lld", (long long)t.version);
	show_field("Version:", ver);
	if (t.description[0] != '\0') {
		printf("\nDescription:\n");
		cli_print_visible(stdout, t.description, true);
		if (t.description[strlen(t.description) - 1] != '\n')
			putchar('\n');
	}
	if ((rc = cli_show_comments(cli, id)) != 0) {
		ticket_clear(&t);
		return rc;
	}
	printf("\nHistory:\n");
	status = ticket_history(cli->db, id, history_print, NULL, &cause);
	ticket_clear(&t);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}

/*
 * Read the description from standard input (--description -): at most
 * TICKET_DESCRIPTION_MAX bytes. *OUT is new. 0 or an exit code.
 */
static int
cli_read_description(char **out)
{
	struct strbuf	sb;
	char		buf[4096];
	size_t		n;

	memset(&sb, 0, sizeof sb);
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > TICKET_DESCRIPTION_MAX) {
			strbuf_free(&sb);
			return cli_failf(WD_EDATA, "description is longer than "
			    "%d bytes", TICKET_DESCRIPTION_MAX);
		}
	}
	if (ferror(stdin)) {
		strbuf_free(&sb);
		return cli_fail(WD_EFAIL, "cannot read the description from "
		    "standard input");
	}
	if (memchr(sb.buf != NULL ? sb.buf : "", '\0', sb.len) != NULL) {
		strbuf_free(&sb);
		return cli_fail(WD_EDATA, "description contains a NUL byte");
	}
	*out = strbuf_detach(&sb);
	return 0;
}

/*
 * Fill F from the options, parsing the deadline and the version.
 * *DESCRIPTION gets a description read from standard input (caller frees).
 */
int
cli_fields(struct cli *cli, struct ticket_fields *f, char **description)
{
	enum wd_status	 status;
	char		*cause = NULL;
	long long	 v;
	int		 rc;

	memset(f, 0, sizeof *f);
	*description = NULL;
	f->title = cli->title;
	f->status = cli->status;
	f->priority = cli->priority;
	f->assignee = cli->assignee;
	f->description = cli->description;
	f->notify_cfg = &cli->cfg;
	/* Printing the whole ticket back is a read (RATE_LIMIT_READ). */
	if (cli->json)
		f->read_limit = &cli->cfg.rate_limit_read;
	/* "auto": the deadline of the SLA policy of the priority. */
	if (cli->deadline != NULL && strcmp(cli->deadline, "auto") == 0)
		f->deadline_auto = true;
	else if (cli->deadline != NULL) {
		status = time_parse_deadline(cli->deadline, cli->now,
		    &f->deadline, &cause);
		if (status != WD_OK)
			return cli_fail_cause(status, cause);
		f->has_deadline = true;
	}
	if (cli->if_version != NULL) {
		if (parse_int64(cli->if_version, 1, INT64_MAX, &v) != 0)
			return cli_fail(WD_EDATA, "--if-version: use the "
			    "ticket's version number (--show prints it)");
		f->expect_version = v;
	}
	if (cli->description != NULL && strcmp(cli->description, "-") == 0) {
		if ((rc = cli_read_description(description)) != 0)
			return rc;
		f->description = *description;
	}
	return 0;
}

/* Print ticket ID as JSON (after --create/--update --json). */
int
cli_print_json(struct cli *cli, int64_t id)
{
	enum wd_status	 status;
	char		*json = NULL, *cause = NULL;

	status = ticket_json(cli->db, &cli->cfg.sla, id, cli->now, false, &json,
	    &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	cli_put_json(json);
	putchar('\n');
	free(json);
	return 0;
}

/* --create --title T [--deadline D] [...]. */
int
cli_create(struct cli *cli)
{
	struct ticket_fields	 f;
	enum wd_status		 status;
	char			*description = NULL, *cause = NULL;
	int64_t			 id = 0;
	int			 rc;

	if (cli->title == NULL)
		return cli_fail(WD_EUSAGE, "--create needs --title T (and "
		    "--deadline D unless an SLA policy gives it)");
	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	if ((rc = cli_fields(cli, &f, &description)) != 0)
		goto out;
	status = ticket_create(cli->db, &cli->cfg, &cli->me, &f, cli->now,
	    &id, &cause);
	if (status != WD_OK) {
		rc = cli_fail_cause(status, cause);
		goto out;
	}
	if (cli->json)
		rc = cli_print_json(cli, id);
	else
		printf("%lld\n", (long long)id);
	/* The confirmation goes out now, without making the script wait. */
	deliver_spawn(&cli->cfg, &cli->db, false, id, "created", NULL);
out:
	free(description);
	return rc;
}

/* --update ID [fields] [--if-version N]. */
int
cli_update(struct cli *cli)
{
	struct ticket_fields	 f;
	enum wd_status		 status;
	char			*description = NULL, *cause = NULL;
	int64_t			 id = 0;
	int			 rc;

	if (strcmp(cli->mode_arg, "-") == 0)
		return cli_update_each(cli);
	if ((rc = cli_ticket_id(cli->mode_arg, &id)) != 0)
		return rc;
	if (cli->title == NULL && cli->deadline == NULL &&
	    cli->description == NULL && cli->status == NULL &&
	    cli->priority == NULL && cli->assignee == NULL)
		return cli_fail(WD_EUSAGE, "--update needs something to change "
		    "(--title, --deadline, --description, --status, "
		    "--priority or --assignee)");
	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	if ((rc = cli_fields(cli, &f, &description)) != 0)
		goto out;
	status = ticket_update(cli->db, &cli->cfg.sla, &cli->me, id, &f,
	    cli->now, NULL, &cause);
	if (status != WD_OK) {
		rc = cli_fail_cause(status, cause);
		goto out;
	}
	if (cli->json)
		rc = cli_print_json(cli, id);
	/* An assigned notice, if the update queued one, goes out now. */
	if (rc == 0 && cli->assignee != NULL && *cli->assignee != '\0')
		deliver_spawn(&cli->cfg, &cli->db, false, id, "assigned", NULL);
out:
	free(description);
	return rc;
}

/* --delete ID. */
int
cli_delete(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;
	int64_t		 id = 0;
	int		 rc;

	if (strcmp(cli->mode_arg, "-") == 0)
		return cli_delete_each(cli);
	if ((rc = cli_ticket_id(cli->mode_arg, &id)) != 0)
		return rc;
	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	status = ticket_delete(cli->db, &cli->me, id, cli->now, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}
