/*
 * outbox.h: the durable queue of notification e-mails (watchdog(1) NOTIFICATIONS).
 *
 * A message is queued in the transaction of the change that causes it,
 * with a key (ticket, kind, deadline, recipient) that no pass can queue
 * twice. Delivery claims one message at a time with a lease: two passes at
 * once never send the same message, and a process killed while sending
 * leaves its claim to expire, so that only the message in flight can be
 * sent again, with the same Message-ID. A temporary failure is retried
 * with growing delays; a permanent one, or one still failing after a day,
 * is kept as failed.
 */
#ifndef WATCHDOG_OUTBOX_H
#define WATCHDOG_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

struct db;

/* First retry delay, the cap on the delay, and when to give up. */
#define OUTBOX_RETRY_FIRST	60
#define OUTBOX_RETRY_MAX	3600
#define OUTBOX_GIVE_UP		(24 * 3600)

/* A message as queued. */
struct outbox_msg {
	int64_t	 id;
	int64_t	 ticket_id;
	char	*kind;
	int64_t	 deadline;
	char	*recipient;
	char	*sender;
	char	*message_id;
	char	*message;
	char	*state;
	int64_t	 attempts;
	int64_t	 created_at;
	int64_t	 next_attempt_at;
	char	*last_error;
	int64_t	 sent_at;
};

void		outbox_msg_clear(struct outbox_msg *m);

/*
 * Queue a message unless one with the same key (ticket, kind, SEQ, which
 * notice of the kind it is for the deadline, deadline, recipient) exists.
 * *ROW gets the new row's id, or 0 when it was there already. The message text is set
 * afterwards with outbox_set_message() (its Message-ID names the row).
 */
enum wd_status	outbox_add(struct db *db, int64_t ticket_id, const char *kind,
		    int seq, int64_t deadline, const char *recipient, const char *sender,
		    int64_t now, int64_t *row, char **cause);
/*
 * outbox_add() for a notice caused by an event (assigned, commented):
 * EVENT (the ticket's version after the assignment, the comment's id)
 * joins the key, so that each event is queued once per recipient.
 */
enum wd_status	outbox_add_event(struct db *db, int64_t ticket_id,
		    const char *kind, int64_t deadline, int64_t event,
		    const char *recipient, const char *sender, int64_t now,
		    int64_t *row, char **cause);
enum wd_status	outbox_set_message(struct db *db, int64_t row,
		    const char *message_id, const char *message, char **cause);

/*
 * Claim the next message due at NOW for LEASE seconds: *GOT says whether
 * there was one, *M holds it. When TICKET_ID is not 0, only that ticket's
 * messages of KIND are considered.
 */
enum wd_status	outbox_claim(struct db *db, int64_t now, int64_t lease,
		    int64_t ticket_id, const char *kind, struct outbox_msg *m,
		    bool *got, char **cause);

/*
 * Claim up to MAX messages due at NOW, in one transaction, each for LEASE
 * seconds (as outbox_claim()): *OUT is a new array (free it, after
 * outbox_msg_clear() on each of the *N messages). When SENT is not 0, the
 * same transaction first records claimed message SENT as sent at NOW.
 */
enum wd_status	outbox_claim_batch(struct db *db, int64_t now, int64_t lease,
		    int64_t ticket_id, const char *kind, size_t max,
		    int64_t sent, struct outbox_msg **out, size_t *n,
		    char **cause);

/* Extend the claims on the N messages IDS still sending until UNTIL. */
enum wd_status	outbox_renew(struct db *db, const int64_t *ids, size_t n,
		    int64_t until, char **cause);

/* Give the claims on the N messages IDS back untried, due at NOW. */
enum wd_status	outbox_unclaim(struct db *db, const int64_t *ids, size_t n,
		    int64_t now, char **cause);

/* The N claimed messages IDS were accepted, recorded in one transaction. */
enum wd_status	outbox_sent_many(struct db *db, const int64_t *ids, size_t n,
		    int64_t now, char **cause);

/* The claimed message ID was accepted by the mail system. */
enum wd_status	outbox_sent(struct db *db, int64_t id, int64_t now,
		    char **cause);

/*
 * Delivery of claimed message ID failed with ERROR. A PERMANENT failure,
 * or one more than OUTBOX_GIVE_UP after it was queued, marks it failed
 * (*GAVE_UP true); otherwise it is queued again with a delay (*NEXT).
 */
enum wd_status	outbox_failed(struct db *db, int64_t id, int64_t now,
		    const char *error, bool permanent, bool *gave_up,
		    int64_t *next, char **cause);

/*
 * Give claimed message ID back untouched but for ERROR, due at once: a
 * background delivery's failure, left for the next --check-sla to retry
 * and report.
 */
enum wd_status	outbox_release(struct db *db, int64_t id, int64_t now,
		    const char *error, char **cause);

/*
 * Keep claimed message ID as failed with ERROR, not to be tried again,
 * and not yet reported: a permanent refusal met by a background delivery,
 * which has nobody to tell. The next --check-sla reports it through
 * outbox_report_failed().
 */
enum wd_status	outbox_refused(struct db *db, int64_t id, int64_t now,
		    const char *error, char **cause);

/*
 * Call FN for each failed message not reported yet (outbox_refused(), or
 * a notice whose template failed), oldest first, then mark them reported.
 * FN is called outside any transaction: it may print.
 */
enum wd_status	outbox_report_failed(struct db *db,
		    void (*fn)(const struct outbox_msg *, void *), void *arg,
		    char **cause);

/*
 * How many messages wait for a retry (queued again after a failure), in
 * *N. WD_OK, or the storage error (WD_ETEMP when busy) with *cause.
 */
enum wd_status	outbox_retrying(struct db *db, int64_t *n, char **cause);

/*
 * Call FN for each message not yet sent (queued, sending, failed), oldest
 * first; the message text is not loaded.
 */
enum wd_status	outbox_list(struct db *db,
		    int (*fn)(const struct outbox_msg *, void *), void *arg,
		    char **cause);

/* The same as JSON objects made by SQLite, one per call of FN. */
enum wd_status	outbox_list_json(struct db *db,
		    int (*fn)(const char *, void *), void *arg, char **cause);

/* The delay before retry number ATTEMPTS (1, 2, ...). */
int64_t		outbox_backoff(int64_t attempts);

#endif
