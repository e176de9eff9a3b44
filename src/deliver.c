/*
 * deliver.c: sending the outbox through a mailer; see deliver.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/mailer.h"
#include "watchdog/outbox.h"
#include "watchdog/privilege.h"
#include "watchdog/util.h"

/*
 * A claim outlives the slowest send: connect and every SMTP step, each
 * allowed EMAIL_TIMEOUT seconds. It is counted from the claim, which is
 * renewed before each message.
 */
int64_t
deliver_lease(const struct config *cfg)
{
	return (int64_t)(cfg->email_timeout > 0 ? cfg->email_timeout : 30) *
	    DELIVER_LEASE_STEPS;
}

/* The real clock: seconds since the epoch. */
static int64_t
deliver_clock_real(void)
{
	return (int64_t)time(NULL);
}

/*
 * Record the failure SENT (WHY) of claimed message M at NOW, as
 * deliver_run() describes, and tell REPORT. Returns the database status.
 */
static enum wd_status
deliver_failed(struct db *db, const struct outbox_msg *m,
    enum wd_status sent, const char *why, bool background, int64_t now,
    deliver_report_fn *report, void *arg, struct deliver_stats *stats,
    char **cause)
{
	enum wd_status	status;
	int64_t		next;
	bool		gave_up;

	if (background && sent == WD_ETEMP) {
		stats->retrying++;
		return outbox_release(db, m->id, now, why, cause);
	}
	if (background) {
		/* Refused for good: final, reported by the next pass. */
		stats->failed++;
		return outbox_refused(db, m->id, now, why, cause);
	}
	status = outbox_failed(db, m->id, now, why, sent != WD_ETEMP,
	    &gave_up, &next, cause);
	if (status == WD_OK) {
		if (gave_up)
			stats->failed++;
		else
			stats->retrying++;
		if (report != NULL)
			report(m, why, gave_up, next, arg);
	}
	return status;
}

/* What one batch of claims is going through. */
struct deliver_batch {
	struct outbox_msg	*ms;		/* claimed */
	int64_t			*ids;		/* their ids */
	size_t			 n;
	size_t			*staged;	/* sent into the mailer's batch */
	size_t			 nstaged;
	int64_t			 claimed;	/* when the leases began */
};

/* What a send's tick needs to keep the batch's leases up. */
struct deliver_tick {
	struct db		*db;
	deliver_clock_fn	*clock;
	struct deliver_batch	*b;
	int64_t			 lease;
};

/*
 * Renew the leases of the batch once half of them is gone: before each
 * message, and from the mailer's tick while a long send goes on.
 * Returns the database status.
 */
static enum wd_status
deliver_renew(struct deliver_tick *t, char **cause)
{
	enum wd_status	status;
	int64_t		now;

	if (t->b == NULL || (now = t->clock()) - t->b->claimed < t->lease / 2)
		return WD_OK;
	status = outbox_renew(t->db, t->b->ids, t->b->n, now + t->lease,
	    cause);
	if (status == WD_OK)
		t->b->claimed = now;
	return status;
}

/*
 * The mailer's tick during a send: renew as deliver_renew() does. A
 * failure is tried again at the next tick (and the claim is only lost
 * when the lease runs out).
 */
static void
deliver_tick(void *arg)
{
	(void)deliver_renew(arg, NULL);
}

/*
 * Deliver what B staged in the mailer and record it: all sent in one
 * transaction, or, when the flush failed, each a failure.
 */
static enum wd_status
deliver_flush(struct db *db, struct mailer *mailer, struct deliver_batch *b,
    deliver_clock_fn *clock, bool background, deliver_report_fn *report,
    void *arg, struct deliver_stats *stats, char **cause)
{
	enum wd_status	 status, flushed;
	char		*why = NULL;
	int64_t		*ids;
	size_t		 i;

	if (b->nstaged == 0)
		return WD_OK;
	flushed = mailer_flush(mailer, &why);
	if (flushed == WD_OK) {
		ids = xcalloc(b->nstaged, sizeof *ids);
		for (i = 0; i < b->nstaged; i++)
			ids[i] = b->ids[b->staged[i]];
		status = outbox_sent_many(db, ids, b->nstaged, clock(),
		    cause);
		if (status == WD_OK)
			stats->sent += (int64_t)b->nstaged;
		free(ids);
		return status;
	}
	status = WD_OK;
	for (i = 0; status == WD_OK && i < b->nstaged; i++)
		status = deliver_failed(db, &b->ms[b->staged[i]], flushed,
		    why != NULL ? why : status_text(flushed), background,
		    clock(), report, arg, stats, cause);
	free(why);
	return status;
}

/* Deliver what is due; see deliver.h. */
enum wd_status
deliver_run(struct db *db, const struct config *cfg, struct mailer *mailer,
    deliver_clock_fn *clock, int64_t ticket_id, const char *kind,
    bool background, deliver_report_fn *report, void *arg,
    struct deliver_stats *stats, char **cause)
{
	struct deliver_batch	 b;
	struct deliver_tick	 tick;
	enum wd_status		 status = WD_OK, sent;
	char			*why;
	int64_t			 lease = deliver_lease(cfg), done = 0;
	size_t			 i;
	bool			 batching, stop = false;
	int			 temp_in_a_row = 0;

	if (clock == NULL)
		clock = deliver_clock_real;
	memset(stats, 0, sizeof *stats);
	batching = mailer_batch(mailer);
	tick.db = db;
	tick.clock = clock;
	tick.b = NULL;
	tick.lease = lease;
	mailer_set_tick(mailer, deliver_tick, &tick);
	while (!stop && status == WD_OK) {
		/*
		 * The leases run from now, not from the start of the pass: a
		 * long pass must not claim what another pass may take.
		 */
		memset(&b, 0, sizeof b);
		b.claimed = clock();
		status = outbox_claim_batch(db, b.claimed, lease, ticket_id,
		    kind, batching ? DELIVER_BATCH : 1, done, &b.ms, &b.n,
		    cause);
		done = 0;
		if (status != WD_OK || b.n == 0) {
			free(b.ms);
			break;
		}
		b.ids = xcalloc(b.n, sizeof *b.ids);
		b.staged = xcalloc(b.n, sizeof *b.staged);
		for (i = 0; i < b.n; i++)
			b.ids[i] = b.ms[i].id;
		tick.b = &b;
		for (i = 0; status == WD_OK && !stop && i < b.n; i++) {
			if ((status = deliver_renew(&tick, cause)) != WD_OK)
				break;
			why = NULL;
			sent = mailer_send(mailer, b.ms[i].sender,
			    b.ms[i].recipient, b.ms[i].message,
			    strlen(b.ms[i].message), &why);
			if (sent == WD_OK && batching)
				b.staged[b.nstaged++] = i;
			else if (sent == WD_OK) {
				/*
				 * Recorded by the next claim (a batch of one),
				 * before the next send, even when it finds
				 * nothing: one repeat per crash at most.
				 */
				done = b.ids[i];
				stats->sent++;
			} else
				status = deliver_failed(db, &b.ms[i], sent,
				    why != NULL ? why : status_text(sent),
				    background, clock(), report, arg, stats,
				    cause);
			free(why);
			temp_in_a_row = sent == WD_ETEMP ? temp_in_a_row + 1 :
			    0;
			/*
			 * One try is all a background delivery makes; when the
			 * server is down or refusing, leave the rest queued.
			 */
			if (sent == WD_ETEMP && (background ||
			    temp_in_a_row >= DELIVER_MAX_TEMP_IN_A_ROW))
				stop = true;
		}
		if (status == WD_OK && i < b.n)
			status = outbox_unclaim(db, b.ids + i, b.n - i, clock(),
			    cause);
		if (status == WD_OK)
			status = deliver_flush(db, mailer, &b, clock,
			    background, report, arg, stats, cause);
		tick.b = NULL;
		for (i = 0; i < b.n; i++)
			outbox_msg_clear(&b.ms[i]);
		free(b.ms);
		free(b.ids);
		free(b.staged);
	}
	mailer_set_tick(mailer, NULL, NULL);
	return status;
}

/*
 * The background delivery process: a session of its own, the standard
 * descriptors on /dev/null, no other descriptor of the parent's (its
 * database ones included), default signals; then its own connection.
 * Never returns; exits 1 when it could not start or the database failed.
 */
static void __attribute__((noreturn))
deliver_child(const struct config *cfg, int64_t ticket_id, const char *kind)
{
	struct deliver_stats	 stats;
	struct mailer		*mailer = NULL;
	struct db		*db = NULL;
	int			 fd, rc = 1;

	if (setsid() == -1)
		_exit(rc);
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1 ||
	    dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		_exit(rc);
	/* The group stays: the database is the group's to write. */
	if (!privilege_child(-1, false))
		_exit(rc);
	if (db_open(cfg->database_path, &db, NULL) != WD_OK)
		_exit(rc);
	if (mailer_open(cfg, NULL, &mailer, NULL) == WD_OK &&
	    deliver_run(db, cfg, mailer, NULL, ticket_id, kind, true, NULL,
	    NULL, &stats, NULL) == WD_OK)
		rc = 0;
	mailer_close(mailer);
	db_close(db);
	_exit(rc);
}

/* Deliver in a detached process; see deliver.h. */
enum wd_status
deliver_spawn(const struct config *cfg, struct db **db, bool reopen,
    int64_t ticket_id, const char *kind, char **cause)
{
	pid_t	pid;
	int	st;
	bool	keep;

	if (cfg->email_backend == EMAIL_BACKEND_CONSOLE)
		return WD_OK;	/* the next --check-sla prints it */
	/*
	 * No SQLite state may cross the fork, nor unwritten stdio. A
	 * PostgreSQL connection stays: the children never touch it.
	 */
	if (!(keep = db_survives_fork(*db))) {
		db_close(*db);
		*db = NULL;
	}
	fflush(NULL);
	if ((pid = fork()) == 0) {
		/* Fork again so that nobody has to wait for the worker. */
		if (fork() == 0)
			deliver_child(cfg, ticket_id, kind);
		_exit(0);
	}
	/* When a fork failed, the next --check-sla sends the mail. */
	while (pid > 0 && waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (!reopen || keep)
		return WD_OK;
	return db_open(cfg->database_path, db, cause);
}
