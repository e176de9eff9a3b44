/*
 * fuzz.h: helpers shared by the libFuzzer targets of tests/fuzz/.
 *
 * Every target is one LLVMFuzzerTestOneInput() over a parser of the core;
 * a broken invariant prints what went wrong and aborts, so that libFuzzer
 * records the input as a crash.
 */
#ifndef WATCHDOG_FUZZ_H
#define WATCHDOG_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

/* Print "fuzz: " and the message made from FMT on stderr, then abort. */
static inline void __attribute__((format(printf, 1, 2), noreturn))
fuzz_fail(const char *fmt, ...)
{
	va_list	ap;

	fputs("fuzz: invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * A NUL-terminated copy of DATA[0..SIZE) (it ends at the first NUL of
 * DATA, as a C string would). The caller frees it.
 */
static inline char *
fuzz_cstring(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Check that CAUSE, the message of a failed call, is there and is one
 * line of text (status.h): no control characters. WHAT names the call.
 */
static inline void
fuzz_check_cause(const char *what, const char *cause)
{
	const unsigned char	*p;

	if (cause == NULL)
		fuzz_fail("%s failed without a message", what);
	if (*cause == '\0')
		fuzz_fail("%s failed with an empty message", what);
	for (p = (const unsigned char *)cause; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fuzz_fail("%s: message holds control byte 0x%02x",
			    what, *p);
	}
}

#endif
