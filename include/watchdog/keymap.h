/*
 * keymap.h: the key bindings of the terminal UI, declared once as data:
 * the table drives the dispatch and the help screen (tig's request.h).
 * Pure: keys are our own codes, so that it is tested without curses; the
 * UI translates curses keys into them.
 */
#ifndef WATCHDOG_KEYMAP_H
#define WATCHDOG_KEYMAP_H

/* Keys beyond ASCII. Control keys are their ASCII codes (Ctrl-L is 12). */
enum {
	KEYMAP_UP = 0x1000,
	KEYMAP_DOWN,
	KEYMAP_LEFT,
	KEYMAP_RIGHT,
	KEYMAP_PAGE_UP,
	KEYMAP_PAGE_DOWN,
	KEYMAP_HOME,
	KEYMAP_END,
	KEYMAP_ENTER,		/* Enter or Return */
	KEYMAP_ESCAPE,
	KEYMAP_BACKSPACE,
	KEYMAP_DELETE,
	KEYMAP_TAB,
	KEYMAP_BACKTAB,		/* Shift-Tab */
	KEYMAP_RESIZE,
	KEYMAP_F2,		/* the forms' save key, as in dialog(1) */
};

#define KEYMAP_CTRL(c)	((c) & 0x1f)

enum key_action {
	ACTION_NONE,
	ACTION_UP,
	ACTION_DOWN,
	ACTION_PAGE_UP,
	ACTION_PAGE_DOWN,
	ACTION_FIRST,
	ACTION_LAST,
	ACTION_OPEN,
	ACTION_NEW,
	ACTION_EDIT,
	ACTION_EDITOR,
	ACTION_RESOLVE,
	ACTION_DELETE,
	ACTION_COMMENT,		/* c: a comment, written in the UI */
	ACTION_COMMENT_EDITOR,	/* C: a comment, written in $EDITOR */
	ACTION_ACCOUNTS,	/* A: the accounts screen (administrators) */
	ACTION_EMAIL,		/* accounts: change the e-mail address */
	ACTION_ADMIN,		/* accounts: administrator or not */
	ACTION_DISABLE,		/* accounts: disable or enable */
	ACTION_RESET,		/* accounts: a one-time password */
	ACTION_SEARCH,
	ACTION_JUMP,
	ACTION_FILTER,
	ACTION_SORT,
	ACTION_REVERSE,
	ACTION_REDRAW,
	ACTION_HELP,
	ACTION_BACK,
	ACTION_QUIT,
};

/* Where a binding applies. */
enum key_context {
	KEYCTX_QUEUE,		/* the ticket list */
	KEYCTX_VIEW,		/* one ticket */
	KEYCTX_ACCOUNTS,	/* the accounts screen */
	KEYCTX_HELP,		/* the help screen (the last) */
};

struct key_binding {
	enum key_context	 context;
	int			 key;
	enum key_action		 action;
	const char		*key_name;	/* "j", "Down", "Ctrl-L" */
	const char		*help;		/* NULL: listed with the previous */
	const char		*hint;		/* "s:sort" in the key hint, or
						   NULL: not there */
	int			 rank;		/* the hint's order of giving
						   way: 1 stays longest */
};

/* The table, ended by an entry whose key_name is NULL. */
extern const struct key_binding keymap[];

/* The action of KEY in CONTEXT, or ACTION_NONE. */
enum key_action	 keymap_lookup(enum key_context context, int key);

/*
 * The key hint of CONTEXT for a line WIDTH columns wide into BUF (LEN
 * bytes): the items of the table, in its order, as many as fit taken by
 * rank (an item that does not fit drops it and every one ranked after
 * it), one space apart. Returns the width used.
 */
size_t		 keymap_hint(enum key_context context, int width, char *buf,
		    size_t len);

/* The context's name for the help screen: "Queue", "Ticket", "Help". */
const char	*keymap_context_name(enum key_context context);

#endif
