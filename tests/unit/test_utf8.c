/* test_utf8.c: UTF-8 validation, decoding, widths, fitting, escaping. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/utf8.h"

#define ELLIPSIS	"\xe2\x80\xa6"
#define NIHONGO	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"	/* 日本語 */
#define NI	"\xe6\x97\xa5"
#define HON	"\xe6\x9c\xac"

/* A byte string with an explicit length (it may hold NUL). */
struct utf8_bytes {
	const char	*s;
	size_t		 len;
};

#define BYTES(lit)	{ lit, sizeof lit - 1 }

static const struct utf8_bytes utf8_good[] = {
	BYTES(""),
	BYTES("plain ASCII ~"),
	BYTES("\x00"),			/* NUL is a character */
	BYTES("\x7f"),
	BYTES("\xc2\x80"),		/* U+0080, smallest two-byte */
	BYTES("\xc3\xa9t\xc3\xa9"),	/* été */
	BYTES("\xdf\xbf"),		/* U+07FF */
	BYTES("\xe0\xa0\x80"),		/* U+0800, smallest three-byte */
	BYTES("\xe2\x82\xac"),		/* € */
	BYTES("\xed\x9f\xbf"),		/* U+D7FF, below the surrogates */
	BYTES("\xee\x80\x80"),		/* U+E000, above them */
	BYTES("\xef\xbf\xbd"),		/* U+FFFD itself */
	BYTES("\xef\xbf\xbf"),		/* U+FFFF */
	BYTES("\xf0\x90\x80\x80"),	/* U+10000, smallest four-byte */
	BYTES("\xf0\x9f\x98\x80"),	/* 😀 */
	BYTES("\xf4\x8f\xbf\xbf"),	/* U+10FFFF, the last */
};

static const struct utf8_bytes utf8_bad[] = {
	BYTES("\x80"),			/* lone continuation bytes */
	BYTES("\xbf"),
	BYTES("a\x80" "b"),
	BYTES("\xc0\x80"),		/* overlong NUL */
	BYTES("\xc1\xbf"),		/* overlong U+007F */
	BYTES("\xe0\x80\xaf"),		/* overlong '/' */
	BYTES("\xe0\x9f\xbf"),		/* overlong U+07FF */
	BYTES("\xf0\x80\x80\xaf"),	/* overlong '/' */
	BYTES("\xf0\x8f\xbf\xbf"),	/* overlong U+FFFF */
	BYTES("\xed\xa0\x80"),		/* U+D800 */
	BYTES("\xed\xbf\xbf"),		/* U+DFFF */
	BYTES("\xed\xa0\xbd\xed\xb8\x80"), /* CESU-8 surrogate pair */
	BYTES("\xf4\x90\x80\x80"),	/* U+110000 */
	BYTES("\xf5\x80\x80\x80"),
	BYTES("\xf7\xbf\xbf\xbf"),
	BYTES("\xf8\x88\x80\x80\x80"),	/* five-byte form */
	BYTES("\xfe"),
	BYTES("\xff"),
	BYTES("\xc3"),			/* truncated */
	BYTES("\xe2\x82"),
	BYTES("\xf0\x9f\x98"),
	BYTES("abc\xc3"),
	BYTES("\xc3" "a"),		/* continuation replaced */
	BYTES("\xe2\x28\xa1"),
	BYTES("\xc3\xa9\xc3"),
};

START_TEST(test_utf8_valid_good)
{
	const struct utf8_bytes	*b = &utf8_good[_i];

	ck_assert_msg(utf8_valid(b->s, b->len), "good case %d rejected", _i);
}
END_TEST

START_TEST(test_utf8_valid_bad)
{
	const struct utf8_bytes	*b = &utf8_bad[_i];

	ck_assert_msg(!utf8_valid(b->s, b->len), "bad case %d accepted", _i);
}
END_TEST

START_TEST(test_utf8_valid_length)
{
	/* only LEN bytes count: a cut character is invalid, what follows
	 * the cut is not looked at */
	ck_assert(!utf8_valid("\xc3\xa9", 1));
	ck_assert(!utf8_valid("\xe2\x82\xac", 2));
	ck_assert(utf8_valid("a\xff", 1));
	ck_assert(utf8_valid("\xff", 0));
}
END_TEST

START_TEST(test_utf8_decode)
{
	uint32_t	cp;

	ck_assert_uint_eq(utf8_decode("A", 1, &cp), 1);
	ck_assert_uint_eq(cp, 0x41);
	ck_assert_uint_eq(utf8_decode("\xc3\xa9x", 3, &cp), 2);
	ck_assert_uint_eq(cp, 0xe9);
	ck_assert_uint_eq(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x20ac);
	ck_assert_uint_eq(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x1f600);
	ck_assert_uint_eq(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x10ffff);
	ck_assert_uint_eq(utf8_decode("\x00", 1, &cp), 1);
	ck_assert_uint_eq(cp, 0);

	/* invalid: one byte, U+FFFD */
	cp = 0;
	ck_assert_uint_eq(utf8_decode("\xff", 1, &cp), 1);
	ck_assert_uint_eq(cp, 0xfffd);
	cp = 0;
	ck_assert_uint_eq(utf8_decode("\xc0\x80", 2, &cp), 1);
	ck_assert_uint_eq(cp, 0xfffd);
	cp = 0;
	ck_assert_uint_eq(utf8_decode("\xed\xa0\x80", 3, &cp), 1);
	ck_assert_uint_eq(cp, 0xfffd);
	cp = 0;
	ck_assert_uint_eq(utf8_decode("\xe2\x82\xac", 2, &cp), 1);
	ck_assert_uint_eq(cp, 0xfffd);
	cp = 0;
	ck_assert_uint_eq(utf8_decode("\xe2\x82\x41", 3, &cp), 1);
	ck_assert_uint_eq(cp, 0xfffd);

	/* nothing to decode */
	cp = 0;
	ck_assert_uint_eq(utf8_decode("A", 0, &cp), 0);
	ck_assert_uint_eq(cp, 0xfffd);
}
END_TEST

/*
 * Every code point encodes and decodes back, or is rejected if a
 * surrogate. (Plain ifs: a Check assertion per code point is slow.)
 */
START_TEST(test_utf8_decode_all)
{
	unsigned char	b[4];
	uint32_t	c, cp;
	size_t		n, got;
	bool		surrogate;

	for (c = 0; c <= 0x10ffff; c++) {
		if (c < 0x80) {
			b[0] = (unsigned char)c;
			n = 1;
		} else if (c < 0x800) {
			b[0] = (unsigned char)(0xc0 | c >> 6);
			b[1] = (unsigned char)(0x80 | (c & 0x3f));
			n = 2;
		} else if (c < 0x10000) {
			b[0] = (unsigned char)(0xe0 | c >> 12);
			b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
			b[2] = (unsigned char)(0x80 | (c & 0x3f));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xf0 | c >> 18);
			b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
			b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
			b[3] = (unsigned char)(0x80 | (c & 0x3f));
			n = 4;
		}
		got = utf8_decode((const char *)b, n, &cp);
		surrogate = c >= 0xd800 && c <= 0xdfff;
		if (surrogate && (got != 1 || cp != 0xfffd ||
		    utf8_valid((const char *)b, n)))
			ck_abort_msg("surrogate U+%04X accepted",
			    (unsigned int)c);
		if (!surrogate && (got != n || cp != c ||
		    !utf8_valid((const char *)b, n)))
			ck_abort_msg("U+%04X: got %zu bytes, U+%04X",
			    (unsigned int)c, got, (unsigned int)cp);
	}
}
END_TEST

/* A code point and its expected width. */
struct utf8_width_case {
	uint32_t	cp;
	int		want;
};

static const struct utf8_width_case utf8_width_cases[] = {
	{ 'A', 1 }, { ' ', 1 }, { '~', 1 },
	/* controls */
	{ 0x00, 0 }, { 0x09, 0 }, { 0x0a, 0 }, { 0x1b, 0 }, { 0x1f, 0 },
	{ 0x7f, 0 }, { 0x80, 0 }, { 0x85, 0 }, { 0x9b, 0 }, { 0x9f, 0 },
	{ 0xa0, 1 }, { 0xad, 1 }, { 0xe9, 1 },
	/* combining marks, Mn and Me */
	{ 0x0300, 0 }, { 0x036f, 0 }, { 0x0370, 1 }, { 0x0488, 0 },
	{ 0x05b0, 0 }, { 0x0e31, 0 }, { 0x20dd, 0 }, { 0x20e3, 0 },
	{ 0x3099, 0 }, { 0x309a, 0 }, { 0x1d167, 0 },
	/* zero-width and invisible */
	{ 0x200a, 1 }, { 0x200b, 0 }, { 0x200c, 0 }, { 0x200d, 0 },
	{ 0x200f, 0 }, { 0x2010, 1 }, { 0x2027, 1 }, { 0x2028, 0 },
	{ 0x202e, 0 }, { 0x202f, 1 }, { 0x205f, 1 }, { 0x2060, 0 },
	{ 0x2064, 0 }, { 0x2066, 0 }, { 0x2069, 0 }, { 0xfeff, 0 },
	{ 0xe0001, 0 }, { 0xe0041, 0 },
	/* variation selectors */
	{ 0xfe00, 0 }, { 0xfe0e, 0 }, { 0xfe0f, 0 }, { 0xe0100, 0 },
	{ 0xe01ef, 0 },
	/* Hangul: leading consonants wide, vowels and finals join */
	{ 0x10ff, 1 }, { 0x1100, 2 }, { 0x115f, 2 }, { 0x1160, 0 },
	{ 0x11ff, 0 }, { 0x1200, 1 }, { 0xac00, 2 }, { 0xd7a3, 2 },
	{ 0xd7a4, 1 }, { 0xd7b0, 0 },
	/* CJK */
	{ 0x2e7f, 1 }, { 0x2e80, 2 }, { 0x3000, 2 }, { 0x3001, 2 },
	{ 0x303e, 2 }, { 0x303f, 1 }, { 0x3041, 2 }, { 0x30a2, 2 },
	{ 0x33ff, 2 }, { 0x3400, 2 }, { 0x4dbf, 2 }, { 0x4dc0, 1 },
	{ 0x4e00, 2 }, { 0x65e5, 2 }, { 0x9fff, 2 }, { 0xa000, 2 },
	{ 0xa4cf, 2 }, { 0xa4d0, 1 }, { 0xf8ff, 1 }, { 0xf900, 2 },
	{ 0xfaff, 2 }, { 0xfe2f, 0 }, { 0xfe30, 2 }, { 0xfe4f, 2 },
	{ 0xfeff, 0 }, { 0xff01, 2 }, { 0xff21, 2 }, { 0xff60, 2 },
	{ 0xff61, 1 }, { 0xff9e, 1 }, { 0xffe0, 2 }, { 0xffe6, 2 },
	{ 0xffe8, 1 }, { 0x20000, 2 }, { 0x2a6df, 2 }, { 0x2fffd, 2 },
	{ 0x2fffe, 1 }, { 0x30000, 2 }, { 0x3fffd, 2 }, { 0x3fffe, 1 },
	/* emoji drawn wide, and symbols that are not */
	{ 0x231a, 2 }, { 0x23f0, 2 }, { 0x2614, 2 }, { 0x26a1, 2 },
	{ 0x2705, 2 }, { 0x274c, 2 }, { 0x2b50, 2 }, { 0x1f004, 2 },
	{ 0x1f2ff, 1 }, { 0x1f300, 2 }, { 0x1f321, 2 }, { 0x1f525, 2 },
	{ 0x1f600, 2 }, { 0x1f64f, 2 }, { 0x1f650, 1 }, { 0x1f680, 2 },
	{ 0x1f6d2, 2 }, { 0x1f8ff, 1 }, { 0x1f900, 2 }, { 0x1f9ff, 2 },
	{ 0x1fa70, 2 }, { 0x1faf6, 2 }, { 0x1f1e6, 1 },
	{ 0x2026, 1 }, { 0x20ac, 1 }, { 0x2603, 1 }, { 0x26a0, 1 },
	{ 0x2764, 1 },
	/* beyond characters */
	{ 0xd800, 1 }, { 0xfffd, 1 }, { 0xffff, 1 }, { 0x10ffff, 1 },
	{ 0x110000, 1 }, { 0xffffffff, 1 },
};

START_TEST(test_utf8_cp_width)
{
	const struct utf8_width_case	*c = &utf8_width_cases[_i];

	ck_assert_msg(utf8_cp_width(c->cp) == c->want,
	    "U+%04X: width %d, want %d", (unsigned int)c->cp,
	    utf8_cp_width(c->cp), c->want);
}
END_TEST

START_TEST(test_utf8_width)
{
	ck_assert_uint_eq(utf8_width(""), 0);
	ck_assert_uint_eq(utf8_width("abc"), 3);
	ck_assert_uint_eq(utf8_width(NIHONGO), 6);
	ck_assert_uint_eq(utf8_width("e\xcc\x81t\xc3\xa9"), 3);	/* été */
	ck_assert_uint_eq(utf8_width("a\tb\x1b"), 2);
	ck_assert_uint_eq(utf8_width("\xf0\x9f\x98\x80!"), 3);
	ck_assert_uint_eq(utf8_width("a\xe2\x80\x8b" "b"), 2);
	/* each invalid byte is one U+FFFD */
	ck_assert_uint_eq(utf8_width("\xff\xfe"), 2);
	ck_assert_uint_eq(utf8_width("\xe2\x82"), 2);
	ck_assert_uint_eq(utf8_width("\xed\xa0\x80" "a"), 4);
	ck_assert_uint_eq(utf8_width("\xef\xbf\xbd"), 1);
}
END_TEST

/* One utf8_fit call and its expected result. */
struct utf8_fit_case {
	const char	*s;
	size_t		 cols;
	size_t		 size;
	const char	*want;
	size_t		 want_cols;
};

static const struct utf8_fit_case utf8_fit_cases[] = {
	{ "hello", 10, 32, "hello", 5 },
	{ "hello", 5, 32, "hello", 5 },
	{ "hello world", 5, 32, "hell" ELLIPSIS, 5 },
	{ "hello", 4, 32, "hel" ELLIPSIS, 4 },
	{ "hello", 1, 32, ELLIPSIS, 1 },
	{ "hello", 0, 32, "", 0 },
	{ "", 0, 32, "", 0 },
	{ "", 5, 32, "", 0 },
	{ NIHONGO, 6, 32, NIHONGO, 6 },
	{ NIHONGO, 5, 32, NI HON ELLIPSIS, 5 },
	{ NIHONGO, 4, 32, NI ELLIPSIS, 3 },
	{ NIHONGO, 3, 32, NI ELLIPSIS, 3 },
	{ NIHONGO, 2, 32, ELLIPSIS, 1 },
	{ NIHONGO, 1, 32, ELLIPSIS, 1 },
	{ "a" NI, 2, 32, "a" ELLIPSIS, 2 },
	/* a combining mark stays with its letter */
	{ "e\xcc\x81tude", 3, 32, "e\xcc\x81t" ELLIPSIS, 3 },
	{ "e\xcc\x81", 1, 32, "e\xcc\x81", 1 },
	{ "ab\xcc\x81" "cd", 3, 32, "ab\xcc\x81" ELLIPSIS, 3 },
	/* invalid bytes are one column each, copied as they are */
	{ "\xff\xfe" "abc", 3, 32, "\xff\xfe" ELLIPSIS, 3 },
	/* the buffer, not the columns, cuts */
	{ "abc", 10, 4, "abc", 3 },
	{ "abcd", 10, 4, ELLIPSIS, 1 },
	{ "abcdef", 10, 6, "ab" ELLIPSIS, 3 },
	{ "abcdefg", 10, 7, "abc" ELLIPSIS, 4 },
	{ NIHONGO, 10, 9, NI ELLIPSIS, 3 },
	{ NIHONGO, 10, 10, NIHONGO, 6 },
	/* no room for the ellipsis: a plain cut, still whole characters */
	{ "abcd", 10, 3, "ab", 2 },
	{ NIHONGO, 10, 3, "", 0 },
	{ "abcd", 10, 1, "", 0 },
};

START_TEST(test_utf8_fit)
{
	const struct utf8_fit_case	*c = &utf8_fit_cases[_i];
	char				 buf[64];
	size_t				 got, i;

	memset(buf, 'X', sizeof buf);
	got = utf8_fit(c->s, c->cols, buf, c->size);
	ck_assert_msg(strcmp(buf, c->want) == 0,
	    "case %d: got '%s', want '%s'", _i, buf, c->want);
	ck_assert_msg(got == c->want_cols, "case %d: %zu columns, want %zu",
	    _i, got, c->want_cols);
	for (i = c->size; i < sizeof buf; i++)
		ck_assert_msg(buf[i] == 'X', "case %d: wrote byte %zu", _i, i);
}
END_TEST

START_TEST(test_utf8_fit_edges)
{
	char	buf[4] = "XYZ";

	/* SIZE 0: nothing written at all */
	ck_assert_uint_eq(utf8_fit("abc", 5, buf, 0), 0);
	ck_assert_str_eq(buf, "XYZ");
}
END_TEST

/* Every cut of a mixed string: within columns, whole, width reported. */
START_TEST(test_utf8_fit_all_cuts)
{
	static const char	*s = "a" NI "e\xcc\x81" "\xf0\x9f\x98\x80"
				     "b" HON "\xc3\xa9" "c";
	char			 buf[64];
	size_t			 cols, size, got, full;

	full = utf8_width(s);
	ck_assert_uint_eq(full, 11);
	for (cols = 0; cols <= full + 1; cols++) {
		for (size = 1; size <= strlen(s) + 2; size++) {
			got = utf8_fit(s, cols, buf, size);
			ck_assert(strlen(buf) < size);
			ck_assert(got <= cols);
			ck_assert_uint_eq(got, utf8_width(buf));
			ck_assert_msg(utf8_valid(buf, strlen(buf)),
			    "cols %zu size %zu cut a character", cols, size);
			if (cols >= full && size > strlen(s))
				ck_assert_str_eq(buf, s);
			else if (size > 3 && cols > 0) {
				ck_assert(strlen(buf) >= 3);
				ck_assert_str_eq(buf + strlen(buf) - 3,
				    ELLIPSIS);
			}
		}
	}
}
END_TEST

/* One utf8_visible call and its expected result. */
struct utf8_visible_case {
	const char	*s;
	bool		 keep_layout;
	const char	*want;
};

#define FFFD	"\xef\xbf\xbd"

static const struct utf8_visible_case utf8_visible_cases[] = {
	{ "", false, "" },
	{ "plain text", false, "plain text" },
	{ "\x1b[31mred\x1b[0m", false, "^[[31mred^[[0m" },
	{ "a\x01" "b", false, "a^Ab" },
	{ "\x1f", false, "^_" },
	{ "del\x7f", false, "del^?" },
	{ "a\nb\tc", false, "a^Jb^Ic" },
	{ "a\nb\tc", true, "a\nb\tc" },
	{ "crlf\r\n", true, "crlf^M\n" },
	{ "\x07\x08", true, "^G^H" },
	{ "\xc2\x9b" "31m", false, "<U+009B>31m" },
	{ "\xc2\x80\xc2\x85\xc2\x9f", true, "<U+0080><U+0085><U+009F>" },
	{ "\xc2\xa0", false, "\xc2\xa0" },
	{ "\xff" "x", false, FFFD "x" },
	{ "\xe2\x82", false, FFFD FFFD },
	{ "\xed\xa0\x80", false, FFFD FFFD FFFD },
	{ "\xc0\xaf", false, FFFD FFFD },
	{ NIHONGO " \xf0\x9f\x98\x80 \xc3\xa9", false,
	    NIHONGO " \xf0\x9f\x98\x80 \xc3\xa9" },
	/* Invisible format characters are shown, not obeyed. */
	{ "Invoice\xe2\x80\xae" "txt.exe", false, "Invoice<U+202E>txt.exe" },
	{ "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", true,
	    "<U+202A><U+202B><U+202C><U+202D>" },
	{ "\xe2\x81\xa6" "a" "\xe2\x81\xa9", false, "<U+2066>a<U+2069>" },
	{ "zero\xe2\x80\x8bwidth\xe2\x80\x8f", false,
	    "zero<U+200B>width<U+200F>" },
	{ "\xef\xbb\xbf" "bom\xe2\x81\xa0", false, "<U+FEFF>bom<U+2060>" },
	{ "tag\xf3\xa0\x80\x81", false, "tag<U+E0001>" },
	{ "line\xe2\x80\xa8sep", true, "line<U+2028>sep" },
	/* Combining marks and other scripts stay as they are. */
	{ "e\xcc\x81 \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a", false,
	    "e\xcc\x81 \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a" },
};

/* JSON keeps its data, with the format characters as \u escapes. */
START_TEST(test_utf8_json_escape)
{
	char	*got;

	got = utf8_json_escape("{\"title\":\"Invoice\xe2\x80\xae" "txt.exe\"}");
	ck_assert_str_eq(got, "{\"title\":\"Invoice\\u202etxt.exe\"}");
	free(got);
	got = utf8_json_escape("[\"a\xe2\x80\xa8" "b\xf3\xa0\x80\x81\"]");
	ck_assert_str_eq(got, "[\"a\\u2028b\\udb40\\udc01\"]");
	free(got);
	got = utf8_json_escape("{\"t\":\"" NIHONGO " \\n\"}");
	ck_assert_str_eq(got, "{\"t\":\"" NIHONGO " \\n\"}");
	free(got);
}
END_TEST

/* What counts as an invisible format character, and as visible text. */
START_TEST(test_utf8_format)
{
	ck_assert(utf8_is_format(0x202e));
	ck_assert(utf8_is_format(0x202a));
	ck_assert(utf8_is_format(0x2066));
	ck_assert(utf8_is_format(0x2069));
	ck_assert(utf8_is_format(0x200b));
	ck_assert(utf8_is_format(0x200f));
	ck_assert(utf8_is_format(0x2060));
	ck_assert(utf8_is_format(0x2064));
	ck_assert(utf8_is_format(0xfeff));
	ck_assert(utf8_is_format(0xe0041));
	ck_assert(!utf8_is_format(0x2029));
	ck_assert(!utf8_is_format(0x200a));
	ck_assert(!utf8_is_format(0x2010));
	ck_assert(!utf8_is_format(0x0301));
	ck_assert(!utf8_is_format('a'));
	ck_assert(utf8_has_visible("a"));
	ck_assert(utf8_has_visible("  " NIHONGO));
	ck_assert(utf8_has_visible("e\xcc\x81"));
	ck_assert(!utf8_has_visible(""));
	ck_assert(!utf8_has_visible("   "));
	ck_assert(!utf8_has_visible("\xc2\xa0\xe3\x80\x80"));	/* NBSP, U+3000 */
	ck_assert(!utf8_has_visible("\xcc\x81\xcc\x82"));		/* marks alone */
	ck_assert(!utf8_has_visible("\xe2\x80\x8b\xe2\x80\xae"));
	ck_assert(!utf8_has_visible("\xe3\x85\xa4\xe2\xa0\x80"));	/* filler, braille */
}
END_TEST

START_TEST(test_utf8_visible)
{
	const struct utf8_visible_case	*c = &utf8_visible_cases[_i];
	char				*got;

	got = utf8_visible(c->s, c->keep_layout);
	ck_assert_msg(strcmp(got, c->want) == 0,
	    "case %d: got '%s', want '%s'", _i, got, c->want);
	free(got);
}
END_TEST

/* Whatever the byte, the result is valid UTF-8 without control bytes. */
START_TEST(test_utf8_visible_all_bytes)
{
	char	 in[4], *got;
	size_t	 i;
	int	 b;

	for (b = 1; b < 256; b++) {
		in[0] = 'x';
		in[1] = (char)b;
		in[2] = 'y';
		in[3] = '\0';
		got = utf8_visible(in, false);
		ck_assert_msg(utf8_valid(got, strlen(got)), "byte %02x", b);
		for (i = 0; got[i] != '\0'; i++)
			ck_assert_msg((unsigned char)got[i] >= 0x20 &&
			    got[i] != 0x7f, "byte %02x kept a control", b);
		ck_assert_msg(got[0] == 'x' &&
		    got[strlen(got) - 1] == 'y', "byte %02x: '%s'", b, got);
		free(got);
	}
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("utf8");

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_utf8_valid_good, 0,
	    (int)(sizeof utf8_good / sizeof utf8_good[0]));
	tcase_add_loop_test(tc, test_utf8_valid_bad, 0,
	    (int)(sizeof utf8_bad / sizeof utf8_bad[0]));
	tcase_add_test(tc, test_utf8_valid_length);
	tcase_add_test(tc, test_utf8_decode);
	tcase_add_test(tc, test_utf8_decode_all);
	suite_add_tcase(s, tc);

	tc = tcase_create("width");
	tcase_add_loop_test(tc, test_utf8_cp_width, 0,
	    (int)(sizeof utf8_width_cases / sizeof utf8_width_cases[0]));
	tcase_add_test(tc, test_utf8_width);
	suite_add_tcase(s, tc);

	tc = tcase_create("fit");
	tcase_add_loop_test(tc, test_utf8_fit, 0,
	    (int)(sizeof utf8_fit_cases / sizeof utf8_fit_cases[0]));
	tcase_add_test(tc, test_utf8_fit_edges);
	tcase_add_test(tc, test_utf8_fit_all_cuts);
	suite_add_tcase(s, tc);

	tc = tcase_create("visible");
	tcase_add_loop_test(tc, test_utf8_visible, 0,
	    (int)(sizeof utf8_visible_cases / sizeof utf8_visible_cases[0]));
	tcase_add_test(tc, test_utf8_format);
	tcase_add_test(tc, test_utf8_json_escape);
	tcase_add_test(tc, test_utf8_visible_all_bytes);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(utf8_suite)
