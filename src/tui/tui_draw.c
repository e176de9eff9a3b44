/*
 * tui_draw.c: colours and width-aware drawing. Every string reaches the
 * terminal through tui_text(), which makes control characters visible
 * (utf8_visible), measures with the display widths of utf8.h, cuts with
 * "…" (utf8_fit) and never splits a character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "tui_int.h"

#include "watchdog/config.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/*
 * Set up the colour pairs: default background, yellow warning, red
 * missed, green resolved. Without colours, or with NO_COLOR set (and not
 * empty, as no-color.org has it), there is no colour at all: the SLA
 * column's words and the attributes of tui_sla_attr() tell the states
 * apart.
 */
void
tui_colours_init(struct tui *tui)
{
	const char	*no_colour;

	tui->colour = false;
	no_colour = getenv("NO_COLOR");
	if ((no_colour != NULL && *no_colour != '\0') || !has_colors())
		return;
	if (start_color() == ERR)
		return;
	use_default_colors();
	init_pair(TUI_PAIR_OK, -1, -1);
	init_pair(TUI_PAIR_WARNING, COLOR_YELLOW, -1);
	init_pair(TUI_PAIR_MISSED, COLOR_RED, -1);
	init_pair(TUI_PAIR_RESOLVED, COLOR_GREEN, -1);
	tui->colour = true;
}

/*
 * The attributes of a row in SLA state STATE: a colour each, and without
 * colour missed rows bold, warning rows underlined and resolved rows dim
 * (the cursor row is reverse video either way).
 */
attr_t
tui_sla_attr(const struct tui *tui, enum sla_state state)
{
	switch (state) {
	case SLA_WARNING:
		return tui->colour ? COLOR_PAIR(TUI_PAIR_WARNING) :
		    A_UNDERLINE;
	case SLA_MISSED:
		return (tui->colour ? COLOR_PAIR(TUI_PAIR_MISSED) : 0) | A_BOLD;
	case SLA_MET:
	case SLA_BREACHED:
		return tui->colour ? COLOR_PAIR(TUI_PAIR_RESOLVED) : A_DIM;
	default:
		return A_NORMAL;
	}
}

/*
 * Turn the visible, fitted UTF-8 string S into wide characters for curses
 * in WS (room for SIZE): a character whose width the C library sees
 * differently from utf8.h becomes "?" marks of our width, so that curses
 * and our layout agree on every column. A leading zero-width character is
 * dropped (it would join the cell before). Returns the count.
 */
static size_t
tui_widen(const char *s, wchar_t *ws, size_t size)
{
	size_t		len, off = 0, n = 0;
	uint32_t	cp;
	int		ours, theirs;

	len = strlen(s);
	while (off < len && n + 2 < size) {
		off += utf8_decode(s + off, len - off, &cp);
		ours = utf8_cp_width(cp);
		theirs = wcwidth((wchar_t)cp);
		if (ours == 0 && n == 0)
			continue;
		if (ours == theirs)
			ws[n++] = (wchar_t)cp;
		else {
			while (ours-- > 0)
				ws[n++] = L'?';
		}
	}
	ws[n] = L'\0';
	return n;
}

/*
 * Draw S at (Y, X) in at most COLS columns with attributes ATTR, made
 * visible and cut with "…" when too wide. Returns the columns drawn.
 */
int
tui_text(int y, int x, const char *s, int cols, attr_t attr)
{
	char	*shown, *fit;
	wchar_t	*ws;
	size_t	 size, used, n;

	if (cols <= 0 || s == NULL)
		return 0;
	shown = utf8_visible(s, false);
	size = strlen(shown) + 4;
	fit = xmalloc(size);
	used = utf8_fit(shown, (size_t)cols, fit, size);
	ws = xcalloc(strlen(fit) * 2 + 3, sizeof *ws);
	n = tui_widen(fit, ws, strlen(fit) * 2 + 3);
	attron(attr);
	mvaddnwstr(y, x, ws, (int)n);
	attroff(attr);
	free(ws);
	free(fit);
	free(shown);
	return (int)used;
}

/* Fill COLS columns from (Y, X) with spaces in ATTR. */
void
tui_fill(int y, int x, int cols, attr_t attr)
{
	attron(attr);
	if (cols > 0)
		mvhline(y, x, ' ', cols);
	attroff(attr);
}

/* Draw S centred on line Y. */
void
tui_text_centre(int y, const char *s, attr_t attr)
{
	char	*shown;
	int	 w, x;

	shown = utf8_visible(s, false);
	w = (int)utf8_width(shown);
	free(shown);
	x = w >= COLS ? 0 : (COLS - w) / 2;
	tui_text(y, x, s, COLS - x, attr);
}

/*
 * A bar across line Y in ATTR: LEFT on the left and RIGHT (or NULL) on
 * the right; LEFT wins the room when both do not fit.
 */
void
tui_bar(int y, const char *left, const char *right, attr_t attr)
{
	char	*shown;
	int	 used, w, room;

	tui_fill(y, 0, COLS, attr);
	used = tui_text(y, 0, left, COLS, attr);
	if (right == NULL || *right == '\0')
		return;
	shown = utf8_visible(right, false);
	w = (int)utf8_width(shown);
	free(shown);
	room = COLS - used - 2;
	if (room <= 0)
		return;
	if (w > room)
		w = room;
	tui_text(y, COLS - w - (w < room ? 1 : 0), right, w, attr);
}

/*
 * Draw the key hint HINT on line Y: as many whole items as fit. Items are
 * set apart by two spaces or more when HINT has such gaps ("Enter: save
 * Tab: next field"), else by one ("q:quit ?:help").
 */
void
tui_hint(int y, const char *hint)
{
	const char	*p, *end;
	char		*cut;
	bool		 wide;

	if ((int)utf8_width(hint) <= COLS) {
		tui_text(y, 0, hint, COLS, A_NORMAL);
		return;
	}
	wide = strstr(hint, "  ") != NULL;
	end = hint;
	for (p = hint; *p != '\0' && p - hint <= COLS; p++) {
		if (*p == ' ' && p > hint && p[-1] != ' ' &&
		    (!wide || p[1] == ' '))
			end = p;
	}
	cut = xstrndup(hint, (size_t)(end - hint));
	tui_text(y, 0, cut, COLS, A_NORMAL);
	free(cut);
}

/*
 * "times in CET": the local zone's abbreviation at NOW (the time being
 * shown: CET in winter, CEST in summer), into BUF of LEN bytes.
 */
void
tui_zone(int64_t now, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)now;
	char		zone[32];

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(zone, sizeof zone, "%Z", &tm) == 0)
		snprintf(zone, sizeof zone, "local time");
	snprintf(buf, len, "times in %s", zone);
}

/*
 * Draw the key hint of CONTEXT on line Y, from the key table: the items
 * that fit the width, the less needed ones giving way first.
 */
void
tui_hint_keys(int y, enum key_context context)
{
	char	buf[512];

	keymap_hint(context, COLS, buf, sizeof buf);
	tui_text(y, 0, buf, COLS, A_NORMAL);
}

/*
 * Draw a box with its top-left corner at (Y, X), H lines by W columns,
 * cleared inside, with TITLE (or NULL) in the top border.
 */
void
tui_box(int y, int x, int h, int w, const char *title)
{
	int	i;
	char	*t;

	if (h < 2 || w < 2)
		return;
	for (i = 1; i < h - 1; i++)
		tui_fill(y + i, x + 1, w - 2, A_NORMAL);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title != NULL && w > 6) {
		t = xasprintf(" %s ", title);
		tui_text(y, x + 2, t, w - 4, A_BOLD);
		free(t);
	}
}

/*
 * Break S (visible text, with newlines and tabs kept) into lines of at
 * most COLS display columns, at spaces where possible and never inside a
 * character; tabs become spaces to the next multiple of 8. FN gets each
 * line (not NUL-terminated: pointer and length, valid during the call).
 * Returns the number of lines (an empty S is one empty line).
 */
size_t
tui_wrap(const char *s, int cols, void (*fn)(const char *, size_t, void *),
    void *arg)
{
	struct strbuf	 line;
	size_t		 len, off = 0, n, count = 0, width = 0, brk = 0;
	size_t		 brk_width = 0;
	uint32_t	 cp;
	int		 cw, sp;
	char		*rest;

	if (cols < 1)
		cols = 1;
	memset(&line, 0, sizeof line);
	strbuf_add(&line, "", 0);
	len = strlen(s);
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (cp == '\n') {
			if (fn != NULL)
				fn(line.buf, line.len, arg);
			count++;
			line.len = 0;
			line.buf[0] = '\0';
			width = brk = brk_width = 0;
			off += n;
			continue;
		}
		if (cp == '\t') {
			sp = 8 - (int)(width % 8);
			if (width + (size_t)sp > (size_t)cols)
				sp = cols - (int)width;
			while (sp-- > 0) {
				strbuf_add(&line, " ", 1);
				width++;
			}
			brk = line.len;
			brk_width = width;
			off += n;
			if (width >= (size_t)cols) {
				if (fn != NULL)
					fn(line.buf, line.len, arg);
				count++;
				line.len = 0;
				line.buf[0] = '\0';
				width = brk = brk_width = 0;
			}
			continue;
		}
		cw = utf8_cp_width(cp);
		while (width > 0 && width + (size_t)cw > (size_t)cols) {
			/* Break after the last space, else here. */
			if (brk > 0) {
				if (fn != NULL)
					fn(line.buf, brk, arg);
				rest = xstrndup(line.buf + brk, line.len - brk);
				line.len = 0;
				line.buf[0] = '\0';
				strbuf_addstr(&line, rest);
				free(rest);
				width -= brk_width;
			} else {
				if (fn != NULL)
					fn(line.buf, line.len, arg);
				line.len = 0;
				line.buf[0] = '\0';
				width = 0;
			}
			count++;
			brk = brk_width = 0;
		}
		/* A space that starts a wrapped line is dropped. */
		if (cp == ' ' && width == 0 && count > 0 && off > 0 &&
		    s[off - 1] != '\n') {
			off += n;
			continue;
		}
		strbuf_add(&line, s + off, n);
		width += (size_t)cw;
		if (cp == ' ') {
			brk = line.len;
			brk_width = width;
		}
		off += n;
	}
	if (line.len > 0 || count == 0) {
		if (fn != NULL)
			fn(line.buf, line.len, arg);
		count++;
	}
	strbuf_free(&line);
	return count;
}

/* The number of lines tui_wrap() makes of S in COLS columns. */
size_t
tui_wrap_count(const char *s, int cols)
{
	return tui_wrap(s, cols, NULL, NULL);
}
