/*
 * smtp.h: the SMTP transport of the mailer, on libcurl. Internal to
 * mailer.c; smtp.c is the only file that includes curl.
 *
 * One struct smtp holds one libcurl easy handle for its whole life, so
 * every message sent through it goes over one connection, opened on first
 * use and opened again after a failure or when the server dropped it.
 */
#ifndef WATCHDOG_SMTP_H
#define WATCHDOG_SMTP_H

#include <stddef.h>

#include "watchdog/status.h"

struct config;
struct smtp;

/*
 * Prepare a transport to EMAIL_HOST:EMAIL_PORT with the TLS, AUTH and
 * timeout settings of CFG (copied; CFG need not outlive it). Nothing
 * connects yet, and libcurl is loaded only by the first send (a missing
 * libcurl is then a temporary failure of that send). Returns WD_OK and
 * *OUT, closed with smtp_close(), or WD_ECONFIG (no EMAIL_HOST) with
 * *CAUSE.
 */
enum wd_status	smtp_open(const struct config *cfg, struct smtp **out,
		    char **cause);

/*
 * Send MESSAGE (LEN bytes, CRLF lines) from envelope sender FROM to the one
 * recipient RCPT. Both addresses are checked with address_valid() before
 * anything reaches the network. Returns WD_OK once the server answered 250
 * to the end of the data; WD_ETEMP for a connection, timeout, TLS or 4xx
 * failure; WD_EFAIL for a 5xx answer, refused authentication or a bad
 * address. *CAUSE (the caller frees it) is one line that names the server
 * and never holds the password.
 */
enum wd_status	smtp_send(struct smtp *s, const char *from, const char *rcpt,
		    const char *message, size_t len, char **cause);

/*
 * Check that the server of CFG can be reached: connect, greeting, EHLO,
 * STARTTLS and AUTH as CFG asks, then QUIT; no message is sent. Returns
 * WD_OK, or what smtp_send() would return for those steps, with *CAUSE
 * (never the password).
 */
enum wd_status	smtp_probe(const struct config *cfg, char **cause);

/* Say QUIT on an open connection, close it and free S. NULL is allowed. */
void		smtp_close(struct smtp *s);

/* Called now and then (about once a second) while a send goes on. */
typedef void smtp_tick_fn(void *arg);

/* Have every send of S call FN (ARG) as it goes on; NULL: nothing. */
void		smtp_set_tick(struct smtp *s, smtp_tick_fn *fn, void *arg);

#endif
