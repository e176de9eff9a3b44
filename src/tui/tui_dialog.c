/*
 * tui_dialog.c: small modal screens over the others: a yes/no question,
 * the edit conflict (what someone else changed; reload or cancel) and a
 * one-line prompt on the last line of the screen (the search). Each has a
 * key table in formkeys.c, which dispatches its keys and draws its key
 * line, laid out to fit the box (shorter at narrow widths).
 */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Widest and narrowest dialog box. */
#define DIALOG_MAX_WIDTH	76
#define DIALOG_MIN_WIDTH	40

/* A dialog: a title, paragraphs of text and the key line of its table. */
struct dialog {
	struct tui_screen	 screen;
	enum formkey_context	 context;
	const char		*title;
	const char		*const *text;	/* paragraphs */
	size_t			 ntext;
	bool			 yes;
};

/* Where the next wrapped line of a dialog goes. */
struct dialog_pen {
	int	y, x, w, last;
	attr_t	attr;
};

/* Draw one wrapped line (a tui_wrap callback), up to the last line. */
static void
dialog_line(const char *s, size_t len, void *arg)
{
	struct dialog_pen	*pen = arg;
	char			*line;

	if (pen->y > pen->last)
		return;
	line = xstrndup(s, len);
	tui_text(pen->y, pen->x, line, pen->w, pen->attr);
	free(line);
	pen->y++;
}

/* Draw the dialog box centred on the screen. */
static void
dialog_draw(struct tui *tui, struct tui_screen *s)
{
	struct dialog		*d = s->data;
	struct dialog_pen	 pen;
	size_t			 i, w, max = 0, lines = 0;
	int			 bw, bh, bx, by, keys_y;
	char			 keys[256];

	(void)tui;
	for (i = 0; i < d->ntext; i++) {
		w = utf8_width(d->text[i]);
		if (w > max)
			max = w;
	}
	/* The keys at their longest, if the screen has room. */
	w = formkeys_hint(&d->context, 1, DIALOG_MAX_WIDTH - 4, keys,
	    sizeof keys);
	if (w > max)
		max = w;
	bw = (int)max + 4;
	if (bw < DIALOG_MIN_WIDTH)
		bw = DIALOG_MIN_WIDTH;
	if (bw > DIALOG_MAX_WIDTH)
		bw = DIALOG_MAX_WIDTH;
	if (bw > COLS - 2)
		bw = COLS - 2;
	for (i = 0; i < d->ntext; i++)
		lines += tui_wrap_count(d->text[i], bw - 4);
	/* The keys: one line of their own after a blank one, cut to fit. */
	formkeys_hint(&d->context, 1, (size_t)(bw - 4), keys, sizeof keys);
	bh = (int)lines + 2 + 2;
	if (bh > LINES - 2)
		bh = LINES - 2;
	bx = (COLS - bw) / 2;
	by = (LINES - bh) / 2;
	tui_box(by, bx, bh, bw, d->title);

	/* The keys always show, on the last line of the box. */
	keys_y = by + bh - 2;
	pen.y = by + 1;
	pen.x = bx + 2;
	pen.w = bw - 4;
	pen.last = keys_y - 2;
	for (i = 0; i < d->ntext; i++) {
		pen.attr = i == 0 ? A_BOLD : A_NORMAL;
		tui_wrap(d->text[i], pen.w, dialog_line, &pen);
	}
	tui_text(keys_y, bx + 2, keys, bw - 4, A_NORMAL);
}

/* A key for the dialog: only the answers of its table count. */
static void
dialog_key(struct tui *tui, struct tui_screen *s, const struct tui_event *ev)
{
	struct dialog	*d = s->data;

	switch (formkeys_lookup(&d->context, 1, ev->key)) {
	case FKA_REDRAW:
		tui_redraw(tui);
		return;
	case FKA_YES:
	case FKA_RELOAD:
		d->yes = true;
		s->done = true;
		return;
	case FKA_NO:
		d->yes = false;
		s->done = true;
		return;
	default:
		return;
	}
}

static const struct tui_screen_ops dialog_ops = {
	.draw = dialog_draw,
	.key = dialog_key,
};

/* Run dialog D over the current screens; returns its answer. */
static bool
dialog_run(struct tui *tui, struct dialog *d)
{
	d->screen.ops = &dialog_ops;
	d->screen.data = d;
	d->screen.overlay = true;
	d->yes = false;
	tui_loop(tui, &d->screen);
	return d->yes && !tui->quit;
}

/*
 * Ask QUESTION in a box titled TITLE, the answers being those of the key
 * table CONTEXT (FKCTX_DELETE, FKCTX_PAST). True only for a yes.
 */
bool
tui_dialog_confirm(struct tui *tui, enum formkey_context context,
    const char *title, const char *question)
{
	struct dialog	 d;
	const char	*text[1];

	memset(&d, 0, sizeof d);
	text[0] = question;
	d.context = context;
	d.title = title;
	d.text = text;
	d.ntext = 1;
	return dialog_run(tui, &d);
}

/*
 * The edit conflict on ticket ID: CHANGES (N lines "field: old -> new")
 * is what someone else changed. True to reload (r), false to cancel (Esc).
 */
bool
tui_dialog_conflict(struct tui *tui, int64_t id, char **changes, size_t n)
{
	struct dialog	  d;
	const char	**text;
	char		 *head;
	size_t		  i;
	bool		  yes;

	text = xcalloc(n + 3, sizeof *text);
	head = xasprintf("Ticket #%lld was changed by someone else while you "
	    "edited it.", (long long)id);
	text[0] = head;
	text[1] = "";
	text[2] = n > 0 ? "What changed:" : "(no field you can see changed)";
	for (i = 0; i < n; i++)
		text[i + 3] = changes[i];
	memset(&d, 0, sizeof d);
	d.context = FKCTX_CONFLICT;
	d.title = "Edit conflict";
	d.text = text;
	d.ntext = n + 3;
	yes = dialog_run(tui, &d);
	free(head);
	free(text);
	return yes;
}

/* The search prompt: a label and a line on the last line of the screen. */
struct prompt {
	struct tui_screen	 screen;
	const char		*label;
	struct tui_line		 line;
	int			 answer;	/* 1 Enter, 0 Esc, -1 cancel */
};

/* Draw the prompt over the key hint line. */
static void
prompt_draw(struct tui *tui, struct tui_screen *s)
{
	struct prompt	*p = s->data;
	int		 w;

	tui_fill(LINES - 1, 0, COLS, A_NORMAL);
	w = tui_text(LINES - 1, 0, p->label, COLS, A_BOLD);
	tui_line_draw(tui, &p->line, LINES - 1, w, COLS - w, A_NORMAL, true);
}

/* A key for the prompt: Enter applies, Esc clears, Ctrl-C leaves it be. */
static void
prompt_key(struct tui *tui, struct tui_screen *s, const struct tui_event *ev)
{
	static const enum formkey_context ctx[] = { FKCTX_PROMPT };
	struct prompt	*p = s->data;

	switch (ev->ch != 0 ? FKA_NONE : formkeys_lookup(ctx, 1, ev->key)) {
	case FKA_APPLY:
		p->answer = 1;
		s->done = true;
		return;
	case FKA_ESCAPE:
		p->answer = 0;
		s->done = true;
		return;
	case FKA_CANCEL:
		p->answer = -1;
		s->done = true;
		return;
	case FKA_REDRAW:
		tui_redraw(tui);
		return;
	default:
		tui_line_key(&p->line, ev);
		return;
	}
}

static const struct tui_screen_ops prompt_ops = {
	.draw = prompt_draw,
	.key = prompt_key,
};

/*
 * Prompt for a line with LABEL ("Search: "), starting from INITIAL (or
 * NULL). Returns 1 after Enter with *OUT a new string, 0 after Esc, -1
 * when cancelled (Ctrl-C).
 */
int
tui_prompt(struct tui *tui, const char *label, const char *initial,
    char **out)
{
	struct prompt	p;

	memset(&p, 0, sizeof p);
	*out = NULL;
	p.label = label;
	tui_line_init(&p.line, 256, false);
	if (initial != NULL)
		tui_line_set(&p.line, initial);
	p.screen.ops = &prompt_ops;
	p.screen.data = &p;
	p.screen.overlay = true;
	p.answer = -1;
	tui_loop(tui, &p.screen);
	if (p.answer == 1)
		*out = xstrdup(p.line.buf);
	tui_line_free(&p.line);
	return tui->quit ? -1 : p.answer;
}
