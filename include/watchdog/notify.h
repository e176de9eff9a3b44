/*
 * notify.h: deciding which notices a ticket gets and queueing them in the
 * outbox (watchdog(1), NOTIFICATIONS): created (to the owner), warning (owner and
 * assignee, once per deadline, within SLA_WARNING_MINUTES before it) and
 * missed (owner, assignee and SLA_ESCALATION_EMAILS, once per deadline).
 * Each is queued inside the caller's transaction.
 */
#ifndef WATCHDOG_NOTIFY_H
#define WATCHDOG_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/mail.h"
#include "watchdog/status.h"

struct config;
struct db;
struct ticket;

/* What one SLA pass found and queued. */
struct notify_stats {
	int64_t	checked;	/* due tickets looked at */
	int64_t	warnings;	/* warning notices queued (messages) */
	int64_t	missed;		/* missed notices queued (messages) */
};

/*
 * Called for each notice a pass queues (or, in a dry run, would queue):
 * the ticket, the kind and the recipients, comma-separated.
 */
typedef void notify_report_fn(const struct ticket *t, enum mail_kind kind,
    const char *recipients, void *arg);

/*
 * Queue the notice KIND about ticket T (as read now), the SEQth of its kind
 * for the deadline (a warning's threshold; else 0), inside the current
 * transaction. *QUEUED (when not NULL) gets the number of messages added;
 * ones already queued for this deadline are not added again.
 */
enum wd_status	notify_queue(struct db *db, const struct config *cfg,
		    enum mail_kind kind, int seq, const struct ticket *t,
		    int64_t now,
		    int64_t *queued, char **cause);

/* What caused an event notice (assigned, commented). */
struct notify_event {
	enum mail_kind	 kind;		/* MAIL_ASSIGNED or MAIL_COMMENTED */
	int64_t		 event;		/* version after it, or comment id */
	int64_t		 author_id;	/* who did it: never told */
	const char	*author;	/* the name in the message */
	const char	*comment;	/* the comment's text, or NULL */
};

/*
 * Queue the event notice EV about ticket T (as it is after the event)
 * inside the current transaction: assigned to T's assignee, commented to
 * its owner and assignee, leaving out EV->author_id. Threaded under the
 * created message; each (event, recipient) is queued once. *QUEUED (when
 * not NULL) gets the number of messages added.
 */
enum wd_status	notify_event_queue(struct db *db, const struct config *cfg,
		    const struct notify_event *ev, const struct ticket *t,
		    int64_t now, int64_t *queued, char **cause);

/*
 * One SLA pass at NOW: find the tickets whose next notice is due (their
 * sla_next_at, through the tickets_sla_next index; every pending ticket
 * once when the stored times come from another rule), ask the rule
 * (sla_due_at()) which, queue those notices and store the next time, all
 * in one transaction. With DRY_RUN nothing is kept (the transaction is
 * rolled back). REPORT (may be NULL) hears of each notice once the
 * transaction is over, never while it holds the write lock: it may print,
 * and a reader that does not read must not stall every writer.
 */
enum wd_status	notify_sla_pass(struct db *db, const struct config *cfg,
		    int64_t now, bool dry_run, notify_report_fn *report,
		    void *arg, struct notify_stats *stats, char **cause);

/* The SQL of the due-ticket query (for the query plan test). */
const char     *notify_due_sql(void);

#endif
