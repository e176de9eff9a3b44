/*
 * notify.c: which notices a ticket gets, queued in the outbox; see
 * notify.h.
 */
#include <stdlib.h>
#include <string.h>

#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/mail.h"
#include "watchdog/meta.h"
#include "watchdog/notify.h"
#include "watchdog/outbox.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_vocab.h"
#include "watchdog/util.h"
#include "watchdog/zone.h"

/* At most this many recipients for one notice. */
#define NOTIFY_MAX_RCPT	64

static const char sql_user_email[] =
    "SELECT email FROM users WHERE id = :id";
static const char sql_due[] =
    "SELECT id, sla_notified, sla_warned, deadline, created_at, status, "
    "sla_clock, sla_steps, sla_repeats "
    "FROM tickets "
    "WHERE sla_next_at IS NOT NULL AND sla_next_at <= :horizon "
    "ORDER BY sla_next_at, id";
static const char sql_mark[] =
    "UPDATE tickets SET sla_notified = :notified, sla_warned = :warned, "
    "sla_steps = :steps, sla_repeats = :repeats, "
    "sla_next_at = :next WHERE id = :id";

struct rcpts {
	char	*addr[NOTIFY_MAX_RCPT];
	size_t	 n;
};

/* Add a copy of ADDR to R unless it is there already (any case). */
static void
rcpts_add(struct rcpts *r, const char *addr)
{
	size_t	i;

	if (addr == NULL || *addr == '\0' || r->n == NOTIFY_MAX_RCPT)
		return;
	for (i = 0; i < r->n; i++) {
		if (ascii_casecmp(r->addr[i], addr) == 0)
			return;
	}
	r->addr[r->n++] = xstrdup(addr);
}

static void
rcpts_free(struct rcpts *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		free(r->addr[i]);
	r->n = 0;
}

/* Add the e-mail address of account ID (0: none) to R. */
static enum wd_status
rcpts_add_user(struct db *db, struct rcpts *r, int64_t id, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	if (id == 0)
		return WD_OK;
	st = db_prepare(db, sql_user_email);
	db_bind_int(st, ":id", id);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		return WD_OK;		/* the account is gone: nobody to add */
	if (status != WD_OK)
		return status;
	rcpts_add(r, db_column_text(st, 0));
	db_reset(st);
	return WD_OK;
}

/*
 * The recipients of notice KIND number SEQ about T: a ladder step after
 * the miss (missed, SEQ 1 to the ladder's length) goes to that step's
 * addresses alone; the others to the owner (and but for created the
 * assignee), the first missed notice (SEQ 0) also to the 0m steps.
 */
static enum wd_status
notify_recipients(struct db *db, const struct config *cfg,
    enum mail_kind kind, int seq, const struct ticket *t, struct rcpts *r,
    char **cause)
{
	enum wd_status	 status;
	char *const	*e;
	size_t		 i;

	if (kind == MAIL_MISSED && seq >= 1 && (size_t)seq <= cfg->sla.nsteps) {
		for (e = cfg->sla.ladder[seq - 1].emails; *e != NULL; e++)
			rcpts_add(r, *e);
		return WD_OK;
	}
	if ((status = rcpts_add_user(db, r, t->owner_id, cause)) != WD_OK)
		return status;
	if (kind == MAIL_CREATED)
		return WD_OK;
	if ((status = rcpts_add_user(db, r, t->assignee_id, cause)) != WD_OK)
		return status;
	/* The ladder's 0m steps (SLA_ESCALATION_EMAILS) hear of a miss. */
	for (i = 0; kind == MAIL_MISSED && seq == 0 && i < cfg->sla.nsteps &&
	    cfg->sla.ladder[i].delay == 0; i++) {
		for (e = cfg->sla.ladder[i].emails; *e != NULL; e++)
			rcpts_add(r, *e);
	}
	return WD_OK;
}

/* This database's instance name (for Message-IDs); *OUT is new. */
static enum wd_status
notify_instance(struct db *db, char **out, char **cause)
{
	enum wd_status	status;

	if ((status = meta_get_text(db, META_INSTANCE, out, cause)) != WD_OK)
		return status;
	if (*out == NULL)
		return status_set(cause, WD_EFAIL, "database has no instance "
		    "name: run watchdog --init");
	return WD_OK;
}

/*
 * Set the text of queued message ROW (notice KIND about T to TO, with
 * MSGID, threaded under THREAD) from TEMPLATE; EV (NULL for the deadline
 * notices) names who assigned or commented, and the comment. When the
 * template failed (TMPL_ERROR) or the message cannot be built, the
 * message is kept as failed with that error, for the next --check-sla to
 * report; only a database failure is returned.
 */
static enum wd_status
notify_message(struct db *db, enum mail_kind kind, const struct ticket *t,
    int64_t now, const struct config *cfg, const char *to, int64_t row,
    const char *msgid, const char *thread, const char *template,
    const char *tmpl_error, const struct notify_event *ev, char **cause)
{
	struct mail_params	 p;
	enum wd_status		 status;
	char			*message = NULL, *why = NULL;

	if (tmpl_error == NULL) {
		memset(&p, 0, sizeof p);
		p.kind = kind;
		p.ticket = t;
		p.now = now;
		p.from = cfg->default_from_email;
		p.from_name = cfg->default_from_name;
		p.to = to;
		p.message_id = msgid;
		p.thread_id = thread;
		p.template_text = template;
		p.time_zone = cfg->time_zone;
		if (ev != NULL) {
			p.author = ev->author;
			p.comment = ev->comment;
		}
		if (mail_build(&p, &message, &why) != WD_OK && why == NULL)
			why = xstrdup("the message cannot be built");
	} else
		why = xstrdup(tmpl_error);
	status = outbox_set_message(db, row, msgid,
	    message != NULL ? message : "", cause);
	if (status == WD_OK && why != NULL)
		status = outbox_refused(db, row, now, why, cause);
	free(message);
	free(why);
	return status;
}

/* The templates of one pass or one change, each loaded at its first use. */
struct notify_templates {
	bool	 loaded[MAIL_COMMENTED + 1];
	char	*text[MAIL_COMMENTED + 1];
	char	*error[MAIL_COMMENTED + 1];	/* why it cannot be used */
};

/*
 * The template of KIND in *TEXT, or why it cannot be used in *ERROR,
 * read from TEMPLATE_DIR (or built in) the first time TC is asked: a pass
 * reads each file once, not once a notice. A broken TEMPLATE_DIR file is
 * the administrator's to mend: it fails the notice (kept as failed,
 * reported), never the change.
 */
static void
notify_template(const struct config *cfg, struct notify_templates *tc,
    enum mail_kind kind, const char **text, const char **error)
{
	if (!tc->loaded[kind]) {
		if (mail_template_load(cfg->template_dir, kind,
		    &tc->text[kind], &tc->error[kind]) != WD_OK &&
		    tc->error[kind] == NULL)
			tc->error[kind] = xstrdup("the template cannot be "
			    "used");
		tc->loaded[kind] = true;
	}
	*text = tc->text[kind];
	*error = tc->error[kind];
}

/* Free what TC loaded. */
static void
notify_templates_free(struct notify_templates *tc)
{
	size_t	i;

	for (i = 0; i <= MAIL_COMMENTED; i++) {
		free(tc->text[i]);
		free(tc->error[i]);
	}
	memset(tc, 0, sizeof *tc);
}

/*
 * Queue notice KIND about T to each of R with the templates of TC: a
 * deadline notice (EV NULL, number SEQ of its kind) or event notice EV,
 * each keyed in the outbox so that it is queued once.
 */
static enum wd_status
notify_queue_to(struct db *db, const struct config *cfg,
    struct notify_templates *tc, enum mail_kind kind, int seq,
    const struct notify_event *ev, const struct ticket *t,
    const struct rcpts *r, int64_t now, int64_t *queued, char **cause)
{
	enum wd_status		 status;
	const char		*template, *tmpl_error;
	char			*instance = NULL, *thread = NULL, *msgid = NULL;
	int64_t			 row;
	size_t			 i;

	if (r->n == 0)
		return WD_OK;
	if ((status = notify_instance(db, &instance, cause)) != WD_OK)
		return status;
	notify_template(cfg, tc, kind, &template, &tmpl_error);
	if (kind != MAIL_CREATED)
		thread = mail_message_id(t->id, MAIL_CREATED, 0, 0, instance,
		    cfg->default_from_email);
	for (i = 0; i < r->n; i++) {
		status = ev == NULL ? outbox_add(db, t->id,
		    mail_kind_name(kind), seq, t->deadline, r->addr[i],
		    cfg->default_from_email, now, &row, cause) :
		    outbox_add_event(db, t->id, mail_kind_name(kind),
		    t->deadline, ev->event, r->addr[i],
		    cfg->default_from_email, now, &row, cause);
		if (status != WD_OK)
			break;
		if (row == 0)
			continue;	/* queued already */
		msgid = mail_message_id(t->id, kind, t->deadline, row,
		    instance, cfg->default_from_email);
		status = notify_message(db, kind, t, now, cfg, r->addr[i], row,
		    msgid, thread, template, tmpl_error, ev, cause);
		free(msgid);
		if (status != WD_OK)
			break;
		if (queued != NULL)
			(*queued)++;
	}
	free(instance);
	free(thread);
	return status;
}

/* Queue notice KIND about T with the templates of TC. */
static enum wd_status
notify_queue_with(struct db *db, const struct config *cfg,
    struct notify_templates *tc, enum mail_kind kind, int seq,
    const struct ticket *t, int64_t now, int64_t *queued, char **cause)
{
	struct rcpts	 r;
	enum wd_status	 status;

	if (queued != NULL)
		*queued = 0;
	memset(&r, 0, sizeof r);
	if ((status = notify_recipients(db, cfg, kind, seq, t, &r, cause)) ==
	    WD_OK)
		status = notify_queue_to(db, cfg, tc, kind, seq, NULL, t, &r,
		    now, queued, cause);
	rcpts_free(&r);
	return status;
}

/* Queue notice KIND about T; see notify.h. */
enum wd_status
notify_queue(struct db *db, const struct config *cfg, enum mail_kind kind,
    int seq, const struct ticket *t, int64_t now, int64_t *queued, char **cause)
{
	struct notify_templates	 tc;
	enum wd_status		 status;

	memset(&tc, 0, sizeof tc);
	status = notify_queue_with(db, cfg, &tc, kind, seq, t, now, queued,
	    cause);
	notify_templates_free(&tc);
	return status;
}

/*
 * The recipients of event notice EV->kind about T: the new assignee
 * (assigned), or the owner and the assignee (commented); never the
 * account that caused it.
 */
static enum wd_status
notify_event_recipients(struct db *db, const struct notify_event *ev,
    const struct ticket *t, struct rcpts *r, char **cause)
{
	enum wd_status	status;

	if (ev->kind == MAIL_COMMENTED && t->owner_id != ev->author_id &&
	    (status = rcpts_add_user(db, r, t->owner_id, cause)) != WD_OK)
		return status;
	if (t->assignee_id != ev->author_id &&
	    (status = rcpts_add_user(db, r, t->assignee_id, cause)) != WD_OK)
		return status;
	return WD_OK;
}

/* Queue an event notice; see notify.h. */
enum wd_status
notify_event_queue(struct db *db, const struct config *cfg,
    const struct notify_event *ev, const struct ticket *t, int64_t now,
    int64_t *queued, char **cause)
{
	struct notify_templates	 tc;
	struct rcpts		 r;
	enum wd_status		 status;

	if (queued != NULL)
		*queued = 0;
	memset(&r, 0, sizeof r);
	memset(&tc, 0, sizeof tc);
	if ((status = notify_event_recipients(db, ev, t, &r, cause)) == WD_OK)
		status = notify_queue_to(db, cfg, &tc, ev->kind, 0, ev, t, &r,
		    now, queued, cause);
	rcpts_free(&r);
	notify_templates_free(&tc);
	return status;
}

/* One due ticket, as the index gave it. */
struct due {
	int64_t			id;
	struct sla_facts	f;
};

/* Read the due tickets into *DUE (new array of *N). */
static enum wd_status
notify_due(struct db *db, int64_t horizon, struct due **due, size_t *n,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	size_t		 cap = 0;
	int		 rc;

	*due = NULL;
	*n = 0;
	st = db_prepare(db, sql_due);
	db_bind_int(st, ":horizon", horizon);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			*due = xreallocarray(*due, cap, sizeof **due);
		}
		memset(&(*due)[*n], 0, sizeof **due);
		(*due)[*n].id = db_column_int(st, 0);
		(*due)[*n].f.notified = (int)db_column_int(st, 1);
		(*due)[*n].f.warned = (int)db_column_int(st, 2);
		(*due)[*n].f.deadline = db_column_int(st, 3);
		(*due)[*n].f.created_at = db_column_int(st, 4);
		if (!ticket_status_from_name(db_column_text(st, 5),
		    &(*due)[*n].f.status))
			(*due)[*n].f.status = TICKET_OPEN;
		(*due)[*n].f.business = db_column_int(st, 6) ==
		    SLA_CLOCK_BUSINESS;
		(*due)[*n].f.calendar = db_column_int(st, 6) ==
		    SLA_CLOCK_CALENDAR;
		(*due)[*n].f.steps = (int)db_column_int(st, 7);
		(*due)[*n].f.repeats = (int)db_column_int(st, 8);
		(*n)++;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/*
 * Remember what D says is queued for ticket ID (its level and thresholds
 * done), and when its next notice is due.
 */
static enum wd_status
notify_mark(struct db *db, int64_t id, const struct sla_due *d, char **cause)
{
	struct db_stmt	*st;
	int64_t		 next = d->next;

	st = db_prepare(db, sql_mark);
	db_bind_int(st, ":notified", d->notified);
	db_bind_int(st, ":warned", d->warned);
	db_bind_int(st, ":steps", d->steps);
	db_bind_int(st, ":repeats", d->repeats);
	if (next == SLA_NEVER)
		db_bind_null(st, ":next");
	else
		db_bind_int(st, ":next", next);
	db_bind_int(st, ":id", id);
	return db_exec(st, cause);
}

/*
 * The horizon of the pass at NOW: NOW, or every pending ticket when the
 * stored next times were computed by another rule (a changed
 * SLA_WARNING_MINUTES, tickets migrated from before sla_next_at), which
 * the pass then records as its own. With no rule recorded yet, the times
 * are the ones the ticket writes computed with this configuration.
 */
static enum wd_status
notify_horizon(struct db *db, const struct sla_policy *pol, int64_t now,
    int64_t *horizon, char **cause)
{
	enum wd_status	status;
	int64_t		rule;
	bool		found;

	*horizon = now;
	if ((status = meta_get_int(db, META_SLA_RULE, &rule, &found, cause)) !=
	    WD_OK)
		return status;
	if (found && rule == sla_policy_fingerprint(pol))
		return WD_OK;
	if (found)
		*horizon = SLA_NEVER;
	return meta_set_int(db, META_SLA_RULE, sla_policy_fingerprint(pol),
	    cause);
}

/*
 * A notice to report once the pass's transaction is over: nothing is told
 * while the write lock is held, since telling may wait (a full pipe, a
 * stopped terminal).
 */
struct pending {
	struct ticket	 t;
	enum mail_kind	 kind;
	char		*rcpts;		/* "a, b" */
};

/* The reports a pass has collected. */
struct pendings {
	struct pending	*p;
	size_t		 n, cap;
};

/*
 * Collect the report of notice KIND about *T (moved into PS: *T is left
 * empty) with its recipients.
 */
static enum wd_status
notify_collect(struct db *db, const struct config *cfg, enum mail_kind kind,
    int seq, struct ticket *t, struct pendings *ps, char **cause)
{
	struct strbuf	 sb;
	struct rcpts	 r;
	enum wd_status	 status;
	size_t		 i;

	memset(&r, 0, sizeof r);
	memset(&sb, 0, sizeof sb);
	if ((status = notify_recipients(db, cfg, kind, seq, t, &r, cause)) !=
	    WD_OK)
		goto out;
	for (i = 0; i < r.n; i++) {
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		strbuf_addstr(&sb, r.addr[i]);
	}
	if (ps->n == ps->cap) {
		ps->cap = ps->cap == 0 ? 16 : ps->cap * 2;
		ps->p = xreallocarray(ps->p, ps->cap, sizeof *ps->p);
	}
	ps->p[ps->n].t = *t;
	memset(t, 0, sizeof *t);
	ps->p[ps->n].kind = kind;
	ps->p[ps->n].rcpts = sb.buf != NULL ? strbuf_detach(&sb) :
	    xstrdup("(nobody)");
	ps->n++;
out:
	strbuf_free(&sb);
	rcpts_free(&r);
	return status;
}

/* Tell REPORT (when not NULL) of each collected notice, and free them. */
static void
notify_tell(struct pendings *ps, notify_report_fn *report, void *arg)
{
	size_t	i;

	for (i = 0; i < ps->n; i++) {
		if (report != NULL)
			report(&ps->p[i].t, ps->p[i].kind, ps->p[i].rcpts, arg);
		ticket_clear(&ps->p[i].t);
		free(ps->p[i].rcpts);
	}
	free(ps->p);
	memset(ps, 0, sizeof *ps);
}

/*
 * Queue notice D (due now) of ticket ID, count it in STATS and collect
 * its report into PS when REPORT is set.
 */
static enum wd_status
notify_one(struct db *db, const struct config *cfg,
    struct notify_templates *tc, int64_t id,
    const struct sla_due *d, int64_t now, notify_report_fn *report,
    struct pendings *ps, struct notify_stats *stats, char **cause)
{
	struct ticket	 t;
	enum mail_kind	 kind;
	enum wd_status	 status;
	int64_t		 queued;

	memset(&t, 0, sizeof t);
	/* The ladder's steps and the repeats are missed notices again. */
	kind = d->notice == SLA_NOTICE_WARNING ? MAIL_WARNING : MAIL_MISSED;
	if ((status = ticket_get(db, &cfg->sla, id, now, &t, cause)) != WD_OK)
		return status;
	if ((status = notify_queue_with(db, cfg, tc, kind, d->seq, &t, now,
	    &queued, cause)) != WD_OK)
		goto out;
	if (kind == MAIL_MISSED)
		stats->missed += queued;
	else
		stats->warnings += queued;
	if (queued > 0 && report != NULL)
		status = notify_collect(db, cfg, kind, d->seq, &t, ps, cause);
out:
	ticket_clear(&t);
	return status;
}

/*
 * One try of the pass of notify_sla_pass(), in TIME_ZONE: the reports of
 * what it queued are collected into *PS (when REPORT is set) and told
 * after.
 */
static enum wd_status
notify_pass(struct db *db, const struct config *cfg,
    struct notify_templates *tc, int64_t now, bool dry_run,
    notify_report_fn *report, struct pendings *ps, struct notify_stats *stats,
    char **cause)
{
	struct due	*due = NULL;
	struct sla_due	 d;
	enum wd_status	 status;
	int64_t		 horizon;
	size_t		 n, i;
	int		 steps;

	memset(stats, 0, sizeof *stats);
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = notify_horizon(db, &cfg->sla, now, &horizon, cause)) !=
	    WD_OK)
		goto fail;
	if ((status = notify_due(db, horizon, &due, &n, cause)) != WD_OK)
		goto fail;
	stats->checked = (int64_t)n;
	for (i = 0; i < n; i++) {
		sla_due_at(&cfg->sla, &due[i].f, now, &d);
		/*
		 * Each notice due now in turn (the ladder's steps one by one),
		 * then what is queued and when the next one is due, noted
		 * once (a time from another rule is noted the same way). A
		 * notice is built from the ticket's row, but never from these
		 * columns, so noting them last changes no message.
		 */
		for (steps = 0; d.notice != SLA_NOTICE_NONE &&
		    steps < SLA_MAX_LADDER + 3; steps++) {
			if ((status = notify_one(db, cfg, tc, due[i].id, &d,
			    now, report, ps, stats, cause)) != WD_OK)
				goto fail;
			due[i].f.notified = d.notified;
			due[i].f.warned = d.warned;
			due[i].f.steps = d.steps;
			due[i].f.repeats = d.repeats;
			sla_due_at(&cfg->sla, &due[i].f, now, &d);
		}
		if ((status = notify_mark(db, due[i].id, &d, cause)) != WD_OK)
			goto fail;
	}
	free(due);
	if (dry_run)
		db_rollback(db);
	else if ((status = db_commit(db, cause)) != WD_OK)
		return status;
	return WD_OK;

fail:
	free(due);
	db_rollback(db);
	return status;
}

/* One SLA pass; see notify.h. */
enum wd_status
notify_sla_pass(struct db *db, const struct config *cfg, int64_t now,
    bool dry_run, notify_report_fn *report, void *arg,
    struct notify_stats *stats, char **cause)
{
	struct notify_templates	 tc;
	struct zone_scope	 zs;
	struct pendings		 ps;
	struct db_retry		 r;
	enum wd_status		 status = WD_OK;

	memset(&ps, 0, sizeof ps);
	memset(&tc, 0, sizeof tc);
	/*
	 * Every time the pass works out (the business calendar, the times in
	 * the messages) is in TIME_ZONE: the zone is entered once for all;
	 * each template is read once for all (tc).
	 */
	zone_enter(cfg->time_zone, &zs);
	DB_RETRY(db, r, &status, cause) {
		/* What a try that failed collected is not told. */
		notify_tell(&ps, NULL, NULL);
		status = notify_pass(db, cfg, &tc, now, dry_run, report, &ps,
		    stats, cause);
	}
	zone_leave(&zs);
	notify_templates_free(&tc);
	/* The transaction is over: now the reports may wait on the reader. */
	notify_tell(&ps, status == WD_OK ? report : NULL, arg);
	return status;
}

/* The due-ticket query; see notify.h. */
const char *
notify_due_sql(void)
{
	return sql_due;
}
