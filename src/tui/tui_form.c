/*
 * tui_form.c: forms as dialog(1) draws them: a centred box of labelled
 * one-line fields, a message line for what went wrong (everything typed
 * stays) and a key hint. Tab and Shift-Tab (or Down and Up) move between
 * the fields, Enter saves, Esc cancels or clears. The login screens use
 * the same engine; this file also holds the new and edit ticket forms.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui_int.h"

#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Lines kept for the message inside a form. */
#define FORM_MESSAGE_LINES	2

/* Room of the ticket form's fields, in bytes. */
#define FORM_TITLE_MAX		(TICKET_TITLE_MAX * 4)
#define FORM_SHORT_MAX		64

/* The fields of the ticket forms, in order. */
enum {
	TF_TITLE,
	TF_DEADLINE,
	TF_PRIORITY,
	TF_ASSIGNEE,
	TF_COUNT
};

/* A new or edit ticket form. */
struct ticket_form {
	struct tui_form		 form;
	struct tui_field	 fields[TF_COUNT];
	char			 title[64];
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

/* Draw the form: the box, the intro, the fields, the message, the keys. */
static void
tui_form_draw(struct tui *tui, struct tui_screen *s)
{
	struct tui_form	*form = s->data;
	struct tui_field *f;
	int		 bw, bh, bx, by, iw, lw, y, intro = 0, where[4];
	size_t		 i;

	bw = COLS - 4 < 72 ? COLS - 4 : 72;
	iw = bw - 4;
	lw = tui_form_label_width(form);
	if (form->intro != NULL)
		intro = (int)tui_wrap_count(form->intro, iw) + 1;
	bh = 2 + 1 + intro + (int)form->nfields + 1 + FORM_MESSAGE_LINES +
	    (form->keys_at_bottom ? 0 : 1);
	for (i = 0; i < form->nfields; i++) {
		if (form->fields[i].hint != NULL)
			bh++;
	}
	if (bh > LINES - 1)
		bh = LINES - 1;
	bx = (COLS - bw) / 2;
	by = (LINES - (form->keys_at_bottom ? 1 : 0) - bh) / 2;
	tui_box(by, bx, bh, bw, form->title);

	y = by + 2;
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
		tui_line_draw(tui, &f->line, y, bx + 2 + lw, iw - lw,
		    A_UNDERLINE, i == form->focus);
		y++;
		if (f->hint != NULL)
			tui_text(y++, bx + 2 + lw, f->hint, iw - lw, A_DIM);
	}
	y++;
	if (form->message != NULL) {
		where[0] = y;
		where[1] = bx + 2;
		where[2] = iw;
		where[3] = FORM_MESSAGE_LINES;
		tui_wrap(form->message, iw, tui_form_message_line, where);
	}
	y += FORM_MESSAGE_LINES;
	if (form->keys_at_bottom)
		tui_hint(LINES - 1, form->keys);
	else if (y < by + bh - 1)
		tui_text(y, bx + 2, form->keys, iw, A_NORMAL);
}

/* A key for the form: move, edit, save or leave. */
static void
tui_form_key(struct tui *tui, struct tui_screen *s, const struct tui_event *ev)
{
	struct tui_form		*form = s->data;
	struct tui_line		*line = &form->fields[form->focus].line;

	switch (ev->key) {
	case KEYMAP_ENTER:
		if (form->enter_advances && form->focus + 1 < form->nfields) {
			form->focus++;
			return;
		}
		if (form->submit != NULL && form->submit(tui, form))
			s->done = true;
		return;
	case KEYMAP_TAB:
	case KEYMAP_DOWN:
		form->focus = (form->focus + 1) % form->nfields;
		return;
	case KEYMAP_BACKTAB:
	case KEYMAP_UP:
		form->focus = (form->focus + form->nfields - 1) %
		    form->nfields;
		return;
	case KEYMAP_CTRL('l'):
		tui_redraw(tui);
		return;
	default:
		break;
	}
	if (form->other_key != NULL && form->other_key(tui, form, ev))
		return;
	if (ev->key == KEYMAP_ESCAPE) {
		if (form->esc_clears && line->len > 0) {
			tui_line_clear(line);
			return;
		}
		if (!form->esc_clears || form->esc_leaves) {
			form->result = TUI_FORM_CANCELLED;
			s->done = true;
		}
		return;
	}
	if (ev->key == KEYMAP_CTRL('c')) {
		form->result = TUI_FORM_CANCELLED;
		s->done = true;
		return;
	}
	tui_line_key(line, ev);
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

/* Set up the fields of a ticket form. */
static void
ticket_form_init(struct ticket_form *tf)
{
	static const char *const labels[TF_COUNT] = {
		"Title: ", "Deadline: ", "Priority: ", "Assignee: "
	};
	size_t	i;

	for (i = 0; i < TF_COUNT; i++) {
		tf->fields[i].label = labels[i];
		tf->fields[i].hint = NULL;
		tui_line_init(&tf->fields[i].line, i == TF_TITLE ?
		    FORM_TITLE_MAX : FORM_SHORT_MAX, false);
	}
	tf->fields[TF_DEADLINE].hint = "e.g. +4h, +2d, 2026-12-01 17:00";
	tf->form.fields = tf->fields;
	tf->form.nfields = TF_COUNT;
	tf->form.title = tf->title;
	tf->form.keys = "Enter: save   Tab: next field   Esc: cancel";
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
	free(tf->form.message);
	ticket_clear(&tf->orig);
}

/* The text of field I of TF. */
static const char *
ticket_form_text(const struct ticket_form *tf, int i)
{
	return tf->fields[i].line.buf;
}

/*
 * Parse the deadline field of TF into *DEADLINE; false with the form's
 * message set when it is empty or wrong.
 */
static bool
ticket_form_deadline(struct ticket_form *tf, int64_t now, int64_t *deadline)
{
	enum wd_status	 status;
	char		*cause = NULL;

	if (*ticket_form_text(tf, TF_DEADLINE) == '\0') {
		tui_form_message(&tf->form, "a ticket needs a deadline, "
		    "e.g. +4h");
		return false;
	}
	status = time_parse_deadline(ticket_form_text(tf, TF_DEADLINE), now,
	    deadline, &cause);
	if (status != WD_OK) {
		tui_form_cause(&tf->form, status, cause);
		return false;
	}
	return true;
}

/* Enter in the new ticket form: create it. */
static bool
ticket_form_create(struct tui *tui, struct tui_form *form)
{
	struct ticket_form	*tf = form->arg;
	struct ticket_fields	 f;
	enum wd_status		 status;
	char			*cause = NULL;
	int64_t			 now = (int64_t)time(NULL);

	memset(&f, 0, sizeof f);
	if (!ticket_form_deadline(tf, now, &f.deadline))
		return false;
	f.has_deadline = true;
	f.title = ticket_form_text(tf, TF_TITLE);
	if (*ticket_form_text(tf, TF_PRIORITY) != '\0')
		f.priority = ticket_form_text(tf, TF_PRIORITY);
	if (*ticket_form_text(tf, TF_ASSIGNEE) != '\0')
		f.assignee = ticket_form_text(tf, TF_ASSIGNEE);
	status = ticket_create(tui->db, tui->cfg, &tui->me, &f, now, &tf->id,
	    &cause);
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
	tui_line_set(&tf.fields[TF_PRIORITY].line, "normal");
	tf.form.submit = ticket_form_create;
	tui_form_run(tui, &tf.form);
	if (tf.form.result == TUI_FORM_SAVED) {
		tui_message(tui, "ticket #%lld created", (long long)tf.id);
		/*
		 * The confirmation goes out now, and the UI never waits on
		 * the mail server; a failed reopen is tried and told again.
		 */
		if (deliver_spawn(tui->cfg, &tui->db, true, tf.id, "created",
		    NULL) == WD_OK || tui_db_reopen(tui))
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
	out[TF_PRIORITY] = xstrdup(t->priority);
	out[TF_ASSIGNEE] = utf8_visible(t->assignee != NULL ? t->assignee :
	    "", false);
}

/*
 * Enter in the edit form: send the fields that differ from what the form
 * opened with, refused by the core if the ticket moved on since.
 */
static bool
ticket_form_update(struct tui *tui, struct tui_form *form)
{
	struct ticket_form	*tf = form->arg;
	struct ticket_fields	 f;
	enum wd_status		 status;
	char			*cause = NULL;
	int64_t			 now = (int64_t)time(NULL);
	bool			 any = false, changed = false;

	memset(&f, 0, sizeof f);
	f.expect_version = tf->orig.version;
	if (strcmp(ticket_form_text(tf, TF_TITLE), tf->prefill[TF_TITLE])) {
		f.title = ticket_form_text(tf, TF_TITLE);
		any = true;
	}
	if (strcmp(ticket_form_text(tf, TF_DEADLINE),
	    tf->prefill[TF_DEADLINE]) != 0) {
		if (!ticket_form_deadline(tf, now, &f.deadline))
			return false;
		f.has_deadline = true;
		any = true;
	}
	if (strcmp(ticket_form_text(tf, TF_PRIORITY),
	    tf->prefill[TF_PRIORITY]) != 0) {
		f.priority = ticket_form_text(tf, TF_PRIORITY);
		any = true;
	}
	if (strcmp(ticket_form_text(tf, TF_ASSIGNEE),
	    tf->prefill[TF_ASSIGNEE]) != 0) {
		f.assignee = ticket_form_text(tf, TF_ASSIGNEE);
		any = true;
	}
	if (!any) {
		tui_message(tui, "ticket #%lld: nothing changed",
		    (long long)tf->id);
		form->result = TUI_FORM_CANCELLED;
		return true;
	}
	status = ticket_update(tui->db, &tui->me, tf->id, &f, now, &changed,
	    &cause);
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
		if (strcmp(ticket_form_text(tf, (int)i), tf->prefill[i]) == 0)
			tui_line_set(&tf->fields[i].line, now[i]);
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
	char			*cause = NULL, **lines = NULL;
	size_t			 i, n = 0;
	bool			 reload;

	memset(&tf, 0, sizeof tf);
	memset(&current, 0, sizeof current);
	ticket_form_init(&tf);
	tf.id = id;
	status = ticket_get(tui->db, tui->cfg, id, (int64_t)time(NULL),
	    &tf.orig, &cause);
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		goto out;
	}
	ticket_form_values(&tf.orig, tf.prefill);
	for (i = 0; i < TF_COUNT; i++)
		tui_line_set(&tf.fields[i].line, tf.prefill[i]);
	snprintf(tf.title, sizeof tf.title, "Edit ticket #%lld",
	    (long long)id);
	tf.form.submit = ticket_form_update;

	for (;;) {
		tui_form_run(tui, &tf.form);
		if (tf.form.result != TUI_FORM_CONFLICT || tui->quit)
			break;
		status = ticket_get(tui->db, tui->cfg, id,
		    (int64_t)time(NULL), &current, &cause);
		if (status == WD_ENOTFOUND) {
			free(cause);
			tui_message(tui, "ticket #%lld was deleted by someone "
			    "else; your changes were not saved",
			    (long long)id);
			break;
		}
		if (status != WD_OK) {
			tui_message_cause(tui, status, cause);
			break;
		}
		tui_conflict_lines(&tf.orig, &current, &lines, &n);
		reload = tui_dialog_conflict(tui, id, lines, n);
		for (i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		lines = NULL;
		if (!reload) {
			ticket_clear(&current);
			tui_message(tui, "edit of ticket #%lld cancelled",
			    (long long)id);
			break;
		}
		ticket_form_rebase(&tf, &current);
		free(tf.form.message);
		tf.form.message = xstrdup("reloaded: your changes are in the "
		    "fields; Enter saves them");
	}
	if (tf.form.result == TUI_FORM_SAVED)
		tui_data_changed(tui);
out:
	ticket_form_free(&tf);
}
