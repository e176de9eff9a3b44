/*
 * address.c: e-mail address validation, and mailboxes with a display
 * name ("SLA Watchdog <noreply@example.com>").
 *
 * Deliberately stricter than RFC 5322: the local part is a dot-atom (RFC
 * 5321 atext and single inner dots, no quoted strings) and the domain a
 * host name of letters, digits and hyphens (no address literals). What
 * passes can go into a header or an SMTP envelope as it is.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/address.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

#define ADDRESS_MAX	254	/* RFC 5321 path limit less the brackets */
#define LOCAL_MAX	64
#define DOMAIN_MAX	253
#define LABEL_MAX	63

/* Set *WHY (when WHY is not NULL) to REASON and return false. */
static bool
address_fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return false;
}

/* True when C is RFC 5321 atext: what a dot-atom may hold besides dots. */
static bool
address_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* True when C may be in a host name label. */
static bool
address_hostchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * Find the first character of S that can never be in an address and
 * return a static reason for it, or NULL when there is none. These come
 * first so that the reason names what an administrator would notice.
 */
static const char *
address_bad_char(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p >= 0x80)
			return "contains a non-ASCII character";
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
		if (*p == ' ')
			return "contains a space";
		if (*p == '<' || *p == '>')
			return "contains an angle bracket";
		if (*p == '"')
			return "contains a double quote";
		if (*p == ',')
			return "contains a comma";
	}
	return NULL;
}

/* Check the local part, LEN bytes at S. Returns NULL or a static reason. */
static const char *
address_check_local(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return "nothing before '@'";
	if (len > LOCAL_MAX)
		return "more than 64 characters before '@'";
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (i == 0 || i == len - 1 || s[i - 1] == '.')
				return "misplaced '.' before '@'";
		} else if (!address_atext((unsigned char)s[i]))
			return "character not allowed before '@'";
	}
	return NULL;
}

/* Check the host name S. Returns NULL or a static reason. */
static const char *
address_check_domain(const char *s)
{
	size_t	len, label, i;

	len = strlen(s);
	if (len == 0)
		return "nothing after '@'";
	if (len > DOMAIN_MAX)
		return "host name longer than 253 characters";
	label = 0;
	for (i = 0; i <= len; i++) {
		if (s[i] == '.' || s[i] == '\0') {
			if (label == 0)
				return "empty label in the host name";
			if (s[i - 1] == '-')
				return "host name label ends with '-'";
			label = 0;
			continue;
		}
		if (!address_hostchar((unsigned char)s[i]))
			return "character not allowed in the host name";
		if (label == 0 && s[i] == '-')
			return "host name label starts with '-'";
		if (++label > LABEL_MAX)
			return "host name label longer than 63 characters";
	}
	return NULL;
}

/*
 * True when S is an address we accept; otherwise false with a static
 * reason in *WHY. On success *WHY is set to NULL.
 */
bool
address_valid(const char *s, const char **why)
{
	const char	*at, *reason;

	if (s == NULL || *s == '\0')
		return address_fail(why, "empty");
	if ((reason = address_bad_char(s)) != NULL)
		return address_fail(why, reason);
	if (strlen(s) > ADDRESS_MAX)
		return address_fail(why, "longer than 254 characters");
	if ((at = strchr(s, '@')) == NULL)
		return address_fail(why, "no '@'");
	if (strchr(at + 1, '@') != NULL)
		return address_fail(why, "more than one '@'");
	if ((reason = address_check_local(s, (size_t)(at - s))) != NULL)
		return address_fail(why, reason);
	if ((reason = address_check_domain(at + 1)) != NULL)
		return address_fail(why, reason);
	if (why != NULL)
		*why = NULL;
	return true;
}

/* Blanks around a mailbox and its parts. */
static bool
address_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Check and copy the display name S[0..LEN) (blanks trimmed) into *NAME:
 * a quoted string ("..." with \" and \\) loses its quotes; otherwise it
 * may not hold quotes or angle brackets. NULL reason, or what is wrong.
 */
static const char *
address_display_name(const char *s, size_t len, char **name)
{
	char		*out;
	size_t		 i, o = 0;
	unsigned char	 c;

	*name = NULL;
	while (len > 0 && address_blank(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && address_blank(s[len - 1]))
		len--;
	if (len == 0)
		return NULL;
	if (len > ADDRESS_NAME_MAX)
		return "display name longer than 128 bytes";
	out = xmalloc(len + 1);
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		for (i = 1; i < len - 1; i++) {
			if (s[i] == '\\' && i + 1 < len - 1)
				i++;
			else if (s[i] == '"')
				goto bad_quote;
			out[o++] = s[i];
		}
	} else {
		for (i = 0; i < len; i++) {
			if (strchr("\"<>", s[i]) != NULL)
				goto bad_quote;
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	for (i = 0; i < o; i++) {
		c = (unsigned char)out[i];
		if (c < 0x20 || c == 0x7f) {
			free(out);
			return "control character in the display name";
		}
	}
	if (!utf8_valid(out, o)) {
		free(out);
		return "display name is not UTF-8";
	}
	if (o == 0)
		free(out);
	else
		*name = out;
	return NULL;

bad_quote:
	free(out);
	return "quote or angle bracket in the display name (write it as "
	    "\"Name\" <address>)";
}

/* Split a mailbox into name and address; see address.h. */
bool
address_parse_mailbox(const char *s, char **name, char **addr,
    const char **why)
{
	const char	*lt, *end, *reason;
	char		*a;

	*name = *addr = NULL;
	if (s == NULL)
		return address_fail(why, "empty");
	while (address_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && address_blank(end[-1]))
		end--;
	if (end == s || end[-1] != '>') {
		a = xstrndup(s, (size_t)(end - s));
		if (!address_valid(a, why)) {
			free(a);
			return false;
		}
		*addr = a;
		return true;
	}
	for (lt = end - 1; lt > s && *lt != '<'; lt--)
		;
	if (*lt != '<')
		return address_fail(why, "'>' without '<'");
	a = xstrndup(lt + 1, (size_t)(end - 1 - (lt + 1)));
	if (!address_valid(a, why)) {
		free(a);
		return false;
	}
	if ((reason = address_display_name(s, (size_t)(lt - s),
	    name)) != NULL) {
		free(a);
		return address_fail(why, reason);
	}
	*addr = a;
	if (why != NULL)
		*why = NULL;
	return true;
}
