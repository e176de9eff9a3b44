/*
 * textedit.c: the multi-line text editor of the ticket form's description;
 * see textedit.h. A control character already in a text (a tab) counts as
 * one column; none can be typed.
 */
#include <stdlib.h>
#include <string.h>

#include "watchdog/textedit.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Start TE empty; the buffer is allocated once, MAX + 1 bytes. */
void
textedit_init(struct textedit *te, size_t max)
{
	memset(te, 0, sizeof *te);
	te->max = max;
	te->buf = xcalloc(1, max + 1);
}

/* Free the text of TE. */
void
textedit_free(struct textedit *te)
{
	free(te->buf);
	memset(te, 0, sizeof *te);
}

/* Set the text of TE to S, cut at a character boundary; cursor at 0. */
void
textedit_set(struct textedit *te, const char *s)
{
	size_t		len = strlen(s), off = 0, n;
	uint32_t	cp;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (off + n > te->max)
			break;
		off += n;
	}
	memcpy(te->buf, s, off);
	te->buf[off] = '\0';
	te->len = off;
	te->cur = 0;
	te->top = 0;
}

/* The columns of code point CP here: a control character takes one. */
static size_t
textedit_cp_width(uint32_t cp)
{
	int	w;

	if (cp < 0x20 || cp == 0x7f)
		return 1;
	w = utf8_cp_width(cp);
	return w < 0 ? 1 : (size_t)w;
}

/* The display columns of the bytes [FROM, TO) of TE. */
size_t
textedit_width(const struct textedit *te, size_t from, size_t to)
{
	size_t		w = 0;
	uint32_t	cp;

	while (from < to) {
		from += utf8_decode(te->buf + from, to - from, &cp);
		w += textedit_cp_width(cp);
	}
	return w;
}

/* The offset of the character before OFF. */
static size_t
textedit_prev(const struct textedit *te, size_t off)
{
	if (off == 0)
		return 0;
	off--;
	while (off > 0 && ((unsigned char)te->buf[off] & 0xc0) == 0x80)
		off--;
	return off;
}

/* The offset of the character after OFF. */
static size_t
textedit_next(const struct textedit *te, size_t off)
{
	uint32_t	cp;

	if (off >= te->len)
		return te->len;
	return off + utf8_decode(te->buf + off, te->len - off, &cp);
}

/* Insert code point CP at the cursor; see textedit.h. */
bool
textedit_insert(struct textedit *te, uint32_t cp)
{
	char	enc[4];
	size_t	n;

	if ((cp < 0x20 && cp != '\n') || cp == 0x7f ||
	    (cp >= 0x80 && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff)
		return false;
	n = utf8_encode(cp, enc);
	if (te->len + n > te->max)
		return false;
	memmove(te->buf + te->cur + n, te->buf + te->cur, te->len - te->cur);
	memcpy(te->buf + te->cur, enc, n);
	te->len += n;
	te->cur += n;
	te->buf[te->len] = '\0';
	return true;
}

/* Remove the bytes [FROM, TO); the cursor goes to FROM. */
static void
textedit_cut(struct textedit *te, size_t from, size_t to)
{
	memmove(te->buf + from, te->buf + to, te->len - to);
	te->len -= to - from;
	memset(te->buf + te->len, 0, to - from);
	te->cur = from;
}

/* The start of the logical line holding OFF. */
static size_t
textedit_bol(const struct textedit *te, size_t off)
{
	while (off > 0 && te->buf[off - 1] != '\n')
		off--;
	return off;
}

/* The end of the logical line holding OFF (its newline, or the end). */
static size_t
textedit_eol(const struct textedit *te, size_t off)
{
	while (off < te->len && te->buf[off] != '\n')
		off++;
	return off;
}

/*
 * Add the rows of the logical line [START, END) in WIDTH columns to
 * *ROWS (*N used, *CAP allocated).
 */
static void
textedit_wrap(const struct textedit *te, size_t start, size_t end,
    size_t width, struct textedit_row **rows, size_t *n, size_t *cap)
{
	size_t		off, next, w, space;
	uint32_t	cp;

	for (;;) {
		off = start;
		w = 0;
		space = 0;
		while (off < end) {
			next = off + utf8_decode(te->buf + off, end - off, &cp);
			if (w + textedit_cp_width(cp) > width)
				break;
			w += textedit_cp_width(cp);
			if (cp == ' ')
				space = next;
			off = next;
		}
		if (off < end && space > start)
			off = space;
		if (off == start && off < end)	/* one character wider */
			off += utf8_decode(te->buf + off, end - off, &cp);
		if (*n == *cap) {
			*cap = *cap * 2 + 8;
			*rows = xreallocarray(*rows, *cap, sizeof **rows);
		}
		(*rows)[*n].start = start;
		(*rows)[(*n)++].end = off;
		if (off >= end)
			return;
		start = off;
	}
}

/* The rows of TE in WIDTH columns; see textedit.h. */
size_t
textedit_layout(const struct textedit *te, size_t width,
    struct textedit_row **rows)
{
	size_t	n = 0, cap = 0, start = 0, end;

	*rows = NULL;
	if (width < 2)
		width = 2;
	for (;;) {
		end = textedit_eol(te, start);
		textedit_wrap(te, start, end, width, rows, &n, &cap);
		if (end >= te->len)
			break;
		start = end + 1;
	}
	return n;
}

/* The last row of ROWS that starts at or before OFF. */
size_t
textedit_row_of(const struct textedit_row *rows, size_t n, size_t off)
{
	size_t	r = 0;

	while (r + 1 < n && rows[r + 1].start <= off)
		r++;
	return r;
}

/*
 * Move the cursor DIR (-1 or 1) rows in WIDTH columns, to the same column
 * or the end of a shorter row. False when there is no such row.
 */
static bool
textedit_row_move(struct textedit *te, int dir, size_t width)
{
	struct textedit_row	*rows;
	size_t			 n, r, col, off, next, w = 0;
	bool			 moved = false;

	n = textedit_layout(te, width, &rows);
	r = textedit_row_of(rows, n, te->cur);
	if ((dir < 0 && r == 0) || (dir > 0 && r + 1 >= n))
		goto out;
	col = textedit_width(te, rows[r].start, te->cur);
	r = dir < 0 ? r - 1 : r + 1;
	off = rows[r].start;
	while (off < rows[r].end) {
		next = textedit_next(te, off);
		w += textedit_width(te, off, next);
		if (w > col)
			break;
		off = next;
	}
	/* The end of a wrapped row is the start of the next one. */
	if (off == rows[r].end && r + 1 < n && rows[r + 1].start == off &&
	    off > rows[r].start)
		off = textedit_prev(te, off);
	te->cur = off;
	moved = true;
out:
	free(rows);
	return moved;
}

/* Ctrl-W: delete the word before the cursor, within its line. */
static void
textedit_kill_word(struct textedit *te)
{
	size_t	off = te->cur, bol = textedit_bol(te, te->cur);

	while (off > bol && te->buf[off - 1] == ' ')
		off--;
	while (off > bol && te->buf[off - 1] != ' ')
		off = textedit_prev(te, off);
	textedit_cut(te, off, te->cur);
}

/* Apply ACTION to TE; see textedit.h. */
bool
textedit_action(struct textedit *te, enum formkey_action action,
    size_t width)
{
	size_t	eol;

	switch (action) {
	case FKA_LEFT:
		te->cur = textedit_prev(te, te->cur);
		return true;
	case FKA_RIGHT:
		te->cur = textedit_next(te, te->cur);
		return true;
	case FKA_HOME:
		te->cur = textedit_bol(te, te->cur);
		return true;
	case FKA_END:
		te->cur = textedit_eol(te, te->cur);
		return true;
	case FKA_BACKSPACE:
		if (te->cur > 0)
			textedit_cut(te, textedit_prev(te, te->cur), te->cur);
		return true;
	case FKA_DELETE:
		if (te->cur < te->len)
			textedit_cut(te, te->cur, textedit_next(te, te->cur));
		return true;
	case FKA_KILL_START:
		textedit_cut(te, textedit_bol(te, te->cur), te->cur);
		return true;
	case FKA_KILL_END:
		/* At the end of a line, join the next one (as Emacs). */
		eol = textedit_eol(te, te->cur);
		if (eol == te->cur && eol < te->len)
			eol++;
		textedit_cut(te, te->cur, eol);
		return true;
	case FKA_KILL_WORD:
		textedit_kill_word(te);
		return true;
	case FKA_NEWLINE:
		textedit_insert(te, '\n');
		return true;
	case FKA_ROW_UP:
		return textedit_row_move(te, -1, width);
	case FKA_ROW_DOWN:
		return textedit_row_move(te, 1, width);
	default:
		return false;
	}
}
