/*
 * textedit.h: a multi-line text being edited (the description in the
 * ticket form): UTF-8, the cursor on a character boundary, the text laid
 * out in rows of a given display width (wrapped at a space where one is,
 * else inside a word), Up and Down moving between those rows. Pure: the
 * terminal UI draws it and feeds it the actions of formkeys.h.
 */
#ifndef WATCHDOG_TEXTEDIT_H
#define WATCHDOG_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watchdog/formkeys.h"

struct textedit {
	char	*buf;		/* NUL-terminated UTF-8, MAX + 1 bytes */
	size_t	 len;
	size_t	 max;		/* bytes */
	size_t	 cur;		/* cursor, a byte offset on a character */
	size_t	 top;		/* the first row shown */
};

/* One row of the layout: the bytes [start, end), without a newline. */
struct textedit_row {
	size_t	start;
	size_t	end;
};

/* Start TE empty, holding at most MAX bytes. Free with textedit_free(). */
void	textedit_init(struct textedit *te, size_t max);
void	textedit_free(struct textedit *te);

/* Set the text of TE to S (cut at a character that does not fit). */
void	textedit_set(struct textedit *te, const char *s);

/*
 * Insert code point CP (a newline, or a character that is not a control)
 * at the cursor. False when it is refused or does not fit.
 */
bool	textedit_insert(struct textedit *te, uint32_t cp);

/*
 * Apply ACTION (an editing action of formkeys.h) with rows WIDTH columns
 * wide. False when the action is not for the text, or when Up or Down
 * has no row to go to (the form then moves to another field).
 */
bool	textedit_action(struct textedit *te, enum formkey_action action,
	    size_t width);

/*
 * The rows of TE in WIDTH columns (at least 2): *ROWS is a new array of
 * the returned count (at least one row).
 */
size_t	textedit_layout(const struct textedit *te, size_t width,
	    struct textedit_row **rows);

/* The row of ROWS (N of them) that holds offset OFF. */
size_t	textedit_row_of(const struct textedit_row *rows, size_t n, size_t off);

/* The display columns of the bytes [FROM, TO) of TE. */
size_t	textedit_width(const struct textedit *te, size_t from, size_t to);

#endif
