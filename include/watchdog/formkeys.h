/*
 * formkeys.h: the key tables of the line editor, the forms, the dialogs,
 * the search prompt and the login screens, declared once as data as the
 * queue's are in keymap.h: the same table dispatches a key and draws the
 * screen's key hint. Pure (no curses), so that it is tested on its own.
 */
#ifndef WATCHDOG_FORMKEYS_H
#define WATCHDOG_FORMKEYS_H

#include <stddef.h>

#include "watchdog/keymap.h"

/* Where a binding applies. */
enum formkey_context {
	FKCTX_LINE,		/* editing one line of text, anywhere */
	FKCTX_TEXT,		/* the multi-line description of a form */
	FKCTX_FIELD,		/* a one-line field of the ticket form */
	FKCTX_CHOICE,		/* a choice field (status, priority) */
	FKCTX_FORM,		/* the ticket form, whatever the field */
	FKCTX_LOGIN,		/* the login screen */
	FKCTX_FIRST_RUN,	/* creating the first administrator */
	FKCTX_REGISTER,		/* the registration */
	FKCTX_DELETE,		/* the delete question */
	FKCTX_PAST,		/* the question on a deadline in the past */
	FKCTX_CONFLICT,		/* the edit conflict */
	FKCTX_PROMPT,		/* the search prompt */
	FKCTX_NOTICE,		/* a notice with nothing to choose */
	FKCTX_COMMENT,		/* the comment editor */
	FKCTX_NEW_PASSWORD,	/* a reset password replaced at login */
	FKCTX_ACCOUNT_ASK,	/* disable, enable, reset: sure? */
	FKCTX_COUNT
};

enum formkey_action {
	FKA_NONE,
	/* Editing text. */
	FKA_LEFT,
	FKA_RIGHT,
	FKA_HOME,
	FKA_END,
	FKA_BACKSPACE,
	FKA_DELETE,
	FKA_KILL_START,
	FKA_KILL_END,
	FKA_KILL_WORD,
	FKA_NEWLINE,
	FKA_ROW_UP,
	FKA_ROW_DOWN,
	/* Choices. */
	FKA_CHOICE_PREV,
	FKA_CHOICE_NEXT,
	/* Forms. */
	FKA_SAVE,		/* save or submit the form */
	FKA_ENTER,		/* next field; on the last one, submit */
	FKA_NEXT_FIELD,
	FKA_PREV_FIELD,
	FKA_CANCEL,		/* leave without saving */
	FKA_CLEAR,		/* empty the field */
	FKA_CLEAR_BACK,		/* empty the field; on an empty one, leave */
	FKA_REGISTER,
	FKA_QUIT,		/* leave the program */
	FKA_REDRAW,
	/* Dialogs and the prompt. */
	FKA_YES,
	FKA_NO,
	FKA_RELOAD,
	FKA_APPLY,
	FKA_ESCAPE,		/* the prompt: clear the search */
};

struct formkey {
	enum formkey_context	 context;
	int			 key;		/* keymap.h code */
	enum formkey_action	 action;
	const char		*key_name;	/* "Ctrl-S" */
	const char		*help;		/* NULL: with the previous */
	const char		*hint;		/* "Enter: save", or NULL */
	int			 rank;		/* in the hint: 1 kept longest */
};

/* The table, ended by an entry whose key_name is NULL. */
extern const struct formkey formkeys[];

/*
 * The action of KEY in the first of the N contexts CTX that binds it, or
 * FKA_NONE.
 */
enum formkey_action	formkeys_lookup(const enum formkey_context *ctx,
			    size_t n, int key);

/* The context's name on the help screen and in messages. */
const char		*formkeys_context_name(enum formkey_context ctx);

/*
 * The key hint of the N contexts CTX (in that order) into BUF (SIZE
 * bytes), at most COLS columns wide: "Enter: save   Tab: next field", then
 * the compact "Enter:save  Tab:next field" when that does not fit, then
 * without the hints of the highest ranks until it fits. Returns the
 * columns used.
 */
size_t			formkeys_hint(const enum formkey_context *ctx,
			    size_t n, size_t cols, char *buf, size_t size);

#endif
