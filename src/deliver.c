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

/* Deliver what is due; see deliver.h. */
enum wd_status
deliver_run(struct db *db, const struct config *cfg, struct mailer *mailer,
    deliver_clock_fn *clock, int64_t ticket_id, const char *kind,
    bool background, deliver_report_fn *report, void *arg,
    struct deliver_stats *stats, char **cause)
{
	struct outbox_msg	 m;
	enum wd_status		 status, sent;
	char			*why;
	int64_t			 next, now;
	bool			 got, gave_up;
	int			 temp_in_a_row = 0;

	if (clock == NULL)
		clock = deliver_clock_real;
	memset(stats, 0, sizeof *stats);
	for (;;) {
		/*
		 * The lease runs from now, not from the start of the pass: a
		 * long pass must not claim what another pass may take.
		 */
		now = clock();
		status = outbox_claim(db, now, deliver_lease(cfg), ticket_id,
		    kind, &m, &got, cause);
		if (status != WD_OK || !got)
			return status;
		why = NULL;
		sent = mailer_send(mailer, m.sender, m.recipient, m.message,
		    strlen(m.message), &why);
		now = clock();
		if (sent == WD_OK) {
			status = outbox_sent(db, m.id, now, cause);
			stats->sent++;
			temp_in_a_row = 0;
		} else if (background && sent == WD_ETEMP) {
			status = outbox_release(db, m.id, now,
			    why != NULL ? why : status_text(sent), cause);
			stats->retrying++;
			free(why);
			outbox_msg_clear(&m);
			/* One try is all a background delivery makes. */
			return status;
		} else if (background) {
			/* Refused for good: final, reported by the next pass. */
			status = outbox_refused(db, m.id, now,
			    why != NULL ? why : status_text(sent), cause);
			stats->failed++;
		} else {
			status = outbox_failed(db, m.id, now,
			    why != NULL ? why : status_text(sent),
			    sent != WD_ETEMP, &gave_up, &next, cause);
			if (status == WD_OK) {
				if (gave_up)
					stats->failed++;
				else
					stats->retrying++;
				if (report != NULL)
					report(&m, why != NULL ? why :
					    status_text(sent), gave_up, next,
					    arg);
			}
			temp_in_a_row = sent == WD_ETEMP ? temp_in_a_row + 1 :
			    0;
		}
		free(why);
		outbox_msg_clear(&m);
		if (status != WD_OK)
			return status;
		/* The server is down or refusing: leave the rest queued. */
		if (temp_in_a_row >= DELIVER_MAX_TEMP_IN_A_ROW)
			return WD_OK;
	}
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

	if (cfg->email_backend == EMAIL_BACKEND_CONSOLE)
		return WD_OK;	/* the next --check-sla prints it */
	/* No SQLite state may cross the fork, nor unwritten stdio. */
	db_close(*db);
	*db = NULL;
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
	return reopen ? db_open(cfg->database_path, db, cause) : WD_OK;
}
