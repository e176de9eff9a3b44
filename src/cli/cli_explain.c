/*
 * cli_explain.c: watchdog --explain ID: how a ticket's deadline came to be
 * and what became of its notices (watchdog(1), SLA POLICIES), as text or
 * as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/calendar.h"
#include "watchdog/cli.h"
#include "watchdog/outbox.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_vocab.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* The most notices shown (repeats beyond are left out). */
#define EXPLAIN_MAX	64

/* What --explain gathers, then prints as text or JSON. */
struct explain {
	const struct cli	*cli;
	bool			 json;
	struct strbuf		 out;
	int			 items;		/* in the current JSON array */
	struct outbox_notice	 sent[EXPLAIN_MAX];
	char			*kinds[EXPLAIN_MAX];
	size_t			 nsent;
};

/* The names of the notices in --explain, by enum sla_notice. */
static const char *const explain_notice_names[] = {
	[SLA_NOTICE_NONE] = "none",
	[SLA_NOTICE_WARNING] = "warning",
	[SLA_NOTICE_MISSED] = "missed",
	[SLA_NOTICE_ESCALATION] = "escalation",
	[SLA_NOTICE_REPEAT] = "repeat",
};

/* Add S to E's output as a JSON string ("null" for NULL). */
static void
explain_json_str(struct explain *e, const char *s)
{
	const unsigned char	*p;

	if (s == NULL) {
		strbuf_addstr(&e->out, "null");
		return;
	}
	strbuf_addstr(&e->out, "\"");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(&e->out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_addf(&e->out, "\\u%04x", *p);
		else
			strbuf_add(&e->out, (const char *)p, 1);
	}
	strbuf_addstr(&e->out, "\"");
}

/* T in TIME_ZONE ("2026-12-07 13:00 CET") and in UTC, into FULL and ISO. */
static void
explain_time(const struct explain *e, int64_t t, char *full, size_t fulllen,
    char *iso, size_t isolen)
{
	time_format_zone(t, e->cli->cfg.time_zone, full, fulllen, NULL, 0);
	time_format_iso(t, iso, isolen);
}

/* Start the next item of a JSON array. */
static void
explain_item(struct explain *e)
{
	if (e->items++ > 0)
		strbuf_addstr(&e->out, ", ");
}

/* One piece of the calendar between creation and deadline. */
static int
explain_span(const struct calendar_span *sp, void *arg)
{
	struct explain	*e = arg;
	char		 from[48], to[48], hhmm[24], fi[32], ti[32];

	explain_time(e, sp->from, from, sizeof from, fi, sizeof fi);
	time_format_zone(sp->to, e->cli->cfg.time_zone, to, sizeof to, hhmm,
	    sizeof hhmm);
	time_format_iso(sp->to, ti, sizeof ti);
	if (e->json) {
		explain_item(e);
		strbuf_addf(&e->out, "{\"kind\": \"%s\", \"day\": \"%.10s\", "
		    "\"from\": \"%s\", \"to\": \"%s\", \"minutes\": %lld, "
		    "\"name\": ", calendar_span_kind_name(sp->kind), from, fi,
		    ti, sp->kind == CALENDAR_OPEN ?
		    (long long)((sp->to - sp->from) / 60) : 0LL);
		explain_json_str(e, sp->name);
		strbuf_addstr(&e->out, "}");
	} else if (sp->kind == CALENDAR_OPEN)
		strbuf_addf(&e->out, "  %s - %s  %lld min\n", from, hhmm,
		    (long long)((sp->to - sp->from) / 60));
	else
		strbuf_addf(&e->out, "  %.10s  %s%s%s\n", from,
		    sp->kind == CALENDAR_HOLIDAY ? "holiday, skipped" :
		    "closed, skipped", sp->name != NULL ? ": " : "",
		    sp->name != NULL ? sp->name : "");
	return 0;
}

/* One change of the history that moved the deadline or the clock. */
static int
explain_change(const struct ticket_change *c, void *arg)
{
	struct explain	*e = arg;
	char		 at[48], iso[32], *vis;

	if (strcmp(c->field, "deadline") != 0 &&
	    strcmp(c->field, "paused") != 0 &&
	    strcmp(c->field, "sla_policy") != 0 &&
	    strcmp(c->field, "status") != 0 &&
	    strcmp(c->field, "priority") != 0)
		return 0;
	explain_time(e, c->at, at, sizeof at, iso, sizeof iso);
	if (e->json) {
		explain_item(e);
		strbuf_addf(&e->out, "{\"at\": \"%s\", \"user\": ", iso);
		explain_json_str(e, c->user);
		strbuf_addf(&e->out, ", \"field\": \"%s\", \"from\": ",
		    c->field);
		explain_json_str(e, c->old_value);
		strbuf_addstr(&e->out, ", \"to\": ");
		explain_json_str(e, c->new_value);
		strbuf_addstr(&e->out, "}");
		return 0;
	}
	e->items++;
	vis = utf8_visible(c->user != NULL ? c->user : "(gone)", false);
	strbuf_addf(&e->out, "  %s  %s  %s: %s -> %s\n", at, vis, c->field,
	    c->old_value != NULL ? c->old_value : "-",
	    c->new_value != NULL ? c->new_value : "-");
	free(vis);
	return 0;
}

/* Remember a notice queued for the deadline. */
static void
explain_sent(const struct outbox_notice *n, void *arg)
{
	struct explain	*e = arg;

	if (e->nsent == EXPLAIN_MAX)
		return;
	e->sent[e->nsent] = *n;
	e->kinds[e->nsent] = xstrdup(n->kind);
	e->sent[e->nsent].kind = e->kinds[e->nsent];
	e->nsent++;
}

/*
 * What became of planned notice P of ticket T at NOW: "sent", "queued",
 * "held" (quiet hours, until *WHEN), "pending" (to come), "due" (at the
 * next pass), "paused", "not sent" (resolved), or "skipped" (a warning
 * whose time passed unsent: before the deadline was set, or the miss came
 * first; a repeat a later one replaced); *WHEN is the time that goes with
 * it.
 */
static const char *
explain_state(const struct explain *e, const struct ticket *t,
    const struct sla_planned *p, int64_t now, int64_t *when)
{
	const char	*kind;
	size_t		 i;

	kind = p->notice == SLA_NOTICE_WARNING ? "warning" : "missed";
	for (i = 0; i < e->nsent; i++) {
		if (strcmp(e->sent[i].kind, kind) != 0 ||
		    e->sent[i].seq != p->seq)
			continue;
		*when = e->sent[i].sent_at != 0 ? e->sent[i].sent_at :
		    e->sent[i].queued_at;
		return e->sent[i].sent_at != 0 ? "sent" : "queued";
	}
	*when = p->goes;
	if (t->resolved_at != 0)
		return "not sent";
	if (t->paused_at != 0)
		return "paused";
	if (p->goes > now)
		return p->goes != p->at ? "held" : "pending";
	/* Never sent late: a passed warning, a repeat a later one replaced. */
	if (p->notice == SLA_NOTICE_WARNING || (p->notice == SLA_NOTICE_REPEAT &&
	    p->at <= now - e->cli->cfg.sla.missed_repeat))
		return "skipped";
	return "due";
}

/* The notices of T, planned and what became of them. */
static void
explain_notices(struct explain *e, const struct ticket *t)
{
	struct sla_planned	 plan[EXPLAIN_MAX];
	struct sla_facts	 f;
	const char		*state;
	char			 at[48], iso[32], wfull[48], wiso[32];
	int64_t			 when;
	size_t			 n, i;

	memset(&f, 0, sizeof f);
	if (!ticket_status_from_name(t->status, &f.status))
		f.status = TICKET_OPEN;
	f.created_at = t->created_at;
	f.deadline = t->deadline;
	f.business = sla_describes_clock(t->sla_policy) == SLA_CLOCK_BUSINESS;
	f.calendar = sla_describes_clock(t->sla_policy) == SLA_CLOCK_CALENDAR;
	n = sla_plan(&e->cli->cfg.sla, &f, e->cli->now, plan, EXPLAIN_MAX);
	for (i = 0; i < n; i++) {
		state = explain_state(e, t, &plan[i], e->cli->now, &when);
		explain_time(e, plan[i].at, at, sizeof at, iso, sizeof iso);
		explain_time(e, when, wfull, sizeof wfull, wiso, sizeof wiso);
		if (e->json) {
			explain_item(e);
			strbuf_addf(&e->out, "{\"notice\": \"%s\", \"seq\": %d, "
			    "\"due\": \"%s\", \"state\": \"%s\", \"at\": \"%s\"}",
			    explain_notice_names[plan[i].notice], plan[i].seq,
			    iso, state, wiso);
			continue;
		}
		strbuf_addf(&e->out, "  %-10s %-5d %s  %s", explain_notice_names[
		    plan[i].notice], plan[i].seq, at, state);
		if (strcmp(state, "sent") == 0 || strcmp(state, "queued") == 0 ||
		    strcmp(state, "held") == 0)
			strbuf_addf(&e->out, " %s %s", strcmp(state, "held") ==
			    0 ? "until" : "at", wfull);
		strbuf_addstr(&e->out, "\n");
	}
}

/* Gather the explanation of T into E->out. 0 or an exit code. */
static int
explain_build(struct explain *e, const struct ticket *t)
{
	const struct calendar	*cal = e->cli->cfg.sla.cal;
	enum wd_status		 status;
	char			 full[48], iso[32], *cause = NULL, *vis;
	bool			 walk;

	walk = sla_describes_clock(t->sla_policy) == SLA_CLOCK_BUSINESS &&
	    cal != NULL && !calendar_always_open(cal);
	explain_time(e, t->created_at, full, sizeof full, iso, sizeof iso);
	if (e->json) {
		strbuf_addf(&e->out, "{\"id\": %lld, \"policy\": ",
		    (long long)t->id);
		explain_json_str(e, t->sla_policy);
		strbuf_addstr(&e->out, ", \"time_zone\": ");
		explain_json_str(e, e->cli->cfg.time_zone);
		strbuf_addf(&e->out, ", \"created_at\": \"%s\", "
		    "\"business_time\": %s, \"intervals\": [", iso,
		    walk ? "true" : "false");
	} else {
		vis = utf8_visible(t->title, false);
		strbuf_addf(&e->out, "Ticket #%lld: %s\nPolicy:   %s\n"
		    "Created:  %s (%s)\n", (long long)t->id, vis,
		    t->sla_policy != NULL ? t->sla_policy :
		    "none (deadline set by hand)", full, iso);
		free(vis);
		strbuf_addf(&e->out, walk ? "Business time counted in %s:\n" :
		    "Wall-clock time (%s), no business calendar counted.\n",
		    e->cli->cfg.time_zone);
	}
	e->items = 0;
	if (walk)
		calendar_walk(cal, t->created_at, t->deadline, explain_span, e);
	strbuf_addstr(&e->out, e->json ? "], \"changes\": [" :
	    "Pauses and changes:\n");
	e->items = 0;
	status = ticket_history(e->cli->db, t->id, explain_change, e, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	if (!e->json && e->items == 0)
		strbuf_addstr(&e->out, "  none\n");
	explain_time(e, t->deadline, full, sizeof full, iso, sizeof iso);
	if (e->json)
		strbuf_addf(&e->out, "], \"deadline\": \"%s\", "
		    "\"paused_seconds\": %lld, \"notices\": [", iso,
		    (long long)t->paused_seconds);
	else
		strbuf_addf(&e->out, "Deadline: %s (%s)\nNotices:\n", full,
		    iso);
	status = outbox_ticket_notices(e->cli->db, t->id, t->deadline,
	    explain_sent, e, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	e->items = 0;
	explain_notices(e, t);
	if (e->json)
		strbuf_addstr(&e->out, "]}");
	return 0;
}

/* watchdog --explain ID; see cli.h. */
int
cli_explain(struct cli *cli)
{
	struct explain	 e;
	struct ticket	 t;
	enum wd_status	 status;
	char		*cause = NULL, *text;
	int64_t		 id = 0;
	size_t		 i;
	int		 rc;

	if ((rc = cli_ticket_id(cli->mode_arg, &id)) != 0)
		return rc;
	if ((rc = cli_reader(cli)) != 0)
		return rc;
	status = ticket_get(cli->db, &cli->cfg.sla, id, cli->now, &t, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	memset(&e, 0, sizeof e);
	e.cli = cli;
	e.json = cli->json;
	rc = explain_build(&e, &t);
	ticket_clear(&t);
	for (i = 0; i < e.nsent; i++)
		free(e.kinds[i]);
	text = strbuf_detach(&e.out);
	if (rc == 0 && e.json) {
		cli_put_json(text);
		putchar('\n');
	} else if (rc == 0)
		fputs(text, stdout);
	free(text);
	return rc;
}
