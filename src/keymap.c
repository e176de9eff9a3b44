/*
 * keymap.c: the key bindings of the terminal UI as one table; see keymap.h.
 * A binding whose help is NULL is listed on the help screen with the one
 * before it (same context, same action).
 */
#include <stddef.h>
#include <string.h>

#include "watchdog/keymap.h"

#define Q	KEYCTX_QUEUE
#define V	KEYCTX_VIEW
#define H	KEYCTX_HELP
#define A	KEYCTX_ACCOUNTS

/* A binding that is not in the key hint. */
#define NO_HINT	NULL, 0

const struct key_binding keymap[] = {
	/* The ticket list. */
	{ Q, KEYMAP_UP, ACTION_UP, "Up", "move to the previous ticket",
	    NO_HINT },
	{ Q, 'k', ACTION_UP, "k", NULL, NO_HINT },
	{ Q, KEYMAP_DOWN, ACTION_DOWN, "Down", "move to the next ticket",
	    NO_HINT },
	{ Q, 'j', ACTION_DOWN, "j", NULL, NO_HINT },
	{ Q, KEYMAP_PAGE_UP, ACTION_PAGE_UP, "PgUp", "show the previous page",
	    NO_HINT },
	{ Q, KEYMAP_CTRL('b'), ACTION_PAGE_UP, "Ctrl-B", NULL, NO_HINT },
	{ Q, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN, "PgDn", "show the next page",
	    NO_HINT },
	{ Q, KEYMAP_CTRL('f'), ACTION_PAGE_DOWN, "Ctrl-F", NULL, NO_HINT },
	{ Q, ' ', ACTION_PAGE_DOWN, "Space", NULL, NO_HINT },
	{ Q, 'g', ACTION_FIRST, "g", "go to the first ticket", NO_HINT },
	{ Q, KEYMAP_HOME, ACTION_FIRST, "Home", NULL, NO_HINT },
	{ Q, 'G', ACTION_LAST, "G", "go to the last ticket", NO_HINT },
	{ Q, KEYMAP_END, ACTION_LAST, "End", NULL, NO_HINT },
	{ Q, KEYMAP_ENTER, ACTION_OPEN, "Enter", "open the ticket",
	    "Enter:open", 3 },
	{ Q, 'n', ACTION_NEW, "n", "create a new ticket", "n:new", 4 },
	{ Q, 'e', ACTION_EDIT, "e", "edit the ticket's fields", "e:edit", 5 },
	{ Q, 'E', ACTION_EDITOR, "E",
	    "edit the description in $VISUAL or $EDITOR", NO_HINT },
	{ Q, 'r', ACTION_RESOLVE, "r", "resolve the ticket, or reopen it",
	    "r:resolve", 6 },
	{ Q, 'd', ACTION_DELETE, "d", "delete the ticket (asks first)",
	    "d:delete", 11 },
	{ Q, '/', ACTION_SEARCH, "/",
	    "search titles, descriptions, comments and #ids",
	    "/:search", 7 },
	{ Q, '#', ACTION_JUMP, "#", "open ticket N: type N, then Enter",
	    "#:goto", 10 },
	{ Q, ':', ACTION_JUMP, ":", NULL, NO_HINT },
	{ Q, 'f', ACTION_FILTER, "f",
	    "cycle the filter: open, mine, overdue, all", "f:filter", 9 },
	{ Q, 's', ACTION_SORT, "s",
	    "cycle the order: urgency, id, priority, updated", "s:sort", 8 },
	{ Q, 'S', ACTION_REVERSE, "S", "reverse the order", "S:reverse", 12 },
	{ Q, KEYMAP_CTRL('l'), ACTION_REDRAW, "Ctrl-L", "redraw the screen",
	    NO_HINT },
	{ Q, 'A', ACTION_ACCOUNTS, "A",
	    "the accounts (administrators)", NO_HINT },
	{ Q, '?', ACTION_HELP, "?", "show this help", "?:help", 2 },
	{ Q, 'q', ACTION_QUIT, "q", "quit", "q:quit", 1 },

	/* One ticket. */
	{ V, KEYMAP_UP, ACTION_UP, "Up", "scroll up one line", NO_HINT },
	{ V, 'k', ACTION_UP, "k", NULL, NO_HINT },
	{ V, KEYMAP_DOWN, ACTION_DOWN, "Down", "scroll down one line",
	    NO_HINT },
	{ V, 'j', ACTION_DOWN, "j", NULL, "j/k:scroll", 3 },
	{ V, KEYMAP_PAGE_UP, ACTION_PAGE_UP, "PgUp", "scroll up one page",
	    NO_HINT },
	{ V, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN, "PgDn",
	    "scroll down one page", NO_HINT },
	{ V, 'g', ACTION_FIRST, "g", "go to the top", NO_HINT },
	{ V, 'G', ACTION_LAST, "G", "go to the bottom", NO_HINT },
	{ V, 'e', ACTION_EDIT, "e", "edit the ticket's fields", "e:edit", 4 },
	{ V, 'E', ACTION_EDITOR, "E",
	    "edit the description in $VISUAL or $EDITOR", "E:editor", 7 },
	{ V, 'r', ACTION_RESOLVE, "r", "resolve the ticket, or reopen it",
	    "r:resolve", 5 },
	{ V, 'd', ACTION_DELETE, "d", "delete the ticket (asks first)",
	    "d:delete", 6 },
	{ V, 'c', ACTION_COMMENT, "c", "add a comment (Ctrl-D saves it)",
	    "c:comment", 8 },
	{ V, 'C', ACTION_COMMENT_EDITOR, "C",
	    "add a comment written in $VISUAL or $EDITOR", NO_HINT },
	{ V, KEYMAP_CTRL('l'), ACTION_REDRAW, "Ctrl-L", "redraw the screen",
	    NO_HINT },
	{ V, '?', ACTION_HELP, "?", "show the help", "?:help", 2 },
	{ V, 'q', ACTION_BACK, "q", "back to the list", "q:back", 1 },
	{ V, KEYMAP_ESCAPE, ACTION_BACK, "Esc", NULL, NO_HINT },

	/* The accounts screen (administrators). */
	{ A, KEYMAP_UP, ACTION_UP, "Up", "move to the previous account",
	    NO_HINT },
	{ A, 'k', ACTION_UP, "k", NULL, NO_HINT },
	{ A, KEYMAP_DOWN, ACTION_DOWN, "Down", "move to the next account",
	    "j/k:move", 6 },
	{ A, 'j', ACTION_DOWN, "j", NULL, NO_HINT },
	{ A, 'm', ACTION_EMAIL, "m", "change the account's e-mail address",
	    "m:e-mail", 3 },
	{ A, 'a', ACTION_ADMIN, "a", "make it an administrator, or not",
	    "a:admin", 4 },
	{ A, 'x', ACTION_DISABLE, "x", "disable or enable it (asks first)",
	    "x:disable", 5 },
	{ A, 'p', ACTION_RESET, "p", "reset its password (asks first)",
	    "p:reset password", 2 },
	{ A, KEYMAP_CTRL('l'), ACTION_REDRAW, "Ctrl-L", "redraw the screen",
	    NO_HINT },
	{ A, '?', ACTION_HELP, "?", "show the help", NO_HINT },
	{ A, 'q', ACTION_BACK, "q", "back to the list", "q:back", 1 },
	{ A, KEYMAP_ESCAPE, ACTION_BACK, "Esc", NULL, NO_HINT },

	/* The help screen. */
	{ H, 'q', ACTION_BACK, "q", "leave the help", "q:back", 1 },
	{ H, KEYMAP_ESCAPE, ACTION_BACK, "Esc", NULL, NO_HINT },
	{ H, '?', ACTION_BACK, "?", NULL, NO_HINT },
	{ H, KEYMAP_UP, ACTION_UP, "Up", "scroll up one line", NO_HINT },
	{ H, 'k', ACTION_UP, "k", NULL, NO_HINT },
	{ H, KEYMAP_DOWN, ACTION_DOWN, "Down", "scroll down one line",
	    "Up/Down:scroll", 2 },
	{ H, 'j', ACTION_DOWN, "j", NULL, NO_HINT },
	{ H, KEYMAP_PAGE_UP, ACTION_PAGE_UP, "PgUp", "scroll up one page",
	    NO_HINT },
	{ H, KEYMAP_PAGE_DOWN, ACTION_PAGE_DOWN, "PgDn",
	    "scroll down one page", "PgUp/PgDn:page", 3 },
	{ H, ' ', ACTION_PAGE_DOWN, "Space", NULL, NO_HINT },
	{ H, 'g', ACTION_FIRST, "g", "go to the top", NO_HINT },
	{ H, KEYMAP_HOME, ACTION_FIRST, "Home", NULL, NO_HINT },
	{ H, 'G', ACTION_LAST, "G", "go to the bottom", NO_HINT },
	{ H, KEYMAP_END, ACTION_LAST, "End", NULL, NO_HINT },
	{ H, KEYMAP_CTRL('l'), ACTION_REDRAW, "Ctrl-L", "redraw the screen",
	    NO_HINT },

	{ Q, 0, ACTION_NONE, NULL, NULL, NO_HINT }
};

#undef Q
#undef V
#undef H
#undef A
#undef NO_HINT

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

/*
 * Is B, an item of CONTEXT's hint, kept when the items ranked up to RANK
 * are?
 */
static int
keymap_hint_in(const struct key_binding *b, enum key_context context,
    int rank)
{
	return b->context == context && b->hint != NULL && b->rank > 0 &&
	    b->rank <= rank;
}

/* The width of CONTEXT's hint with the items ranked up to RANK. */
static size_t
keymap_hint_width(enum key_context context, int rank)
{
	const struct key_binding	*b;
	size_t				 w = 0;

	for (b = keymap; b->key_name != NULL; b++) {
		if (keymap_hint_in(b, context, rank))
			w += (w > 0 ? 1 : 0) + strlen(b->hint);
	}
	return w;
}

/* The key hint of CONTEXT in WIDTH columns; see keymap.h. */
size_t
keymap_hint(enum key_context context, int width, char *buf, size_t len)
{
	const struct key_binding	*b;
	size_t				 used = 0, n;
	int				 rank, max = 0;

	for (b = keymap; b->key_name != NULL; b++) {
		if (b->context == context && b->hint != NULL && b->rank > max)
			max = b->rank;
	}
	/* The most ranks whose items fit, in the order of giving way. */
	for (rank = max; rank > 0; rank--) {
		if (width >= 0 && keymap_hint_width(context, rank) <=
		    (size_t)width)
			break;
	}
	if (len > 0)
		buf[0] = '\0';
	for (b = keymap; b->key_name != NULL && len > 0; b++) {
		if (!keymap_hint_in(b, context, rank))
			continue;
		n = strlen(b->hint) + (used > 0 ? 1 : 0);
		if (used + n >= len)
			break;
		if (used > 0)
			buf[used++] = ' ';
		memcpy(buf + used, b->hint, strlen(b->hint) + 1);
		used += strlen(b->hint);
	}
	return used;
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
	case KEYCTX_ACCOUNTS:
		return "Accounts";
	case KEYCTX_HELP:
		return "Help";
	}
	return "?";
}
