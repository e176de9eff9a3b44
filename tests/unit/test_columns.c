/* test_columns.c: the queue's column layout depends on the width alone. */
#include <string.h>

#include "unit.h"
#include "watchdog/columns.h"

/* The sum of the columns shown and the spaces between them. */
static int
total(const struct columns *c)
{
	int	w[8], i, sum = 0, n = 0;

	w[0] = c->id; w[1] = c->pri; w[2] = c->status; w[3] = c->sla;
	w[4] = c->title; w[5] = c->assignee; w[6] = c->deadline;
	w[7] = c->left;
	for (i = 0; i < 8; i++) {
		if (w[i] > 0) {
			sum += w[i];
			n++;
		}
	}
	return sum + n - 1;
}

/* Every width from 60 to 250 fills the line exactly, the title >= 15. */
START_TEST(test_fills_the_width)
{
	struct columns	c;
	int		width;

	for (width = 60; width <= 250; width++) {
		columns_layout(width, 3, &c);
		ck_assert_int_eq(total(&c), width);
		ck_assert_int_ge(c.title, COLUMNS_TITLE_MIN);
		ck_assert_int_eq(c.left, COLUMNS_LEFT);
	}
	/* 80 columns keep the assignee and the deadline. */
	columns_layout(80, 3, &c);
	ck_assert_int_gt(c.assignee, 0);
	ck_assert_int_gt(c.deadline, 0);
	ck_assert(!c.year);
	columns_layout(60, 3, &c);
	ck_assert_int_eq(c.assignee, 0);
	columns_layout(COLUMNS_WIDE, 3, &c);
	ck_assert(c.year);
}
END_TEST

/* The same width lays out the same; only a wider id moves the title. */
START_TEST(test_stable)
{
	struct columns	a, b;

	columns_layout(100, 2, &a);
	columns_layout(100, 3, &b);
	ck_assert_mem_eq(&a, &b, sizeof a);
	columns_layout(100, 5, &b);
	ck_assert_int_eq(b.id, 5);
	ck_assert_int_eq(b.title, a.title - 2);
	ck_assert_int_eq(columns_id_width(7), 1);
	ck_assert_int_eq(columns_id_width(1000000), 7);
}
END_TEST

/* The countdown is right-aligned in a fixed width. */
START_TEST(test_pad_left)
{
	char	a[32], b[32];

	columns_pad_left("28m 0s left", a, sizeof a);
	columns_pad_left("27m 59s left", b, sizeof b);
	ck_assert_uint_eq(strlen(a), COLUMNS_LEFT);
	ck_assert_uint_eq(strlen(b), COLUMNS_LEFT);
	ck_assert_str_eq(a + COLUMNS_LEFT - 5, " left");
	ck_assert_str_eq(b + COLUMNS_LEFT - 12, "27m 59s left");
	columns_pad_left("overdue 123d 4h", a, sizeof a);
	ck_assert_str_eq(a, "overdue 123d 4h");
}
END_TEST

static Suite *
columns_suite(void)
{
	Suite	*s = suite_create("columns");
	TCase	*tc = tcase_create("columns");

	tcase_add_test(tc, test_fills_the_width);
	tcase_add_test(tc, test_stable);
	tcase_add_test(tc, test_pad_left);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(columns_suite)
