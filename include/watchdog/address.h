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

#endif
