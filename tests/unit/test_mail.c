/*
 * test_mail.c: the text of SLA notification e-mails. Every message built
 * here is taken apart again: headers parsed and unfolded, RFC 2047 words
 * and the quoted-printable body decoded by small decoders of our own.
 * Fixed clock, TZ=UTC.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/embedded.h"
#include "watchdog/mail.h"
#include "watchdog/status.h"
#include "watchdog/ticket.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

#define NOW		1795788000LL	/* Fri 2026-11-27T14:00:00Z */
#define DEADLINE	(NOW + 3600)	/* 15:00 UTC */
#define FROM		"sla@example.com"
#define TO		"alice@example.org"
#define MSGID		"<wd.42.warning.1795791600.7.host1@example.com>"
#define THREAD		"<wd.42.created.host1@example.com>"
#define MAX_HEADERS	32

#define E_ACUTE		"\xc3\xa9"			/* é */
#define NIHONGO		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"	/* 日本語 */
#define GRIN		"\xf0\x9f\x98\x80"		/* 😀 */

/* A message taken apart. */
struct parsed {
	char	*names[MAX_HEADERS];
	char	*values[MAX_HEADERS];	/* unfolded, leading blanks dropped */
	int	 n;
	char	*body;			/* as sent (quoted-printable) */
};

/* Use UTC as the local time zone. */
static void
set_utc(void)
{
	ck_assert_int_eq(setenv("TZ", "UTC", 1), 0);
	tzset();
}

/* Fill T with ticket #42 (free it with ticket_clear). */
static void
make_ticket(struct ticket *t, const char *title, const char *description)
{
	memset(t, 0, sizeof *t);
	t->id = 42;
	t->title = xstrdup(title);
	t->description = xstrdup(description);
	t->status = xstrdup("in_progress");
	t->priority = xstrdup("high");
	t->owner_id = 1;
	t->owner = xstrdup("alice");
	t->deadline = DEADLINE;
	t->created_at = NOW - 3600;
	t->updated_at = NOW - 3600;
	t->version = 1;
}

/* Parameters for a message of KIND about T at NOW. */
static void
make_params(struct mail_params *p, enum mail_kind kind,
    const struct ticket *t, const char *template_text)
{
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->ticket = t;
	p->now = NOW;
	p->from = FROM;
	p->to = TO;
	p->message_id = MSGID;
	p->thread_id = NULL;
	p->template_text = template_text;
}

/* Build the message P describes; any failure fails the test. */
static char *
build(const struct mail_params *p)
{
	char	*msg = NULL, *cause = NULL;

	if (mail_build(p, &msg, &cause) != WD_OK)
		ck_abort_msg("mail_build: %s", cause);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_nonnull(msg);
	return msg;
}

/*
 * Split MSG into headers and body, checking the form on the way: CRLF
 * line ends only, header lines within 78 octets, field names well formed,
 * continuation lines not blank.
 */
static void
parse_message(const char *msg, struct parsed *pm)
{
	const char	*p = msg, *eol, *colon;
	struct strbuf	 v = { NULL, 0, 0 };
	size_t		 len;
	int		 i;

	memset(pm, 0, sizeof *pm);
	for (;;) {
		eol = strstr(p, "\r\n");
		ck_assert_msg(eol != NULL, "header part not ended by CRLF");
		len = (size_t)(eol - p);
		ck_assert_msg(memchr(p, '\n', len) == NULL &&
		    memchr(p, '\r', len) == NULL, "bare CR or LF in '%.*s'",
		    (int)len, p);
		ck_assert_msg(len <= 78, "header line of %zu octets: %.*s",
		    len, (int)len, p);
		if (len == 0)
			break;
		if (*p == ' ' || *p == '\t') {
			/* unfolding removes the CRLF, nothing else */
			ck_assert_msg(pm->n > 0, "continuation first");
			ck_assert_msg(strspn(p, " \t") < len,
			    "blank continuation line");
			v.len = 0;
			strbuf_addstr(&v, pm->values[pm->n - 1]);
			strbuf_add(&v, p, len);
			free(pm->values[pm->n - 1]);
			pm->values[pm->n - 1] = strbuf_detach(&v);
		} else {
			colon = memchr(p, ':', len);
			ck_assert_msg(colon != NULL && colon > p,
			    "not a header: %.*s", (int)len, p);
			ck_assert_msg(strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789-") ==
			    (size_t)(colon - p), "bad field name: %.*s",
			    (int)len, p);
			ck_assert_int_lt(pm->n, MAX_HEADERS);
			pm->names[pm->n] = xstrndup(p, (size_t)(colon - p));
			colon++;
			colon += strspn(colon, " \t");
			pm->values[pm->n] = xstrndup(colon,
			    (size_t)(eol - colon));
			pm->n++;
		}
		p = eol + 2;
	}
	strbuf_free(&v);
	pm->body = xstrdup(eol + 2);
	/* a value folded onto a line of its own */
	for (i = 0; i < pm->n; i++) {
		len = strspn(pm->values[i], " \t");
		memmove(pm->values[i], pm->values[i] + len,
		    strlen(pm->values[i]) - len + 1);
	}
}

static void
parsed_free(struct parsed *pm)
{
	int	i;

	for (i = 0; i < pm->n; i++) {
		free(pm->names[i]);
		free(pm->values[i]);
	}
	free(pm->body);
	memset(pm, 0, sizeof *pm);
}

/* The value of header NAME, or NULL; fails when it is there twice. */
static const char *
header(const struct parsed *pm, const char *name)
{
	const char	*v = NULL;
	int		 i;

	for (i = 0; i < pm->n; i++) {
		if (ascii_casecmp(pm->names[i], name) == 0) {
			ck_assert_msg(v == NULL, "%s twice", name);
			v = pm->values[i];
		}
	}
	return v;
}

/* The value of a hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode base64 S[0..LEN) into OUT. */
static void
b64_decode(const char *s, size_t len, struct strbuf *out)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char		*c;
	uint32_t		 v = 0;
	size_t			 i;
	int			 bits = 0;
	char			 byte;

	ck_assert_msg(len % 4 == 0, "base64 length %zu", len);
	for (i = 0; i < len && s[i] != '='; i++) {
		c = strchr(al, s[i]);
		ck_assert_msg(c != NULL && s[i] != '\0', "base64 '%c'", s[i]);
		v = v << 6 | (uint32_t)(c - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			byte = (char)(v >> bits & 0xff);
			strbuf_add(out, &byte, 1);
		}
	}
}

/*
 * Decode an unfolded unstructured header value: RFC 2047 encoded words
 * (UTF-8, B or Q) are decoded, blanks between two of them dropped. Each
 * word is checked: at most 75 characters, whole UTF-8 characters only.
 * Returns a new string.
 */
static char *
decode_2047(const char *v)
{
	struct strbuf	 out = { NULL, 0, 0 }, ws = { NULL, 0, 0 };
	struct strbuf	 word = { NULL, 0, 0 };
	const char	*p = v, *end, *text;
	bool		 last_enc = false;
	size_t		 len, i;
	int		 hi, lo;
	char		 enc, byte;

	while (*p != '\0') {
		if (*p == ' ' || *p == '\t') {
			strbuf_add(&ws, p++, 1);
			continue;
		}
		len = strcspn(p, " \t");
		end = p + len;
		if (len >= 12 && strncmp(p, "=?UTF-8?", 8) == 0 &&
		    strncmp(end - 2, "?=", 2) == 0 && p[9] == '?') {
			ck_assert_msg(len <= 75, "encoded word of %zu: %.*s",
			    len, (int)len, p);
			enc = p[8];
			text = p + 10;
			word.len = 0;
			strbuf_add(&word, "", 0);
			if (enc == 'B')
				b64_decode(text, (size_t)(end - 2 - text),
				    &word);
			else {
				ck_assert_msg(enc == 'Q', "encoding %c", enc);
				for (i = 0; text + i < end - 2; i++) {
					if (text[i] == '_')
						byte = ' ';
					else if (text[i] == '=') {
						hi = hexval(text[i + 1]);
						lo = hexval(text[i + 2]);
						ck_assert(hi >= 0 && lo >= 0);
						byte = (char)(hi * 16 + lo);
						i += 2;
					} else {
						ck_assert_msg(text[i] != '?',
						    "? in Q word");
						byte = text[i];
					}
					strbuf_add(&word, &byte, 1);
				}
			}
			ck_assert_msg(utf8_valid(word.buf, word.len),
			    "encoded word splits a character: %.*s",
			    (int)len, p);
			if (!last_enc && ws.len > 0)
				strbuf_add(&out, ws.buf, ws.len);
			strbuf_add(&out, word.buf, word.len);
			last_enc = true;
		} else {
			if (ws.len > 0)
				strbuf_add(&out, ws.buf, ws.len);
			strbuf_add(&out, p, len);
			last_enc = false;
		}
		ws.len = 0;
		p = end;
	}
	if (ws.len > 0)
		strbuf_add(&out, ws.buf, ws.len);
	strbuf_free(&ws);
	strbuf_free(&word);
	return strbuf_detach(&out);
}

/*
 * Decode the quoted-printable BODY into a string with LF line ends,
 * checking each line: CRLF ends, at most 76 octets, printable ASCII (and
 * tab), no trailing blank, not starting with '.' or "From ".
 */
static char *
decode_qp(const char *body)
{
	struct strbuf	 out = { NULL, 0, 0 };
	const char	*p = body, *eol;
	size_t		 len, i;
	int		 hi, lo;
	char		 byte;

	strbuf_add(&out, "", 0);
	while (*p != '\0') {
		eol = strstr(p, "\r\n");
		ck_assert_msg(eol != NULL, "body line without CRLF");
		len = (size_t)(eol - p);
		ck_assert_msg(len <= 76, "body line of %zu octets: %.*s", len,
		    (int)len, p);
		ck_assert_msg(len == 0 || p[0] != '.', "line starts with "
		    "'.': %.*s", (int)len, p);
		ck_assert_msg(len < 5 || strncmp(p, "From ", 5) != 0,
		    "line starts with 'From '");
		ck_assert_msg(len == 0 || (p[len - 1] != ' ' &&
		    p[len - 1] != '\t'), "trailing blank: %.*s", (int)len, p);
		for (i = 0; i < len; i++) {
			ck_assert_msg(p[i] == '\t' || (p[i] >= 0x20 &&
			    p[i] < 0x7f), "raw byte 0x%02x in body",
			    (unsigned char)p[i]);
			if (p[i] != '=') {
				strbuf_add(&out, p + i, 1);
				continue;
			}
			if (i + 1 == len)
				break;		/* soft line break */
			ck_assert_msg(i + 2 < len, "cut escape");
			hi = hexval(p[i + 1]);
			lo = hexval(p[i + 2]);
			ck_assert_msg(hi >= 0 && lo >= 0, "bad escape %.3s",
			    p + i);
			byte = (char)(hi * 16 + lo);
			strbuf_add(&out, &byte, 1);
			i += 2;
		}
		if (len == 0 || p[len - 1] != '=')
			strbuf_add(&out, "\n", 1);
		p = eol + 2;
	}
	return strbuf_detach(&out);
}

/* Build and take apart: the decoded subject and body (both new). */
static void
build_decoded(const struct mail_params *p, char **subject, char **body)
{
	struct parsed	 pm;
	char		*msg;

	msg = build(p);
	parse_message(msg, &pm);
	ck_assert_ptr_nonnull(header(&pm, "Subject"));
	*subject = decode_2047(header(&pm, "Subject"));
	*body = decode_qp(pm.body);
	parsed_free(&pm);
	free(msg);
}

START_TEST(test_mail_kind_name)
{
	ck_assert_str_eq(mail_kind_name(MAIL_CREATED), "created");
	ck_assert_str_eq(mail_kind_name(MAIL_WARNING), "warning");
	ck_assert_str_eq(mail_kind_name(MAIL_MISSED), "missed");
	ck_assert_str_eq(mail_kind_name((enum mail_kind)17), "unknown");
}
END_TEST

START_TEST(test_mail_message_id)
{
	char	*id;

	id = mail_message_id(42, MAIL_CREATED, DEADLINE, 7, "host1", FROM);
	ck_assert_str_eq(id, THREAD);
	free(id);
	id = mail_message_id(42, MAIL_WARNING, DEADLINE, 7, "host1", FROM);
	ck_assert_str_eq(id, MSGID);
	free(id);
	id = mail_message_id(42, MAIL_MISSED, DEADLINE, 8, "host1",
	    "a@b@mail.example.net");
	ck_assert_str_eq(id,
	    "<wd.42.missed.1795791600.8.host1@mail.example.net>");
	free(id);
	id = mail_message_id(3, MAIL_CREATED, 0, 0, "h", "nobody");
	ck_assert_str_eq(id, "<wd.3.created.h@localhost>");
	free(id);
	id = mail_message_id(3, MAIL_CREATED, 0, 0, "h", "x@");
	ck_assert_str_eq(id, "<wd.3.created.h@localhost>");
	free(id);
	id = mail_message_id(3, MAIL_CREATED, 0, 0, "h", NULL);
	ck_assert_str_eq(id, "<wd.3.created.h@localhost>");
	free(id);
	/* what a Message-ID cannot hold is replaced */
	id = mail_message_id(3, MAIL_CREATED, 0, 0, "a b>@\r\n", FROM);
	ck_assert_str_eq(id, "<wd.3.created.a_b____@example.com>");
	free(id);
	/* the same inputs give the same id */
	id = mail_message_id(3, MAIL_WARNING, 10, 11, "h", FROM);
	ck_assert_str_eq(id, "<wd.3.warning.10.11.h@example.com>");
	free(id);
}
END_TEST

/* Every header, in order, with its exact value. */
START_TEST(test_mail_headers)
{
	static const char	*names[] = {
		"Date", "From", "To", "Subject", "Message-ID",
		"In-Reply-To", "References", "MIME-Version",
		"Content-Type", "Content-Transfer-Encoding",
		"Auto-Submitted", "X-Watchdog-Ticket"
	};
	struct ticket		 t;
	struct mail_params	 p;
	struct parsed		 pm;
	char			*msg, *subject;
	size_t			 i;

	set_utc();
	make_ticket(&t, "Printer on fire", "Smoke from tray 2.");
	make_params(&p, MAIL_WARNING, &t, NULL);
	p.thread_id = THREAD;
	msg = build(&p);
	parse_message(msg, &pm);
	ck_assert_int_eq(pm.n, (int)(sizeof names / sizeof names[0]));
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		ck_assert_str_eq(pm.names[i], names[i]);
	ck_assert_str_eq(header(&pm, "Date"),
	    "Fri, 27 Nov 2026 14:00:00 +0000");
	ck_assert_str_eq(header(&pm, "From"), FROM);
	ck_assert_str_eq(header(&pm, "To"), TO);
	subject = decode_2047(header(&pm, "Subject"));
	ck_assert_str_eq(subject,
	    "[watchdog #42] SLA warning: Printer on fire (due 15:00 UTC)");
	/* plain ASCII stays as it is */
	ck_assert_str_eq(header(&pm, "Subject"), subject);
	free(subject);
	ck_assert_str_eq(header(&pm, "Message-ID"), MSGID);
	ck_assert_str_eq(header(&pm, "In-Reply-To"), THREAD);
	ck_assert_str_eq(header(&pm, "References"), THREAD);
	ck_assert_str_eq(header(&pm, "MIME-Version"), "1.0");
	ck_assert_str_eq(header(&pm, "Content-Type"),
	    "text/plain; charset=UTF-8");
	ck_assert_str_eq(header(&pm, "Content-Transfer-Encoding"),
	    "quoted-printable");
	ck_assert_str_eq(header(&pm, "Auto-Submitted"), "auto-generated");
	ck_assert_str_eq(header(&pm, "X-Watchdog-Ticket"), "42");
	ck_assert_ptr_nonnull(strstr(msg, "\r\n\r\n"));
	parsed_free(&pm);
	free(msg);
	ticket_clear(&t);
}
END_TEST

/* The created message is the thread's root: no threading headers. */
START_TEST(test_mail_thread_absent)
{
	struct ticket		 t;
	struct mail_params	 p;
	struct parsed		 pm;
	char			*msg;

	set_utc();
	make_ticket(&t, "Printer on fire", "");
	make_params(&p, MAIL_CREATED, &t, NULL);
	p.message_id = THREAD;
	msg = build(&p);
	parse_message(msg, &pm);
	ck_assert_int_eq(pm.n, 10);
	ck_assert_ptr_null(header(&pm, "In-Reply-To"));
	ck_assert_ptr_null(header(&pm, "References"));
	ck_assert_str_eq(header(&pm, "Message-ID"), THREAD);
	ck_assert_str_eq(header(&pm, "Subject"),
	    "[watchdog #42] New ticket: Printer on fire");
	parsed_free(&pm);
	free(msg);
	ticket_clear(&t);
}
END_TEST

/* Long header values are folded onto a line of their own. */
START_TEST(test_mail_long_header_values)
{
	struct ticket		 t;
	struct mail_params	 p;
	struct parsed		 pm;
	char			*msg, *to, *id;

	set_utc();
	make_ticket(&t, "x", "");
	make_params(&p, MAIL_MISSED, &t, NULL);
	to = xasprintf("%s@example.org",
	    "a-very-long-local-part-that-goes-on-and-on-and-on-for-ever");
	id = xasprintf("<wd.42.missed.1795791600.7.%s@example.com>",
	    "0123456789abcdef0123456789abcdef");
	p.to = to;
	p.message_id = id;
	p.thread_id = id;
	msg = build(&p);
	parse_message(msg, &pm);
	ck_assert_str_eq(header(&pm, "To"), to);
	ck_assert_str_eq(header(&pm, "Message-ID"), id);
	ck_assert_str_eq(header(&pm, "References"), id);
	parsed_free(&pm);
	free(msg);
	free(to);
	free(id);
	ticket_clear(&t);
}
END_TEST

/* A title, and whether its subject may stay unencoded. */
struct subject_case {
	const char	*title;
	bool		 plain;
};

static const struct subject_case subject_cases[] = {
	{ "Printer on fire", true },
	{ "Caf" E_ACUTE " au lait, na\xc3\xafve r" E_ACUTE "sum" E_ACUTE,
	    false },
	{ "Stra\xc3\x9f" "e gesperrt: \xc3\x84rger mit \xc3\x96l", false },
	{ NIHONGO "\xe3\x81\xae\xe3\x82\xbf\xe3\x82\xa4\xe3\x83\x88\xe3\x83"
	    "\xab", false },
	{ "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
	    "eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut "
	    "enim ad minim veniam, quis nostrud exercitation ullamco laboris "
	    "nisi ut aliquip ex ea commodo consequat.", true },
	{ "Gr\xc3\xb6\xc3\x9f" "en\xc3\xa4nderung fehlgeschlagen: "
	    "Gr\xc3\xb6\xc3\x9f" "en\xc3\xa4nderung fehlgeschlagen: "
	    "Gr\xc3\xb6\xc3\x9f" "en\xc3\xa4nderung fehlgeschlagen: "
	    "Gr\xc3\xb6\xc3\x9f" "en\xc3\xa4nderung fehlgeschlagen: "
	    "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
	    "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
	    "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc",
	    false },
	{ NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO
	    NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO
	    NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO,
	    false },
	{ GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN
	    GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN GRIN
	    " on fire " GRIN, false },
	{ "a" E_ACUTE NIHONGO GRIN "b" E_ACUTE NIHONGO GRIN "c" E_ACUTE
	    NIHONGO GRIN "d" E_ACUTE NIHONGO GRIN "e" E_ACUTE NIHONGO GRIN
	    "f" E_ACUTE NIHONGO GRIN "g" E_ACUTE NIHONGO GRIN, false },
	/* runs of words where Q is shorter, spaces inside the words */
	{ "Neu: \xc3\x9c" "bergabeprotokoll \xc3\x84nderungsantrag fertig",
	    false },
	{ "\xc3\x9c" "bergabeprotokoll \xc3\x84nderungsantrag "
	    "\xc3\x9c" "bergabeprotokoll \xc3\x84nderungsantrag "
	    "\xc3\x9c" "bergabeprotokoll \xc3\x84nderungsantrag "
	    "\xc3\x9c" "bergabeprotokoll \xc3\x84nderungsantrag", false },
	/* looks like an encoded word: must be encoded to survive */
	{ "=?UTF-8?B?ZXZpbA==?= spoof", false },
	{ "q_u?e=s " E_ACUTE "_?= t", false },
	/* one word too long to fold */
	{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    false },
	{ "Mixed " E_ACUTE "t" E_ACUTE " and ASCII " NIHONGO " words end",
	    false },
};

START_TEST(test_mail_subject)
{
	const struct subject_case	*c = &subject_cases[_i];
	struct ticket			 t;
	struct mail_params		 p;
	struct parsed			 pm;
	char				*msg, *want, *got;

	set_utc();
	make_ticket(&t, c->title, "");
	make_params(&p, MAIL_CREATED, &t, NULL);
	msg = build(&p);
	parse_message(msg, &pm);
	want = xasprintf("[watchdog #42] New ticket: %s", c->title);
	got = decode_2047(header(&pm, "Subject"));
	ck_assert_msg(strcmp(got, want) == 0, "case %d:\n got  %s\n want %s",
	    _i, got, want);
	if (c->plain)
		ck_assert_str_eq(header(&pm, "Subject"), want);
	else
		ck_assert_ptr_nonnull(strstr(header(&pm, "Subject"),
		    "=?UTF-8?"));
	/* the readable ASCII start is left readable */
	ck_assert_msg(strncmp(header(&pm, "Subject"), "[watchdog #42] New "
	    "ticket: ", 27) == 0, "case %d: %s", _i, header(&pm, "Subject"));
	free(got);
	free(want);
	parsed_free(&pm);
	free(msg);
	ticket_clear(&t);
}
END_TEST

/* The default subjects of the three kinds, exactly. */
START_TEST(test_mail_subject_kinds)
{
	struct ticket		 t;
	struct mail_params	 p;
	char			*subject, *body;

	set_utc();
	make_ticket(&t, "Printer on fire", "");
	make_params(&p, MAIL_CREATED, &t, NULL);
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "[watchdog #42] New ticket: Printer on fire");
	free(subject);
	free(body);

	t.deadline = NOW;
	p.kind = MAIL_WARNING;
	p.now = NOW - 1800;
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject,
	    "[watchdog #42] SLA warning: Printer on fire (due 14:00 UTC)");
	ck_assert_ptr_nonnull(strstr(body, "30m 0s left"));
	free(subject);
	free(body);

	t.deadline = NOW - 3600;
	p.kind = MAIL_MISSED;
	p.now = NOW;
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "[watchdog #42] SLA missed: Printer on fire "
	    "(overdue since 13:00 UTC)");
	ck_assert_ptr_nonnull(strstr(body, "overdue 1h 0m"));
	free(subject);
	free(body);
	ticket_clear(&t);
}
END_TEST

#define QP_LONG_ASCII \
	"The quick brown fox jumps over the lazy dog and keeps running " \
	"through the whole field, past the barn, over the hill, and far " \
	"away into the forest where nobody will ever find it again, ever."
#define QP_UE	"\xc3\xbc"

static const char qp_body[] =
	QP_LONG_ASCII "\n"
	"\n"
	"a = b == c =41 =\n"
	"trailing spaces   \n"
	"trailing tab\t\n"
	"\ttab first and\tinside\n"
	"." "\n"
	".foo\n"
	"..\n"
	"From the start\n"
	"Fromage\n"
	QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE
	QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE
	QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE QP_UE
	" " QP_UE "\n"
	NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO
	NIHONGO GRIN GRIN GRIN GRIN GRIN GRIN "\n"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxx \n"
	"74 chars then a dot: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxx.....\n"
	"last line";

/* Body lines are short, and decoding them gives back the body. */
START_TEST(test_mail_body_qp)
{
	struct ticket		 t;
	struct mail_params	 p;
	char			*tpl, *subject, *body, *want;

	set_utc();
	make_ticket(&t, "x", "");
	tpl = xasprintf("Subject: qp\n\n%s", qp_body);
	make_params(&p, MAIL_CREATED, &t, tpl);
	build_decoded(&p, &subject, &body);
	want = xasprintf("%s\n", qp_body);
	ck_assert_str_eq(body, want);
	ck_assert_str_eq(subject, "qp");
	free(want);
	free(subject);
	free(body);
	free(tpl);
	ticket_clear(&t);
}
END_TEST

/* "." and ".foo" lines of a description never start a body line. */
START_TEST(test_mail_body_dots)
{
	struct ticket		 t;
	struct mail_params	 p;
	struct parsed		 pm;
	char			*msg, *body;

	set_utc();
	make_ticket(&t, "Dots", "first\n.\n.foo\n..\r\n.\r\nlast");
	make_params(&p, MAIL_CREATED, &t, "Subject: d\n\n{{description}}\n");
	msg = build(&p);
	ck_assert_ptr_null(strstr(msg, "\r\n.\r\n"));
	ck_assert_ptr_null(strstr(msg, "\r\n."));
	parse_message(msg, &pm);
	body = decode_qp(pm.body);
	ck_assert_str_eq(body, "first\n.\n.foo\n..^M\n.^M\nlast\n");
	free(body);
	parsed_free(&pm);
	free(msg);

	/* and through the built-in template */
	make_params(&p, MAIL_WARNING, &t, NULL);
	msg = build(&p);
	ck_assert_ptr_null(strstr(msg, "\r\n."));
	parse_message(msg, &pm);
	body = decode_qp(pm.body);
	ck_assert_ptr_nonnull(strstr(body, "\nfirst\n.\n.foo\n"));
	free(body);
	parsed_free(&pm);
	free(msg);
	ticket_clear(&t);
}
END_TEST

/* No line of the header of MSG starts with NAME (any case). */
static void
assert_no_header(const char *msg, const char *name)
{
	const char	*p = msg;
	size_t		 n = strlen(name);

	while (strncmp(p, "\r\n", 2) != 0) {
		ck_assert_msg(strncasecmp(p, name, n) != 0, "a header line "
		    "starts with %s", name);
		p = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(p);
		p += 2;
	}
}

/* A title or description cannot add a header. */
START_TEST(test_mail_header_injection)
{
	struct ticket		 t;
	struct mail_params	 p;
	struct parsed		 pm;
	char			*msg, *subject;

	set_utc();
	make_ticket(&t, "Urgent\r\nBcc: evil@example.org",
	    "a\r\nBcc: evil@example.org\nTo: evil@example.org\n"
	    ".\r\n\r\n.\n");
	make_params(&p, MAIL_CREATED, &t, NULL);
	msg = build(&p);
	assert_no_header(msg, "Bcc:");
	ck_assert_ptr_null(strstr(msg, "\r\n.\r\n"));
	parse_message(msg, &pm);
	ck_assert_int_eq(pm.n, 10);
	subject = decode_2047(header(&pm, "Subject"));
	ck_assert_str_eq(subject, "[watchdog #42] New ticket: "
	    "Urgent^M^JBcc: evil@example.org");
	free(subject);
	parsed_free(&pm);
	free(msg);

	/* the description in the subject: its line breaks become blanks */
	make_params(&p, MAIL_CREATED, &t,
	    "Subject: {{description}}\t{{title}}\n\nbody\n");
	msg = build(&p);
	assert_no_header(msg, "Bcc:");
	assert_no_header(msg, "To: evil");
	parse_message(msg, &pm);
	ck_assert_int_eq(pm.n, 10);
	ck_assert_str_eq(header(&pm, "To"), TO);
	subject = decode_2047(header(&pm, "Subject"));
	ck_assert_str_eq(subject, "a^M Bcc: evil@example.org To: "
	    "evil@example.org .^M ^M . Urgent^M^JBcc: evil@example.org");
	free(subject);
	parsed_free(&pm);
	free(msg);

	/* a CR or LF in the template's own subject cannot either */
	make_params(&p, MAIL_CREATED, &t, "Subject: a\rBcc: x\n\nbody\n");
	msg = build(&p);
	assert_no_header(msg, "Bcc:");
	parse_message(msg, &pm);
	ck_assert_int_eq(pm.n, 10);
	ck_assert_str_eq(header(&pm, "Subject"), "a Bcc: x");
	parsed_free(&pm);
	free(msg);
	ticket_clear(&t);
}
END_TEST

/* Control characters in ticket text arrive as visible text. */
START_TEST(test_mail_control_chars)
{
	struct ticket		 t;
	struct mail_params	 p;
	char			*subject, *body;
	size_t			 i;

	set_utc();
	make_ticket(&t, "Bell\x07 and \x1b[31mred\xc2\x9b",
	    "esc \x1b[2J\x7f\ttab\nnext \xff");
	make_params(&p, MAIL_CREATED, &t,
	    "Subject: {{title}}\n\n{{title}}\n{{description}}\n");
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "Bell^G and ^[[31mred<U+009B>");
	ck_assert_str_eq(body, "Bell^G and ^[[31mred<U+009B>\n"
	    "esc ^[[2J^?\ttab\nnext \xef\xbf\xbd\n");
	for (i = 0; body[i] != '\0'; i++)
		ck_assert(body[i] == '\n' || body[i] == '\t' ||
		    (unsigned char)body[i] >= 0x20);
	free(subject);
	free(body);
	ticket_clear(&t);
}
END_TEST

/* Header values that would break the header are refused. */
struct bad_value_case {
	const char	*from;
	const char	*to;
	const char	*message_id;
	const char	*thread_id;
	const char	*want;
};

static const struct bad_value_case bad_value_cases[] = {
	{ FROM "\r\nBcc: evil@example.org", TO, MSGID, NULL,
	    "From contains a control character" },
	{ FROM, TO "\n", MSGID, NULL, "To contains a control character" },
	{ FROM, "a\tb@example.org", MSGID, NULL,
	    "To contains a control character" },
	{ FROM, TO, MSGID "\r\n", NULL,
	    "Message-ID contains a control character" },
	{ FROM, TO, MSGID, "<a\x01@b>", "thread id contains a control "
	    "character" },
	{ FROM, TO, MSGID, "<a\x7f@b>", "thread id contains a control "
	    "character" },
	{ "", TO, MSGID, NULL, "From is empty" },
	{ FROM, NULL, MSGID, NULL, "To is empty" },
	{ FROM, TO, NULL, NULL, "Message-ID is empty" },
	{ FROM, TO, MSGID, "", "thread id is empty" },
	{ "j" E_ACUTE "r@example.com", TO, MSGID, NULL, "From is not ASCII" },
	{ FROM, TO, "wd.1@example.com", NULL,
	    "Message-ID is not a Message-ID (<...@...>)" },
	{ FROM, TO, "<wd.1 @example.com>", NULL,
	    "Message-ID is not a Message-ID (<...@...>)" },
	{ FROM, TO, MSGID, "<a@b><c@d>",
	    "thread id is not a Message-ID (<...@...>)" },
	{ FROM, TO, MSGID, "<nothing>",
	    "thread id is not a Message-ID (<...@...>)" },
};

START_TEST(test_mail_bad_values)
{
	const struct bad_value_case	*c = &bad_value_cases[_i];
	struct ticket			 t;
	struct mail_params		 p;
	char				*msg = NULL, *cause = NULL;

	set_utc();
	make_ticket(&t, "x", "");
	make_params(&p, MAIL_WARNING, &t, NULL);
	p.from = c->from;
	p.to = c->to;
	p.message_id = c->message_id;
	p.thread_id = c->thread_id;
	ck_assert_int_eq(mail_build(&p, &msg, &cause), WD_EDATA);
	ck_assert_ptr_null(msg);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strcmp(cause, c->want) == 0, "case %d: got '%s', want "
	    "'%s'", _i, cause, c->want);
	free(cause);
	ticket_clear(&t);
}
END_TEST

/* A malformed template, and the exact message. */
struct template_bad_case {
	const char	*text;
	const char	*want;
};

#define TPL	"template warning.txt:"

static const struct template_bad_case template_bad_cases[] = {
	{ "Subject: {{ titel }}\n\nx\n", TPL "1: unknown placeholder "
	    "{{titel}} (did you mean {{title}}?)" },
	{ "Subject: x\n\nline\n{{nope}}\n", TPL "4: unknown placeholder "
	    "{{nope}}" },
	{ "Subject: x\n\nline\n{{ deadline }}\n", TPL "4: unknown "
	    "placeholder {{deadline}}" },
	{ "Subject: x\n\n{{}}\n", TPL "3: unknown placeholder {{}}" },
	{ "Subject: x\n\n{{ \x1b[1m }}\n", TPL "3: unknown placeholder "
	    "{{^[[1m}}" },
	{ "Subject: x\n\nok\n\nbad {{title\nmore }}\n", TPL "5: unterminated "
	    "{{ (no }} on the same line)" },
	{ "Subject: x\n\n{{title}} {{ title }} {{\ttitle\t}}\n{{title}\n",
	    TPL "4: unterminated {{ (no }} on the same line)" },
	{ "Subject: {{id\n\nbody\n", TPL "1: unterminated {{ (no }} on the "
	    "same line)" },
	{ "Subject: x\n\nends {{", TPL "3: unterminated {{ (no }} on the "
	    "same line)" },
	{ "Subject: x\r\n\r\nline\r\n{{bogus}}\r\n", TPL "4: unknown "
	    "placeholder {{bogus}}" },
	{ "Hello {{title}}\n\nbody\n", TPL "1: missing Subject line (the "
	    "first line must be \"Subject: ...\")" },
	{ "", TPL "1: missing Subject line (the first line must be "
	    "\"Subject: ...\")" },
	{ "\nSubject: x\n\nbody\n", TPL "1: missing Subject line (the first "
	    "line must be \"Subject: ...\")" },
	{ "Subject x\n\nbody\n", TPL "1: missing Subject line (the first "
	    "line must be \"Subject: ...\")" },
	{ "Subject: x\nbody\n", TPL "2: expected an empty line after the "
	    "Subject line" },
	{ "Subject: x\nFrom: evil@example.org\n\nbody\n", TPL "2: expected "
	    "an empty line after the Subject line" },
	{ "Subject: \t \n\nbody\n", TPL "1: empty Subject line" },
	{ "Subject: x\n\nfine\nbad \xff byte\n", TPL "4: not UTF-8 text" },
	{ "Subject: \xc3\n\nbody\n", TPL "1: not UTF-8 text" },
};

START_TEST(test_mail_template_bad)
{
	const struct template_bad_case	*c = &template_bad_cases[_i];
	struct ticket			 t;
	struct mail_params		 p;
	char				*msg = NULL, *cause = NULL;

	set_utc();
	make_ticket(&t, "x", "");
	make_params(&p, MAIL_WARNING, &t, c->text);
	ck_assert_msg(mail_build(&p, &msg, &cause) == WD_EDATA,
	    "case %d accepted", _i);
	ck_assert_ptr_null(msg);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strcmp(cause, c->want) == 0, "case %d:\n got  %s\n "
	    "want %s", _i, cause, c->want);
	free(cause);
	ticket_clear(&t);
}
END_TEST

/* Every placeholder, with blanks, CR LF lines, a BOM, "subject:". */
START_TEST(test_mail_template_placeholders)
{
	struct ticket		 t;
	struct mail_params	 p;
	char			*subject, *body;

	set_utc();
	make_ticket(&t, "Printer on fire", "Paper jam,\nthen smoke.\n\n");
	make_params(&p, MAIL_WARNING, &t,
	    "\xef\xbb\xbfsubject:  {{kind}} #{{ id }} {{ due_time }}  \r\n"
	    "\r\n"
	    "id={{id}}\r\n"
	    "title={{ title }}\r\n"
	    "description={{\tdescription }}\r\n"
	    "status={{status}}\r\n"
	    "priority={{priority}}\r\n"
	    "owner={{owner}}\r\n"
	    "assignee={{assignee}}\r\n"
	    "deadline_local={{deadline_local}}\r\n"
	    "deadline_utc={{deadline_utc}}\r\n"
	    "due_time={{due_time}}\r\n"
	    "left={{left}}\r\n"
	    "kind={{kind}}\r\n"
	    "command={{command}}\r\n"
	    "twice={{id}}{{id}} braces {x} }} {\r\n");
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "warning #42 15:00 UTC");
	ck_assert_str_eq(body,
	    "id=42\n"
	    "title=Printer on fire\n"
	    "description=Paper jam,\nthen smoke.\n"
	    "status=in_progress\n"
	    "priority=high\n"
	    "owner=alice\n"
	    "assignee=nobody\n"
	    "deadline_local=2026-11-27 15:00 UTC\n"
	    "deadline_utc=2026-11-27T15:00:00Z\n"
	    "due_time=15:00 UTC\n"
	    "left=1h 0m left\n"
	    "kind=warning\n"
	    "command=watchdog, then #42\n"
	    "twice=4242 braces {x} }} {\n");
	free(subject);
	free(body);

	/* an assignee, and a template body that does not end in a newline */
	t.assignee = xstrdup("bob");
	p.kind = MAIL_MISSED;
	p.now = DEADLINE + 300;
	p.template_text = "Subject: s\n\n{{assignee}} {{left}} {{kind}}";
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(body, "bob overdue 5m missed\n");
	free(subject);
	free(body);

	/* just a subject: an empty body */
	p.template_text = "Subject: only";
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "only");
	ck_assert_str_eq(body, "");
	free(subject);
	free(body);
	ticket_clear(&t);
}
END_TEST

/* A description, and the start of it a message shows. */
struct excerpt_case {
	const char	*in;
	const char	*want;
};

#define A50	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define A500	A50 A50 A50 A50 A50 A50 A50 A50 A50 A50
#define E25	E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE \
		E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE \
		E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE \
		E_ACUTE E_ACUTE E_ACUTE E_ACUTE
#define E250	E25 E25 E25 E25 E25 E25 E25 E25 E25 E25
#define E249	E25 E25 E25 E25 E25 E25 E25 E25 E25 \
		E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE \
		E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE \
		E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE \
		E_ACUTE E_ACUTE E_ACUTE
#define L10	"1\n2\n3\n4\n5\n6\n7\n8\n9\n10"

static const struct excerpt_case excerpt_cases[] = {
	{ "", "(none)" },
	{ " \n\t\n", "(none)" },
	{ "short", "short" },
	{ "\n\nleading blank lines\n\n\n", "leading blank lines" },
	{ "  indented\n", "  indented" },
	{ A500, A500 },
	{ A500 "b", A500 " [...]" },
	{ A500 "   \n\n", A500 },
	{ E250 E_ACUTE, E250 " [...]" },
	{ "x" E250, "x" E249 " [...]" },
	{ "xx" E250, "xx" E249 " [...]" },
	{ L10, L10 },
	{ L10 "\n", L10 },
	{ L10 "\n11", L10 " [...]" },
	{ L10 "\n\n\n11\n12", L10 " [...]" },
	{ "1\n\n\n\n\n\n\n\n\n\n\n12", "1 [...]" },
	{ "esc\x1b here", "esc^[ here" },
};

START_TEST(test_mail_excerpt)
{
	const struct excerpt_case	*c = &excerpt_cases[_i];
	struct ticket			 t;
	struct mail_params		 p;
	char				*subject, *body, *want;

	set_utc();
	make_ticket(&t, "x", c->in);
	make_params(&p, MAIL_CREATED, &t, "Subject: s\n\n{{description}}\n");
	build_decoded(&p, &subject, &body);
	want = xasprintf("%s\n", c->want);
	ck_assert_msg(strcmp(body, want) == 0, "case %d:\n got  '%s'\n want "
	    "'%s'", _i, body, want);
	ck_assert(utf8_valid(body, strlen(body)));
	free(want);
	free(subject);
	free(body);
	ticket_clear(&t);
}
END_TEST

/* Each built-in template renders, with every placeholder resolved. */
START_TEST(test_mail_builtin)
{
	static const char	*want[] = {
		"#42", "Printer on fire", "in_progress", "high", "alice",
		"nobody", "2026-11-27 15:00 UTC (2026-11-27T15:00:00Z)",
		"watchdog, then #42", "Smoke from tray 2.",
	};
	enum mail_kind		 kind = (enum mail_kind)_i;
	const struct embedded_file *ef;
	struct ticket		 t;
	struct mail_params	 p;
	char			*subject, *body, *text = NULL, *cause = NULL;
	char			*path;
	size_t			 i;

	set_utc();
	make_ticket(&t, "Printer on fire", "Smoke from tray 2.");
	make_params(&p, kind, &t, NULL);
	if (kind == MAIL_MISSED)
		p.now = DEADLINE + 600;
	build_decoded(&p, &subject, &body);
	ck_assert_ptr_null(strstr(subject, "{{"));
	ck_assert_ptr_null(strstr(body, "{{"));
	ck_assert_ptr_null(strstr(body, "}}"));
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(body, want[i]) != NULL,
		    "%s: no '%s' in\n%s", mail_kind_name(kind), want[i], body);
	ck_assert_ptr_nonnull(strstr(body, kind == MAIL_MISSED ?
	    "overdue 10m" : "1h 0m left"));
	switch (kind) {
	case MAIL_CREATED:
		ck_assert_str_eq(subject,
		    "[watchdog #42] New ticket: Printer on fire");
		break;
	case MAIL_WARNING:
		ck_assert_str_eq(subject,
		    "[watchdog #42] SLA warning: Printer on fire (due 15:00 UTC)");
		break;
	case MAIL_MISSED:
		ck_assert_str_eq(subject, "[watchdog #42] SLA missed: "
		    "Printer on fire (overdue since 15:00 UTC)");
		break;
	case MAIL_ASSIGNED:
	case MAIL_COMMENTED:
		ck_abort_msg("test_mail_event_builtin covers these");
		break;
	}

	/* loading the built-in template gives the embedded file */
	ck_assert_int_eq(mail_template_load(NULL, kind, &text, &cause), WD_OK);
	path = xasprintf("data/templates/%s.txt", mail_kind_name(kind));
	ef = embedded_find(path);
	ck_assert_ptr_nonnull(ef);
	ck_assert_str_eq(text, ef->data);
	free(text);
	ck_assert_int_eq(mail_template_load("", kind, &text, &cause), WD_OK);
	ck_assert_str_eq(text, ef->data);
	free(text);
	free(path);
	free(subject);
	free(body);
	ticket_clear(&t);
}
END_TEST

/* The built-in assigned and commented notices: subject, who, the text. */
START_TEST(test_mail_event_builtin)
{
	struct ticket		 t;
	struct mail_params	 p;
	char			*subject, *body;

	set_utc();
	make_ticket(&t, "Printer on fire", "Smoke from tray 2.");
	make_params(&p, MAIL_ASSIGNED, &t, NULL);
	p.author = "carol";
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "[watchdog #42] Assigned to you: "
	    "Printer on fire (due 15:00 UTC)");
	ck_assert_msg(strstr(body, "carol assigned ticket #42 to you.") !=
	    NULL && strstr(body, "1h 0m left") != NULL, "%s", body);
	free(subject);
	free(body);

	make_params(&p, MAIL_COMMENTED, &t, NULL);
	p.author = "carol";
	p.comment = "Tried a reboot.\n\tNo luck: \x1b[2J still there.";
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "[watchdog #42] New comment by carol: "
	    "Printer on fire");
	ck_assert_msg(strstr(body, "carol commented on ticket #42:\n\n"
	    "Tried a reboot.\n\tNo luck: ") != NULL, "%s", body);
	ck_assert_msg(strchr(body, '\x1b') == NULL, "escape obeyed: %s", body);
	free(subject);
	free(body);
	ticket_clear(&t);
}
END_TEST

/* Write LEN bytes of DATA to DIR/NAME. */
static void
write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
}

#define WRITE_LIT(dir, name, lit) write_file(dir, name, lit, sizeof lit - 1)

/* Templates from TEMPLATE_DIR. */
START_TEST(test_mail_template_dir)
{
	static const char	 tpl[] = "Subject: [#{{id}}] custom {{title}}\n"
	    "\n"
	    "Custom body for {{ title }}.\n";
	struct ticket		 t;
	struct mail_params	 p;
	char			*dir, *slash, *text = NULL, *cause = NULL;
	char			*subject, *body, *big, *sub, *want;

	set_utc();
	dir = unit_tmpdir();
	WRITE_LIT(dir, "created.txt", tpl);
	ck_assert_int_eq(mail_template_load(dir, MAIL_CREATED, &text, &cause),
	    WD_OK);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(text, tpl);

	make_ticket(&t, "Printer on fire", "");
	make_params(&p, MAIL_CREATED, &t, text);
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject, "[#42] custom Printer on fire");
	ck_assert_str_eq(body, "Custom body for Printer on fire.\n");
	free(subject);
	free(body);
	free(text);
	text = NULL;

	/* a trailing slash on the directory */
	slash = xasprintf("%s/", dir);
	ck_assert_int_eq(mail_template_load(slash, MAIL_CREATED, &text,
	    &cause), WD_OK);
	ck_assert_str_eq(text, tpl);
	free(text);
	text = NULL;
	free(slash);

	/* a missing file */
	ck_assert_int_eq(mail_template_load(dir, MAIL_WARNING, &text, &cause),
	    WD_ECONFIG);
	ck_assert_ptr_null(text);
	want = xasprintf("%s/warning.txt: cannot read: No such file or "
	    "directory", dir);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	cause = NULL;

	/* not a regular file */
	sub = xasprintf("%s/missed.txt", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(mail_template_load(dir, MAIL_MISSED, &text, &cause),
	    WD_ECONFIG);
	want = xasprintf("%s: not a regular file", sub);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(rmdir(sub), 0);
	free(sub);

	/* 64 KiB is fine, one byte more is not */
	big = xmalloc(65537);
	memset(big, 'a', 65537);
	memcpy(big, "Subject: big\n\n", 14);
	write_file(dir, "missed.txt", big, 65536);
	ck_assert_int_eq(mail_template_load(dir, MAIL_MISSED, &text, &cause),
	    WD_OK);
	ck_assert_uint_eq(strlen(text), 65536);
	free(text);
	text = NULL;
	write_file(dir, "missed.txt", big, 65537);
	ck_assert_int_eq(mail_template_load(dir, MAIL_MISSED, &text, &cause),
	    WD_ECONFIG);
	want = xasprintf("%s/missed.txt: larger than 64 KiB", dir);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	free(big);

	/* malformed: named by its path and line */
	WRITE_LIT(dir, "warning.txt", "Subject: w\n\nok\n{{ titel }}\n");
	ck_assert_int_eq(mail_template_load(dir, MAIL_WARNING, &text, &cause),
	    WD_EDATA);
	ck_assert_ptr_null(text);
	want = xasprintf("%s/warning.txt:4: unknown placeholder {{titel}} "
	    "(did you mean {{title}}?)", dir);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	WRITE_LIT(dir, "warning.txt", "Subject: w\n\n\xfe\n");
	ck_assert_int_eq(mail_template_load(dir, MAIL_WARNING, &text, &cause),
	    WD_EDATA);
	want = xasprintf("%s/warning.txt:3: not UTF-8 text", dir);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	WRITE_LIT(dir, "warning.txt", "Subject: w\n\na\0b\n");
	ck_assert_int_eq(mail_template_load(dir, MAIL_WARNING, &text, &cause),
	    WD_EDATA);
	want = xasprintf("%s/warning.txt:3: NUL byte", dir);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);

	unit_tmpdir_remove(dir);
	free(dir);
	ticket_clear(&t);
}
END_TEST

/*
 * The sender's display name: a quoted string when ASCII, RFC 2047 encoded
 * words otherwise; the address after it in angle brackets.
 */
START_TEST(test_mail_from_name)
{
	static const struct {
		const char	*name, *header, *decoded;
	} cases[] = {
		{ "SLA Watchdog", "\"SLA Watchdog\" <" FROM ">", NULL },
		{ "Ops, \"Berlin\" \\ 2", "\"Ops, \\\"Berlin\\\" \\\\ 2\" <" FROM ">",
		    NULL },
		{ "SLA W" "\xc3\xa4" "tchdog", NULL, "SLA W\xc3\xa4tchdog" },
		{ NIHONGO " " NIHONGO " " NIHONGO " " NIHONGO " " NIHONGO " "
		    NIHONGO " " NIHONGO, NULL, NIHONGO " " NIHONGO " " NIHONGO
		    " " NIHONGO " " NIHONGO " " NIHONGO " " NIHONGO },
	};
	struct ticket		 t;
	struct mail_params	 p;
	struct parsed		 pm;
	const char		*from, *lt;
	char			*msg, *name;
	size_t			 i;

	set_utc();
	make_ticket(&t, "Printer on fire", "");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_params(&p, MAIL_WARNING, &t, NULL);
		p.from_name = cases[i].name;
		msg = build(&p);
		parse_message(msg, &pm);
		from = header(&pm, "From");
		ck_assert_ptr_nonnull(from);
		if (cases[i].header != NULL)
			ck_assert_str_eq(from, cases[i].header);
		else {
			lt = strrchr(from, '<');
			ck_assert_ptr_nonnull(lt);
			ck_assert_str_eq(lt, "<" FROM ">");
			name = xstrndup(from, (size_t)(lt - from - 1));
			ck_assert_ptr_nonnull(strstr(name, "=?UTF-8?"));
			free(msg);
			msg = decode_2047(name);
			ck_assert_str_eq(msg, cases[i].decoded);
			free(name);
		}
		parsed_free(&pm);
		free(msg);
	}
	/* A name with a line break cannot add a header. */
	make_params(&p, MAIL_WARNING, &t, NULL);
	p.from_name = "Evil\r\nBcc: victim@example.org";
	msg = NULL;
	name = NULL;
	ck_assert_int_eq(mail_build(&p, &msg, &name), WD_EDATA);
	ck_assert_ptr_null(msg);
	free(name);
	ticket_clear(&t);
}
END_TEST

/*
 * Times in a message are in the zone given (TIME_ZONE) and name it,
 * whatever the TZ of the process that builds it.
 */
START_TEST(test_mail_time_zone)
{
	struct ticket		 t;
	struct mail_params	 p;
	char			*subject, *body;

	ck_assert_int_eq(setenv("TZ", "America/New_York", 1), 0);
	tzset();
	make_ticket(&t, "Printer on fire", "");
	t.deadline = 1796302800LL;	/* 2026-12-03T13:00:00Z */
	make_params(&p, MAIL_WARNING, &t, NULL);
	p.now = t.deadline - 1800;
	p.time_zone = "Europe/Berlin";
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject,
	    "[watchdog #42] SLA warning: Printer on fire (due 14:00 CET)");
	ck_assert_msg(strstr(body,
	    "2026-12-03 14:00 CET (2026-12-03T13:00:00Z)") != NULL, "%s", body);
	ck_assert_ptr_null(strstr(body, "08:00"));
	free(subject);
	free(body);
	/* Summer time names itself too. */
	t.deadline = 1782907200LL;	/* 2026-07-01T12:00:00Z */
	p.now = t.deadline - 1800;
	build_decoded(&p, &subject, &body);
	ck_assert_str_eq(subject,
	    "[watchdog #42] SLA warning: Printer on fire (due 14:00 CEST)");
	free(subject);
	free(body);
	ck_assert_str_eq(getenv("TZ"), "America/New_York");
	ticket_clear(&t);
	set_utc();
}
END_TEST

/*
 * TEMPLATE_DIR without assigned.txt or commented.txt: those two fall back
 * to the built-in ones; with them, they are used; the first three never
 * fall back.
 */
START_TEST(test_mail_event_template_dir)
{
	const struct embedded_file	*ef;
	char				*tdir, *text = NULL, *cause = NULL;

	tdir = unit_tmpdir();
	ck_assert_int_eq(mail_template_load(tdir, MAIL_ASSIGNED, &text,
	    &cause), WD_OK);
	ef = embedded_find("data/templates/assigned.txt");
	ck_assert_ptr_nonnull(ef);
	ck_assert_str_eq(text, ef->data);
	free(text);
	ck_assert_int_eq(mail_template_load(tdir, MAIL_CREATED, &text,
	    &cause), WD_ECONFIG);
	free(cause);
	cause = NULL;
	WRITE_LIT(tdir, "commented.txt", "Subject: {{author}} said\n\n"
	    "{{comment}}\n");
	ck_assert_int_eq(mail_template_load(tdir, MAIL_COMMENTED, &text,
	    &cause), WD_OK);
	ck_assert_str_eq(text, "Subject: {{author}} said\n\n{{comment}}\n");
	free(text);
	unit_tmpdir_remove(tdir);
	free(tdir);
}
END_TEST

static Suite *
mail_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("mail");

	tc = tcase_create("headers");
	tcase_add_test(tc, test_mail_kind_name);
	tcase_add_test(tc, test_mail_message_id);
	tcase_add_test(tc, test_mail_headers);
	tcase_add_test(tc, test_mail_thread_absent);
	tcase_add_test(tc, test_mail_long_header_values);
	tcase_add_loop_test(tc, test_mail_bad_values, 0,
	    (int)(sizeof bad_value_cases / sizeof bad_value_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("subject");
	tcase_add_loop_test(tc, test_mail_subject, 0,
	    (int)(sizeof subject_cases / sizeof subject_cases[0]));
	tcase_add_test(tc, test_mail_subject_kinds);
	tcase_add_test(tc, test_mail_time_zone);
	tcase_add_test(tc, test_mail_from_name);
	tcase_add_test(tc, test_mail_header_injection);
	tcase_add_test(tc, test_mail_control_chars);
	suite_add_tcase(s, tc);

	tc = tcase_create("body");
	tcase_add_test(tc, test_mail_body_qp);
	tcase_add_test(tc, test_mail_body_dots);
	tcase_add_loop_test(tc, test_mail_excerpt, 0,
	    (int)(sizeof excerpt_cases / sizeof excerpt_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("template");
	tcase_add_loop_test(tc, test_mail_template_bad, 0,
	    (int)(sizeof template_bad_cases / sizeof template_bad_cases[0]));
	tcase_add_test(tc, test_mail_template_placeholders);
	tcase_add_loop_test(tc, test_mail_builtin, MAIL_CREATED,
	    MAIL_MISSED + 1);
	tcase_add_test(tc, test_mail_event_builtin);
	tcase_add_test(tc, test_mail_template_dir);
	tcase_add_test(tc, test_mail_event_template_dir);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(mail_suite)
