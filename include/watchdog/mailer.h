/*
 * mailer.h: delivering finished messages through the configured backend
 * (EMAIL_BACKEND): smtp (libcurl; smtp.c is the only file that includes
 * curl), sendmail (SENDMAIL_PATH -t -i), file (a Maildir) or console.
 */
#ifndef WATCHDOG_MAILER_H
#define WATCHDOG_MAILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "watchdog/status.h"

struct config;
struct mailer;

/*
 * Prepare delivery with CFG. CONSOLE is where the console backend writes
 * (stdout from the CLI). Nothing connects yet. *OUT is closed with
 * mailer_close().
 */
enum wd_status	mailer_open(const struct config *cfg, FILE *console,
		    struct mailer **out, char **cause);

/*
 * Send MESSAGE (LEN bytes, CRLF lines, headers included) with envelope
 * sender FROM to the one recipient RCPT. With SMTP, every send of one
 * mailer goes over one connection, opened on first use and reopened if
 * the server dropped it. Returns WD_OK only once the message is accepted
 * (the final 250 after DATA, sendmail's exit 0, the file renamed into
 * new/); WD_ETEMP for a failure worth retrying (connection refused,
 * timeout, TLS or 4xx); WD_EFAIL for a permanent rejection (5xx) or a
 * bad address. *CAUSE says what happened, one line, never the password.
 */
enum wd_status	mailer_send(struct mailer *m, const char *from,
		    const char *rcpt, const char *message, size_t len,
		    char **cause);

/* Called now and then (about once a second) while a send goes on. */
typedef void mailer_tick_fn(void *arg);

/*
 * Have every send of M that can last (smtp, sendmail) call FN (ARG) about
 * once a second while it goes on, however slowly the other side reads:
 * what a long send must keep up, such as its lease. NULL: nothing.
 */
void		mailer_set_tick(struct mailer *m, mailer_tick_fn *fn,
		    void *arg);

/*
 * Deliver in batches where the backend gains by it (file: one flush of the
 * file system for a batch instead of two fsyncs a message): from now on,
 * mailer_send() only stages a message, and mailer_flush() delivers every
 * message staged since the last flush. A repeat of a message (same
 * Message-ID) replaces its copy in new/, so recording a batch late never
 * doubles a message. Returns whether M batches; when not, mailer_send()
 * delivers at once as before.
 */
bool		mailer_batch(struct mailer *m);

/*
 * Deliver the messages staged since the last flush. WD_OK means all of
 * them are delivered; a failure (WD_ETEMP, *CAUSE) means none of them
 * counts as delivered.
 */
enum wd_status	mailer_flush(struct mailer *m, char **cause);

/*
 * Check, without sending anything, that the backend of CFG can deliver:
 * smtp connects and says EHLO (with STARTTLS and AUTH when set), then
 * QUIT; sendmail finds SENDMAIL_PATH executable by the user (its child
 * runs with the user's own group); file finds EMAIL_FILE_PATH writable,
 * or makeable; console always can. Returns WD_OK and a short note in
 * *NOTE (new; "the server answered EHLO"), or a failure with *CAUSE,
 * which never holds the password.
 */
enum wd_status	mailer_check(const struct config *cfg, char **note,
		    char **cause);

/* Close the connection (QUIT) and free M. NULL is allowed. */
void		mailer_close(struct mailer *m);

#endif
