/*
 * mail.h: the text of SLA notification e-mails (watchdog(1) NOTIFICATIONS). Pure: it
 * builds RFC 5322 messages from a ticket, a template and the time it is
 * given, and touches neither the network nor the database.
 */
#ifndef WATCHDOG_MAIL_H
#define WATCHDOG_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "watchdog/status.h"

struct ticket;

enum mail_kind {
	MAIL_CREATED,
	MAIL_WARNING,
	MAIL_MISSED,
	MAIL_ASSIGNED,		/* to the new assignee */
	MAIL_COMMENTED,		/* to the owner and the assignee */
};

/* "created", "warning", "missed", "assigned", "commented". */
const char	*mail_kind_name(enum mail_kind kind);

/* Everything one message is made of. */
struct mail_params {
	enum mail_kind		 kind;
	const struct ticket	*ticket;	/* title, status, owner, ... */
	int64_t			 now;		/* the Date header, time left */
	const char		*from;		/* DEFAULT_FROM_EMAIL, bare */
	const char		*from_name;	/* its display name, or NULL */
	const char		*to;		/* the one recipient */
	const char		*message_id;	/* "<...>", stable per notification */
	const char		*thread_id;	/* the created message's id, or NULL */
	const char		*template_text;	/* NULL: the built-in template */
	const char		*time_zone;	/* TIME_ZONE; NULL: UTC */
	const char		*author;	/* who assigned or commented */
	const char		*comment;	/* the comment's text, or NULL */
};

/*
 * Build the whole message: headers (Date, From, To, Subject encoded per
 * RFC 2047 when not ASCII, Message-ID, In-Reply-To and References to
 * THREAD_ID, MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding quoted-printable), a blank line and the body;
 * CRLF line ends, every line within 78 octets. Text from the ticket can
 * neither add a header nor end the SMTP data early. *MESSAGE is new.
 * WD_EDATA when the template is malformed (unknown placeholder, no
 * Subject line).
 */
enum wd_status	 mail_build(const struct mail_params *p, char **message,
		     char **cause);

/*
 * The template for KIND: DIR/created.txt (warning.txt, missed.txt) when
 * DIR is not NULL, else the built-in one from data/templates. A template
 * is a "Subject: ..." line, a blank line and the body, with placeholders
 * such as {{title}} (see watchdog.conf(5)). *TEXT is new.
 */
enum wd_status	 mail_template_load(const char *dir, enum mail_kind kind,
		     char **text, char **cause);

/*
 * The Message-ID of a notification: "<wd.T.KIND.D.R.INSTANCE@DOMAIN>" for
 * ticket T, deadline D and outbox row R; for KIND created just
 * "<wd.T.created.INSTANCE@DOMAIN>" (the thread's root). DOMAIN is the part
 * of FROM after '@'. New string.
 */
char		*mail_message_id(int64_t ticket_id, enum mail_kind kind,
		     int64_t deadline, int64_t row, const char *instance,
		     const char *from);

#endif
