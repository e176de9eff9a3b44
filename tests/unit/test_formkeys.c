/*
 * test_formkeys.c: the key tables of the forms, dialogs, prompt and login
 * screens, and the key hints drawn from them.
 */
#include <stddef.h>
#include <string.h>

#include "unit.h"
#include "watchdog/formkeys.h"

/* The bindings watchdog(1) documents, as the code must dispatch them. */
static const struct {
	enum formkey_context	context;
	int			key;
	enum formkey_action	action;
} documented[] = {
	{ FKCTX_LINE, KEYMAP_LEFT, FKA_LEFT },
	{ FKCTX_LINE, KEYMAP_CTRL('b'), FKA_LEFT },
	{ FKCTX_LINE, KEYMAP_CTRL('u'), FKA_KILL_START },
	{ FKCTX_LINE, KEYMAP_CTRL('w'), FKA_KILL_WORD },
	{ FKCTX_TEXT, KEYMAP_ENTER, FKA_NEWLINE },
	{ FKCTX_TEXT, KEYMAP_CTRL('s'), FKA_SAVE },
	{ FKCTX_FIELD, KEYMAP_ENTER, FKA_SAVE },
	{ FKCTX_CHOICE, KEYMAP_ENTER, FKA_SAVE },
	{ FKCTX_CHOICE, ' ', FKA_CHOICE_NEXT },
	{ FKCTX_CHOICE, KEYMAP_RIGHT, FKA_CHOICE_NEXT },
	{ FKCTX_CHOICE, KEYMAP_LEFT, FKA_CHOICE_PREV },
	{ FKCTX_FORM, KEYMAP_CTRL('s'), FKA_SAVE },
	{ FKCTX_FORM, KEYMAP_F2, FKA_SAVE },
	{ FKCTX_FORM, KEYMAP_TAB, FKA_NEXT_FIELD },
	{ FKCTX_FORM, KEYMAP_BACKTAB, FKA_PREV_FIELD },
	{ FKCTX_FORM, KEYMAP_ESCAPE, FKA_CANCEL },
	{ FKCTX_LOGIN, KEYMAP_ENTER, FKA_ENTER },
	{ FKCTX_LOGIN, KEYMAP_CTRL('r'), FKA_REGISTER },
	{ FKCTX_LOGIN, KEYMAP_CTRL('c'), FKA_QUIT },
	{ FKCTX_LOGIN, KEYMAP_ESCAPE, FKA_CLEAR },
	{ FKCTX_REGISTER, KEYMAP_ESCAPE, FKA_CLEAR_BACK },
	{ FKCTX_FIRST_RUN, KEYMAP_ESCAPE, FKA_CLEAR },
	{ FKCTX_DELETE, 'y', FKA_YES },
	{ FKCTX_DELETE, 'n', FKA_NO },
	{ FKCTX_DELETE, KEYMAP_ESCAPE, FKA_NO },
	{ FKCTX_PAST, 'y', FKA_YES },
	{ FKCTX_PAST, 'n', FKA_NO },
	{ FKCTX_CONFLICT, 'r', FKA_RELOAD },
	{ FKCTX_CONFLICT, KEYMAP_ESCAPE, FKA_NO },
	{ FKCTX_PROMPT, KEYMAP_ENTER, FKA_APPLY },
	{ FKCTX_PROMPT, KEYMAP_ESCAPE, FKA_ESCAPE },
	{ FKCTX_PROMPT, KEYMAP_CTRL('c'), FKA_CANCEL },
};

START_TEST(test_documented)
{
	size_t	i;

	for (i = 0; i < sizeof documented / sizeof documented[0]; i++)
		ck_assert_msg(formkeys_lookup(&documented[i].context, 1,
		    documented[i].key) == documented[i].action,
		    "%s: key %#x", formkeys_context_name(documented[i].context),
		    (unsigned)documented[i].key);
}
END_TEST

/* The first context that binds a key wins: Enter in the description. */
START_TEST(test_context_order)
{
	enum formkey_context	text[] = { FKCTX_TEXT, FKCTX_FORM };
	enum formkey_context	field[] = { FKCTX_FIELD, FKCTX_FORM };

	ck_assert_int_eq(formkeys_lookup(text, 2, KEYMAP_ENTER), FKA_NEWLINE);
	ck_assert_int_eq(formkeys_lookup(field, 2, KEYMAP_ENTER), FKA_SAVE);
	ck_assert_int_eq(formkeys_lookup(text, 2, KEYMAP_DOWN), FKA_ROW_DOWN);
	ck_assert_int_eq(formkeys_lookup(field, 2, KEYMAP_DOWN),
	    FKA_NEXT_FIELD);
	ck_assert_int_eq(formkeys_lookup(field, 2, 'q'), FKA_NONE);
	ck_assert_int_eq(formkeys_lookup(text, 0, KEYMAP_ENTER), FKA_NONE);
}
END_TEST

/* Every binding is named, none twice in a context, hints are ASCII. */
START_TEST(test_table)
{
	const struct formkey	*a, *b;
	const char		*p;

	for (a = formkeys; a->key_name != NULL; a++) {
		ck_assert_int_ne(a->action, FKA_NONE);
		ck_assert_msg(a->help != NULL || (a != formkeys &&
		    a[-1].context == a->context && a[-1].action == a->action),
		    "%s: %s has no help line",
		    formkeys_context_name(a->context), a->key_name);
		if (a->hint != NULL) {
			ck_assert_ptr_nonnull(strstr(a->hint, ": "));
			ck_assert_int_gt(a->rank, 0);
			for (p = a->hint; *p != '\0'; p++)
				ck_assert_int_lt((unsigned char)*p, 0x80);
		}
		for (b = a + 1; b->key_name != NULL; b++)
			ck_assert_msg(a->context != b->context ||
			    a->key != b->key, "%s: %s bound twice",
			    formkeys_context_name(a->context), a->key_name);
	}
}
END_TEST

/* Hints: full, then compact, then without the least needed, to fit. */
START_TEST(test_hint_fits)
{
	enum formkey_context	del = FKCTX_DELETE;
	enum formkey_context	text[] = { FKCTX_TEXT, FKCTX_FORM };
	char			buf[256];
	size_t			w, cols;

	w = formkeys_hint(&del, 1, 80, buf, sizeof buf);
	ck_assert_str_eq(buf, "y: delete   n: keep");
	ck_assert_uint_eq(w, strlen(buf));
	formkeys_hint(&del, 1, 16, buf, sizeof buf);
	ck_assert_str_eq(buf, "y:delete  n:keep");
	formkeys_hint(text, 2, 80, buf, sizeof buf);
	ck_assert_str_eq(buf, "^S/F2: save   Enter: new line   "
	    "Tab: next field   Esc: cancel");
	formkeys_hint(text, 2, 40, buf, sizeof buf);
	ck_assert_str_eq(buf, "^S/F2:save  Enter:new line  Esc:cancel");
	formkeys_hint(text, 2, 24, buf, sizeof buf);
	ck_assert_str_eq(buf, "^S/F2:save  Esc:cancel");
	for (cols = 0; cols < 90; cols++) {
		w = formkeys_hint(text, 2, cols, buf, sizeof buf);
		ck_assert_uint_le(w, cols);
		ck_assert_uint_eq(w, strlen(buf));
	}
	ck_assert_uint_eq(formkeys_hint(text, 2, 80, buf, 0), 0);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(formkeys_context_name(FKCTX_LOGIN), "Login");
	ck_assert_str_eq(formkeys_context_name(FKCTX_COUNT), "?");
}
END_TEST

static Suite *
formkeys_suite(void)
{
	Suite	*s = suite_create("formkeys");
	TCase	*tc = tcase_create("formkeys");

	tcase_add_test(tc, test_documented);
	tcase_add_test(tc, test_context_order);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_hint_fits);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(formkeys_suite)
