/*
 * mail.c: the text of SLA notification e-mails (watchdog(1) NOTIFICATIONS).
 *
 * Pure: a ticket, a template and a time go in, an RFC 5322 message comes
 * out. The subject is one logical header line, RFC 2047 encoded where it
 * is not plain ASCII; the body is quoted-printable, so that every line is
 * short, no line starts with '.' and nothing a user typed can add a
 * header or end the SMTP data early.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "watchdog/embedded.h"
#include "watchdog/mail.h"
#include "watchdog/status.h"
#include "watchdog/ticket.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

#define MAIL_LINE_MAX		78	/* header lines (RFC 5322 2.1.1) */
#define MAIL_VALUE_MAX		900	/* a header value, well under 998 */
#define MAIL_QP_MAX		76	/* body lines (RFC 2045 6.7) */
#define MAIL_WORD_MAX		75	/* an encoded word (RFC 2047 2) */
/* The C0 controls and DEL, for strpbrk. */
#define MAIL_CONTROLS	"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b" \
	"\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b" \
	"\x1c\x1d\x1e\x1f\x7f"
#define MAIL_WORD_OVERHEAD	12	/* "=?UTF-8?Q?" and "?=" */
#define MAIL_WORD_MIN		(MAIL_WORD_OVERHEAD + 12) /* one character */
#define MAIL_PLAIN_MAX		60	/* longer ASCII words are encoded */
#define MAIL_DESC_BYTES		500	/* the start of the description */
#define MAIL_DESC_LINES		10
#define MAIL_DESC_CUT		"[...]"
#define MAIL_TEMPLATE_MAX	65536
#define MAIL_ECHO_MAX		40	/* bytes of a bad placeholder shown */

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

static const char *const mail_kind_names[] = {
	[MAIL_CREATED] = "created",
	[MAIL_WARNING] = "warning",
	[MAIL_MISSED] = "missed",
	[MAIL_ASSIGNED] = "assigned",
	[MAIL_COMMENTED] = "commented",
};

/* The placeholders of a template, in the order of mail_var_names. */
enum mail_var {
	MAIL_VAR_ID,
	MAIL_VAR_TITLE,
	MAIL_VAR_DESCRIPTION,
	MAIL_VAR_STATUS,
	MAIL_VAR_PRIORITY,
	MAIL_VAR_OWNER,
	MAIL_VAR_ASSIGNEE,
	MAIL_VAR_DEADLINE_LOCAL,
	MAIL_VAR_DEADLINE_UTC,
	MAIL_VAR_DUE_TIME,
	MAIL_VAR_LEFT,
	MAIL_VAR_KIND,
	MAIL_VAR_COMMAND,
	MAIL_VAR_AUTHOR,
	MAIL_VAR_COMMENT,
	MAIL_VAR_COUNT
};

static const char *const mail_var_names[MAIL_VAR_COUNT] = {
	[MAIL_VAR_ID] = "id",
	[MAIL_VAR_TITLE] = "title",
	[MAIL_VAR_DESCRIPTION] = "description",
	[MAIL_VAR_STATUS] = "status",
	[MAIL_VAR_PRIORITY] = "priority",
	[MAIL_VAR_OWNER] = "owner",
	[MAIL_VAR_ASSIGNEE] = "assignee",
	[MAIL_VAR_DEADLINE_LOCAL] = "deadline_local",
	[MAIL_VAR_DEADLINE_UTC] = "deadline_utc",
	[MAIL_VAR_DUE_TIME] = "due_time",
	[MAIL_VAR_LEFT] = "left",
	[MAIL_VAR_KIND] = "kind",
	[MAIL_VAR_COMMAND] = "command",
	[MAIL_VAR_AUTHOR] = "author",
	[MAIL_VAR_COMMENT] = "comment",
};

/* A template split into its parts. */
struct mail_template {
	char		*text;		/* LF line ends, no BOM; owned */
	const char	*subject;	/* into text: line 1 after "Subject:" */
	const char	*body;		/* into text: from line 3 */
};

/* "created", "warning", "missed" ("unknown" for anything else). */
const char *
mail_kind_name(enum mail_kind kind)
{
	if ((size_t)kind >= nitems(mail_kind_names))
		return "unknown";
	return mail_kind_names[kind];
}

/* True when KIND is one of the kinds. */
static bool
mail_kind_valid(enum mail_kind kind)
{
	return (size_t)kind < nitems(mail_kind_names);
}

/*
 * The domain for a Message-ID: the part of FROM after its last '@', up to
 * the first character a host name cannot hold, or "localhost". Returns a
 * new string.
 */
static char *
mail_domain(const char *from)
{
	const char	*at;
	size_t		 n;

	if (from == NULL || (at = strrchr(from, '@')) == NULL)
		return xstrdup("localhost");
	at++;
	n = strspn(at, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
	if (n == 0)
		return xstrdup("localhost");
	return xstrndup(at, n);
}

/*
 * The Message-ID of a notification (see mail.h). Bytes of INSTANCE that a
 * Message-ID cannot hold become '_'; a NULL or empty one is "local".
 * Returns a new string the caller frees.
 */
char *
mail_message_id(int64_t ticket_id, enum mail_kind kind, int64_t deadline,
    int64_t row, const char *instance, const char *from)
{
	char	*domain, *inst, *id, *c;

	domain = mail_domain(from);
	inst = xstrdup(instance == NULL || *instance == '\0' ? "local" :
	    instance);
	for (c = inst; *c != '\0'; c++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+=", *c) == NULL)
			*c = '_';
	}
	if (kind == MAIL_CREATED)
		id = xasprintf("<wd.%lld.created.%s@%s>",
		    (long long)ticket_id, inst, domain);
	else
		id = xasprintf("<wd.%lld.%s.%lld.%lld.%s@%s>",
		    (long long)ticket_id, mail_kind_name(kind),
		    (long long)deadline, (long long)row, inst, domain);
	free(inst);
	free(domain);
	return id;
}

/* The line number (from 1) of offset OFF in TEXT. */
static unsigned
mail_line_of(const char *text, size_t off)
{
	unsigned	line = 1;
	size_t		i;

	for (i = 0; i < off; i++) {
		if (text[i] == '\n')
			line++;
	}
	return line;
}

/*
 * S[0..LEN) as it may appear in a one-line message: control characters
 * visible, at most MAIL_ECHO_MAX bytes, never a character cut in two.
 * Returns a new string.
 */
static char *
mail_echo(const char *s, size_t len)
{
	char	*raw, *vis;
	size_t	 n;

	raw = xstrndup(s, len);
	vis = utf8_visible(raw, false);
	n = strlen(vis);
	if (n > MAIL_ECHO_MAX) {
		n = MAIL_ECHO_MAX;
		while (n > 0 && ((unsigned char)vis[n] & 0xc0) == 0x80)
			n--;
		vis[n] = '\0';
	}
	free(raw);
	return vis;
}

/* The index of placeholder NAME (LEN bytes), or -1. */
static int
mail_var_find(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < MAIL_VAR_COUNT; i++) {
		if (strlen(mail_var_names[i]) == len &&
		    memcmp(mail_var_names[i], name, len) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * The "unknown placeholder" error for NAME (LEN bytes) on LINE of the
 * template called TNAME, with a suggestion for a near miss. Returns
 * WD_EDATA and sets *CAUSE.
 */
static enum wd_status
mail_unknown(const char *tname, unsigned line, const char *name, size_t len,
    char **cause)
{
	enum wd_status	 status;
	char		*echo;
	size_t		 i, best = 0, d, bestd = (size_t)-1;

	echo = mail_echo(name, len);
	for (i = 0; i < MAIL_VAR_COUNT; i++) {
		d = edit_distance(echo, mail_var_names[i]);
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	if (len > 0 && bestd <= 2)
		status = status_set(cause, WD_EDATA, "%s:%u: unknown "
		    "placeholder {{%s}} (did you mean {{%s}}?)", tname, line,
		    echo, mail_var_names[best]);
	else
		status = status_set(cause, WD_EDATA, "%s:%u: unknown "
		    "placeholder {{%s}}", tname, line, echo);
	free(echo);
	return status;
}

/*
 * Expand the placeholders of TEXT, whose first line is line FIRST_LINE of
 * the template TNAME, into OUT with VALUES; with OUT NULL only check them.
 * A placeholder is "{{", optional blanks, a name, optional blanks and
 * "}}" on one line. Returns WD_OK, or WD_EDATA with *CAUSE for an unknown
 * name or a "{{" without "}}".
 */
static enum wd_status
mail_render(const char *tname, const char *text, unsigned first_line,
    char *const *values, struct strbuf *out, char **cause)
{
	const char	*p = text, *open, *eol, *close, *name, *end;
	unsigned	 line = first_line;
	size_t		 i;
	int		 var;

	while ((open = strstr(p, "{{")) != NULL) {
		for (i = 0; p + i < open; i++) {
			if (p[i] == '\n')
				line++;
		}
		if (out != NULL)
			strbuf_add(out, p, (size_t)(open - p));
		if ((eol = strchr(open, '\n')) == NULL)
			eol = open + strlen(open);
		close = memmem(open + 2, (size_t)(eol - open - 2), "}}", 2);
		if (close == NULL)
			return status_set(cause, WD_EDATA, "%s:%u: "
			    "unterminated {{ (no }} on the same line)", tname,
			    line);
		name = open + 2;
		end = close;
		while (name < end && (*name == ' ' || *name == '\t'))
			name++;
		while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((var = mail_var_find(name, (size_t)(end - name))) < 0)
			return mail_unknown(tname, line, name,
			    (size_t)(end - name), cause);
		if (out != NULL)
			strbuf_addstr(out, values[var]);
		p = close + 2;
	}
	if (out != NULL)
		strbuf_addstr(out, p);
	return WD_OK;
}

/* True when line 1 of TEXT begins with "Subject:" in any case. */
static bool
mail_is_subject(const char *text)
{
	static const char	 want[] = "subject:";
	size_t			 i;
	char			 c;

	for (i = 0; i < sizeof want - 1; i++) {
		c = text[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != want[i])
			return false;
	}
	return true;
}

/*
 * Split the template SRC (LEN bytes) called TNAME into *T: UTF-8, a
 * "Subject: ..." line, an empty line and the body; CR LF line ends and a
 * byte order mark are accepted. With CHECK, every placeholder is checked
 * (without, the caller renders it next, which checks them the same way).
 * Returns WD_OK (T->text is new; free it), or WD_EDATA with *CAUSE naming
 * TNAME and the line.
 */
static enum wd_status
mail_template_parse(const char *tname, const char *src, size_t len,
    bool check, struct mail_template *t, char **cause)
{
	enum wd_status	 status = WD_OK;
	size_t		 i, o, n;
	uint32_t	 cp;
	char		*s, *nl, *end;

	memset(t, 0, sizeof *t);
	for (i = 0; i < len; i += n) {
		/* ASCII but NUL is one character as it is. */
		if ((unsigned char)src[i] < 0x80 && src[i] != '\0') {
			n = 1;
			continue;
		}
		n = utf8_decode(src + i, len - i, &cp);
		if (n == 1 && (unsigned char)src[i] >= 0x80) {
			status = status_set(cause, WD_EDATA, "%s:%u: not "
			    "UTF-8 text", tname, mail_line_of(src, i));
			goto out;
		}
		if (cp == 0) {
			status = status_set(cause, WD_EDATA, "%s:%u: NUL byte",
			    tname, mail_line_of(src, i));
			goto out;
		}
	}
	if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
		src += 3;
		len -= 3;
	}
	s = t->text = xmalloc(len + 1);
	for (i = o = 0; i < len; i++) {
		if (src[i] == '\r' && i + 1 < len && src[i + 1] == '\n')
			continue;
		s[o++] = src[i];
	}
	s[o] = '\0';

	if (!mail_is_subject(s)) {
		status = status_set(cause, WD_EDATA, "%s:1: missing Subject "
		    "line (the first line must be \"Subject: ...\")", tname);
		goto out;
	}
	s += sizeof "subject:" - 1;
	while (*s == ' ' || *s == '\t')
		s++;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		t->body = nl + 1;
	} else
		t->body = s + strlen(s);
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	t->subject = s;
	if (*s == '\0') {
		status = status_set(cause, WD_EDATA, "%s:1: empty Subject line",
		    tname);
		goto out;
	}
	if (*t->body != '\0') {
		if (*t->body != '\n') {
			status = status_set(cause, WD_EDATA, "%s:2: expected "
			    "an empty line after the Subject line", tname);
			goto out;
		}
		t->body++;
	}
	if (check && (status = mail_render(tname, t->subject, 1, NULL, NULL,
	    cause)) == WD_OK)
		status = mail_render(tname, t->body, 3, NULL, NULL, cause);

out:
	if (status != WD_OK) {
		free(t->text);
		memset(t, 0, sizeof *t);
	}
	return status;
}

/*
 * The start of a description for a message: made visible with its layout
 * kept, blank lines and blanks at both ends dropped, then cut to
 * MAIL_DESC_BYTES (at a character boundary) and MAIL_DESC_LINES lines,
 * ending in " [...]" when cut; "(none)" when empty. Returns a new string.
 */
static char *
mail_excerpt(const char *text)
{
	struct strbuf	 sb = { NULL, 0, 0 };
	char		*vis;
	size_t		 start, len, cut, i, lines;

	vis = utf8_visible(text, true);
	len = strlen(vis);
	while (len > 0 && (vis[len - 1] == ' ' || vis[len - 1] == '\t' ||
	    vis[len - 1] == '\n'))
		len--;
	start = 0;
	while (start < len && vis[start] == '\n')
		start++;
	if (start == len) {
		strbuf_addstr(&sb, "(none)");
		goto out;
	}

	cut = len;
	if (cut - start > MAIL_DESC_BYTES) {
		cut = start + MAIL_DESC_BYTES;
		while (cut > start && ((unsigned char)vis[cut] & 0xc0) == 0x80)
			cut--;
	}
	lines = 0;
	for (i = start; i < cut; i++) {
		if (vis[i] == '\n' && ++lines == MAIL_DESC_LINES) {
			cut = i;
			break;
		}
	}
	if (cut == len) {
		strbuf_add(&sb, vis + start, len - start);
		goto out;
	}
	while (cut > start && (vis[cut - 1] == ' ' || vis[cut - 1] == '\t' ||
	    vis[cut - 1] == '\n'))
		cut--;
	strbuf_add(&sb, vis + start, cut - start);
	strbuf_addstr(&sb, cut > start ? " " MAIL_DESC_CUT : MAIL_DESC_CUT);

out:
	free(vis);
	return strbuf_detach(&sb);
}

/*
 * Fill VALUES with the text of every placeholder for P (each new: free
 * them with mail_values_free). Ticket text is made visible first.
 */
static void
mail_values(const struct mail_params *p, char **values)
{
	const struct ticket	*t = p->ticket;
	const char		*zone;
	char			 buf[64], hhmm[32];

	values[MAIL_VAR_ID] = xasprintf("%lld", (long long)t->id);
	values[MAIL_VAR_TITLE] = utf8_visible(t->title, false);
	values[MAIL_VAR_DESCRIPTION] = mail_excerpt(t->description);
	values[MAIL_VAR_STATUS] = utf8_visible(t->status, false);
	values[MAIL_VAR_PRIORITY] = utf8_visible(t->priority, false);
	values[MAIL_VAR_OWNER] = t->owner != NULL && *t->owner != '\0' ?
	    utf8_visible(t->owner, false) : xstrdup("unknown");
	values[MAIL_VAR_ASSIGNEE] = t->assignee != NULL &&
	    *t->assignee != '\0' ? utf8_visible(t->assignee, false) :
	    xstrdup("nobody");
	/* In the team's zone, named: never in the TZ of this process. */
	zone = p->time_zone != NULL ? p->time_zone : "UTC";
	time_format_zone(t->deadline, zone, buf, sizeof buf, hhmm,
	    sizeof hhmm);
	values[MAIL_VAR_DEADLINE_LOCAL] = xstrdup(buf);
	values[MAIL_VAR_DUE_TIME] = xstrdup(hhmm);
	time_format_iso(t->deadline, buf, sizeof buf);
	values[MAIL_VAR_DEADLINE_UTC] = xstrdup(buf);
	time_format_left(t->deadline - p->now, buf, sizeof buf);
	values[MAIL_VAR_LEFT] = xstrdup(buf);
	values[MAIL_VAR_KIND] = xstrdup(mail_kind_name(p->kind));
	values[MAIL_VAR_COMMAND] = xasprintf("watchdog, then #%lld",
	    (long long)t->id);
	values[MAIL_VAR_AUTHOR] = p->author != NULL && *p->author != '\0' ?
	    utf8_visible(p->author, false) : xstrdup("someone");
	/* The whole comment, its lines kept, control characters shown. */
	values[MAIL_VAR_COMMENT] = utf8_visible(p->comment != NULL ?
	    p->comment : "", true);
}

/* Free what mail_values made. */
static void
mail_values_free(char **values)
{
	size_t	i;

	for (i = 0; i < MAIL_VAR_COUNT; i++) {
		free(values[i]);
		values[i] = NULL;
	}
}

/*
 * Check the header value V called WHAT: present, ASCII, no control
 * characters, not too long; a Message-ID (MSGID) is also "<...@...>"
 * without blanks. Returns WD_OK or WD_EDATA with *CAUSE.
 */
static enum wd_status
mail_check_value(const char *what, const char *v, bool msgid, char **cause)
{
	size_t		i, len;
	unsigned char	c;

	if (v == NULL || *v == '\0')
		return status_set(cause, WD_EDATA, "%s is empty", what);
	len = strlen(v);
	for (i = 0; i < len; i++) {
		c = (unsigned char)v[i];
		if (c < 0x20 || c == 0x7f)
			return status_set(cause, WD_EDATA, "%s contains a "
			    "control character", what);
		if (c >= 0x80)
			return status_set(cause, WD_EDATA, "%s is not ASCII",
			    what);
	}
	if (len > MAIL_VALUE_MAX)
		return status_set(cause, WD_EDATA, "%s is too long", what);
	if (!msgid)
		return WD_OK;
	if (len < 3 || v[0] != '<' || v[len - 1] != '>' ||
	    strchr(v, '@') == NULL || strpbrk(v, " <>") != v ||
	    strpbrk(v + 1, " <>") != v + len - 1)
		return status_set(cause, WD_EDATA, "%s is not a Message-ID "
		    "(<...@...>)", what);
	return WD_OK;
}

/*
 * The Date header value for NOW in UTC ("Fri, 27 Nov 2026 14:00:00
 * +0000") into BUF, with English names whatever the locale. Returns false
 * when NOW cannot be shown.
 */
static bool
mail_date(int64_t now, char *buf, size_t len)
{
	static const char	*days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char	*months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm		 tm;
	time_t			 t = (time_t)now;

	if ((int64_t)t != now || gmtime_r(&t, &tm) == NULL ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11 || tm.tm_year + 1900 > 9999 || now < 0)
		return false;
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return true;
}

/*
 * Add the header NAME: VALUE to SB; when that line would pass
 * MAIL_LINE_MAX, VALUE goes on a folded line of its own.
 */
static void
mail_add_header(struct strbuf *sb, const char *name, const char *value)
{
	if (strlen(name) + 2 + strlen(value) <= MAIL_LINE_MAX)
		strbuf_addf(sb, "%s: %s\r\n", name, value);
	else
		strbuf_addf(sb, "%s:\r\n %s\r\n", name, value);
}

/*
 * True when the word W (LEN bytes) may stay as it is in the subject:
 * printable ASCII without "=?" (which could read as an encoded word) and
 * short enough to fold around.
 */
static bool
mail_word_plain(const char *w, size_t len)
{
	size_t	i;

	if (len > MAIL_PLAIN_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (w[i] < 0x21 || w[i] > 0x7e)
			return false;
		if (w[i] == '=' && i + 1 < len && w[i + 1] == '?')
			return false;
	}
	return true;
}

/* True when byte C stands for itself in a Q encoded word. */
static bool
mail_q_literal(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '!' || c == '*' || c == '+' ||
	    c == '-' || c == '/';
}

/* The length of S[0..LEN) in the Q encoding. */
static size_t
mail_q_len(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		n += mail_q_literal((unsigned char)s[i]) || s[i] == ' ' ? 1 : 3;
	return n;
}

/* The length of LEN bytes in the B encoding. */
static size_t
mail_b_len(size_t len)
{
	return (len + 2) / 3 * 4;
}

/*
 * How many bytes of S[0..LEN), in whole UTF-8 characters, fit in an
 * encoded text of at most ROOM characters (Q when Q, else B).
 */
static size_t
mail_word_fit(const char *s, size_t len, size_t room, bool q)
{
	size_t		off = 0, n, q_used = 0, cost;
	uint32_t	cp;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (q) {
			cost = mail_q_len(s + off, n);
			if (q_used + cost > room)
				break;
			q_used += cost;
		} else if (mail_b_len(off + n) > room)
			break;
		off += n;
	}
	return off;
}

/* Add S[0..LEN) to SB as the text of one encoded word (Q when Q, else B). */
static void
mail_word_add(struct strbuf *sb, const char *s, size_t len, bool q)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*u = (const unsigned char *)s;
	char			 out[4];
	size_t			 i;
	uint32_t		 v;

	strbuf_addstr(sb, q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
	for (i = 0; q && i < len; i++) {
		if (mail_q_literal(u[i]))
			strbuf_add(sb, s + i, 1);
		else if (u[i] == ' ')
			strbuf_add(sb, "_", 1);
		else
			strbuf_addf(sb, "=%02X", u[i]);
	}
	for (i = 0; !q && i < len; i += 3) {
		v = (uint32_t)u[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)u[i + 1] << 8;
		if (i + 2 < len)
			v |= u[i + 2];
		out[0] = b64[v >> 18 & 0x3f];
		out[1] = b64[v >> 12 & 0x3f];
		out[2] = i + 1 < len ? b64[v >> 6 & 0x3f] : '=';
		out[3] = i + 2 < len ? b64[v & 0x3f] : '=';
		strbuf_add(sb, out, 4);
	}
	strbuf_addstr(sb, "?=");
}

/* Where the subject being written stands. */
struct mail_fold {
	size_t	col;		/* octets on the current line */
	bool	text;		/* the line holds a word yet */
};

/*
 * Add the run S[0..LEN) of the subject as encoded words, each preceded by
 * a blank and folded onto a new line when the current one is full. Q or B,
 * whichever is shorter; no word is over MAIL_WORD_MAX characters or splits
 * a character.
 */
static void
mail_add_encoded(struct strbuf *sb, struct mail_fold *f, const char *s,
    size_t len)
{
	size_t	off = 0, room, take, rest;
	bool	q;

	q = mail_q_len(s, len) <= mail_b_len(len);
	while (off < len) {
		/* Fold first when room is short, or the rest fits one word. */
		rest = MAIL_WORD_OVERHEAD + (q ?
		    mail_q_len(s + off, len - off) : mail_b_len(len - off));
		if (f->text && (f->col + 1 + MAIL_WORD_MIN > MAIL_LINE_MAX ||
		    (f->col + 1 + rest > MAIL_LINE_MAX &&
		    rest <= MAIL_WORD_MAX))) {
			strbuf_add(sb, "\r\n", 2);
			f->col = 0;
			f->text = false;
		}
		room = MAIL_LINE_MAX - f->col - 1;
		if (room > MAIL_WORD_MAX)
			room = MAIL_WORD_MAX;
		take = mail_word_fit(s + off, len - off,
		    room - MAIL_WORD_OVERHEAD, q);
		strbuf_add(sb, " ", 1);
		mail_word_add(sb, s + off, take, q);
		f->col += 1 + MAIL_WORD_OVERHEAD +
		    (q ? mail_q_len(s + off, take) : mail_b_len(take));
		f->text = true;
		off += take;
	}
}

/*
 * Add the Subject header for S (one line, words single-spaced, no control
 * characters) to SB: words of printable ASCII as they are, runs of other
 * words as RFC 2047 encoded words, folded with CRLF SP between words so
 * that every line is within MAIL_LINE_MAX octets.
 */
static void
mail_add_subject(struct strbuf *sb, const char *s)
{
	struct mail_fold	 f;
	size_t			 len, i, j, k, m;

	strbuf_addstr(sb, "Subject:");
	f.col = sizeof "Subject:" - 1;
	f.text = false;
	len = strlen(s);
	i = 0;
	while (i < len) {
		for (j = i; j < len && s[j] != ' '; j++)
			;
		if (mail_word_plain(s + i, j - i)) {
			if (f.col + 1 + (j - i) > MAIL_LINE_MAX && f.text) {
				strbuf_add(sb, "\r\n", 2);
				f.col = 0;
				f.text = false;
			}
			strbuf_add(sb, " ", 1);
			strbuf_add(sb, s + i, j - i);
			f.col += 1 + (j - i);
			if (j > i)
				f.text = true;
			i = j + 1;
			continue;
		}
		/* Encode this word and the ones after it that need it too. */
		for (k = j; k < len; k = m) {
			for (m = k + 1; m < len && s[m] != ' '; m++)
				;
			if (mail_word_plain(s + k + 1, m - k - 1))
				break;
		}
		mail_add_encoded(sb, &f, s + i, k - i);
		i = k + 1;
	}
	strbuf_add(sb, "\r\n", 2);
}

/*
 * Add the From header for ADDR with the display NAME (NULL: none) to SB: a
 * name of printable ASCII as a quoted string, any other (or one too long
 * for the line) as RFC 2047 encoded words; the address in angle brackets
 * after it, on a folded line of its own when the line is full.
 */
static void
mail_add_from(struct strbuf *sb, const char *name, const char *addr)
{
	struct mail_fold	 f;
	struct strbuf		 q = { NULL, 0, 0 };
	size_t			 i, len;
	bool			 plain = true;

	if (name == NULL || *name == '\0') {
		mail_add_header(sb, "From", addr);
		return;
	}
	len = strlen(name);
	strbuf_add(&q, "\"", 1);
	for (i = 0; i < len; i++) {
		if ((unsigned char)name[i] < 0x20 ||
		    (unsigned char)name[i] > 0x7e)
			plain = false;
		if (name[i] == '"' || name[i] == '\\')
			strbuf_add(&q, "\\", 1);
		strbuf_add(&q, name + i, 1);
	}
	strbuf_add(&q, "\"", 1);
	strbuf_addstr(sb, "From:");
	f.col = sizeof "From:" - 1;
	f.text = false;
	if (plain && f.col + 1 + q.len <= MAIL_LINE_MAX) {
		strbuf_add(sb, " ", 1);
		strbuf_add(sb, q.buf, q.len);
		f.col += 1 + q.len;
	} else
		mail_add_encoded(sb, &f, name, len);
	if (f.col + 3 + strlen(addr) > MAIL_LINE_MAX)
		strbuf_add(sb, "\r\n", 2);
	strbuf_addf(sb, " <%s>\r\n", addr);
	strbuf_free(&q);
}

/* Write "=XX" for the octet C at OUT (3 bytes). */
static void
mail_qp_hex(unsigned char c, char *out)
{
	static const char	hex[] = "0123456789ABCDEF";

	out[0] = '=';
	out[1] = hex[c >> 4];
	out[2] = hex[c & 0xf];
}

/*
 * Encode the one character (or invalid byte) S[0..N) of a body line for
 * quoted-printable into OUT (at least 3 * N bytes, not terminated); returns
 * the length. AT_START: it begins a physical line; LAST: it ends the
 * logical line; REST: bytes left in the line.
 */
static size_t
mail_qp_atom(const char *s, size_t n, size_t rest, bool at_start, bool last,
    char *out)
{
	unsigned char	c = (unsigned char)s[0];
	size_t		i;

	if (n > 1) {
		for (i = 0; i < n; i++)
			mail_qp_hex((unsigned char)s[i], out + 3 * i);
		return 3 * n;
	}
	if ((at_start && c == '.') ||
	    (at_start && rest >= 5 && memcmp(s, "From ", 5) == 0) ||
	    ((c == ' ' || c == '\t') && last) ||
	    (c != ' ' && c != '\t' && (c < 0x21 || c > 0x7e)) || c == '=') {
		mail_qp_hex(c, out);
		return 3;
	}
	out[0] = (char)c;
	return 1;
}

/*
 * Add BODY (LF line ends) to SB in quoted-printable with CRLF line ends:
 * lines of at most MAIL_QP_MAX octets (soft breaks never split a
 * character), '=', trailing blanks and anything not printable ASCII
 * encoded, and no physical line starting with '.' or "From ". Each
 * physical line is put together in LINE and added in one piece.
 */
static void
mail_add_qp(struct strbuf *sb, const char *body)
{
	const char	*p, *le;
	char		 line[MAIL_QP_MAX + 16];
	size_t		 col, n, alen;
	uint32_t	 cp;
	bool		 last;

	p = body;
	while (*p != '\0') {
		if ((le = strchr(p, '\n')) == NULL)
			le = p + strlen(p);
		col = 0;
		while (p < le) {
			n = (unsigned char)*p < 0x80 ? 1 :
			    utf8_decode(p, (size_t)(le - p), &cp);
			last = p + n == le;
			alen = mail_qp_atom(p, n, (size_t)(le - p), col == 0,
			    last, line + col);
			/* Room for the '=' of a soft break after it. */
			if (col + alen + (last ? 0 : 1) > MAIL_QP_MAX) {
				strbuf_add(sb, line, col);
				strbuf_add(sb, "=\r\n", 3);
				col = 0;
				alen = mail_qp_atom(p, n, (size_t)(le - p),
				    true, last, line);
			}
			col += alen;
			p += n;
		}
		strbuf_add(sb, line, col);
		strbuf_add(sb, "\r\n", 2);
		if (*p == '\n')
			p++;
	}
}

/*
 * The template for KIND (see mail.h): from DIR (NULL or empty: built in).
 * A file must be a regular file of at most 64 KiB; its text is checked as
 * mail_build would. Returns WD_OK with *TEXT new (caller frees); else
 * WD_ECONFIG when the file cannot be read, WD_EDATA when it is malformed,
 * with *CAUSE naming the file (and line).
 */
enum wd_status
mail_template_load(const char *dir, enum mail_kind kind, char **text,
    char **cause)
{
	const struct embedded_file	*ef;
	struct mail_template		 t;
	struct stat			 st;
	enum wd_status			 status = WD_OK;
	char				*path = NULL, *buf = NULL;
	size_t				 len = 0, dlen;
	ssize_t				 n;
	int				 fd = -1;

	if (!mail_kind_valid(kind))
		return status_set(cause, WD_EFAIL, "no template for kind %d",
		    (int)kind);
	if (dir == NULL || *dir == '\0') {
		path = xasprintf("data/templates/%s.txt", mail_kind_name(kind));
		if ((ef = embedded_find(path)) == NULL) {
			status = status_set(cause, WD_EFAIL, "built-in "
			    "template %s is missing", path);
			goto out;
		}
		*text = xstrdup(ef->data);
		goto out;
	}

	dlen = strlen(dir);
	path = xasprintf("%s%s%s.txt", dir, dir[dlen - 1] == '/' ? "" : "/",
	    mail_kind_name(kind));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	/*
	 * The notices added later (assigned, commented) fall back to their
	 * built-in template, so that a TEMPLATE_DIR made for the first
	 * three keeps working.
	 */
	if (fd < 0 && errno == ENOENT && kind >= MAIL_ASSIGNED) {
		status = mail_template_load(NULL, kind, text, cause);
		goto out;
	}
	if (fd < 0 || fstat(fd, &st) != 0) {
		status = status_set(cause, WD_ECONFIG, "%s: cannot read: %s",
		    path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		status = status_set(cause, WD_ECONFIG, "%s: not a regular file",
		    path);
		goto out;
	}
	if (st.st_size > MAIL_TEMPLATE_MAX) {
		status = status_set(cause, WD_ECONFIG, "%s: larger than %d KiB",
		    path, MAIL_TEMPLATE_MAX / 1024);
		goto out;
	}
	buf = xmalloc(MAIL_TEMPLATE_MAX + 2);
	for (;;) {
		n = read(fd, buf + len, MAIL_TEMPLATE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			status = status_set(cause, WD_ECONFIG, "%s: cannot "
			    "read: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > MAIL_TEMPLATE_MAX) {
			status = status_set(cause, WD_ECONFIG, "%s: larger "
			    "than %d KiB", path, MAIL_TEMPLATE_MAX / 1024);
			goto out;
		}
	}
	buf[len] = '\0';
	if ((status = mail_template_parse(path, buf, len, true, &t, cause)) !=
	    WD_OK)
		goto out;
	free(t.text);
	*text = buf;
	buf = NULL;

out:
	if (fd != -1)
		close(fd);
	free(buf);
	free(path);
	return status;
}

/*
 * Build the message P describes (see mail.h). Returns WD_OK with *MESSAGE
 * new (caller frees), or WD_EDATA with *CAUSE for a malformed template or
 * a header value that is empty, not ASCII or holds a control character.
 */
enum wd_status
mail_build(const struct mail_params *p, char **message, char **cause)
{
	struct mail_template	 t = { NULL, NULL, NULL };
	struct strbuf		 sb = { NULL, 0, 0 }, sub = { NULL, 0, 0 };
	struct strbuf		 body = { NULL, 0, 0 };
	enum wd_status		 status;
	char			*values[MAIL_VAR_COUNT] = { NULL };
	char			*builtin = NULL, *tname = NULL;
	char			*subject = NULL;
	const char		*text;
	char			 date[64], c;
	size_t			 i, o;

	if (p == NULL || p->ticket == NULL || !mail_kind_valid(p->kind)) {
		status = status_set(cause, WD_EDATA, "no ticket or kind for "
		    "the message");
		goto out;
	}
	if ((status = mail_check_value("From", p->from, false,
	    cause)) != WD_OK ||
	    (status = mail_check_value("To", p->to, false, cause)) != WD_OK ||
	    (status = mail_check_value("Message-ID", p->message_id, true,
	    cause)) != WD_OK)
		goto out;
	if (p->thread_id != NULL && (status = mail_check_value("thread id",
	    p->thread_id, true, cause)) != WD_OK)
		goto out;
	if (p->from_name != NULL && (!utf8_valid(p->from_name,
	    strlen(p->from_name)) || strpbrk(p->from_name, MAIL_CONTROLS) !=
	    NULL)) {
		status = status_set(cause, WD_EDATA, "the sender's display "
		    "name is not UTF-8 or contains a control character");
		goto out;
	}
	if (!mail_date(p->now, date, sizeof date)) {
		status = status_set(cause, WD_EDATA, "time %lld out of range",
		    (long long)p->now);
		goto out;
	}

	if ((text = p->template_text) == NULL) {
		if ((status = mail_template_load(NULL, p->kind, &builtin,
		    cause)) != WD_OK)
			goto out;
		text = builtin;
		tname = xasprintf("built-in template %s.txt",
		    mail_kind_name(p->kind));
	} else
		tname = xasprintf("template %s.txt", mail_kind_name(p->kind));
	if ((status = mail_template_parse(tname, text, strlen(text), false, &t,
	    cause)) != WD_OK)
		goto out;

	mail_values(p, values);
	if ((status = mail_render(tname, t.subject, 1, values, &sub,
	    cause)) != WD_OK ||
	    (status = mail_render(tname, t.body, 3, values, &body,
	    cause)) != WD_OK)
		goto out;

	/*
	 * The subject is one line: control characters (CR, LF, tab) become
	 * blanks, runs of blanks one space, none at either end.
	 */
	subject = strbuf_detach(&sub);
	for (i = o = 0; subject[i] != '\0'; i++) {
		c = subject[i];
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && (o == 0 || subject[o - 1] == ' '))
			continue;
		subject[o++] = c;
	}
	if (o > 0 && subject[o - 1] == ' ')
		o--;
	subject[o] = '\0';

	strbuf_addf(&sb, "Date: %s\r\n", date);
	mail_add_from(&sb, p->from_name, p->from);
	mail_add_header(&sb, "To", p->to);
	mail_add_subject(&sb, subject);
	mail_add_header(&sb, "Message-ID", p->message_id);
	if (p->thread_id != NULL) {
		mail_add_header(&sb, "In-Reply-To", p->thread_id);
		mail_add_header(&sb, "References", p->thread_id);
	}
	strbuf_addstr(&sb, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "Auto-Submitted: auto-generated\r\n");
	strbuf_addf(&sb, "X-Watchdog-Ticket: %lld\r\n\r\n",
	    (long long)p->ticket->id);
	mail_add_qp(&sb, body.buf != NULL ? body.buf : "");
	*message = strbuf_detach(&sb);

out:
	mail_values_free(values);
	strbuf_free(&sb);
	strbuf_free(&sub);
	strbuf_free(&body);
	free(t.text);
	free(subject);
	free(builtin);
	free(tname);
	return status;
}
