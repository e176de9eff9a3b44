/*
 * keymap.c: the key bindings of the terminal UI as one table; see keymap.h.
 * A binding whose help is NULL is listed on the help screen with the one
 * before it (same context, same action).
 */
#include <stddef.h>

#include "watchdog/keymap.h"

#define Q	KEYCTX_QUEUE
#define V	KEYCTX_VIEW
#define H	KEYCTX_HELP

const struct key_binding keymap[] = {
	/* The ticket list. */
	{ Q, KEYMAP_UP, ACTION_UP, "Up", "move to the previous ticket" },
	{ Q, 'k', ACTION_UP, "k", NULL },
	{ Q, KEYMAP_DOWN, ACTION_DOWN, "Down", "move to the next ticket" },
	{ Q, 'j', ACTION_DOWN, "j", NULL },
	{ Q, KEYMAP_PAGE_UP, ACTION_PAGE_UP, "PgUp", "show the previous page" },
	{ Q, KEYMAP_CTRL('b'), ACTION_PAGE_UP, "Ctrl-B", NULL },
	{ Q, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN, "PgDn", "show the next page" },
	{ Q, KEYMAP_CTRL('f'), ACTION_PAGE_DOWN, "Ctrl-F", NULL },
	{ Q, ' ', ACTION_PAGE_DOWN, "Space", NULL },
	{ Q, 'g', ACTION_FIRST, "g", "go to the first ticket" },
	{ Q, KEYMAP_HOME, ACTION_FIRST, "Home", NULL },
	{ Q, 'G', ACTION_LAST, "G", "go to the last ticket" },
	{ Q, KEYMAP_END, ACTION_LAST, "End", NULL },
	{ Q, KEYMAP_ENTER, ACTION_OPEN, "Enter", "open the ticket" },
	{ Q, 'n', ACTION_NEW, "n", "create a new ticket" },
	{ Q, 'e', ACTION_EDIT, "e", "edit the ticket's fields" },
	{ Q, 'E', ACTION_EDITOR, "E",
	    "edit the description in $VISUAL or $EDITOR" },
	{ Q, 'r', ACTION_RESOLVE, "r", "resolve the ticket, or reopen it" },
	{ Q, 'd', ACTION_DELETE, "d", "delete the ticket (asks first)" },
	{ Q, '/', ACTION_SEARCH, "/",
	    "search titles, descriptions and #ids" },
	{ Q, '#', ACTION_JUMP, "#", "open ticket N: type N, then Enter" },
	{ Q, ':', ACTION_JUMP, ":", NULL },
	{ Q, 'f', ACTION_FILTER, "f",
	    "cycle the filter: open, mine, overdue, all" },
	{ Q, 's', ACTION_SORT, "s",
	    "cycle the order: urgency, id, priority, updated" },
	{ Q, KEYMAP_CTRL('l'), ACTION_REDRAW, "Ctrl-L", "redraw the screen" },
	{ Q, '?', ACTION_HELP, "?", "show this help" },
	{ Q, 'q', ACTION_QUIT, "q", "quit" },

	/* One ticket. */
	{ V, KEYMAP_UP, ACTION_UP, "Up", "scroll up one line" },
	{ V, 'k', ACTION_UP, "k", NULL },
	{ V, KEYMAP_DOWN, ACTION_DOWN, "Down", "scroll down one line" },
	{ V, 'j', ACTION_DOWN, "j", NULL },
	{ V, KEYMAP_PAGE_UP, ACTION_PAGE_UP, "PgUp", "scroll up one page" },
	{ V, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN, "PgDn",
	    "scroll down one page" },
	{ V, 'g', ACTION_FIRST, "g", "go to the top" },
	{ V, 'G', ACTION_LAST, "G", "go to the bottom" },
	{ V, 'e', ACTION_EDIT, "e", "edit the ticket's fields" },
	{ V, 'E', ACTION_EDITOR, "E",
	    "edit the description in $VISUAL or $EDITOR" },
	{ V, 'r', ACTION_RESOLVE, "r", "resolve the ticket, or reopen it" },
	{ V, 'd', ACTION_DELETE, "d", "delete the ticket (asks first)" },
	{ V, KEYMAP_CTRL('l'), ACTION_REDRAW, "Ctrl-L", "redraw the screen" },
	{ V, '?', ACTION_HELP, "?", "show the help" },
	{ V, 'q', ACTION_BACK, "q", "back to the list" },
	{ V, KEYMAP_ESCAPE, ACTION_BACK, "Esc", NULL },

	/* The help screen. */
	{ H, 'q', ACTION_BACK, "q", "leave the help" },
	{ H, KEYMAP_ESCAPE, ACTION_BACK, "Esc", NULL },
	{ H, '?', ACTION_BACK, "?", NULL },
	{ H, KEYMAP_UP, ACTION_UP, "Up", "scroll up one line" },
	{ H, KEYMAP_DOWN, ACTION_DOWN, "Down", "scroll down one line" },
	{ H, KEYMAP_PAGE_UP, ACTION_PAGE_UP, "PgUp", "scroll up one page" },
	{ H, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN, "PgDn",
	    "scroll down one page" },
	{ H, KEYMAP_CTRL('l'), ACTION_REDRAW, "Ctrl-L", "redraw the screen" },

	{ Q, 0, ACTION_NONE, NULL, NULL }
};

#undef Q
#undef V
#undef H

/*
 * The action bound to KEY in CONTEXT, or ACTION_NONE. A linear search:
 * the table has a few dozen entries and is read once a key press.
 */
enum key_action
keymap_lookup(enum key_context context, int key)
{
	const struct key_binding	*b;

	for (b = keymap; b->key_name != NULL; b++) {
		if (b->context == context && b->key == key)
			return b->action;
	}
	return ACTION_NONE;
}

/* The title of CONTEXT on the help screen, a static string. */
const char *
keymap_context_name(enum key_context context)
{
	switch (context) {
	case KEYCTX_QUEUE:
		return "Queue";
	case KEYCTX_VIEW:
		return "Ticket";
	case KEYCTX_HELP:
		return "Help";
	}
	return "?";
}
