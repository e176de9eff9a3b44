/*
 * timeutil.c: parsing deadlines and formatting times and countdowns.
 *
 * Nothing here reads the clock: the caller passes NOW. Local time follows
 * TZ through mktime and localtime_r; UTC goes through timegm and gmtime_r.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watchdog/status.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"
#include "watchdog/zone.h"

/* 9999-12-31T23:59:59Z, the last second a deadline may name. */
#define TIME_MAX_EPOCH		253402300799LL

/* The furthest a relative deadline may reach: 10 years, leap days included. */
#define TIME_MAX_RELATIVE	(3653LL * 86400)

/* How much of the input an error message echoes, in bytes. */
#define TIME_ECHO_MAX		40

#define TIME_USAGE	"use YYYY-MM-DD HH:MM, ISO 8601 (2026-11-27T14:00Z), " \
			"+90m/+4h/+2d or @EPOCH"
#define TIME_RELATIVE_USAGE \
			"use + and a number with s, m, h, d or w " \
			"(+90m, +4h, +2d, +1h30m)"
#define TIME_EPOCH_USAGE \
			"use @ and whole seconds since 1970 (@1795788000)"
#define TIME_RANGE	"out of range (1970 to 9999 UTC)"

/* The units of a relative deadline. */
static const struct {
	char	unit;
	int64_t	secs;
} time_units[] = {
	{ 's', 1 },
	{ 'm', 60 },
	{ 'h', 3600 },
	{ 'd', 86400 },
	{ 'w', 604800 },
};

/* The fields of an absolute deadline as typed. */
struct time_fields {
	int	year, mon, day;
	int	hour, min, sec;
	bool	zoned;		/* "Z" or an offset was given */
	int	offset;		/* seconds east of UTC, when zoned */
};

/*
 * The input as it may appear in a one-line message: control characters and
 * invalid bytes become '?', cut to TIME_ECHO_MAX bytes without splitting a
 * character. Returns a string the caller frees.
 */
static char *
time_echo(const char *s)
{
	struct strbuf	 sb = { NULL, 0, 0 };
	size_t		 len, off, n;
	uint32_t	 cp;
	bool		 bad;

	len = strlen(s);
	off = 0;
	while (off < len && sb.len < TIME_ECHO_MAX) {
		n = utf8_decode(s + off, len - off, &cp);
		bad = (n == 1 && (unsigned char)s[off] >= 0x80) ||
		    cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
		if (bad)
			strbuf_add(&sb, "?", 1);
		else if (sb.len + n > TIME_ECHO_MAX)
			break;
		else
			strbuf_add(&sb, s + off, n);
		off += n;
	}
	return strbuf_detach(&sb);
}

/*
 * Read exactly N decimal digits at *P into *V and move *P past them.
 * Returns 0, or -1 (with *P unchanged) when there are fewer digits.
 */
static int
time_digits(const char **p, int n, int *v)
{
	const char	*q = *p;
	int		 i, value = 0;

	for (i = 0; i < n; i++) {
		if (q[i] < '0' || q[i] > '9')
			return -1;
		value = value * 10 + (q[i] - '0');
	}
	*p = q + n;
	*v = value;
	return 0;
}

/* True when YEAR is a Gregorian leap year. */
static bool
time_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* The number of days in month MON (1-12) of YEAR. */
static int
time_month_days(int year, int mon)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mon == 2 && time_leap(year))
		return 29;
	return days[mon - 1];
}

/*
 * Parse "+HH:MM", "-HH:MM", "+HHMM" or "-HHMM" at *P into *OFFSET (seconds
 * east of UTC) and move *P past it. Returns NULL, or what is wrong.
 */
static const char *
time_parse_offset(const char **p, int *offset)
{
	const char	*q = *p;
	int		 sign, oh, om;

	sign = *q == '-' ? -1 : 1;
	q++;
	if (time_digits(&q, 2, &oh) != 0)
		return TIME_USAGE;
	if (*q == ':')
		q++;
	if (time_digits(&q, 2, &om) != 0)
		return TIME_USAGE;
	if (om > 59 || oh * 60 + om > 18 * 60)
		return "time zone offset out of range";
	*offset = sign * (oh * 3600 + om * 60);
	*p = q;
	return NULL;
}

/*
 * Split "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS]", optionally
 * followed by "Z" or an offset, into F and check each field's range.
 * Returns NULL, or what is wrong.
 */
static const char *
time_parse_fields(const char *p, struct time_fields *f)
{
	const char	*why;

	memset(f, 0, sizeof *f);
	if (time_digits(&p, 4, &f->year) != 0 || *p++ != '-' ||
	    time_digits(&p, 2, &f->mon) != 0 || *p++ != '-' ||
	    time_digits(&p, 2, &f->day) != 0)
		return TIME_USAGE;
	if (*p == '\0')
		return "missing the time of day (HH:MM)";
	if (*p == 'T' || *p == 't')
		p++;
	else if (*p == ' ') {
		while (*p == ' ')
			p++;
	} else
		return TIME_USAGE;
	if (time_digits(&p, 2, &f->hour) != 0 || *p++ != ':' ||
	    time_digits(&p, 2, &f->min) != 0)
		return TIME_USAGE;
	if (*p == ':') {
		p++;
		if (time_digits(&p, 2, &f->sec) != 0)
			return TIME_USAGE;
		/* Fractions (JavaScript's toISOString()) are dropped. */
		if (*p == '.' || *p == ',') {
			p++;
			if (*p < '0' || *p > '9')
				return TIME_USAGE;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		f->zoned = true;
		p++;
	} else if (*p == '+' || *p == '-') {
		f->zoned = true;
		if ((why = time_parse_offset(&p, &f->offset)) != NULL)
			return why;
	}
	if (*p != '\0')
		return TIME_USAGE;

	if (f->year < 1970 || f->year > 9999)
		return "year out of range";
	if (f->mon < 1 || f->mon > 12)
		return "month out of range";
	if (f->day < 1 || f->day > time_month_days(f->year, f->mon))
		return "day out of range";
	if (f->hour > 23)
		return "hour out of range";
	if (f->min > 59)
		return "minute out of range";
	if (f->sec > 59)
		return "second out of range";
	return NULL;
}

/*
 * Turn an absolute deadline at P into UTC seconds in *OUT. Without a zone
 * it is local time, and a wall time that the clocks skip (a daylight saving
 * gap) is refused. Returns NULL, or what is wrong.
 */
static const char *
time_parse_absolute(const char *p, int64_t *out)
{
	struct time_fields	 f;
	struct tm		 tm, check;
	const char		*why;
	time_t			 t;

	if ((why = time_parse_fields(p, &f)) != NULL)
		return why;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = f.year - 1900;
	tm.tm_mon = f.mon - 1;
	tm.tm_mday = f.day;
	tm.tm_hour = f.hour;
	tm.tm_min = f.min;
	tm.tm_sec = f.sec;
	if (f.zoned) {
		t = timegm(&tm);
		t -= f.offset;
	} else {
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (localtime_r(&t, &check) == NULL)
			return TIME_RANGE;
		if (check.tm_year != f.year - 1900 ||
		    check.tm_mon != f.mon - 1 || check.tm_mday != f.day ||
		    check.tm_hour != f.hour || check.tm_min != f.min ||
		    check.tm_sec != f.sec)
			return "that time does not exist in local time "
			    "(daylight saving time change)";
	}
	if (t < 0 || (int64_t)t > TIME_MAX_EPOCH)
		return TIME_RANGE;
	*out = (int64_t)t;
	return NULL;
}

/*
 * Parse the groups of a relative deadline after the '+' ("90m", "1h30m")
 * and add them to NOW into *OUT. Returns NULL, or what is wrong.
 */
static const char *
time_parse_relative(const char *p, int64_t now, int64_t *out)
{
	int64_t	total = 0, n, secs;
	size_t	i;

	if (*p == '\0')
		return TIME_RELATIVE_USAGE;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			return TIME_RELATIVE_USAGE;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			if (n <= TIME_MAX_RELATIVE)
				n = n * 10 + (*p - '0');
		}
		secs = 0;
		for (i = 0; i < sizeof time_units / sizeof time_units[0]; i++) {
			if (time_units[i].unit == *p)
				secs = time_units[i].secs;
		}
		if (secs == 0)
			return TIME_RELATIVE_USAGE;
		p++;
		if (n > (TIME_MAX_RELATIVE - total) / secs)
			return "more than 10 years ahead";
		total += n * secs;
	}
	if (now < 0 || now > TIME_MAX_EPOCH - total)
		return TIME_RANGE;
	*out = now + total;
	return NULL;
}

/*
 * Parse the seconds after the '@' of "@EPOCH" into *OUT. Returns NULL, or
 * what is wrong.
 */
static const char *
time_parse_epoch(const char *p, int64_t *out)
{
	int64_t	n = 0;

	if (*p == '\0')
		return TIME_EPOCH_USAGE;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return TIME_EPOCH_USAGE;
		if (n <= TIME_MAX_EPOCH)
			n = n * 10 + (*p - '0');
	}
	if (n > TIME_MAX_EPOCH)
		return TIME_RANGE;
	*out = n;
	return NULL;
}

/*
 * Parse the deadline S (leading and trailing blanks ignored) relative to
 * NOW. Returns WD_OK with UTC seconds in *OUT, or WD_EDATA with a one-line
 * message in *CAUSE (caller frees) that echoes the input, made safe.
 */
enum wd_status
time_parse_deadline(const char *s, int64_t now, int64_t *out, char **cause)
{
	enum wd_status	 status = WD_OK;
	const char	*start, *end, *why;
	char		*in, *echo;
	int64_t		 t = 0;

	if (s == NULL)
		s = "";
	start = s;
	while (*start == ' ' || *start == '\t')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	in = xstrndup(start, (size_t)(end - start));

	if (in[0] == '@')
		why = time_parse_epoch(in + 1, &t);
	else if (in[0] == '+')
		why = time_parse_relative(in + 1, now, &t);
	else if (in[0] >= '0' && in[0] <= '9')
		why = time_parse_absolute(in, &t);
	else
		why = TIME_USAGE;

	if (why != NULL) {
		echo = time_echo(in);
		status = status_set(cause, WD_EDATA, "bad deadline '%s': %s",
		    echo, why);
		free(echo);
	} else
		*out = t;
	free(in);
	return status;
}

/* Leave "?" (or as much of it as fits) in BUF after a failed format. */
static void
time_format_fail(char *buf, size_t len)
{
	if (len > 0)
		snprintf(buf, len, "?");
}

/*
 * Break T down into *TM, in UTC or in local time. Returns false when T is
 * beyond what the C library can represent.
 */
static bool
time_tm(int64_t t, bool utc, struct tm *tm)
{
	time_t	tt = (time_t)t;

	if ((int64_t)tt != t)
		return false;
	if (utc)
		return gmtime_r(&tt, tm) != NULL;
	return localtime_r(&tt, tm) != NULL;
}

/* Write V (0 <= V) as N digits then the character AFTER, at P. */
static void
time_put_digits(char *p, int64_t v, int n, char after)
{
	p[n] = after;
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* "2026-11-27T14:00:00Z" (UTC) into BUF; "?" when T cannot be shown. */
void
time_format_iso(int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	int64_t		days, secs, era, doe, yoe, y, doy, mp, d, m;

	/*
	 * Years 1000 to 9999 by arithmetic (days to civil date, proleptic
	 * Gregorian): a listing formats four times a row, and gmtime_r with
	 * strftime cost a tenth of a million-row --list --ndjson.
	 */
	if (t >= -30610224000LL && t <= 253402300799LL && len >= 21) {
		days = t / 86400;
		secs = t % 86400;
		if (secs < 0) {
			secs += 86400;
			days--;
		}
		days += 719468;
		era = (days >= 0 ? days : days - 146096) / 146097;
		doe = days - era * 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		y = yoe + era * 400;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		d = doy - (153 * mp + 2) / 5 + 1;
		m = mp < 10 ? mp + 3 : mp - 9;
		y += m <= 2;
		time_put_digits(buf, y, 4, '-');
		time_put_digits(buf + 5, m, 2, '-');
		time_put_digits(buf + 8, d, 2, 'T');
		time_put_digits(buf + 11, secs / 3600, 2, ':');
		time_put_digits(buf + 14, secs / 60 % 60, 2, ':');
		time_put_digits(buf + 17, secs % 60, 2, 'Z');
		buf[20] = '\0';
		return;
	}
	if (!time_tm(t, true, &tm) ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		time_format_fail(buf, len);
}

/* "2026-11-27 15:00" (local time) into BUF; "?" when T cannot be shown. */
void
time_format_local(int64_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (!time_tm(t, false, &tm) ||
	    strftime(buf, len, "%Y-%m-%d %H:%M", &tm) == 0)
		time_format_fail(buf, len);
}

/* "15:00" (local time) into BUF; "?" when T cannot be shown. */
void
time_format_hhmm(int64_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (!time_tm(t, false, &tm) || strftime(buf, len, "%H:%M", &tm) == 0)
		time_format_fail(buf, len);
}

/*
 * Format TM as "YYYY-MM-DD HH:MM" (WITH_DATE) or "HH:MM", then " ABBR",
 * into BUF; false when it does not fit.
 */
static bool
time_format_abbr(const struct tm *tm, bool with_date, const char *abbr,
    char *buf, size_t len)
{
	char	when[32];

	return strftime(when, sizeof when, with_date ? "%Y-%m-%d %H:%M" :
	    "%H:%M", tm) != 0 &&
	    (size_t)snprintf(buf, len, "%s %s", when, abbr) < len;
}

/* T in ZONE with the zone's abbreviation; see timeutil.h. */
void
time_format_zone(int64_t t, const char *zone, char *full, size_t fulllen,
    char *hhmm, size_t hhmmlen)
{
	struct tm	tm;
	char		abbr[16];
	bool		ok;

	ok = zone_localtime(t, zone, &tm, abbr, sizeof abbr);
	if (full != NULL && (!ok ||
	    !time_format_abbr(&tm, true, abbr, full, fulllen)))
		time_format_fail(full, fulllen);
	if (hhmm != NULL && (!ok ||
	    !time_format_abbr(&tm, false, abbr, hhmm, hhmmlen)))
		time_format_fail(hhmm, hhmmlen);
}

/*
 * The countdown for a deadline LEFT seconds away into BUF, each unit
 * truncated: "2d 4h left", "2h 13m left", "4m 10s left", "45s left"; at or
 * past the deadline "overdue 0s", "overdue 5m", "overdue 2h 5m",
 * "overdue 3d 1h". Cut to fit LEN.
 */
void
time_format_left(int64_t left, char *buf, size_t len)
{
	unsigned long long	v;

	if (len == 0)
		return;
	if (left > 0) {
		v = (unsigned long long)left;
		if (v >= 86400)
			snprintf(buf, len, "%llud %lluh left", v / 86400,
			    v % 86400 / 3600);
		else if (v >= 3600)
			snprintf(buf, len, "%lluh %llum left", v / 3600,
			    v % 3600 / 60);
		else if (v >= 60)
			snprintf(buf, len, "%llum %llus left", v / 60, v % 60);
		else
			snprintf(buf, len, "%llus left", v);
		return;
	}
	v = 0ULL - (unsigned long long)left;
	if (v < 60)
		snprintf(buf, len, "overdue %llus", v);
	else if (v < 3600)
		snprintf(buf, len, "overdue %llum", v / 60);
	else if (v < 86400)
		snprintf(buf, len, "overdue %lluh %llum", v / 3600,
		    v % 3600 / 60);
	else
		snprintf(buf, len, "overdue %llud %lluh", v / 86400,
		    v % 86400 / 3600);
}

/* The countdown of a ticket, paused or not; see timeutil.h. */
void
time_format_sla_left(int64_t left, bool paused, char *buf, size_t len)
{
	char	text[48];

	if (!paused) {
		time_format_left(left, buf, len);
		return;
	}
	time_format_left(left, text, sizeof text);
	snprintf(buf, len, "paused, %s", text);
}

/* A length of time; see timeutil.h. */
void
time_format_duration(int64_t secs, char *buf, size_t len)
{
	long long	v = secs > 0 ? (long long)secs : 0;

	if (v >= 86400)
		snprintf(buf, len, "%lldd %lldh %lldm", v / 86400,
		    v % 86400 / 3600, v % 3600 / 60);
	else if (v >= 3600)
		snprintf(buf, len, "%lldh %lldm", v / 3600, v % 3600 / 60);
	else if (v >= 60)
		snprintf(buf, len, "%lldm", v / 60);
	else
		snprintf(buf, len, "%llds", v);
}
