/*
 * tui_textarea.c: the multi-line description field of the ticket form,
 * drawn and fed keys here; the text itself is a textedit (textedit.c).
 * Rows wrap at the field's width, one column kept free for the cursor,
 * and the rows shown follow the cursor.
 */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/util.h"

/*
 * Draw TE in the H rows of W columns from (Y, X); with FOCUS, place the
 * terminal cursor on it.
 */
void
tui_textarea_draw(struct tui *tui, struct textedit *te, int y, int x, int h,
    int w, bool focus)
{
	struct textedit_row	*rows;
	size_t			 n, r, i, cr;
	char			*part, *p;

	if (h < 1 || w < 3)
		return;
	n = textedit_layout(te, (size_t)w - 1, &rows);
	cr = textedit_row_of(rows, n, te->cur);
	if (te->top > cr)
		te->top = cr;
	if (cr >= te->top + (size_t)h)
		te->top = cr - (size_t)h + 1;
	if (te->top >= n)
		te->top = n - 1;
	for (i = 0; i < (size_t)h; i++) {
		tui_fill(y + (int)i, x, w, A_UNDERLINE);
		r = te->top + i;
		if (r >= n)
			continue;
		part = xstrndup(te->buf + rows[r].start,
		    rows[r].end - rows[r].start);
		/* A tab already in a text shows as one blank. */
		for (p = part; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		}
		tui_text(y + (int)i, x, part, w, A_UNDERLINE);
		free(part);
	}
	if (focus)
		tui_show_cursor(tui, y + (int)(cr - te->top), x +
		    (int)textedit_width(te, rows[cr].start, te->cur));
	free(rows);
}

/*
 * A key for TE whose action in the form's tables is ACTION, in rows of W
 * columns (as drawn). True when taken; false for the form (Up on the
 * first row, Down on the last, keys not for the text).
 */
bool
tui_textarea_key(struct textedit *te, const struct tui_event *ev,
    enum formkey_action action, int w)
{
	static const enum formkey_context ctx[] = { FKCTX_LINE };

	if (action == FKA_NONE && ev->ch != 0) {
		if (!textedit_insert(te, (uint32_t)ev->ch))
			beep();
		return true;
	}
	if (action == FKA_NONE)
		action = formkeys_lookup(ctx, 1, ev->key);
	if (action == FKA_NONE)
		return false;
	return textedit_action(te, action, w > 3 ? (size_t)w - 1 : 2);
}
