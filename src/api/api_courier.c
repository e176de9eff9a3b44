/*
 * api_courier.c: the mail of watchdog --serve, delivered in the
 * background as after --create, --update and --comment: a process forked
 * before the server's threads start (no thread, lock or SQLite state
 * crosses the fork) reads ticket ids and notice kinds from a pipe and
 * delivers those notices through its own connection. A failure is left queued for the next --check-sla.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_int.h"
#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/mailer.h"

const char *const api_notice_names[API_NNOTICES] = {
	[API_NOTICE_CREATED] = "created",
	[API_NOTICE_ASSIGNED] = "assigned",
	[API_NOTICE_COMMENTED] = "commented",
};

/* One message on the pipe: written and read whole (under PIPE_BUF). */
struct api_courier_msg {
	int64_t		ticket_id;
	int32_t		kind;		/* enum api_notice */
	int32_t		pad;
};

/* Deliver ticket ID's notices of KIND; failures stay queued. */
static void
api_courier_deliver(const struct config *cfg, struct db *db, int64_t id,
    const char *kind)
{
	struct deliver_stats	 stats;
	struct mailer		*mailer = NULL;

	if (mailer_open(cfg, NULL, &mailer, NULL) == WD_OK)
		(void)deliver_run(db, cfg, mailer, NULL, id, kind, true,
		    NULL, NULL, &stats, NULL);
	mailer_close(mailer);
}

/* The courier: deliver for each id read from FD until it closes. */
static void __attribute__((noreturn))
api_courier_run(const struct config *cfg, int fd)
{
	struct api_courier_msg	 m;
	struct db		*db = NULL;
	ssize_t			 n;

	/* The server stops it by closing the pipe, after its last request. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	if (db_open(cfg->database_path, &db, NULL) != WD_OK)
		_exit(1);
	for (;;) {
		n = read(fd, &m, sizeof m);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof m)
			break;
		if (m.kind >= 0 && m.kind < API_NNOTICES)
			api_courier_deliver(cfg, db, m.ticket_id,
			    api_notice_names[m.kind]);
	}
	db_close(db);
	_exit(0);
}

/*
 * Start the courier for CFG (its process id in *PID_OUT). Returns the descriptor to write ticket ids
 * to, or -1 (no courier: the console backend, or fork failed; the next
 * --check-sla then delivers).
 */
int
api_courier_start(const struct config *cfg, pid_t *pid_out)
{
	int	fds[2];
	pid_t	pid;

	if (cfg->email_backend == EMAIL_BACKEND_CONSOLE)
		return -1;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		api_courier_run(cfg, fds[0]);
	}
	close(fds[0]);
	*pid_out = pid;
	return fds[1];
}

/* Hand ticket TICKET_ID's notices of KIND to the courier. */
void
api_courier_send(int fd, int64_t ticket_id, enum api_notice kind)
{
	struct api_courier_msg	m;
	ssize_t			n;

	if (fd == -1)
		return;
	memset(&m, 0, sizeof m);
	m.ticket_id = ticket_id;
	m.kind = (int32_t)kind;
	/* Under PIPE_BUF: written whole, whichever thread writes. */
	do
		n = write(fd, &m, sizeof m);
	while (n == -1 && errno == EINTR);
}
