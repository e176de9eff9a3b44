/*
 * fuzz_deadline.c: time_parse_deadline() on arbitrary text, at a fixed
 * NOW and in a fixed time zone with daylight saving time (Europe/Berlin),
 * so that every run of an input behaves the same.
 *
 * A deadline that parses is within 1970..9999 UTC; a relative one is
 * NOW plus its groups, at most ten years; an "@EPOCH" one is the number
 * given; an absolute one, broken down again, shows the date and time
 * typed (so no impossible date or skipped local time got through). A
 * refusal comes with a one-line message in valid UTF-8.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watchdog/status.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"

#include "fuzz.h"

#define FUZZ_NOW		1795788000LL	/* 2026-11-27T14:00:00Z */
#define FUZZ_MAX_EPOCH		253402300799LL	/* 9999-12-31T23:59:59Z */
#define FUZZ_MAX_RELATIVE	(3653LL * 86400)

/* Fix the time zone before the first run. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
}

/* The text S without its leading and trailing blanks; a new string. */
static char *
trimmed(const char *s)
{
	size_t	len;
	char	*t;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if ((t = malloc(len + 1)) == NULL)
		abort();
	memcpy(t, s, len);
	t[len] = '\0';
	return t;
}

/* The number of the N digits at S (all digits: the parser said so). */
static int
digits(const char *s, int n)
{
	int	i, v = 0;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * Check an accepted relative deadline IN ("+1h30m") against T: NOW plus
 * the sum of its groups, added up here independently.
 */
static void
check_relative(const char *in, int64_t t)
{
	const char	*p;
	int64_t		 total = 0, n;

	if (t < FUZZ_NOW || t > FUZZ_NOW + FUZZ_MAX_RELATIVE)
		fuzz_fail("relative deadline %lld not within ten years of "
		    "now", (long long)t);
	for (p = in + 1; *p != '\0'; p++) {
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			if (n > FUZZ_MAX_RELATIVE)
				fuzz_fail("accepted a relative group beyond "
				    "ten years");
			n = n * 10 + (*p - '0');
		}
		switch (*p) {
		case 's':
			total += n;
			break;
		case 'm':
			total += n * 60;
			break;
		case 'h':
			total += n * 3600;
			break;
		case 'd':
			total += n * 86400;
			break;
		case 'w':
			total += n * 604800;
			break;
		default:
			fuzz_fail("accepted a relative deadline with unit "
			    "0x%02x", (unsigned char)*p);
		}
	}
	if (t != FUZZ_NOW + total)
		fuzz_fail("relative deadline is now%+lld, not now%+lld",
		    (long long)(t - FUZZ_NOW), (long long)total);
}

/*
 * Check an accepted absolute deadline IN against T: broken down again (in
 * UTC less the offset given, or in local time) it must show the date and
 * time that were typed.
 */
static void
check_absolute(const char *in, int64_t t)
{
	struct tm	 tm;
	const char	*p;
	time_t		 tt;
	int		 hour, min, sec = 0, offset = 0;
	bool		 zoned = false;

	p = in + 10;
	if (*p == 'T' || *p == 't')
		p++;
	else
		while (*p == ' ')
			p++;
	hour = digits(p, 2);
	min = digits(p + 3, 2);
	p += 5;
	if (*p == ':') {
		sec = digits(p + 1, 2);
		p += 3;
		if (*p == '.' || *p == ',')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (*p == 'Z' || *p == 'z')
		zoned = true;
	else if (*p == '+' || *p == '-') {
		zoned = true;
		offset = digits(p + 1, 2) * 3600 +
		    digits(p + (p[3] == ':' ? 4 : 3), 2) * 60;
		if (*p == '-')
			offset = -offset;
	}
	tt = (time_t)(t + offset);
	if ((zoned ? gmtime_r(&tt, &tm) : localtime_r(&tt, &tm)) == NULL)
		fuzz_fail("deadline %lld cannot be broken down", (long long)t);
	if (tm.tm_year + 1900 != digits(in, 4) ||
	    tm.tm_mon + 1 != digits(in + 5, 2) ||
	    tm.tm_mday != digits(in + 8, 2) || tm.tm_hour != hour ||
	    tm.tm_min != min || tm.tm_sec != sec)
		fuzz_fail("'%s' gave %lld, which is %04d-%02d-%02d "
		    "%02d:%02d:%02d %s", in, (long long)t, tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec, zoned ? "at the offset given" : "local time");
}

/* Check the deadline T that S parsed to. */
static void
check_result(const char *s, int64_t t)
{
	char		*in, *end;
	long long	 n;

	if (t < 0 || t > FUZZ_MAX_EPOCH)
		fuzz_fail("deadline %lld outside 1970..9999", (long long)t);
	in = trimmed(s);
	if (in[0] == '+')
		check_relative(in, t);
	else if (in[0] == '@') {
		n = strtoll(in + 1, &end, 10);
		if (*end != '\0' || n != t)
			fuzz_fail("@EPOCH gave %lld", (long long)t);
	} else if (in[0] >= '0' && in[0] <= '9')
		check_absolute(in, t);
	else
		fuzz_fail("accepted a deadline starting with 0x%02x",
		    (unsigned char)in[0]);
	free(in);
}

/* One run: parse DATA (up to its first NUL) as a deadline. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s, *cause = NULL;
	int64_t		 t = -1;
	enum wd_status	 st;

	s = fuzz_cstring(data, size);
	st = time_parse_deadline(s, FUZZ_NOW, &t, &cause);
	if (st == WD_OK) {
		if (cause != NULL)
			fuzz_fail("time_parse_deadline succeeded with a "
			    "message");
		check_result(s, t);
	} else {
		if (st != WD_EDATA)
			fuzz_fail("time_parse_deadline returned %d", (int)st);
		fuzz_check_cause("time_parse_deadline", cause);
		if (!utf8_valid(cause, strlen(cause)))
			fuzz_fail("time_parse_deadline: message is not UTF-8");
	}
	free(cause);
	free(s);
	return 0;
}
