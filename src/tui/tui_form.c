/*
 * tui_form.c: forms as dialog(1) draws them: a centred box of labelled
 * fields (a line of text, a choice shown as "< normal >", or lines of
 * text), a message line for what went wrong (everything typed stays) and
 * a key hint drawn from the form's key table (formkeys.c), which also
 * dispatches the keys. The login screens use the same engine; this file
 * also holds the new and edit ticket forms: there Enter saves from a
 * one-line field or a choice, Ctrl-S or F2 from any field (Enter in the
 * description starts a new line), Esc cancels.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/config.h"
#include "watchdog/deadline_hint.h"
#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Lines kept for the message inside a form. */
#define FORM_MESSAGE_LINES	2

/* Rows of a multi-line field, at most and at least. */
#define FORM_TEXT_ROWS_MAX	8
#define FORM_TEXT_ROWS_MIN	2

/* Room of the ticket form's fields, in bytes. */
#define FORM_TITLE_MAX		(TICKET_TITLE_MAX * 4)
#define FORM_SHORT_MAX		64

/* The fields of the ticket forms, in order. */
enum {
	TF_TITLE,
	TF_DEADLINE,
	TF_STATUS,
	TF_PRIORITY,
	TF_ASSIGNEE,
	TF_DESCRIPTION,
	TF_COUNT
};

/* A new or edit ticket form. */
struct ticket_form {
	struct tui_form		 form;
	struct tui_field	 fields[TF_COUNT];
	char			 title[64];
	char			 deadline_hint[96];
	int64_t			 id;		/* the ticket (new: made) */
	struct ticket		 orig;		/* edit: as the form opened */
	char			*prefill[TF_COUNT]; /* edit: the fields then */
};

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
	form->message = tui_cause_text(status, cause);
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
	form->result = TUI_FORM_OPEN;
	tui_loop(tui, &form->screen);
}

/* The text of field I of TF, whatever its kind. */
static const char *
ticket_form_text(const struct ticket_form *tf, int i)
{
	const struct tui_field	*f = &tf->fields[i];

	switch (f->kind) {
	case TUI_FIELD_CHOICE:
		return f->choices[f->choice];
	case TUI_FIELD_TEXT:
		return f->text.buf;
	case TUI_FIELD_LINE:
		break;
	}
	return f->line.buf;
}

/* Set field I of TF to S (a choice not in the list stays as it was). */
static void
ticket_form_set(struct ticket_form *tf, int i, const char *s)
{
	struct tui_field	*f = &tf->fields[i];
	size_t			 n;

	switch (f->kind) {
	case TUI_FIELD_CHOICE:
		for (n = 0; f->choices[n] != NULL; n++) {
			if (strcmp(f->choices[n], s) == 0)
				f->choice = n;
		}
		break;
	case TUI_FIELD_TEXT:
		textedit_set(&f->text, s);
		break;
	case TUI_FIELD_LINE:
		tui_line_set(&f->line, s);
		break;
	}
}

/* Before each draw: what the deadline typed so far means, at tui->now. */
static void
ticket_form_prepare(struct tui *tui, struct tui_form *form)
{
	struct ticket_form	*tf = form->arg;

	deadline_preview(ticket_form_text(tf, TF_DEADLINE), tui->now, NULL,
	    tf->deadline_hint, sizeof tf->deadline_hint);
}

/* Set up the fields of a ticket form. */
static void
ticket_form_init(struct ticket_form *tf)
{
	static const char *const labels[TF_COUNT] = {
		"Title: ", "Deadline: ", "Status: ", "Priority: ",
		"Assignee: ", "Description:"
	};
	struct tui_field	*f;
	size_t			 i;

	for (i = 0; i < TF_COUNT; i++) {
		f = &tf->fields[i];
		f->label = labels[i];
		f->hint = NULL;
		f->kind = TUI_FIELD_LINE;
		tui_line_init(&f->line, i == TF_TITLE ? FORM_TITLE_MAX :
		    FORM_SHORT_MAX, false);
	}
	tf->fields[TF_STATUS].kind = TUI_FIELD_CHOICE;
	tf->fields[TF_STATUS].choices = ticket_statuses;
	tf->fields[TF_PRIORITY].kind = TUI_FIELD_CHOICE;
	tf->fields[TF_PRIORITY].choices = ticket_priorities;
	ticket_form_set(tf, TF_PRIORITY, "normal");
	tf->fields[TF_DESCRIPTION].kind = TUI_FIELD_TEXT;
	textedit_init(&tf->fields[TF_DESCRIPTION].text,
	    TICKET_DESCRIPTION_MAX);
	tf->fields[TF_DEADLINE].hint = tf->deadline_hint;
	tf->form.fields = tf->fields;
	tf->form.nfields = TF_COUNT;
	tf->form.title = tf->title;
	tf->form.context = FKCTX_FORM;
	tf->form.field_keys = true;
	tf->form.prepare = ticket_form_prepare;
	tf->form.screen.overlay = true;
	tf->form.arg = tf;
}

/* Free what a ticket form holds. */
static void
ticket_form_free(struct ticket_form *tf)
{
	size_t	i;

	for (i = 0; i < TF_COUNT; i++) {
		tui_line_free(&tf->fields[i].line);
		free(tf->prefill[i]);
	}
	textedit_free(&tf->fields[TF_DESCRIPTION].text);
	free(tf->form.message);
	ticket_clear(&tf->orig);
}

/*
 * Parse the deadline field of TF into *DEADLINE; false with the form's
 * message set when it is empty or wrong, or when it is in the past and
 * the user, asked, does not want it.
 */
static bool
ticket_form_deadline(struct tui *tui, struct ticket_form *tf,
    int64_t *deadline)
{
	enum wd_status	 status;
	char		*cause = NULL, *question, when[64], ago[32];
	bool		 yes;

	if (*ticket_form_text(tf, TF_DEADLINE) == '\0') {
		tui_form_message(&tf->form, "a ticket needs a deadline, "
		    "e.g. +4h");
		tf->form.focus = TF_DEADLINE;
		return false;
	}
	status = time_parse_deadline(ticket_form_text(tf, TF_DEADLINE),
	    tui->now, deadline, &cause);
	if (status != WD_OK) {
		tui_form_cause(&tf->form, status, cause);
		tf->form.focus = TF_DEADLINE;
		return false;
	}
	if (*deadline >= tui->now)
		return true;
	/* Allowed (a ticket logged after the fact), but said first. */
	time_format_local(*deadline, when, sizeof when);
	time_format_left(*deadline - tui->now, ago, sizeof ago);
	question = xasprintf("The deadline %s has passed (%s): the ticket "
	    "will be missed at once. Save it anyway?", when, ago);
	yes = tui_dialog_confirm(tui, FKCTX_PAST, "Deadline in the past",
	    question);
	free(question);
	if (!yes) {
		tui_form_message(&tf->form, "not saved: the deadline is in "
		    "the past");
		tf->form.focus = TF_DEADLINE;
	}
	return yes;
}

/* Save in the new ticket form: create it. */
static bool
ticket_form_create(struct tui *tui, struct tui_form *form)
{
	struct ticket_form	*tf = form->arg;
	struct ticket_fields	 f;
	enum wd_status		 status;
	char			*cause = NULL;

	memset(&f, 0, sizeof f);
	if (!ticket_form_deadline(tui, tf, &f.deadline))
		return false;
	f.has_deadline = true;
	f.title = ticket_form_text(tf, TF_TITLE);
	f.status = ticket_form_text(tf, TF_STATUS);
	f.priority = ticket_form_text(tf, TF_PRIORITY);
	if (*ticket_form_text(tf, TF_ASSIGNEE) != '\0')
		f.assignee = ticket_form_text(tf, TF_ASSIGNEE);
	if (*ticket_form_text(tf, TF_DESCRIPTION) != '\0')
		f.description = ticket_form_text(tf, TF_DESCRIPTION);
	status = ticket_create(tui->db, tui->cfg, &tui->me, &f, tui->now,
	    &tf->id, &cause);
	if (status != WD_OK) {
		tui_form_cause(form, status, cause);
		return false;
	}
	form->result = TUI_FORM_SAVED;
	return true;
}

/* n: the new ticket form; a created ticket's mail goes in the background. */
void
tui_form_ticket_new(struct tui *tui)
{
	struct ticket_form	tf;

	memset(&tf, 0, sizeof tf);
	ticket_form_init(&tf);
	snprintf(tf.title, sizeof tf.title, "New ticket");
	tf.form.submit = ticket_form_create;
	tui_form_run(tui, &tf.form);
	if (tf.form.result == TUI_FORM_SAVED) {
		tui_message(tui, "ticket #%lld created", (long long)tf.id);
		/*
		 * The confirmation goes out now, and the UI never waits on
		 * the mail server. No SQLite state may cross the fork.
		 */
		db_close(tui->db);
		tui->db = NULL;
		fflush(NULL);
		deliver_spawn(tui->cfg, tf.id, "created");
		if (tui_db_reopen(tui))
			tui_data_changed(tui);
	}
	ticket_form_free(&tf);
}

/* The field texts of ticket T as the edit form shows them (new strings). */
static void
ticket_form_values(const struct ticket *t, char *out[TF_COUNT])
{
	char	deadline[32];

	time_format_local(t->deadline, deadline, sizeof deadline);
	out[TF_TITLE] = utf8_visible(t->title, false);
	out[TF_DEADLINE] = xstrdup(deadline);
	out[TF_STATUS] = xstrdup(t->status);
	out[TF_PRIORITY] = xstrdup(t->priority);
	out[TF_ASSIGNEE] = utf8_visible(t->assignee != NULL ? t->assignee :
	    "", false);
	out[TF_DESCRIPTION] = utf8_visible(t->description != NULL ?
	    t->description : "", true);
}

/* Is field I of TF changed from what the form opened with? */
static bool
ticket_form_changed(const struct ticket_form *tf, int i)
{
	return strcmp(ticket_form_text(tf, i), tf->prefill[i]) != 0;
}

/*
 * Save in the edit form: send the fields that differ from what the form
 * opened with, refused by the core if the ticket moved on since.
 */
static bool
ticket_form_update(struct tui *tui, struct tui_form *form)
{
	struct ticket_form	*tf = form->arg;
	struct ticket_fields	 f;
	enum wd_status		 status;
	char			*cause = NULL;
	bool			 any = false, changed = false;

	memset(&f, 0, sizeof f);
	f.expect_version = tf->orig.version;
	if (ticket_form_changed(tf, TF_DEADLINE)) {
		if (!ticket_form_deadline(tui, tf, &f.deadline))
			return false;
		f.has_deadline = any = true;
	}
	if (ticket_form_changed(tf, TF_TITLE)) {
		f.title = ticket_form_text(tf, TF_TITLE);
		any = true;
	}
	if (ticket_form_changed(tf, TF_STATUS)) {
		f.status = ticket_form_text(tf, TF_STATUS);
		any = true;
	}
	if (ticket_form_changed(tf, TF_PRIORITY)) {
		f.priority = ticket_form_text(tf, TF_PRIORITY);
		any = true;
	}
	if (ticket_form_changed(tf, TF_ASSIGNEE)) {
		f.assignee = ticket_form_text(tf, TF_ASSIGNEE);
		any = true;
	}
	if (ticket_form_changed(tf, TF_DESCRIPTION)) {
		f.description = ticket_form_text(tf, TF_DESCRIPTION);
		any = true;
	}
	if (!any) {
		tui_message(tui, "ticket #%lld: nothing changed",
		    (long long)tf->id);
		form->result = TUI_FORM_CANCELLED;
		return true;
	}
	status = ticket_update(tui->db, &tui->me, tf->id, &f, tui->now,
	    &changed, &cause);
	if (status == WD_ECONFLICT) {
		free(cause);
		form->result = TUI_FORM_CONFLICT;
		return true;
	}
	if (status != WD_OK) {
		tui_form_cause(form, status, cause);
		return false;
	}
	if (changed)
		tui_message(tui, "ticket #%lld saved", (long long)tf->id);
	else
		tui_message(tui, "ticket #%lld: nothing changed",
		    (long long)tf->id);
	form->result = TUI_FORM_SAVED;
	return true;
}

/*
 * After a conflict: take CURRENT as the version the form is on. A field
 * the user left as it was follows the new version; one the user changed
 * keeps what was typed, to be applied again.
 */
static void
ticket_form_rebase(struct ticket_form *tf, struct ticket *current)
{
	char	*now[TF_COUNT];
	size_t	 i;

	ticket_form_values(current, now);
	for (i = 0; i < TF_COUNT; i++) {
		if (!ticket_form_changed(tf, (int)i))
			ticket_form_set(tf, (int)i, now[i]);
		free(tf->prefill[i]);
		tf->prefill[i] = now[i];
	}
	ticket_clear(&tf->orig);
	tf->orig = *current;
	memset(current, 0, sizeof *current);
	/* Back in the title, at its end. */
	tf->fields[TF_TITLE].line.cur = tf->fields[TF_TITLE].line.len;
	tf->form.focus = TF_TITLE;
	snprintf(tf->title, sizeof tf->title, "Edit ticket #%lld (version "
	    "%lld)", (long long)tf->id, (long long)tf->orig.version);
}

/*
 * e: the edit form of ticket ID. A save refused because someone else
 * changed the ticket shows what they changed and offers to reload (the
 * typed changes stay, to be saved again) or to cancel.
 */
void
tui_form_ticket_edit(struct tui *tui, int64_t id)
{
	struct ticket_form	 tf;
	struct ticket		 current;
	enum wd_status		 status;
	char			*cause = NULL;
	size_t			 i;

	memset(&tf, 0, sizeof tf);
	memset(&current, 0, sizeof current);
	ticket_form_init(&tf);
	tf.id = id;
	status = ticket_get(tui->db, tui->cfg, id, tui->now, &tf.orig, &cause);
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		goto out;
	}
	ticket_form_values(&tf.orig, tf.prefill);
	for (i = 0; i < TF_COUNT; i++)
		ticket_form_set(&tf, (int)i, tf.prefill[i]);
	snprintf(tf.title, sizeof tf.title, "Edit ticket #%lld",
	    (long long)id);
	tf.form.submit = ticket_form_update;

	for (;;) {
		tui_form_run(tui, &tf.form);
		if (tf.form.result != TUI_FORM_CONFLICT || tui->quit)
			break;
		if (!tui_conflict_ask(tui, id, &tf.orig, &current))
			break;
		ticket_form_rebase(&tf, &current);
		free(tf.form.message);
		tf.form.message = xstrdup("reloaded: your changes are in the "
		    "fields; Enter or Ctrl-S saves them");
	}
	if (tf.form.result == TUI_FORM_SAVED)
		tui_data_changed(tui);
out:
	ticket_form_free(&tf);
}
