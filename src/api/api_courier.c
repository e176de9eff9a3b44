/*
 * api_courier.c: the mail of watchdog --serve, delivered in the
 * background as after --create, --update and --comment: a process forked
 * before the server's threads start (no thread, lock or SQLite state
 * crosses the fork) is told of each notice queued through a pipe and
 * delivers what is due through its own connection. A failure is left queued for the next --check-sla.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* How long the courier gathers notices before it delivers them. */
#define API_COURIER_GATHER_MS	100

/* One message on the pipe: written and read whole (under PIPE_BUF). */
struct api_courier_msg {
	int64_t		ticket_id;
	int32_t		kind;		/* enum api_notice */
	int32_t		pad;
};

/* Deliver what the outbox holds that is due; failures stay queued. */
static void
api_courier_deliver(const struct config *cfg, struct db *db)
{
	struct deliver_stats	 stats;
	struct mailer		*mailer = NULL;

	if (mailer_open(cfg, NULL, &mailer, NULL) == WD_OK)
		(void)deliver_run(db, cfg, mailer, NULL, 0, NULL, true, NULL,
		    NULL, &stats, NULL);
	mailer_close(mailer);
}

/* Milliseconds of the monotonic clock. */
static int64_t
api_courier_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait for a message on FD, then gather those that come within
 * API_COURIER_GATHER_MS of it. 1 when there was one, 0 when FD closed.
 */
static int
api_courier_wait(int fd)
{
	struct api_courier_msg	 m;
	struct pollfd		 pfd = { .fd = fd, .events = POLLIN };
	ssize_t			 n;
	int64_t			 until = 0;
	int			 got = 0, timeout = -1;

	for (;;) {
		if (got) {
			timeout = (int)(until - api_courier_ms());
			if (timeout <= 0)
				return 1;
		}
		if (poll(&pfd, 1, timeout) == -1) {
			if (errno == EINTR)
				continue;
			return got;
		}
		if ((pfd.revents & (POLLIN | POLLHUP)) == 0)
			return got;	/* the gathering time is over */
		n = read(fd, &m, sizeof m);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof m)
			return 0;	/* closed: the server is stopping */
		if (!got)
			until = api_courier_ms() + API_COURIER_GATHER_MS;
		got = 1;
	}
}

/*
 * The courier: after each burst of notices, deliver what is due, in
 * batches (one claim for many messages rather than one a ticket: the
 * server's writers meet the lock less often). Until FD closes; then what
 * is left is delivered once more.
 */
static void __attribute__((noreturn))
api_courier_run(const struct config *cfg, int fd)
{
	struct db	*db = NULL;

	/* The server stops it by closing the pipe, after its last request. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	if (db_open(cfg->database_path, &db, NULL) != WD_OK)
		_exit(1);
	while (api_courier_wait(fd) == 1)
		api_courier_deliver(cfg, db);
	api_courier_deliver(cfg, db);
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
