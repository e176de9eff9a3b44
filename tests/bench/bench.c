/*
 * bench.c: the benchmark's timer (not part of the product).
 *
 *   bench time FILE CMD [ARG...]
 *	Run CMD (stdin, stdout and stderr inherited) and append to FILE one
 *	line "NANOSECONDS STATUS MAXRSS_KB": the time from just before the
 *	fork to the end of the wait on the monotonic clock, the exit status
 *	(128 + N for signal N) and the peak resident memory. Exits with the
 *	command's status.
 *
 *   bench login DB NAME RUNS
 *	Open DB (configuration from WATCHDOG_CONFIG) and time RUNS calls of
 *	user_login() for account NAME with the password on the first line of
 *	stdin; prints the nanoseconds of each on a line of its own. Exits 1
 *	when a login fails.
 *
 *   bench deadline RUNS
 *	Time RUNS business-time deadlines a year out: 250 business days of
 *	Mon-Fri 09:00-17:00 in Europe/Berlin with a year's holidays, from a
 *	different start each run, alternately as calendar_add() of 2000
 *	business hours and as calendar_add_days() of 250 days; prints the
 *	nanoseconds of each on a line of its own. Exits 1 when a deadline
 *	is not the one counted back with calendar_between().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "watchdog/calendar.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

/* Nanoseconds of the monotonic clock. */
static long long
clock_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Print the usage; returns the exit code for it. */
static int
usage(void)
{
	fprintf(stderr, "usage: bench time FILE CMD [ARG...]\n"
	    "       bench login DB NAME RUNS\n"
	    "       bench deadline RUNS\n");
	return 64;
}

/* bench time FILE CMD [ARG...]. */
static int
bench_time(int argc, char **argv)
{
	struct rusage	 ru;
	long long	 t0, t1;
	pid_t		 pid;
	char		 line[96];
	int		 fd, st, code, n;

	if (argc < 3)
		return usage();
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd == -1) {
		fprintf(stderr, "bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	t0 = clock_ns();
	if ((pid = fork()) == -1) {
		fprintf(stderr, "bench: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "bench: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) == -1) {
		if (errno != EINTR) {
			fprintf(stderr, "bench: wait: %s\n", strerror(errno));
			return 1;
		}
	}
	t1 = clock_ns();
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	n = snprintf(line, sizeof line, "%lld %d %ld\n", t1 - t0, code,
	    ru.ru_maxrss);
	if (n <= 0 || (size_t)n >= sizeof line ||
	    write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "bench: %s: cannot write\n", argv[1]);
		return 1;
	}
	close(fd);
	return code;
}

/* bench login DB NAME RUNS. */
static int
bench_login(int argc, char **argv)
{
	struct config	 cfg;
	struct user	 me;
	struct db	*db = NULL;
	char		 password[1024], *cause = NULL;
	long long	 runs, i, t0;
	int		 rc = 1;

	memset(&cfg, 0, sizeof cfg);
	if (argc != 4 || parse_int64(argv[3], 1, 1000, &runs) != 0)
		return usage();
	if (fgets(password, sizeof password, stdin) == NULL) {
		fprintf(stderr, "bench: no password on stdin\n");
		return 1;
	}
	password[strcspn(password, "\r\n")] = '\0';
	if (config_load(&cfg, NULL, &cause) != WD_OK ||
	    db_open(argv[1], &db, &cause) != WD_OK) {
		fprintf(stderr, "bench: %s\n", cause);
		goto out;
	}
	for (i = 0; i < runs; i++) {
		t0 = clock_ns();
		if (user_login(db, &cfg, argv[2], password, (int64_t)getuid(),
		    (int64_t)time(NULL), &me, &cause) != WD_OK) {
			fprintf(stderr, "bench: %s\n", cause);
			goto out;
		}
		printf("%lld\n", clock_ns() - t0);
		user_clear(&me);
	}
	rc = 0;

out:
	sodium_memzero(password, sizeof password);
	free(cause);
	db_close(db);
	config_free(&cfg);
	return rc;
}

/* bench deadline RUNS. */
static int
bench_deadline(int argc, char **argv)
{
	struct calendar	*cal = NULL;
	char		*cause = NULL;
	long long	 runs, i, t0, ns;
	int64_t		 start, due, secs = 250LL * 8 * 3600;
	int		 rc = 1;

	if (argc != 2 || parse_int64(argv[1], 1, 1000000, &runs) != 0)
		return usage();
	if (calendar_new("Mon-Fri 09:00-17:00", "01-01, 05-01, 10-03, 12-24, "
	    "12-25, 12-26, 12-31, 2027-03-26, 2027-03-29, 2027-05-06, "
	    "2027-05-17, 2028-04-14, 2028-04-17, 2028-05-25, 2028-06-05",
	    "Europe/Berlin", &cal, &cause) != WD_OK) {
		fprintf(stderr, "bench: %s\n", cause);
		goto out;
	}
	for (i = 0; i < runs; i++) {
		/* 2026-12-03 08:00 UTC plus a prime step: any time of day. */
		start = 1796284800LL + (i % 1000) * 7919;
		t0 = clock_ns();
		if (i % 2 == 0)
			due = calendar_add(cal, start, secs);
		else
			due = calendar_add_days(cal, start, 250);
		ns = clock_ns() - t0;
		if (i % 2 == 0 && calendar_between(cal, start, due) != secs) {
			fprintf(stderr, "bench: deadline %lld does not count "
			    "back to %lld s\n", (long long)due,
			    (long long)secs);
			goto out;
		}
		printf("%lld\n", ns);
	}
	rc = 0;

out:
	free(cause);
	calendar_free(cal);
	return rc;
}

/* bench time ... | bench login ...; see the top of this file. */
int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "time") == 0)
		return bench_time(argc - 1, argv + 1);
	if (strcmp(argv[1], "login") == 0)
		return bench_login(argc - 1, argv + 1);
	if (strcmp(argv[1], "deadline") == 0)
		return bench_deadline(argc - 1, argv + 1);
	return usage();
}
