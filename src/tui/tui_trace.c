/*
 * tui_trace.c: timings for make bench. When WATCHDOG_TRACE_FD names an
 * open descriptor, the UI writes "EVENT VALUE" lines to it: when the login
 * was accepted, when the first frame was drawn, how long a timed key took
 * to show. No path is ever opened here.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tui_int.h"

#include "watchdog/util.h"

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t
tui_clock_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Write "EVENT VALUE" to the trace descriptor, if there is one. Only a
 * descriptor the caller opened is written: no path is ever opened here.
 */
void
tui_trace(struct tui *tui, const char *event, int64_t value)
{
	char	line[96];
	int	n;

	if (tui->trace_fd < 0)
		return;
	n = snprintf(line, sizeof line, "%s %lld\n", event, (long long)value);
	if (n > 0 && (size_t)n < sizeof line)
		(void)!write(tui->trace_fd, line, (size_t)n);
}

/*
 * Time the key being handled: when the screen has been drawn after it,
 * "EVENT NANOSECONDS-TAKEN" goes to the trace.
 */
void
tui_trace_key(struct tui *tui, const char *event)
{
	if (tui->trace_fd < 0)
		return;
	tui->trace_key_event = event;
	tui->trace_key_ns = tui->trace_key_ns != 0 ? tui->trace_key_ns :
	    tui_clock_ns();
}

/* The descriptor of WATCHDOG_TRACE_FD when it names an open one, or -1. */
int
tui_trace_open(void)
{
	const char	*s;
	long long	 fd;

	if ((s = getenv("WATCHDOG_TRACE_FD")) == NULL ||
	    parse_int64(s, 3, 1023, &fd) != 0 || fcntl((int)fd, F_GETFD) == -1)
		return -1;
	return (int)fd;
}
