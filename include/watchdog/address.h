/*
 * address.h: e-mail address validation. An address that passes is safe to
 * put in a header or an SMTP envelope: printable ASCII, no spaces, angle
 * brackets, quotes, commas or control characters, one '@', a host name of
 * letters, digits, hyphens and dots.
 */
#ifndef WATCHDOG_ADDRESS_H
#define WATCHDOG_ADDRESS_H

#include <stdbool.h>

/*
 * True when S is a valid address. Otherwise false, and *WHY (when WHY is
 * not NULL) points to a static reason such as "no '@'".
 */
bool	address_valid(const char *s, const char **why);

/* The longest display name accepted, in bytes. */
#define ADDRESS_NAME_MAX	128

/*
 * Split the mailbox S, as DEFAULT_FROM_EMAIL takes it (like Django): an
 * address alone, or a display name and the address in angle brackets
 * ("SLA Watchdog <noreply@example.com>", "\"Ops, Berlin\" <ops@x.org>").
 * The name is UTF-8 without control characters; its quotes are removed.
 * True with *ADDR (new) and *NAME (new, or NULL when there is none);
 * false with a static reason in *WHY.
 */
bool	address_parse_mailbox(const char *s, char **name, char **addr,
	    const char **why);

#endif
