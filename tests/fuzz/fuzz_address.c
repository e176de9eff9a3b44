/*
 * fuzz_address.c: address_valid() on arbitrary text. What it accepts goes
 * into mail headers and the SMTP envelope as it is, so an accepted address
 * must hold none of CR, LF, space, '<', '>', '"', ',', a control byte or a
 * non-ASCII byte, exactly one '@' with text on both sides, and at most
 * 254 bytes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/address.h"

#include "fuzz.h"

/* Abort unless the accepted address S is safe in a header. */
static void
check_accepted(const char *s)
{
	const unsigned char	*p;
	const char		*at;
	size_t			 len;

	len = strlen(s);
	if (len == 0 || len > 254)
		fuzz_fail("accepted an address of %zu bytes", len);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n' || *p == ' ' || *p == '<' ||
		    *p == '>' || *p == '"' || *p == ',' || *p < 0x20 ||
		    *p >= 0x7f)
			fuzz_fail("accepted an address holding byte 0x%02x",
			    *p);
	}
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		fuzz_fail("accepted an address without exactly one '@'");
	if (at == s || at[1] == '\0')
		fuzz_fail("accepted an address with an empty side");
	if (s[0] == '.' || at[-1] == '.' || at[1] == '.' || at[1] == '-' ||
	    s[len - 1] == '.' || s[len - 1] == '-')
		fuzz_fail("accepted an address with a misplaced '.' or '-'");
}

/* One run: validate DATA (up to its first NUL). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*why = "unset";
	char		*s;

	s = fuzz_cstring(data, size);
	if (address_valid(s, &why)) {
		if (why != NULL)
			fuzz_fail("accepted an address with a reason");
		check_accepted(s);
	} else if (why == NULL || *why == '\0')
		fuzz_fail("refused an address without a reason");
	if (address_valid(s, NULL) != (why == NULL))
		fuzz_fail("address_valid(s, NULL) disagrees");
	free(s);
	return 0;
}
