/* test_keymap.c: the key binding table and its lookups. */
#include <stddef.h>
#include <string.h>

#include "unit.h"
#include "watchdog/keymap.h"

/* The bindings watchdog(1) KEY BINDINGS and the help screen document. */
static const struct {
	enum key_context	context;
	int			key;
	enum key_action		action;
} documented[] = {
	{ KEYCTX_QUEUE, KEYMAP_UP, ACTION_UP },
	{ KEYCTX_QUEUE, 'k', ACTION_UP },
	{ KEYCTX_QUEUE, KEYMAP_DOWN, ACTION_DOWN },
	{ KEYCTX_QUEUE, 'j', ACTION_DOWN },
	{ KEYCTX_QUEUE, KEYMAP_PAGE_UP, ACTION_PAGE_UP },
	{ KEYCTX_QUEUE, KEYMAP_CTRL('b'), ACTION_PAGE_UP },
	{ KEYCTX_QUEUE, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN },
	{ KEYCTX_QUEUE, KEYMAP_CTRL('f'), ACTION_PAGE_DOWN },
	{ KEYCTX_QUEUE, ' ', ACTION_PAGE_DOWN },
	{ KEYCTX_QUEUE, 'g', ACTION_FIRST },
	{ KEYCTX_QUEUE, KEYMAP_HOME, ACTION_FIRST },
	{ KEYCTX_QUEUE, 'G', ACTION_LAST },
	{ KEYCTX_QUEUE, KEYMAP_END, ACTION_LAST },
	{ KEYCTX_QUEUE, KEYMAP_ENTER, ACTION_OPEN },
	{ KEYCTX_QUEUE, 'n', ACTION_NEW },
	{ KEYCTX_QUEUE, 'e', ACTION_EDIT },
	{ KEYCTX_QUEUE, 'E', ACTION_EDITOR },
	{ KEYCTX_QUEUE, 'r', ACTION_RESOLVE },
	{ KEYCTX_QUEUE, 'd', ACTION_DELETE },
	{ KEYCTX_QUEUE, '/', ACTION_SEARCH },
	{ KEYCTX_QUEUE, '#', ACTION_JUMP },
	{ KEYCTX_QUEUE, ':', ACTION_JUMP },
	{ KEYCTX_QUEUE, 'f', ACTION_FILTER },
	{ KEYCTX_QUEUE, 's', ACTION_SORT },
	{ KEYCTX_QUEUE, 'S', ACTION_REVERSE },
	{ KEYCTX_QUEUE, 12, ACTION_REDRAW },
	{ KEYCTX_QUEUE, '?', ACTION_HELP },
	{ KEYCTX_QUEUE, 'q', ACTION_QUIT },

	{ KEYCTX_VIEW, KEYMAP_UP, ACTION_UP },
	{ KEYCTX_VIEW, 'k', ACTION_UP },
	{ KEYCTX_VIEW, KEYMAP_DOWN, ACTION_DOWN },
	{ KEYCTX_VIEW, 'j', ACTION_DOWN },
	{ KEYCTX_VIEW, KEYMAP_PAGE_UP, ACTION_PAGE_UP },
	{ KEYCTX_VIEW, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN },
	{ KEYCTX_VIEW, 'g', ACTION_FIRST },
	{ KEYCTX_VIEW, 'G', ACTION_LAST },
	{ KEYCTX_VIEW, 'e', ACTION_EDIT },
	{ KEYCTX_VIEW, 'E', ACTION_EDITOR },
	{ KEYCTX_VIEW, 'r', ACTION_RESOLVE },
	{ KEYCTX_VIEW, 'd', ACTION_DELETE },
	{ KEYCTX_VIEW, 12, ACTION_REDRAW },
	{ KEYCTX_VIEW, '?', ACTION_HELP },
	{ KEYCTX_VIEW, 'q', ACTION_BACK },
	{ KEYCTX_VIEW, KEYMAP_ESCAPE, ACTION_BACK },

	{ KEYCTX_HELP, 'q', ACTION_BACK },
	{ KEYCTX_HELP, KEYMAP_ESCAPE, ACTION_BACK },
	{ KEYCTX_HELP, '?', ACTION_BACK },
	{ KEYCTX_HELP, KEYMAP_UP, ACTION_UP },
	{ KEYCTX_HELP, 'k', ACTION_UP },
	{ KEYCTX_HELP, 'j', ACTION_DOWN },
	{ KEYCTX_HELP, ' ', ACTION_PAGE_DOWN },
	{ KEYCTX_HELP, 'g', ACTION_FIRST },
	{ KEYCTX_HELP, 'G', ACTION_LAST },
	{ KEYCTX_HELP, KEYMAP_DOWN, ACTION_DOWN },
	{ KEYCTX_HELP, KEYMAP_PAGE_UP, ACTION_PAGE_UP },
	{ KEYCTX_HELP, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN },
	{ KEYCTX_HELP, 12, ACTION_REDRAW },
};

START_TEST(test_documented_keys)
{
	size_t	i;

	for (i = 0; i < sizeof documented / sizeof documented[0]; i++)
		ck_assert_msg(keymap_lookup(documented[i].context,
		    documented[i].key) == documented[i].action,
		    "%s: key %#x is not action %d",
		    keymap_context_name(documented[i].context),
		    (unsigned)documented[i].key, (int)documented[i].action);
}
END_TEST

START_TEST(test_unknown_keys)
{
	ck_assert_int_eq(keymap_lookup(KEYCTX_QUEUE, 'z'), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_QUEUE, 0), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_QUEUE, -1), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_QUEUE, KEYMAP_RESIZE),
	    ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_QUEUE, KEYMAP_ESCAPE),
	    ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_VIEW, 'n'), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_VIEW, KEYMAP_ENTER),
	    ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_HELP, 'd'), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(KEYCTX_HELP, 'Q'), ACTION_NONE);
}
END_TEST

/* No key means two things in one context. */
START_TEST(test_no_duplicates)
{
	const struct key_binding	*a, *b;

	for (a = keymap; a->key_name != NULL; a++) {
		for (b = a + 1; b->key_name != NULL; b++)
			ck_assert_msg(a->context != b->context ||
			    a->key != b->key, "%s: %s bound twice",
			    keymap_context_name(a->context), a->key_name);
	}
}
END_TEST

/*
 * Every binding has a name and an action; a binding without help follows
 * one of the same action and context; every help line is short.
 */
START_TEST(test_help_lines)
{
	const struct key_binding	*b;
	size_t				 n = 0;

	for (b = keymap; b->key_name != NULL; b++, n++) {
		ck_assert_int_ne(b->action, ACTION_NONE);
		ck_assert_int_gt(strlen(b->key_name), 0);
		if (b->help != NULL) {
			ck_assert_int_gt(strlen(b->help), 0);
			ck_assert_msg(strlen(b->help) <= 50,
			    "help too long: %s", b->help);
			continue;
		}
		ck_assert_msg(b != keymap && b[-1].context == b->context &&
		    b[-1].action == b->action, "%s: %s has no help line",
		    keymap_context_name(b->context), b->key_name);
	}
	ck_assert_uint_ge(n, sizeof documented / sizeof documented[0]);
}
END_TEST

/* The hint keeps the essential keys at 80 columns and gives way in order. */
START_TEST(test_hint)
{
	char	buf[512];
	size_t	w;
	int	width;

	w = keymap_hint(KEYCTX_QUEUE, 80, buf, sizeof buf);
	ck_assert_uint_le(w, 80);
	ck_assert_uint_eq(w, strlen(buf));
	ck_assert_ptr_nonnull(strstr(buf, "s:sort"));
	ck_assert_ptr_nonnull(strstr(buf, "q:quit"));
	ck_assert_ptr_nonnull(strstr(buf, "#:goto"));
	ck_assert_ptr_nonnull(strstr(buf, "/:search"));
	w = keymap_hint(KEYCTX_QUEUE, 200, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "d:delete"));
	ck_assert_ptr_nonnull(strstr(buf, "S:reverse"));
	/* Narrower: q and ? stay longest; nothing is ever cut. */
	for (width = 10; width <= 200; width++) {
		w = keymap_hint(KEYCTX_QUEUE, width, buf, sizeof buf);
		ck_assert_uint_le(w, (size_t)width);
		ck_assert_ptr_nonnull(strstr(buf, "q:quit"));
		if (width >= 60)
			ck_assert_ptr_nonnull(strstr(buf, "?:help"));
		ck_assert(w == 0 || buf[w - 1] != ' ');
	}
	w = keymap_hint(KEYCTX_QUEUE, 60, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "Enter:open"));
	ck_assert_ptr_null(strstr(buf, "d:delete"));
	w = keymap_hint(KEYCTX_VIEW, 80, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "q:back"));
	ck_assert_ptr_nonnull(strstr(buf, "e:edit"));
	w = keymap_hint(KEYCTX_QUEUE, 0, buf, sizeof buf);
	ck_assert_uint_eq(w, 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_context_names)
{
	ck_assert_str_eq(keymap_context_name(KEYCTX_QUEUE), "Queue");
	ck_assert_str_eq(keymap_context_name(KEYCTX_VIEW), "Ticket");
	ck_assert_str_eq(keymap_context_name(KEYCTX_HELP), "Help");
	ck_assert_int_eq(KEYMAP_CTRL('l'), 12);
}
END_TEST

static Suite *
keymap_suite(void)
{
	Suite	*s = suite_create("keymap");
	TCase	*tc = tcase_create("keymap");

	tcase_add_test(tc, test_documented_keys);
	tcase_add_test(tc, test_unknown_keys);
	tcase_add_test(tc, test_no_duplicates);
	tcase_add_test(tc, test_help_lines);
	tcase_add_test(tc, test_hint);
	tcase_add_test(tc, test_context_names);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(keymap_suite)
