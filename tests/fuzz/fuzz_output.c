/*
 * fuzz_output.c: the escaping of text for the terminal and for messages.
 *
 * utf8_visible(), with and without KEEP_LAYOUT, must leave valid UTF-8
 * without C0 controls (but newline and tab with KEEP_LAYOUT), DEL, C1
 * controls or invisible format characters. utf8_fit() of that text, for a few widths and buffer sizes
 * (each buffer exactly that size, so that AddressSanitizer sees a byte
 * too many), must leave valid UTF-8 no wider than asked and report the
 * width it used.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/utf8.h"

#include "fuzz.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

static const size_t	fit_cols[] = { 0, 1, 2, 3, 10, 80 };
static const size_t	fit_sizes[] = { 1, 4, 5, 16, 4096 };

/* Abort unless V, from utf8_visible(_, KEEP_LAYOUT), is safe to show. */
static void
check_visible(const char *v, bool keep_layout)
{
	const unsigned char	*p;
	size_t			 len, off, n;
	uint32_t		 cp;

	len = strlen(v);
	if (!utf8_valid(v, len))
		fuzz_fail("utf8_visible(%d): not valid UTF-8", keep_layout);
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (keep_layout && (*p == '\n' || *p == '\t'))
			continue;
		if (*p < 0x20 || *p == 0x7f)
			fuzz_fail("utf8_visible(%d): byte 0x%02x left",
			    keep_layout, *p);
	}
	for (off = 0; off < len; off += n) {
		n = utf8_decode(v + off, len - off, &cp);
		if (cp >= 0x80 && cp <= 0x9f)
			fuzz_fail("utf8_visible(%d): C1 control U+%04X left",
			    keep_layout, (unsigned)cp);
		if (utf8_is_format(cp) || cp == 0x2028 || cp == 0x2029)
			fuzz_fail("utf8_visible(%d): format character U+%04X "
			    "left", keep_layout, (unsigned)cp);
	}
}

/* True when BUF is V, or a prefix of V followed or not by the ellipsis. */
static bool
fit_is_cut_of(const char *buf, const char *v)
{
	size_t	len;

	len = strlen(buf);
	if (strncmp(buf, v, len) == 0)
		return true;
	return len >= 3 && memcmp(buf + len - 3, "\xe2\x80\xa6", 3) == 0 &&
	    strncmp(buf, v, len - 3) == 0;
}

/* Check utf8_fit() of the visible text V for every width and size. */
static void
check_fit(const char *v)
{
	size_t	 i, j, used, width;
	char	*buf;

	for (i = 0; i < nitems(fit_cols); i++) {
		for (j = 0; j < nitems(fit_sizes); j++) {
			if ((buf = malloc(fit_sizes[j])) == NULL)
				abort();
			used = utf8_fit(v, fit_cols[i], buf, fit_sizes[j]);
			if (memchr(buf, '\0', fit_sizes[j]) == NULL)
				fuzz_fail("utf8_fit(%zu, %zu): not "
				    "NUL-terminated", fit_cols[i],
				    fit_sizes[j]);
			if (!utf8_valid(buf, strlen(buf)))
				fuzz_fail("utf8_fit(%zu, %zu): not valid "
				    "UTF-8", fit_cols[i], fit_sizes[j]);
			width = utf8_width(buf);
			if (width > fit_cols[i])
				fuzz_fail("utf8_fit(%zu, %zu): %zu columns",
				    fit_cols[i], fit_sizes[j], width);
			if (used != width)
				fuzz_fail("utf8_fit(%zu, %zu): says %zu "
				    "columns, holds %zu", fit_cols[i],
				    fit_sizes[j], used, width);
			if (!fit_is_cut_of(buf, v))
				fuzz_fail("utf8_fit(%zu, %zu): not a prefix "
				    "of the text", fit_cols[i], fit_sizes[j]);
			free(buf);
		}
	}
}

/* One run: make DATA (up to its first NUL) visible both ways and fit it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *v;
	int	 keep;

	s = fuzz_cstring(data, size);
	for (keep = 0; keep <= 1; keep++) {
		v = utf8_visible(s, keep);
		check_visible(v, keep);
		check_fit(v);
		free(v);
	}
	free(s);
	return 0;
}
