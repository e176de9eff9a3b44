/*
 * deliver.h: sending what the outbox holds through a mailer: claim a
 * message, send it, record the outcome; again until nothing is due.
 */
#ifndef WATCHDOG_DELIVER_H
#define WATCHDOG_DELIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

struct config;
struct db;
struct mailer;
struct outbox_msg;

/* Consecutive temporary failures after which a pass stops trying. */
#define DELIVER_MAX_TEMP_IN_A_ROW	3

/* Messages claimed in one transaction. */
#define DELIVER_BATCH			64

/* A claim lasts this many times EMAIL_TIMEOUT (the steps of one send). */
#define DELIVER_LEASE_STEPS		10

/* The clock deliver_run() reads at each claim: seconds since the epoch. */
typedef int64_t deliver_clock_fn(void);

struct deliver_stats {
	int64_t	sent;
	int64_t	retrying;	/* failed this time, queued again */
	int64_t	failed;		/* given up on this time */
};

/*
 * Told of each failed delivery: the message, the cause, whether it was
 * given up (else NEXT is when it is tried again).
 */
typedef void deliver_report_fn(const struct outbox_msg *m, const char *cause,
    bool gave_up, int64_t next, void *arg);

/*
 * Deliver the messages due through MAILER, reading CLOCK (NULL: the real
 * one) at each claim, so that each message's lease runs from the moment
 * it is claimed, right before it is sent (only ticket TICKET_ID's
 * notices of KIND when TICKET_ID is not 0). A message counts as sent only
 * when the mailer says it was accepted. A failure is retried later or
 * given up on; with BACKGROUND a temporary failure is only given back for
 * the next --check-sla, which retries and reports it, and a permanent one
 * is kept as failed for that pass to report. Returns WD_OK unless the
 * database failed; delivery problems are in *STATS and told to REPORT.
 */
enum wd_status	deliver_run(struct db *db, const struct config *cfg,
		    struct mailer *mailer, deliver_clock_fn *clock,
		    int64_t ticket_id, const char *kind, bool background,
		    deliver_report_fn *report, void *arg,
		    struct deliver_stats *stats, char **cause);

/*
 * Deliver ticket TICKET_ID's notices of KIND in a detached background
 * process (double fork, own session, standard descriptors on /dev/null,
 * no other descriptor, default signals, its own database connection), so
 * that the caller never waits on the mail server. Failures are left for
 * the next --check-sla. No SQLite state may cross a fork: the caller's
 * connection *DB is closed here (stdio flushed) and, with REOPEN, opened
 * again once the process is started; otherwise *DB is left NULL. A
 * connection that survives a fork (db_survives_fork(), PostgreSQL) is
 * left open and untouched. Does nothing for the console backend (*DB
 * untouched). Returns WD_OK, or the failure to reopen (*DB NULL, *CAUSE
 * set).
 */
enum wd_status	deliver_spawn(const struct config *cfg, struct db **db,
		    bool reopen, int64_t ticket_id, const char *kind,
		    char **cause);

/* How long a claim lasts: long enough for the slowest send. */
int64_t		deliver_lease(const struct config *cfg);

#endif
