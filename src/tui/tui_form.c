/*
 * tui_form.c: forms as dialog(1) draws them: a centred box of labelled
 * fields (a line of text, a choice shown as "< normal >", or lines of
 * text), a message line for what went wrong (everything typed stays) and
 * a key hint drawn from the form's key table (formkeys.c), which also
 * dispatches the keys. The login screens and the ticket forms
 * (tui_ticket_form.c) use it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Lines kept for the message inside a form. */
#define FORM_MESSAGE_LINES	2

/* Rows of a multi-line field, at most and at least. */
#define FORM_TEXT_ROWS_MAX	8
#define FORM_TEXT_ROWS_MIN	2

/* Set the message of FORM. */
void
tui_form_message(struct tui_form *form, const char *fmt, ...)
{
	va_list	ap;

	free(form->message);
	va_start(ap, fmt);
	form->message = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Show a failure of the core in FORM; CAUSE is freed. */
void
tui_form_cause(struct tui_form *form, enum wd_status status, char *cause)
{
	free(form->message);
	form->message = tui_cause_text(form->tui, status, cause);
	free(cause);
}

/* The columns of the widest label of FORM. */
static int
tui_form_label_width(const struct tui_form *form)
{
	size_t	i, w, max = 0;

	for (i = 0; i < form->nfields; i++) {
		w = utf8_width(form->fields[i].label);
		if (w > max)
			max = w;
	}
	return (int)max;
}

/* Draw one line of wrapped message text; ARG holds where. */
static void
tui_form_message_line(const char *s, size_t len, void *arg)
{
	int	*where = arg;	/* y, x, width, lines left */
	char	*line;

	if (where[3] <= 0)
		return;
	line = xstrndup(s, len);
	tui_text(where[0], where[1], line, where[2], A_BOLD);
	free(line);
	where[0]++;
	where[3]--;
}

/* The rows of a TEXT field that fit with BASE other lines in the box. */
static int
tui_form_text_rows(int base)
{
	int	rows = LINES - 1 - base;

	if (rows > FORM_TEXT_ROWS_MAX)
		rows = FORM_TEXT_ROWS_MAX;
	return rows < FORM_TEXT_ROWS_MIN ? FORM_TEXT_ROWS_MIN : rows;
}

/* The key contexts of FORM with the cursor on its field, into CTX. */
static size_t
tui_form_contexts(const struct tui_form *form, enum formkey_context ctx[2])
{
	size_t	n = 0;

	if (form->field_keys) {
		switch (form->fields[form->focus].kind) {
		case TUI_FIELD_LINE:
			ctx[n++] = FKCTX_FIELD;
			break;
		case TUI_FIELD_CHOICE:
			ctx[n++] = FKCTX_CHOICE;
			break;
		case TUI_FIELD_TEXT:
			ctx[n++] = FKCTX_TEXT;
			break;
		}
	}
	ctx[n++] = form->context;
	return n;
}

/* Draw the key hint of FORM in W columns from (Y, X). */
static void
tui_form_hint(const struct tui_form *form, int y, int x, int w)
{
	enum formkey_context	ctx[2];
	char			hint[256];
	size_t			n;

	n = tui_form_contexts(form, ctx);
	formkeys_hint(ctx, n, w > 0 ? (size_t)w : 0, hint, sizeof hint);
	tui_text(y, x, hint, w, A_NORMAL);
}

/* Draw choice field F at (Y, X) in W columns: "< normal >". */
static void
tui_form_choice_draw(struct tui *tui, const struct tui_field *f, int y, int x,
    int w, bool focus)
{
	char	*s;

	s = xasprintf("< %s >", f->choices[f->choice]);
	tui_text(y, x, s, w, focus ? A_BOLD : A_NORMAL);
	free(s);
	if (focus)
		tui_show_cursor(tui, y, x + 2);
}

/* Draw the form: the box, the intro, the fields, the message, the keys. */
static void
tui_form_draw(struct tui *tui, struct tui_screen *s)
{
	struct tui_form	*form = s->data;
	struct tui_field *f;
	int		 bw, bh, bx, by, iw, lw, y, intro = 0, where[4];
	int		 rows = 0, pad = 1, msg = FORM_MESSAGE_LINES, text = 0;
	size_t		 i;

	if (form->prepare != NULL)
		form->prepare(tui, form);
	bw = COLS - 4 < 72 ? COLS - 4 : 72;
	iw = bw - 4;
	lw = tui_form_label_width(form);
	if (form->intro != NULL)
		intro = (int)tui_wrap_count(form->intro, iw) + 1;
	/* Borders, the fields, a blank line, the keys. */
	bh = 2 + intro + (int)form->nfields + 1 +
	    (form->keys_at_bottom ? 0 : 1);
	for (i = 0; i < form->nfields; i++) {
		if (form->fields[i].hint != NULL)
			bh++;
		if (form->fields[i].kind == TUI_FIELD_TEXT)
			text = FORM_TEXT_ROWS_MIN;
	}
	/* Short of lines: no blank line on top, then one for the message. */
	if (bh + pad + msg + text > LINES - 1)
		pad = 0;
	if (bh + pad + msg + text > LINES - 1)
		msg = 1;
	bh += pad + msg;
	if (text > 0) {
		rows = tui_form_text_rows(bh);
		bh += rows;
	}
	if (bh > LINES - 1)
		bh = LINES - 1;
	bx = (COLS - bw) / 2;
	by = (LINES - (form->keys_at_bottom ? 1 : 0) - bh) / 2;
	tui_box(by, bx, bh, bw, form->title);

	y = by + 1 + pad;
	if (form->intro != NULL) {
		where[0] = y;
		where[1] = bx + 2;
		where[2] = iw;
		where[3] = intro - 1;
		tui_wrap(form->intro, iw, tui_form_message_line, where);
		y += intro;
	}
	for (i = 0; i < form->nfields; i++) {
		f = &form->fields[i];
		/* Labels end where the fields start: "Account: admin". */
		tui_text(y, bx + 2 + lw - (int)utf8_width(f->label), f->label,
		    lw, A_NORMAL);
		switch (f->kind) {
		case TUI_FIELD_LINE:
			tui_line_draw(tui, &f->line, y, bx + 2 + lw, iw - lw,
			    A_UNDERLINE, i == form->focus);
			break;
		case TUI_FIELD_CHOICE:
			tui_form_choice_draw(tui, f, y, bx + 2 + lw, iw - lw,
			    i == form->focus);
			break;
		case TUI_FIELD_TEXT:
			/* The text takes the whole width, under its label. */
			form->text_width = iw;
			tui_textarea_draw(tui, &f->text, y + 1, bx + 2, rows,
			    iw, i == form->focus);
			y += rows;
			break;
		}
		y++;
		if (f->hint != NULL)
			tui_text(y++, bx + 2 + lw, f->hint, iw - lw, A_DIM);
	}
	y++;
	if (form->message != NULL) {
		where[0] = y;
		where[1] = bx + 2;
		where[2] = iw;
		where[3] = msg;
		tui_wrap(form->message, iw, tui_form_message_line, where);
	}
	y += msg;
	if (form->keys_at_bottom)
		tui_form_hint(form, LINES - 1, 0, COLS);
	else if (y < by + bh - 1)
		tui_form_hint(form, y, bx + 2, iw);
}

/* Move the choice of field F by DIR (-1 or 1), round. */
static void
tui_form_cycle(struct tui_field *f, int dir)
{
	size_t	n = 0;

	while (f->choices[n] != NULL)
		n++;
	if (n == 0)
		return;
	f->choice = (f->choice + n + (size_t)(dir < 0 ? n - 1 : 1)) % n;
}

/* Keys for the field with the cursor: true when taken. */
static bool
tui_form_field_key(struct tui_form *form, const struct tui_event *ev,
    enum formkey_action action)
{
	struct tui_field	*f = &form->fields[form->focus];

	switch (f->kind) {
	case TUI_FIELD_CHOICE:
		if (action == FKA_CHOICE_NEXT || action == FKA_CHOICE_PREV) {
			tui_form_cycle(f, action == FKA_CHOICE_PREV ? -1 : 1);
			return true;
		}
		return false;
	case TUI_FIELD_TEXT:
		return tui_textarea_key(&f->text, ev, action,
		    form->text_width);
	case TUI_FIELD_LINE:
		return action == FKA_NONE && tui_line_key(&f->line, ev);
	}
	return false;
}

/* Leave FORM with RESULT. */
static void
tui_form_leave(struct tui_form *form, enum tui_form_result result)
{
	form->result = result;
	form->screen.done = true;
}

/* A key for the form: move, edit, save or leave, as its tables say. */
static void
tui_form_key(struct tui *tui, struct tui_screen *s, const struct tui_event *ev)
{
	struct tui_form		*form = s->data;
	struct tui_field	*f = &form->fields[form->focus];
	enum formkey_context	 ctx[2];
	enum formkey_action	 action;

	action = formkeys_lookup(ctx, tui_form_contexts(form, ctx), ev->key);
	if (ev->ch != 0 && ev->ch != ' ')
		action = FKA_NONE;	/* a letter is text, never a command */
	if (tui_form_field_key(form, ev, action))
		return;
	switch (action) {
	case FKA_SAVE:
		if (form->submit != NULL && form->submit(tui, form))
			s->done = true;
		return;
	case FKA_ENTER:
		if (form->focus + 1 < form->nfields)
			form->focus++;
		else if (form->submit != NULL && form->submit(tui, form))
			s->done = true;
		return;
	case FKA_NEXT_FIELD:
	case FKA_ROW_DOWN:
		form->focus = (form->focus + 1) % form->nfields;
		return;
	case FKA_PREV_FIELD:
	case FKA_ROW_UP:
		form->focus = (form->focus + form->nfields - 1) %
		    form->nfields;
		return;
	case FKA_REDRAW:
		tui_redraw(tui);
		return;
	case FKA_CANCEL:
		tui_form_leave(form, TUI_FORM_CANCELLED);
		return;
	case FKA_QUIT:
		tui->quit = true;
		tui_form_leave(form, TUI_FORM_CANCELLED);
		return;
	case FKA_CLEAR:
	case FKA_CLEAR_BACK:
		if (f->kind == TUI_FIELD_LINE && f->line.len > 0)
			tui_line_clear(&f->line);
		else if (action == FKA_CLEAR_BACK)
			tui_form_leave(form, TUI_FORM_CANCELLED);
		return;
	default:
		break;
	}
	if (form->other_action != NULL)
		form->other_action(tui, form, action);
}

static const struct tui_screen_ops tui_form_ops = {
	.draw = tui_form_draw,
	.key = tui_form_key,
};

/*
 * Run FORM until it is saved or left; the result is in form->result. The
 * caller sets form->screen.overlay (a form over the queue) and owns the
 * fields.
 */
void
tui_form_run(struct tui *tui, struct tui_form *form)
{
	form->screen.ops = &tui_form_ops;
	form->screen.data = form;
	form->tui = tui;
	form->result = TUI_FORM_OPEN;
	tui_loop(tui, &form->screen);
}
