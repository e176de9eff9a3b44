/*
 * formkeys.c: the key tables of the line editor, forms, dialogs, prompt
 * and login screens; see formkeys.h. A binding whose help is NULL is
 * documented with the one before it (same context, same action). The
 * hint of a binding is what the screen's key line shows for it; the rank
 * says which hints stay when the line is short (1 stays longest).
 */
#include <string.h>

#include "watchdog/formkeys.h"

#define LN	FKCTX_LINE
#define TX	FKCTX_TEXT
#define FD	FKCTX_FIELD
#define CH	FKCTX_CHOICE
#define FM	FKCTX_FORM
#define LG	FKCTX_LOGIN
#define FR	FKCTX_FIRST_RUN
#define RG	FKCTX_REGISTER
#define DL	FKCTX_DELETE
#define PS	FKCTX_PAST
#define CF	FKCTX_CONFLICT
#define PR	FKCTX_PROMPT
#define NT	FKCTX_NOTICE
#define CM	FKCTX_COMMENT
#define NP	FKCTX_NEW_PASSWORD
#define AQ	FKCTX_ACCOUNT_ASK

const struct formkey formkeys[] = {
	/* Every text field (readline's keys). */
	{ LN, KEYMAP_LEFT, FKA_LEFT, "Left", "move back a character", NULL, 0 },
	{ LN, KEYMAP_CTRL('b'), FKA_LEFT, "Ctrl-B", NULL, NULL, 0 },
	{ LN, KEYMAP_RIGHT, FKA_RIGHT, "Right", "move forward a character",
	    NULL, 0 },
	{ LN, KEYMAP_CTRL('f'), FKA_RIGHT, "Ctrl-F", NULL, NULL, 0 },
	{ LN, KEYMAP_HOME, FKA_HOME, "Home", "go to the start of the line",
	    NULL, 0 },
	{ LN, KEYMAP_CTRL('a'), FKA_HOME, "Ctrl-A", NULL, NULL, 0 },
	{ LN, KEYMAP_END, FKA_END, "End", "go to the end of the line", NULL,
	    0 },
	{ LN, KEYMAP_CTRL('e'), FKA_END, "Ctrl-E", NULL, NULL, 0 },
	{ LN, KEYMAP_BACKSPACE, FKA_BACKSPACE, "Backspace",
	    "delete the character before the cursor", NULL, 0 },
	{ LN, KEYMAP_DELETE, FKA_DELETE, "Delete",
	    "delete the character under the cursor", NULL, 0 },
	{ LN, KEYMAP_CTRL('d'), FKA_DELETE, "Ctrl-D", NULL, NULL, 0 },
	{ LN, KEYMAP_CTRL('u'), FKA_KILL_START, "Ctrl-U",
	    "delete to the start of the line", NULL, 0 },
	{ LN, KEYMAP_CTRL('k'), FKA_KILL_END, "Ctrl-K",
	    "delete to the end of the line", NULL, 0 },
	{ LN, KEYMAP_CTRL('w'), FKA_KILL_WORD, "Ctrl-W",
	    "delete the word before the cursor", NULL, 0 },

	/* The description of the ticket form. */
	{ TX, KEYMAP_CTRL('s'), FKA_SAVE, "Ctrl-S", "save the ticket",
	    "^S/F2: save", 1 },
	{ TX, KEYMAP_ENTER, FKA_NEWLINE, "Enter", "start a new line",
	    "Enter: new line", 4 },
	{ TX, KEYMAP_UP, FKA_ROW_UP, "Up",
	    "the line above (from the first: the previous field)", NULL, 0 },
	{ TX, KEYMAP_DOWN, FKA_ROW_DOWN, "Down",
	    "the line below (from the last: the next field)", NULL, 0 },

	/* A one-line field of the ticket form. */
	{ FD, KEYMAP_ENTER, FKA_SAVE, "Enter", "save the ticket",
	    "Enter: save", 1 },

	/* A choice of the ticket form. */
	{ CH, KEYMAP_ENTER, FKA_SAVE, "Enter", "save the ticket",
	    "Enter: save", 1 },
	{ CH, KEYMAP_RIGHT, FKA_CHOICE_NEXT, "Right", "the next value",
	    "Space: change", 3 },
	{ CH, ' ', FKA_CHOICE_NEXT, "Space", NULL, NULL, 0 },
	{ CH, KEYMAP_LEFT, FKA_CHOICE_PREV, "Left", "the previous value",
	    NULL, 0 },

	/* The ticket form, whatever field has the cursor. */
	{ FM, KEYMAP_CTRL('s'), FKA_SAVE, "Ctrl-S", "save, from any field",
	    NULL, 0 },
	{ FM, KEYMAP_F2, FKA_SAVE, "F2", NULL, NULL, 0 },
	{ FM, KEYMAP_TAB, FKA_NEXT_FIELD, "Tab", "next field",
	    "Tab: next field", 5 },
	{ FM, KEYMAP_DOWN, FKA_NEXT_FIELD, "Down", NULL, NULL, 0 },
	{ FM, KEYMAP_BACKTAB, FKA_PREV_FIELD, "Shift-Tab", "previous field",
	    NULL, 0 },
	{ FM, KEYMAP_UP, FKA_PREV_FIELD, "Up", NULL, NULL, 0 },
	{ FM, KEYMAP_ESCAPE, FKA_CANCEL, "Esc", "cancel", "Esc: cancel", 2 },
	{ FM, KEYMAP_CTRL('c'), FKA_CANCEL, "Ctrl-C", NULL, NULL, 0 },
	{ FM, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* The login screen. */
	{ LG, KEYMAP_ENTER, FKA_ENTER, "Enter",
	    "next field; on the password, log in",
	    "Enter: next, log in", 1 },
	{ LG, KEYMAP_TAB, FKA_NEXT_FIELD, "Tab", "next field",
	    "Tab: next field", 4 },
	{ LG, KEYMAP_DOWN, FKA_NEXT_FIELD, "Down", NULL, NULL, 0 },
	{ LG, KEYMAP_BACKTAB, FKA_PREV_FIELD, "Shift-Tab", "previous field",
	    NULL, 0 },
	{ LG, KEYMAP_UP, FKA_PREV_FIELD, "Up", NULL, NULL, 0 },
	{ LG, KEYMAP_CTRL('r'), FKA_REGISTER, "Ctrl-R",
	    "open the registration", "Ctrl-R: register", 3 },
	{ LG, KEYMAP_ESCAPE, FKA_CLEAR, "Esc", "empty the field", NULL, 0 },
	{ LG, KEYMAP_CTRL('c'), FKA_QUIT, "Ctrl-C", "quit", "Ctrl-C: quit",
	    2 },
	{ LG, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* The first run: the first administrator. */
	{ FR, KEYMAP_ENTER, FKA_ENTER, "Enter",
	    "next field; on the last, create the account",
	    "Enter: next, create",
	    1 },
	{ FR, KEYMAP_TAB, FKA_NEXT_FIELD, "Tab", "next field",
	    "Tab: next field", 4 },
	{ FR, KEYMAP_DOWN, FKA_NEXT_FIELD, "Down", NULL, NULL, 0 },
	{ FR, KEYMAP_BACKTAB, FKA_PREV_FIELD, "Shift-Tab", "previous field",
	    NULL, 0 },
	{ FR, KEYMAP_UP, FKA_PREV_FIELD, "Up", NULL, NULL, 0 },
	{ FR, KEYMAP_ESCAPE, FKA_CLEAR, "Esc", "empty the field",
	    "Esc: clear field", 3 },
	{ FR, KEYMAP_CTRL('c'), FKA_QUIT, "Ctrl-C", "quit", "Ctrl-C: quit",
	    2 },
	{ FR, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* The registration. */
	{ RG, KEYMAP_ENTER, FKA_ENTER, "Enter",
	    "next field; on the last, create the account",
	    "Enter: next, create",
	    1 },
	{ RG, KEYMAP_TAB, FKA_NEXT_FIELD, "Tab", "next field",
	    "Tab: next field", 4 },
	{ RG, KEYMAP_DOWN, FKA_NEXT_FIELD, "Down", NULL, NULL, 0 },
	{ RG, KEYMAP_BACKTAB, FKA_PREV_FIELD, "Shift-Tab", "previous field",
	    NULL, 0 },
	{ RG, KEYMAP_UP, FKA_PREV_FIELD, "Up", NULL, NULL, 0 },
	{ RG, KEYMAP_ESCAPE, FKA_CLEAR_BACK, "Esc",
	    "empty the field; on an empty one, back to the login",
	    "Esc: clear, back", 3 },
	{ RG, KEYMAP_CTRL('c'), FKA_QUIT, "Ctrl-C", "quit", "Ctrl-C: quit",
	    2 },
	{ RG, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* The delete question. */
	{ DL, 'y', FKA_YES, "y", "delete the ticket", "y: delete", 1 },
	{ DL, 'Y', FKA_YES, "Y", NULL, NULL, 0 },
	{ DL, 'n', FKA_NO, "n", "keep it", "n: keep", 1 },
	{ DL, 'N', FKA_NO, "N", NULL, NULL, 0 },
	{ DL, 'q', FKA_NO, "q", NULL, NULL, 0 },
	{ DL, KEYMAP_ESCAPE, FKA_NO, "Esc", NULL, NULL, 0 },
	{ DL, KEYMAP_CTRL('c'), FKA_NO, "Ctrl-C", NULL, NULL, 0 },
	{ DL, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* A deadline in the past, before saving. */
	{ PS, 'y', FKA_YES, "y", "save it with that deadline", "y: save", 1 },
	{ PS, 'Y', FKA_YES, "Y", NULL, NULL, 0 },
	{ PS, 'n', FKA_NO, "n", "back to the form", "n: back to the form",
	    1 },
	{ PS, 'N', FKA_NO, "N", NULL, NULL, 0 },
	{ PS, 'q', FKA_NO, "q", NULL, NULL, 0 },
	{ PS, KEYMAP_ESCAPE, FKA_NO, "Esc", NULL, NULL, 0 },
	{ PS, KEYMAP_CTRL('c'), FKA_NO, "Ctrl-C", NULL, NULL, 0 },
	{ PS, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* The edit conflict. */
	{ CF, 'r', FKA_RELOAD, "r",
	    "reload the ticket and re-apply your changes",
	    "r: reload, re-apply your changes", 1 },
	{ CF, 'R', FKA_RELOAD, "R", NULL, NULL, 0 },
	{ CF, KEYMAP_ESCAPE, FKA_NO, "Esc", "cancel the edit", "Esc: cancel",
	    1 },
	{ CF, KEYMAP_CTRL('c'), FKA_NO, "Ctrl-C", NULL, NULL, 0 },
	{ CF, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* The search prompt. */
	{ PR, KEYMAP_ENTER, FKA_APPLY, "Enter",
	    "apply the search (an empty one clears it)", NULL, 0 },
	{ PR, KEYMAP_ESCAPE, FKA_ESCAPE, "Esc", "clear the search", NULL, 0 },
	{ PR, KEYMAP_CTRL('c'), FKA_CANCEL, "Ctrl-C",
	    "leave the search as it was", NULL, 0 },
	{ PR, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* A notice that only lets the user go (no administrator yet). */
	{ NT, 'q', FKA_NO, "q", "quit", "q: quit", 1 },
	{ NT, KEYMAP_ENTER, FKA_NO, "Enter", NULL, NULL, 0 },
	{ NT, KEYMAP_ESCAPE, FKA_NO, "Esc", NULL, NULL, 0 },
	{ NT, KEYMAP_CTRL('c'), FKA_NO, "Ctrl-C", NULL, NULL, 0 },

	/* The comment editor (its text has the description's keys). */
	{ CM, KEYMAP_CTRL('d'), FKA_SAVE, "Ctrl-D", "save the comment",
	    "^D/^S/F2: save", 1 },
	{ CM, KEYMAP_CTRL('s'), FKA_SAVE, "Ctrl-S", NULL, NULL, 0 },
	{ CM, KEYMAP_F2, FKA_SAVE, "F2", NULL, NULL, 0 },
	{ CM, KEYMAP_ENTER, FKA_NEWLINE, "Enter", "start a new line",
	    "Enter: new line", 3 },
	{ CM, KEYMAP_UP, FKA_ROW_UP, "Up", "the line above", NULL, 0 },
	{ CM, KEYMAP_DOWN, FKA_ROW_DOWN, "Down", "the line below", NULL, 0 },
	{ CM, KEYMAP_ESCAPE, FKA_CANCEL, "Esc", "cancel", "Esc: cancel", 2 },
	{ CM, KEYMAP_CTRL('c'), FKA_CANCEL, "Ctrl-C", NULL, NULL, 0 },
	{ CM, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* The question before disabling, enabling or resetting an account. */
	{ AQ, 'y', FKA_YES, "y", "do it", "y: yes", 1 },
	{ AQ, 'Y', FKA_YES, "Y", NULL, NULL, 0 },
	{ AQ, 'n', FKA_NO, "n", "leave the account as it is", "n: no", 1 },
	{ AQ, 'N', FKA_NO, "N", NULL, NULL, 0 },
	{ AQ, 'q', FKA_NO, "q", NULL, NULL, 0 },
	{ AQ, KEYMAP_ESCAPE, FKA_NO, "Esc", NULL, NULL, 0 },
	{ AQ, KEYMAP_CTRL('c'), FKA_NO, "Ctrl-C", NULL, NULL, 0 },
	{ AQ, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	/* After a password reset: the new password, twice, at login. */
	{ NP, KEYMAP_ENTER, FKA_ENTER, "Enter",
	    "next field; on the last, set the password", "Enter: save", 1 },
	{ NP, KEYMAP_TAB, FKA_NEXT_FIELD, "Tab", "next field", NULL, 0 },
	{ NP, KEYMAP_DOWN, FKA_NEXT_FIELD, "Down", NULL, NULL, 0 },
	{ NP, KEYMAP_BACKTAB, FKA_PREV_FIELD, "Shift-Tab", "previous field",
	    NULL, 0 },
	{ NP, KEYMAP_UP, FKA_PREV_FIELD, "Up", NULL, NULL, 0 },
	{ NP, KEYMAP_ESCAPE, FKA_CLEAR, "Esc", "empty the field",
	    "Esc: clear field", 3 },
	{ NP, KEYMAP_CTRL('c'), FKA_QUIT, "Ctrl-C", "quit", "Ctrl-C: quit",
	    2 },
	{ NP, KEYMAP_CTRL('l'), FKA_REDRAW, "Ctrl-L", "redraw the screen",
	    NULL, 0 },

	{ LN, 0, FKA_NONE, NULL, NULL, NULL, 0 }
};

#undef LN
#undef TX
#undef FD
#undef CH
#undef FM
#undef LG
#undef FR
#undef RG
#undef DL
#undef PS
#undef CF
#undef PR
#undef NT
#undef CM
#undef NP
#undef AQ

/* The action of KEY in the first of the N contexts CTX binding it. */
enum formkey_action
formkeys_lookup(const enum formkey_context *ctx, size_t n, int key)
{
	const struct formkey	*k;
	size_t			 i;

	for (i = 0; i < n; i++) {
		for (k = formkeys; k->key_name != NULL; k++) {
			if (k->context == ctx[i] && k->key == key)
				return k->action;
		}
	}
	return FKA_NONE;
}

/* The name of CTX, a static string. */
const char *
formkeys_context_name(enum formkey_context ctx)
{
	static const char *const names[FKCTX_COUNT] = {
		"Text fields", "Description", "Ticket form field",
		"Ticket form choice", "Ticket form", "Login", "First run",
		"Registration", "Delete question", "Deadline in the past",
		"Edit conflict", "Search prompt", "Notice", "Comment",
		"New password", "Account question"
	};

	if ((unsigned)ctx >= FKCTX_COUNT)
		return "?";
	return names[ctx];
}

/*
 * Append hint H to BUF (SIZE bytes, *LEN used) after SEP, compact (no
 * space after the colon) when asked. Hints are ASCII: bytes are columns.
 */
static void
formkeys_add(char *buf, size_t size, size_t *len, const char *h,
    const char *sep, int compact)
{
	const char	*colon = strstr(h, ": ");
	size_t		 n;

	if (*len > 0) {
		n = strlen(sep);
		if (*len + n < size) {
			memcpy(buf + *len, sep, n);
			*len += n;
		}
	}
	n = strlen(h);
	if (compact && colon != NULL) {
		n = (size_t)(colon - h) + 1;
		if (*len + n < size) {
			memcpy(buf + *len, h, n);
			*len += n;
		}
		h = colon + 2;
		n = strlen(h);
	}
	if (*len + n < size) {
		memcpy(buf + *len, h, n);
		*len += n;
	}
	buf[*len] = '\0';
}

/*
 * The hint of CTX (N contexts) into BUF with the hints of rank up to
 * MAXRANK, COMPACT or not. Returns its length.
 */
static size_t
formkeys_build(const enum formkey_context *ctx, size_t n, int maxrank,
    int compact, char *buf, size_t size)
{
	const struct formkey	*k;
	size_t			 i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		for (k = formkeys; k->key_name != NULL; k++) {
			if (k->context != ctx[i] || k->hint == NULL ||
			    k->rank > maxrank)
				continue;
			formkeys_add(buf, size, &len, k->hint,
			    compact ? "  " : "   ", compact);
		}
	}
	return len;
}

/* The key hint of CTX fitting COLS columns; see formkeys.h. */
size_t
formkeys_hint(const enum formkey_context *ctx, size_t n, size_t cols,
    char *buf, size_t size)
{
	size_t	len;
	int	rank;

	if (size == 0)
		return 0;
	len = formkeys_build(ctx, n, 99, 0, buf, size);
	if (len <= cols)
		return len;
	for (rank = 99; rank >= 1; rank--) {
		len = formkeys_build(ctx, n, rank, 1, buf, size);
		if (len <= cols)
			return len;
	}
	buf[0] = '\0';
	return 0;
}
