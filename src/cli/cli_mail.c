/*
 * cli_mail.c: the mail modes: --check-sla (the cron job) and --mail-queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/cli.h"
#include "watchdog/deliver.h"
#include "watchdog/mailer.h"
#include "watchdog/meta.h"
#include "watchdog/notify.h"
#include "watchdog/outbox.h"
#include "watchdog/privilege.h"
#include "watchdog/ticket.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Print a notice a pass queued (--verbose) or would queue (--dry-run). */
static void
check_report(const struct ticket *t, enum mail_kind kind,
    const char *recipients, void *arg)
{
	struct cli	*cli = arg;

	printf("%s %s notice for #%lld ", cli->dry_run ? "would queue" :
	    "queued", mail_kind_name(kind), (long long)t->id);
	cli_print_visible(stdout, t->title, false);
	printf(" to %s\n", recipients);
}

/* One line on stderr for each delivery that failed. */
static void
check_failed(const struct outbox_msg *m, const char *cause, bool gave_up,
    int64_t next, void *arg)
{
	char	when[32];

	(void)arg;
	if (gave_up) {
		cli_failf(WD_EFAIL, "mail to %s about #%lld (%s) failed for "
		    "good: %s; kept as failed (watchdog --mail-queue)",
		    m->recipient, (long long)m->ticket_id, m->kind, cause);
		return;
	}
	time_format_local(next, when, sizeof when);
	cli_failf(WD_ETEMP, "mail to %s about #%lld (%s) not sent: %s; "
	    "retrying after %s", m->recipient, (long long)m->ticket_id,
	    m->kind, cause, when);
}

/* One line on stderr for a failure that happened with nobody to tell. */
static void
check_refused(const struct outbox_msg *m, void *arg)
{
	check_failed(m, m->last_error != NULL ? m->last_error : "failed",
	    true, 0, arg);
}

/* --dry-run: say which queued messages a pass would send. */
static int
check_would_send(const struct outbox_msg *m, void *arg)
{
	struct cli	*cli = arg;

	if (strcmp(m->state, "failed") == 0 || m->next_attempt_at > cli->now)
		return 0;
	printf("would send %s notice for #%lld to %s (%s)\n", m->kind,
	    (long long)m->ticket_id, m->recipient, m->message_id);
	return 0;
}

/*
 * Who may run a pass. On a team install (setgid) the pass reads every due
 * ticket and recipient with the group's rights, and a sendmail child runs
 * as the caller: only root (cron) or an administrator, by token or login,
 * may run it. Unprivileged, the database is the caller's own. Returns 0
 * or the exit code of the refusal (reported).
 */
static int
check_allowed(struct cli *cli)
{
	const char	*token;
	int		 rc;

	if (privilege_caller_trusted())
		return 0;
	token = getenv("WATCHDOG_TOKEN");
	if (token != NULL && *token != '\0')
		rc = cli_auth_token(cli);
	else if (cli->user != NULL)
		rc = cli_auth_password(cli);
	else
		return cli_fail(WD_EAUTH, "on a team install only root (as "
		    "cron runs it) or an administrator may run --check-sla: "
		    "set WATCHDOG_TOKEN to an administrator's token, or give "
		    "--user NAME");
	if (rc != 0)
		return rc;
	if (!cli->me.admin)
		return cli_failf(WD_EAUTH, "on a team install only root or an "
		    "administrator may run --check-sla, and %s is not one",
		    cli->me.name);
	return 0;
}

/* --check-sla [--dry-run] [--verbose]. */
int
cli_check_sla(struct cli *cli)
{
	struct notify_stats	 ns;
	struct deliver_stats	 ds;
	struct mailer		*mailer = NULL;
	enum wd_status		 status;
	char			*cause = NULL;
	int64_t			 retrying;
	int			 rc;

	if ((rc = check_allowed(cli)) != 0 || (rc = cli_open_db(cli)) != 0)
		return rc;
	status = notify_sla_pass(cli->db, &cli->cfg, cli->now, cli->dry_run,
	    cli->dry_run ? check_report : NULL, cli, &ns,
	    &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	if (cli->dry_run) {
		status = outbox_list(cli->db, check_would_send, cli, &cause);
		if (status != WD_OK)
			return cli_fail_cause(status, cause);
		return 0;
	}

	memset(&ds, 0, sizeof ds);
	status = mailer_open(&cli->cfg, stdout, &mailer, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	status = deliver_run(cli->db, &cli->cfg, mailer, NULL, 0, NULL, false,
	    check_failed, cli, &ds, &cause);
	mailer_close(mailer);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	status = outbox_report_failed(cli->db, check_refused, cli, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);

	if ((status = outbox_retrying(cli->db, &retrying, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	/* The pass ran to its end, mail waiting for a retry or not. */
	status = meta_set_int(cli->db, META_LAST_CHECK_SLA, cli->now, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	if (cli->verbose)
		printf("checked %lld due ticket%s; queued %lld warning and "
		    "%lld missed message%s; sent %lld, retrying %lld, "
		    "failed %lld\n", (long long)ns.checked,
		    ns.checked == 1 ? "" : "s", (long long)ns.warnings,
		    (long long)ns.missed, ns.missed == 1 ? "" : "s",
		    (long long)ds.sent, (long long)retrying,
		    (long long)ds.failed);
	return retrying > 0 ? status_exit_code(WD_ETEMP) : 0;
}

/* A row of the --mail-queue table. */
static int
queue_print(const struct outbox_msg *m, void *arg)
{
	const char	*state;
	char		 when[32];
	size_t		*n = arg;

	if (*n == 0)
		printf("%-6s %-7s %-8s %-9s %-8s %-16s %s\n", "ID", "TICKET",
		    "KIND", "STATE", "ATTEMPTS", "NEXT", "RECIPIENT / LAST ERROR");
	(*n)++;
	state = m->state;
	if (strcmp(state, "queued") == 0 && m->attempts > 0)
		state = "retrying";
	if (strcmp(m->state, "failed") == 0)
		snprintf(when, sizeof when, "-");
	else
		time_format_local(m->next_attempt_at, when, sizeof when);
	printf("%-6lld #%-6lld %-8s %-9s %-8lld %-16s %s\n", (long long)m->id,
	    (long long)m->ticket_id, m->kind, state, (long long)m->attempts,
	    when, m->recipient);
	if (m->last_error != NULL) {
		printf("%49s", "");
		cli_print_visible(stdout, m->last_error, false);
		putchar('\n');
	}
	return 0;
}

/* --mail-queue [--json]: queued, retrying and failed mail (admins). */
int
cli_mail_queue(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;
	size_t		 n = 0;
	int		 rc;

	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	if (!cli->me.admin)
		return cli_fail(WD_EAUTH, "only an administrator may see the "
		    "mail queue");
	if (cli->json) {
		fputs("[", stdout);
		status = outbox_list_json(cli->db, cli_json_element, &n,
		    &cause);
		if (status != WD_OK)
			return cli_fail_cause(status, cause);
		fputs(n == 0 ? "]\n" : "\n]\n", stdout);
		return 0;
	}
	status = outbox_list(cli->db, queue_print, &n, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	if (n == 0)
		printf("the mail queue is empty\n");
	return 0;
}
