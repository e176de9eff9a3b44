/*
 * fuzz_mail.c: mail_build() with hostile ticket text and templates.
 *
 * The input is TITLE NUL DESCRIPTION [NUL TEMPLATE]: the title and the
 * description go into a ticket as they are (not checked as UTF-8: text
 * already stored may be anything, and mail_build must cope), and for each
 * kind a message is built with the built-in template, which must succeed,
 * and with TEMPLATE (or, without a second NUL, everything after the first
 * NUL) as the template text, which may be refused with a message.
 *
 * Every message built must be safe to hand to SMTP as it is: CRLF line
 * ends only, lines within 998 octets (and within the 78 that mail.h
 * promises), one header block made of the fixed set of header fields,
 * each once (no Bcc, nothing a title could add), and a quoted-printable
 * body in which no line starts with '.' and which decodes to UTF-8.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watchdog/mail.h"
#include "watchdog/status.h"
#include "watchdog/ticket.h"
#include "watchdog/utf8.h"

#include "fuzz.h"

#define FUZZ_NOW	1795788000LL	/* 2026-11-27T14:00:00Z */
#define FUZZ_FROM	"watchdog@support.example.org"
#define FUZZ_TO		"alice@example.org"

#define LINE_HARD_MAX	998	/* RFC 5322 2.1.1, without the CRLF */
#define LINE_SOFT_MAX	78	/* what mail.h promises */
#define QP_LINE_MAX	76	/* RFC 2045 6.7 */

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* The header fields mail_build may write, each at most once. */
static const char *const header_names[] = {
	"Date", "From", "To", "Subject", "Message-ID", "In-Reply-To",
	"References", "MIME-Version", "Content-Type",
	"Content-Transfer-Encoding", "Auto-Submitted", "X-Watchdog-Ticket",
};

/* The index in header_names of those that are there only in a thread. */
#define HEADER_IN_REPLY_TO	5
#define HEADER_REFERENCES	6

/* Fix the time zone of the local-time placeholders. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
}

/* True when LINE (LEN bytes) begins with WORD in any case. */
static bool
starts_with_ci(const char *line, size_t len, const char *word)
{
	size_t	i, n;
	char	a, b;

	n = strlen(word);
	if (len < n)
		return false;
	for (i = 0; i < n; i++) {
		a = line[i];
		b = word[i];
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return false;
	}
	return true;
}

/* The value of hex digit C (upper case, as RFC 2045 wants), or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Check header line LINE (LEN bytes, no CRLF) of message WHAT and count
 * the field it starts in SEEN.
 */
static void
check_header_line(const char *what, const char *line, size_t len,
    bool first, unsigned *seen)
{
	const char	*colon;
	size_t		 i, n;

	for (i = 0; i < len; i++) {
		if ((unsigned char)line[i] < 0x20 ||
		    (unsigned char)line[i] > 0x7e)
			fuzz_fail("%s: header byte 0x%02x", what,
			    (unsigned char)line[i]);
	}
	if (line[0] == ' ' || line[0] == '\t') {
		if (first)
			fuzz_fail("%s: the message starts with a folded line",
			    what);
		for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
			;
		if (i == len)
			fuzz_fail("%s: a folded header line holds only blanks",
			    what);
		return;
	}
	if (starts_with_ci(line, len, "bcc"))
		fuzz_fail("%s: a Bcc header", what);
	if ((colon = memchr(line, ':', len)) == NULL)
		fuzz_fail("%s: header line without a colon: %.*s", what,
		    (int)(len > 60 ? 60 : len), line);
	n = (size_t)(colon - line);
	for (i = 0; i < nitems(header_names); i++) {
		if (strlen(header_names[i]) == n &&
		    memcmp(header_names[i], line, n) == 0)
			break;
	}
	if (i == nitems(header_names))
		fuzz_fail("%s: unexpected header field %.*s", what,
		    (int)(n > 60 ? 60 : n), line);
	seen[i]++;
}

/*
 * Check body line LINE (LEN bytes, no CRLF) of message WHAT: valid
 * quoted-printable within QP_LINE_MAX, not starting with '.' or "From ";
 * append what it decodes to to DEC (room for every byte) at *DLEN.
 */
static void
check_body_line(const char *what, const char *line, size_t len, char *dec,
    size_t *dlen)
{
	size_t	i;
	int	hi, lo;
	char	c;

	if (len > QP_LINE_MAX)
		fuzz_fail("%s: body line of %zu octets", what, len);
	if (len > 0 && line[0] == '.')
		fuzz_fail("%s: body line starting with '.'", what);
	if (len >= 5 && memcmp(line, "From ", 5) == 0)
		fuzz_fail("%s: body line starting with \"From \"", what);
	if (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		fuzz_fail("%s: body line ending in a blank", what);
	for (i = 0; i < len; i++) {
		c = line[i];
		if (c == '=') {
			if (i + 1 == len)
				return;		/* a soft line break */
			if (i + 2 >= len)
				fuzz_fail("%s: cut '=' escape", what);
			hi = hex_value(line[i + 1]);
			lo = hex_value(line[i + 2]);
			if (hi < 0 || lo < 0)
				fuzz_fail("%s: bad '=' escape", what);
			dec[(*dlen)++] = (char)(hi * 16 + lo);
			i += 2;
			continue;
		}
		if (c != '\t' && (c < 0x20 || c > 0x7e))
			fuzz_fail("%s: body byte 0x%02x", what,
			    (unsigned char)c);
		dec[(*dlen)++] = c;
	}
	dec[(*dlen)++] = '\n';
}

/* Check the message M that mail_build made (WHAT names it). */
static void
check_message(const char *what, const char *m, bool threaded)
{
	unsigned	 seen[nitems(header_names)] = { 0 };
	const char	*line, *cr;
	char		*dec;
	size_t		 len, i, dlen = 0;
	bool		 in_header = true, first = true;

	len = strlen(m);
	if (len < 2 || m[len - 2] != '\r' || m[len - 1] != '\n')
		fuzz_fail("%s: does not end in CRLF", what);
	for (i = 0; i < len; i++) {
		if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r'))
			fuzz_fail("%s: bare LF at %zu", what, i);
		if (m[i] == '\r' && m[i + 1] != '\n')
			fuzz_fail("%s: bare CR at %zu", what, i);
	}
	if ((dec = malloc(len + 1)) == NULL)
		abort();
	for (line = m; *line != '\0'; line = cr + 2) {
		cr = strstr(line, "\r\n");
		if ((size_t)(cr - line) > LINE_HARD_MAX)
			fuzz_fail("%s: line of %zu octets", what,
			    (size_t)(cr - line));
		if ((size_t)(cr - line) > LINE_SOFT_MAX)
			fuzz_fail("%s: line of %zu octets (mail.h promises "
			    "%d)", what, (size_t)(cr - line), LINE_SOFT_MAX);
		if (in_header && cr == line) {
			if (first)
				fuzz_fail("%s: no header block", what);
			in_header = false;
			continue;
		}
		if (in_header)
			check_header_line(what, line, (size_t)(cr - line),
			    first, seen);
		else
			check_body_line(what, line, (size_t)(cr - line), dec,
			    &dlen);
		first = false;
	}
	if (in_header)
		fuzz_fail("%s: no empty line after the header block", what);
	for (i = 0; i < nitems(header_names); i++) {
		if (i == HEADER_IN_REPLY_TO || i == HEADER_REFERENCES) {
			if (seen[i] != (threaded ? 1U : 0U))
				fuzz_fail("%s: %s %u times", what,
				    header_names[i], seen[i]);
		} else if (seen[i] != 1)
			fuzz_fail("%s: %s %u times", what, header_names[i],
			    seen[i]);
	}
	if (!utf8_valid(dec, dlen))
		fuzz_fail("%s: the body does not decode to UTF-8", what);
	free(dec);
}

/* FNV-1a of DATA, to vary the deadline from one input to another. */
static uint64_t
hash(const uint8_t *data, size_t size)
{
	uint64_t	h = 14695981039346656037ULL;
	size_t		i;

	for (i = 0; i < size; i++) {
		h ^= data[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * Build the message of KIND for T with TEMPLATE (NULL: built in) and
 * check it. With the built-in template it must be built.
 */
static void
build_one(const struct ticket *t, enum mail_kind kind, const char *template)
{
	struct mail_params	 p;
	char			*msg = NULL, *cause = NULL, *id, *thread = NULL;
	char			 what[64];
	enum wd_status		 st;

	id = mail_message_id(t->id, kind, t->deadline, 7, "fuzz", FUZZ_FROM);
	if (kind != MAIL_CREATED)
		thread = mail_message_id(t->id, MAIL_CREATED, 0, 0, "fuzz",
		    FUZZ_FROM);
	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.ticket = t;
	p.now = FUZZ_NOW;
	p.from = FUZZ_FROM;
	p.to = FUZZ_TO;
	p.message_id = id;
	p.thread_id = thread;
	p.template_text = template;
	snprintf(what, sizeof what, "%s message, %s template",
	    mail_kind_name(kind), template == NULL ? "built-in" : "fuzzed");

	st = mail_build(&p, &msg, &cause);
	if (st == WD_OK) {
		if (msg == NULL || cause != NULL)
			fuzz_fail("%s: WD_OK without a message", what);
		check_message(what, msg, thread != NULL);
	} else {
		if (template == NULL)
			fuzz_fail("%s: not built (%s)", what,
			    cause != NULL ? cause : "no message");
		if (st != WD_EDATA)
			fuzz_fail("%s: status %d", what, (int)st);
		fuzz_check_cause("mail_build", cause);
		if (!utf8_valid(cause, strlen(cause)))
			fuzz_fail("%s: the error message is not UTF-8", what);
	}
	free(msg);
	free(cause);
	free(id);
	free(thread);
}

/* One run: split DATA into title, description and template; build all. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum mail_kind	 kinds[] = {
		MAIL_CREATED, MAIL_WARNING, MAIL_MISSED
	};
	static char			 status_open[] = "open";
	static char			 status_progress[] = "in_progress";
	static char			 priority[] = "high";
	static char			 owner[] = "alice";
	static char			 assignee[] = "b\xc3\xb6rje";
	struct ticket			 t;
	const uint8_t			*nul, *tail, *nul2;
	char				*title, *desc, *template;
	size_t				 tlen, rest, i;
	uint64_t			 h;

	nul = memchr(data, '\0', size);
	tlen = nul != NULL ? (size_t)(nul - data) : size;
	tail = nul != NULL ? nul + 1 : data + size;
	rest = size - (size_t)(tail - data);
	title = fuzz_cstring(data, tlen);
	desc = fuzz_cstring(tail, rest);	/* up to a second NUL */
	nul2 = memchr(tail, '\0', rest);
	template = nul2 != NULL ?
	    fuzz_cstring(nul2 + 1, rest - (size_t)(nul2 + 1 - tail)) :
	    fuzz_cstring(tail, rest);

	h = hash(data, size);
	memset(&t, 0, sizeof t);
	t.id = 1 + (int64_t)(h % 100000);
	t.title = title;
	t.description = desc;
	t.status = (h & 1) ? status_open : status_progress;
	t.priority = priority;
	t.owner_id = 1;
	t.owner = owner;
	t.assignee_id = (h & 2) ? 2 : 0;
	t.assignee = (h & 2) ? assignee : NULL;
	t.deadline = FUZZ_NOW - 2 * 86400 + (int64_t)(h % (4 * 86400));
	t.created_at = FUZZ_NOW - 3 * 86400;
	t.updated_at = t.created_at;
	t.version = 1;

	for (i = 0; i < nitems(kinds); i++) {
		build_one(&t, kinds[i], NULL);
		build_one(&t, kinds[i], template);
	}
	free(title);
	free(desc);
	free(template);
	return 0;
}
