/*
 * tui_line.c: the one-line editor of forms and prompts, in the habits of
 * readline: Left/Right (Ctrl-B/Ctrl-F), Home/End (Ctrl-A/Ctrl-E),
 * Backspace, Delete (Ctrl-D), Ctrl-U (kill to the start), Ctrl-K (kill to
 * the end), Ctrl-W (kill the previous word), from the table of formkeys.c.
 * The text is UTF-8 and the cursor always sits on a character boundary; a
 * text wider than its field scrolls sideways. A hidden line (a password)
 * shows nothing at all and is wiped when cleared or freed.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tui_int.h"

#include "watchdog/utf8.h"
#include "watchdog/util.h"

/*
 * Start LINE empty, holding at most MAX bytes; HIDDEN for a password. The
 * buffer is allocated once, so that a secret is never left behind in a
 * freed copy. Free with tui_line_free().
 */
void
tui_line_init(struct tui_line *line, size_t max, bool hidden)
{
	memset(line, 0, sizeof *line);
	line->max = max;
	line->hidden = hidden;
	line->buf = xcalloc(1, max + 1);
}

/* Wipe and free the text of LINE. */
void
tui_line_free(struct tui_line *line)
{
	if (line->buf != NULL) {
		sodium_memzero(line->buf, line->max + 1);
		free(line->buf);
	}
	memset(line, 0, sizeof *line);
}

/* Empty LINE (wiping what it held). */
void
tui_line_clear(struct tui_line *line)
{
	sodium_memzero(line->buf, line->max + 1);
	line->len = line->cur = line->scroll = 0;
}

/*
 * Set the text of LINE to S (cut at a character boundary when longer than
 * its room), with the cursor at the end.
 */
void
tui_line_set(struct tui_line *line, const char *s)
{
	size_t		len, off = 0, n;
	uint32_t	cp;

	tui_line_clear(line);
	len = strlen(s);
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (off + n > line->max)
			break;
		off += n;
	}
	memcpy(line->buf, s, off);
	line->buf[off] = '\0';
	line->len = line->cur = off;
}

/* The offset of the character before OFF in LINE. */
static size_t
tui_line_prev(const struct tui_line *line, size_t off)
{
	if (off == 0)
		return 0;
	off--;
	while (off > 0 && ((unsigned char)line->buf[off] & 0xc0) == 0x80)
		off--;
	return off;
}

/* The offset of the character after OFF in LINE. */
static size_t
tui_line_next(const struct tui_line *line, size_t off)
{
	uint32_t	cp;

	if (off >= line->len)
		return line->len;
	return off + utf8_decode(line->buf + off, line->len - off, &cp);
}

/* Remove the bytes [FROM, TO) of LINE; the cursor goes to FROM. */
static void
tui_line_cut(struct tui_line *line, size_t from, size_t to)
{
	memmove(line->buf + from, line->buf + to, line->len - to);
	line->len -= to - from;
	memset(line->buf + line->len, 0, to - from);
	line->cur = from;
	if (line->scroll > from)
		line->scroll = from;
}

/* Insert code point CP at the cursor; false when it does not fit. */
static bool
tui_line_insert(struct tui_line *line, uint32_t cp)
{
	char	enc[4];
	size_t	n;

	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return false;
	n = utf8_encode(cp, enc);
	if (line->len + n > line->max)
		return false;
	memmove(line->buf + line->cur + n, line->buf + line->cur,
	    line->len - line->cur);
	memcpy(line->buf + line->cur, enc, n);
	line->len += n;
	line->cur += n;
	line->buf[line->len] = '\0';
	return true;
}

/* Is the byte at OFF of LINE a space? */
static bool
tui_line_space(const struct tui_line *line, size_t off)
{
	return line->buf[off] == ' ' || line->buf[off] == '\t';
}

/*
 * Apply the editing key EV to LINE: a character, or a key of the line
 * editor's table (formkeys.c). Returns true when it was an editing key
 * (taken, even when it changed nothing), false when it is for the caller
 * (Enter, Tab, Esc, ...).
 */
bool
tui_line_key(struct tui_line *line, const struct tui_event *ev)
{
	static const enum formkey_context ctx[] = { FKCTX_LINE };
	size_t	off;

	if (ev->ch != 0) {
		if (!tui_line_insert(line, (uint32_t)ev->ch))
			beep();
		return true;
	}
	switch (formkeys_lookup(ctx, 1, ev->key)) {
	case FKA_LEFT:
		line->cur = tui_line_prev(line, line->cur);
		return true;
	case FKA_RIGHT:
		line->cur = tui_line_next(line, line->cur);
		return true;
	case FKA_HOME:
		line->cur = 0;
		return true;
	case FKA_END:
		line->cur = line->len;
		return true;
	case FKA_BACKSPACE:
		if (line->cur > 0)
			tui_line_cut(line, tui_line_prev(line, line->cur),
			    line->cur);
		return true;
	case FKA_DELETE:
		if (line->cur < line->len)
			tui_line_cut(line, line->cur,
			    tui_line_next(line, line->cur));
		return true;
	case FKA_KILL_START:
		tui_line_cut(line, 0, line->cur);
		return true;
	case FKA_KILL_END:
		tui_line_cut(line, line->cur, line->len);
		line->cur = line->len;
		return true;
	case FKA_KILL_WORD:
		off = line->cur;
		while (off > 0 && tui_line_space(line, off - 1))
			off--;
		while (off > 0 && !tui_line_space(line, off - 1))
			off = tui_line_prev(line, off);
		tui_line_cut(line, off, line->cur);
		return true;
	default:
		return false;
	}
}

/* The display columns of LINE's bytes [FROM, TO). */
static size_t
tui_line_width(const struct tui_line *line, size_t from, size_t to)
{
	size_t		off = from, w = 0;
	uint32_t	cp;

	while (off < to) {
		off += utf8_decode(line->buf + off, to - off, &cp);
		w += (size_t)utf8_cp_width(cp);
	}
	return w;
}

/*
 * Draw LINE in the W columns from (Y, X) with ATTR; with FOCUS, place the
 * terminal cursor on it. The text scrolls so that the cursor stays in
 * view, with one column kept free after the text for it.
 */
void
tui_line_draw(struct tui *tui, struct tui_line *line, int y, int x, int w,
    attr_t attr, bool focus)
{
	char	*part;
	size_t	 end, off, cw;

	tui_fill(y, x, w, attr);
	if (w <= 1)
		return;
	if (line->hidden) {
		/* Nothing, not even stars: the length is a secret too. */
		if (focus)
			tui_show_cursor(tui, y, x);
		return;
	}
	if (line->scroll > line->cur)
		line->scroll = line->cur;
	while (tui_line_width(line, line->scroll, line->cur) + 1 > (size_t)w)
		line->scroll = tui_line_next(line, line->scroll);
	/* The characters that fit, whole. */
	end = line->scroll;
	cw = 0;
	while (end < line->len) {
		off = tui_line_next(line, end);
		cw += tui_line_width(line, end, off);
		if (cw > (size_t)w)
			break;
		end = off;
	}
	part = xstrndup(line->buf + line->scroll, end - line->scroll);
	tui_text(y, x, part, w, attr);
	free(part);
	if (focus)
		tui_show_cursor(tui, y, x + (int)tui_line_width(line,
		    line->scroll, line->cur));
}
