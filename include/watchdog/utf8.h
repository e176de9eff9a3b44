/*
 * utf8.h: UTF-8 validation and display width, independent of the locale.
 */
#ifndef WATCHDOG_UTF8_H
#define WATCHDOG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when S[0..LEN) is well-formed UTF-8 (no overlongs, no surrogates). */
bool	utf8_valid(const char *s, size_t len);

/*
 * Decode one character at S (at most LEN bytes). Returns its length in bytes
 * (1 for an invalid byte, with *CP set to U+FFFD).
 */
size_t	utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Display columns of code point CP: 0, 1 or 2 (control characters: 0). */
int	utf8_cp_width(uint32_t cp);

/* Display columns of the NUL-terminated string S. */
size_t	utf8_width(const char *s);

/*
 * Copy into BUF (of SIZE bytes) the longest prefix of S that fits in COLS
 * columns, ending in "…" when S was cut; never cuts a character in two.
 * Returns the columns used.
 */
size_t	utf8_fit(const char *s, size_t cols, char *buf, size_t size);

/*
 * True when CP is an invisible format character: the bidirectional
 * overrides, embeddings and isolates (U+202A-202E, U+2066-2069), the
 * zero-width characters and marks (U+200B-200F), U+2060-2064, U+FEFF and
 * the like, which can make text read other than it is.
 */
bool	utf8_is_format(uint32_t cp);

/*
 * True when S has at least one character that shows something: not only
 * spaces, format characters, combining marks or other zero-width ones.
 */
bool	utf8_has_visible(const char *s);

/*
 * A copy of the JSON text JSON (caller frees) with the invisible format
 * characters and U+2028-2029 written as \u escapes ("\u202e"), so that it
 * reads the same on a terminal as to a parser. Only valid inside strings,
 * which is where JSON can hold them.
 */
char	*utf8_json_escape(const char *json);

/*
 * A copy of S (caller frees) safe to show on a terminal or in a message:
 * C0 controls and DEL in caret notation ("^[", "^?"), C1 controls, the
 * invisible format characters and U+2028-2029 as "<U+202E>", invalid bytes
 * as U+FFFD. With KEEP_LAYOUT, newline and tab are kept as they are.
 */
char	*utf8_visible(const char *s, bool keep_layout);

/* UTF-8 of code point CP into BUF (4 bytes at least); returns its length. */
size_t	utf8_encode(uint32_t cp, char *buf);

#endif
