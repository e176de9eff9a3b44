/*
 * calendar_parse.c: BUSINESS_HOURS and HOLIDAYS values, and civil dates;
 * see calendar_parse.h.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "watchdog/calendar_parse.h"
#include "watchdog/status.h"
#include "watchdog/util.h"

/* The longest item of a value that a message quotes. */
#define CALENDAR_TOKEN_MAX	64

static const char *const calendar_day_names[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};

/* Days since 1970-01-01; see calendar_parse.h (H. Hinnant's algorithm). */
int64_t
calendar_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of a day number; see calendar_parse.h. */
void
calendar_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t		z, era, doe, yoe, doy, mp;

	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* The weekday of a day number, Monday 0; see calendar_parse.h. */
int
calendar_weekday(int64_t days)
{
	int64_t		w;

	/* 1970-01-01 was a Thursday (3). */
	w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* Days of a month; see calendar_parse.h. */
int
calendar_month_days(int64_t y, int m)
{
	static const int	 len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && (y == 0 || (y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0))))
		return 29;
	return len[m - 1];
}

/*
 * Copy the LEN bytes at P into BUF (CALENDAR_TOKEN_MAX) for a message,
 * tabs as spaces, cut short at a character boundary when long.
 */
static const char *
calendar_token(char *buf, const char *p, size_t len)
{
	size_t	i;

	if (len >= CALENDAR_TOKEN_MAX) {
		len = CALENDAR_TOKEN_MAX - 1;
		/* Not in the middle of a UTF-8 character. */
		while (len > 0 && ((unsigned char)p[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(buf, p, len);
	buf[len] = '\0';
	/* A message is one line of text. */
	for (i = 0; i < len; i++)
		if (buf[i] == '\t')
			buf[i] = ' ';
	return buf;
}

/* The weekday named by the LEN bytes at P (Mon..Sun, any case), or -1. */
static int
calendar_day_index(const char *p, size_t len)
{
	int	i;

	if (len != 3)
		return -1;
	for (i = 0; i < 7; i++)
		if (strncasecmp(p, calendar_day_names[i], 3) == 0)
			return i;
	return -1;
}

/*
 * A day or a day range (Mon, Mon-Fri) in the LEN bytes at P: set the days
 * in *DAYS (bit 0 is Monday). 0, or -1 with *CAUSE.
 */
static int
calendar_parse_days(const char *p, size_t len, unsigned *days, char **cause)
{
	const char	*dash;
	char		 tok[CALENDAR_TOKEN_MAX];
	int		 a, b, i;

	dash = memchr(p, '-', len);
	a = calendar_day_index(p, dash != NULL ? (size_t)(dash - p) : len);
	b = dash != NULL ?
	    calendar_day_index(dash + 1, len - (size_t)(dash - p) - 1) : a;
	if (a < 0 || b < 0) {
		status_set(cause, WD_ECONFIG, "'%s': expected a day (Mon, Tue, "
		    "Wed, Thu, Fri, Sat, Sun) or a range such as Mon-Fri",
		    calendar_token(tok, p, len));
		return -1;
	}
	if (b < a) {
		status_set(cause, WD_ECONFIG, "'%s': reversed; days run from "
		    "Mon to Sun (write Fri-Sun, Mon)",
		    calendar_token(tok, p, len));
		return -1;
	}
	for (i = a; i <= b; i++)
		*days |= 1u << i;
	return 0;
}

/* HH:MM (or H:MM) in the LEN bytes at P as seconds, or -1. */
static int32_t
calendar_clock(const char *p, size_t len)
{
	int	h, m;

	if (len == 4 && isdigit((unsigned char)p[0]) && p[1] == ':') {
		h = p[0] - '0';
		p += 2;
	} else if (len == 5 && isdigit((unsigned char)p[0]) &&
	    isdigit((unsigned char)p[1]) && p[2] == ':') {
		h = (p[0] - '0') * 10 + (p[1] - '0');
		p += 3;
	} else
		return -1;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return -1;
	m = (p[0] - '0') * 10 + (p[1] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return (int32_t)(h * 3600 + m * 60);
}

/*
 * A range HH:MM-HH:MM in the LEN bytes at P into *R. 0, or -1 with
 * *CAUSE.
 */
static int
calendar_parse_range(const char *p, size_t len, struct calendar_range *r,
    char **cause)
{
	const char	*dash;
	char		 tok[CALENDAR_TOKEN_MAX];

	calendar_token(tok, p, len);
	if ((dash = memchr(p, '-', len)) == NULL ||
	    (r->from = calendar_clock(p, (size_t)(dash - p))) < 0 ||
	    (r->to = calendar_clock(dash + 1, len - (size_t)(dash - p) - 1)) <
	    0) {
		status_set(cause, WD_ECONFIG, "'%s': expected HH:MM-HH:MM such "
		    "as 09:00-17:00 (24:00 allowed as an end)", tok);
		return -1;
	}
	if (r->from == 86400) {
		status_set(cause, WD_ECONFIG, "'%s': 24:00 is only an end",
		    tok);
		return -1;
	}
	if (r->to <= r->from) {
		status_set(cause, WD_ECONFIG, "'%s': reversed or empty; a range "
		    "ends after it starts, on the same day (split one across "
		    "midnight as Mon 22:00-24:00, Tue 00:00-06:00)", tok);
		return -1;
	}
	return 0;
}

/* Print a range of DAY into BUF (CALENDAR_TOKEN_MAX) for a message. */
static const char *
calendar_range_text(char *buf, int day, const struct calendar_range *r)
{
	snprintf(buf, CALENDAR_TOKEN_MAX, "%s %02d:%02d-%02d:%02d",
	    calendar_day_names[day], r->from / 3600, r->from % 3600 / 60,
	    r->to / 3600, r->to % 3600 / 60);
	return buf;
}

/*
 * Add range R to DAY of W, sorted, joining a range it touches. 0, or -1
 * with *CAUSE when it overlaps one or the day is full.
 */
static int
calendar_add_range(struct calendar_week *w, int day,
    const struct calendar_range *r, char **cause)
{
	struct calendar_range	*v = w->r[day];
	char			 a[CALENDAR_TOKEN_MAX], b[CALENDAR_TOKEN_MAX];
	int			 i, n = w->n[day];

	for (i = 0; i < n; i++) {
		if (r->from < v[i].to && v[i].from < r->to) {
			status_set(cause, WD_ECONFIG, "'%s' overlaps '%s'",
			    calendar_range_text(a, day, r),
			    calendar_range_text(b, day, &v[i]));
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		if (v[i].to == r->from || v[i].from == r->to) {
			if (v[i].to == r->from)
				v[i].to = r->to;
			else
				v[i].from = r->from;
			/* It may now touch its neighbour. */
			if (i + 1 < n && v[i].to == v[i + 1].from) {
				v[i].to = v[i + 1].to;
				memmove(&v[i + 1], &v[i + 2],
				    (size_t)(n - i - 2) * sizeof *v);
				w->n[day]--;
			} else if (i > 0 && v[i - 1].to == v[i].from) {
				v[i - 1].to = v[i].to;
				memmove(&v[i], &v[i + 1],
				    (size_t)(n - i - 1) * sizeof *v);
				w->n[day]--;
			}
			return 0;
		}
	}
	if (n == CALENDAR_RANGES_MAX) {
		status_set(cause, WD_ECONFIG, "%s: more than %d ranges",
		    calendar_day_names[day], CALENDAR_RANGES_MAX);
		return -1;
	}
	for (i = n; i > 0 && v[i - 1].from > r->from; i--)
		v[i] = v[i - 1];
	v[i] = *r;
	w->n[day]++;
	return 0;
}

/* Skip blanks at *P, then return the length of the token there. */
static size_t
calendar_next_token(const char **p, const char *end)
{
	const char	*q;

	while (*p < end && isspace((unsigned char)**p))
		(*p)++;
	for (q = *p; q < end && !isspace((unsigned char)*q); q++)
		;
	return (size_t)(q - *p);
}

/*
 * One comma-separated group [P, END) of BUSINESS_HOURS: days, then
 * ranges. Days without ranges stay in *DAYS for the next group ("Mon,Wed
 * 09:00-12:00"). 0, or -1 with *CAUSE.
 */
static int
calendar_parse_group(const char *p, const char *end, unsigned *days,
    struct calendar_week *w, char **cause)
{
	struct calendar_range	 r;
	char			 tok[CALENDAR_TOKEN_MAX];
	size_t			 len;
	bool			 ranges = false;
	int			 d;

	while ((len = calendar_next_token(&p, end)) > 0) {
		if (isalpha((unsigned char)*p)) {
			if (ranges) {
				status_set(cause, WD_ECONFIG, "'%s': days "
				    "come before their hours; separate the "
				    "groups with a comma",
				    calendar_token(tok, p, len));
				return -1;
			}
			if (calendar_parse_days(p, len, days, cause) != 0)
				return -1;
		} else {
			if (*days == 0) {
				status_set(cause, WD_ECONFIG, "'%s': which "
				    "days? write them first, as in Mon-Fri "
				    "09:00-17:00", calendar_token(tok, p, len));
				return -1;
			}
			if (calendar_parse_range(p, len, &r, cause) != 0)
				return -1;
			for (d = 0; d < 7; d++)
				if ((*days & (1u << d)) != 0 &&
				    calendar_add_range(w, d, &r, cause) != 0)
					return -1;
			ranges = true;
		}
		p += len;
	}
	if (ranges)
		*days = 0;
	return 0;
}

/* Whether TEXT holds a control character other than a tab. */
static bool
calendar_has_control(const char *text)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return true;
	return false;
}

/* Parse BUSINESS_HOURS; see calendar_parse.h. */
enum wd_status
calendar_parse_hours(const char *text, struct calendar_week *w,
    char **cause)
{
	const char	*p, *end, *comma;
	unsigned	 days = 0;
	size_t		 len;

	memset(w, 0, sizeof *w);
	if (calendar_has_control(text))
		return status_set(cause, WD_ECONFIG, "contains a control "
		    "character");
	p = text;
	end = text + strlen(text);
	len = calendar_next_token(&p, end);
	if (len == 4 && strncasecmp(p, "24x7", 4) == 0 &&
	    calendar_next_token(&(const char *){ p + 4 }, end) == 0) {
		w->always = true;
		return WD_OK;
	}
	if (len == 0)
		return status_set(cause, WD_ECONFIG, "empty; write 24x7 for "
		    "always open, or days and hours such as Mon-Fri "
		    "09:00-17:00");
	for (p = text; p <= end; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		if (calendar_parse_group(p, comma, &days, w, cause) != 0)
			return WD_ECONFIG;
	}
	if (days != 0)
		return status_set(cause, WD_ECONFIG, "the last days have no "
		    "hours; add them, as in Sat 10:00-14:00");
	return WD_OK;
}

/*
 * One HOLIDAYS item in the LEN bytes at P: MM-DD or YYYY-MM-DD. 0 and
 * *Y (0 for yearly), *M, *D; or -1 with *CAUSE.
 */
static int
calendar_parse_date(const char *p, size_t len, int *y, int *m, int *d,
    char **cause)
{
	char	 tok[CALENDAR_TOKEN_MAX];
	size_t	 i;
	int	 v[3], nv = 0, digits = 0;

	calendar_token(tok, p, len);
	v[0] = v[1] = v[2] = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && isdigit((unsigned char)p[i]) && nv < 3) {
			/* Longer groups are refused below; no overflow. */
			if (digits < 4)
				v[nv] = v[nv] * 10 + (p[i] - '0');
			digits++;
			continue;
		}
		if ((i < len && p[i] != '-') || nv == 3 ||
		    digits != (nv == 0 && len == 10 ? 4 : 2))
			goto bad;
		nv++;
		digits = 0;
	}
	if (nv == 2) {
		*y = 0;
		*m = v[0];
		*d = v[1];
	} else if (nv == 3 && v[0] >= 1970) {
		*y = v[0];
		*m = v[1];
		*d = v[2];
	} else
		goto bad;
	if (*m < 1 || *m > 12 || *d < 1 || *d > calendar_month_days(*y, *m)) {
		status_set(cause, WD_ECONFIG, "'%s': no such date", tok);
		return -1;
	}
	return 0;

bad:
	status_set(cause, WD_ECONFIG, "'%s': expected MM-DD (every year) or "
	    "YYYY-MM-DD (once)", tok);
	return -1;
}

/* Parse HOLIDAYS; see calendar_parse.h. */
enum wd_status
calendar_parse_holidays(const char *text,
    int (*fn)(int, int, int, const char *, void *), void *arg, char **cause)
{
	const char	*p, *end, *comma, *q;
	char		 tok[CALENDAR_TOKEN_MAX];
	size_t		 len;
	int		 y, m, d;

	if (calendar_has_control(text))
		return status_set(cause, WD_ECONFIG, "contains a control "
		    "character");
	end = text + strlen(text);
	p = text;
	if (calendar_next_token(&p, end) == 0)
		return WD_OK;
	for (p = text; p <= end; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		if ((len = calendar_next_token(&p, comma)) == 0)
			return status_set(cause, WD_ECONFIG, "an empty item; "
			    "separate dates with one comma");
		q = p + len;
		if (calendar_next_token(&q, comma) != 0)
			return status_set(cause, WD_ECONFIG, "'%s': separate "
			    "dates with a comma", calendar_token(tok, p,
			    (size_t)(comma - p)));
		if (calendar_parse_date(p, len, &y, &m, &d, cause) != 0)
			return WD_ECONFIG;
		if (fn != NULL && fn(y, m, d, calendar_token(tok, p, len),
		    arg) != 0)
			return WD_OK;
	}
	return WD_OK;
}
