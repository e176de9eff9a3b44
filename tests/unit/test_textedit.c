/*
 * test_textedit.c: the multi-line editor of the ticket form's
 * description: insertion, wrapping by display width, moving by rows.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/textedit.h"

/* Type the UTF-8 text S into TE, a newline as Enter. */
static void
type(struct textedit *te, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;

	while (*p != '\0') {
		if (*p < 0x80)
			cp = *p++;
		else if (*p < 0xe0) {
			cp = (uint32_t)(*p & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else {
			cp = (uint32_t)(*p & 0x0f) << 12 |
			    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		}
		if (cp == '\n')
			ck_assert(textedit_action(te, FKA_NEWLINE, 10));
		else
			ck_assert(textedit_insert(te, cp));
	}
}

START_TEST(test_insert_lines)
{
	struct textedit	te;

	textedit_init(&te, 64);
	type(&te, "one\ntwo");
	ck_assert_str_eq(te.buf, "one\ntwo");
	ck_assert_uint_eq(te.cur, 7);
	ck_assert(!textedit_insert(&te, 0x07));		/* no controls */
	ck_assert(!textedit_insert(&te, 0x9b));
	ck_assert(textedit_action(&te, FKA_HOME, 10));
	ck_assert_uint_eq(te.cur, 4);
	ck_assert(textedit_action(&te, FKA_BACKSPACE, 10));
	ck_assert_str_eq(te.buf, "onetwo");
	ck_assert(textedit_action(&te, FKA_KILL_END, 10));
	ck_assert_str_eq(te.buf, "one");
	ck_assert(!textedit_action(&te, FKA_SAVE, 10));
	textedit_free(&te);
}
END_TEST

START_TEST(test_room)
{
	struct textedit	te;

	textedit_init(&te, 4);
	type(&te, "abc");
	ck_assert(!textedit_insert(&te, 0x6253));	/* 3 bytes: no room */
	ck_assert(textedit_insert(&te, 'd'));
	ck_assert(!textedit_insert(&te, 'e'));
	textedit_set(&te, "xy\xe6\x89\x93z");		/* cut whole */
	ck_assert_str_eq(te.buf, "xy");
	textedit_free(&te);
}
END_TEST

/* Rows wrap at a space, else inside a word; wide characters count two. */
START_TEST(test_layout)
{
	struct textedit		 te;
	struct textedit_row	*rows;
	size_t			 n;

	textedit_init(&te, 256);
	textedit_set(&te, "aaa bbb ccc\n\nddddddddddddd");
	n = textedit_layout(&te, 8, &rows);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(rows[0].start, 0);
	ck_assert_uint_eq(rows[0].end, 8);		/* "aaa bbb " */
	ck_assert_uint_eq(rows[1].end, 11);		/* "ccc" */
	ck_assert_uint_eq(rows[2].start, 12);		/* the empty line */
	ck_assert_uint_eq(rows[2].end, 12);
	ck_assert_uint_eq(rows[3].end - rows[3].start, 8);
	ck_assert_uint_eq(rows[4].end - rows[4].start, 5);
	free(rows);
	/* Six wide characters in 5 columns: two a row. */
	textedit_set(&te, "\xe6\x89\x93\xe6\x89\x93\xe6\x89\x93"
	    "\xe6\x89\x93\xe6\x89\x93\xe6\x89\x93");
	n = textedit_layout(&te, 5, &rows);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(rows[0].end, 6);
	ck_assert_uint_eq(textedit_width(&te, rows[1].start, rows[1].end), 4);
	free(rows);
	textedit_set(&te, "");
	n = textedit_layout(&te, 5, &rows);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(rows[0].end, 0);
	free(rows);
	textedit_free(&te);
}
END_TEST

/* Up and Down keep the column; past the first or last row they refuse. */
START_TEST(test_rows)
{
	struct textedit	te;

	textedit_init(&te, 256);
	type(&te, "abcdef\nab\nabcdef");
	ck_assert(!textedit_action(&te, FKA_ROW_DOWN, 20));
	ck_assert(textedit_action(&te, FKA_ROW_UP, 20));
	ck_assert_uint_eq(te.cur, 9);			/* end of "ab" */
	ck_assert(textedit_action(&te, FKA_ROW_UP, 20));
	ck_assert_uint_eq(te.cur, 2);
	ck_assert(!textedit_action(&te, FKA_ROW_UP, 20));
	/* Wrapped rows: the same column on the next row. */
	textedit_set(&te, "aaaa bbbb");
	te.cur = 1;
	ck_assert(textedit_action(&te, FKA_ROW_DOWN, 6));
	ck_assert_uint_eq(te.cur, 6);
	textedit_free(&te);
}
END_TEST

START_TEST(test_kill_word)
{
	struct textedit	te;

	textedit_init(&te, 64);
	type(&te, "one two\nthree four");
	ck_assert(textedit_action(&te, FKA_KILL_WORD, 20));
	ck_assert_str_eq(te.buf, "one two\nthree ");
	ck_assert(textedit_action(&te, FKA_KILL_WORD, 20));
	ck_assert(textedit_action(&te, FKA_KILL_WORD, 20));
	ck_assert_str_eq(te.buf, "one two\n");		/* stops at the line */
	ck_assert(textedit_action(&te, FKA_KILL_START, 20));
	ck_assert_str_eq(te.buf, "one two\n");
	textedit_free(&te);
}
END_TEST

static Suite *
textedit_suite(void)
{
	Suite	*s = suite_create("textedit");
	TCase	*tc = tcase_create("textedit");

	tcase_add_test(tc, test_insert_lines);
	tcase_add_test(tc, test_room);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_kill_word);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(textedit_suite)
