/*
 * tui_ticket_form.c: the new and edit ticket forms, on the form engine of
 * tui_form.c: Title, Deadline (with what the text typed means, live),
 * Status and Priority as choices, Assignee and the Description typed over
 * several lines. Enter saves from a one-line field or a choice, Ctrl-S or
 * F2 from any field (Enter in the description starts a new line), Esc
 * cancels; a deadline in the past asks first. The new form may leave the
 * deadline empty when an SLA policy covers the priority, and shows the
 * deadline the ticket will get. The edit form sends only what changed,
 * checked against the version it was filled from; a conflict goes through
 * tui_conflict.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/deadline_hint.h"
#include "watchdog/sla.h"
#include "watchdog/ticket_vocab.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

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
	char			 deadline_hint[160];
	int64_t			 id;		/* the ticket (new: made) */
	struct ticket		 orig;		/* edit: as the form opened */
	char			*prefill[TF_COUNT]; /* edit: the fields then */
	bool			 assigned;	/* edit: saved a new assignee */
};

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

/*
 * The deadline a new ticket of the chosen priority gets from its SLA
 * policy at tui->now into *DEADLINE, its description into POLICY; false
 * for the edit form or when no policy covers the priority.
 */
static bool
ticket_form_policy(const struct tui *tui, const struct ticket_form *tf,
    int64_t *deadline, char *policy, size_t len)
{
	enum ticket_priority	p;

	if (tf->orig.id != 0 || !ticket_priority_from_name(
	    ticket_form_text(tf, TF_PRIORITY), &p) ||
	    !sla_policy_deadline(&tui->cfg->sla, p, tui->now, deadline))
		return false;
	sla_policy_describe(&tui->cfg->sla, p, policy, len);
	return true;
}

/*
 * Before each draw: what the deadline typed so far means, at tui->now;
 * left empty in the new form, the deadline the SLA policy of the chosen
 * priority will give.
 */
static void
ticket_form_prepare(struct tui *tui, struct tui_form *form)
{
	struct ticket_form	*tf = form->arg;
	char			 at[32], when[64], policy[64];
	int64_t			 deadline;

	if (*ticket_form_text(tf, TF_DEADLINE) == '\0' &&
	    ticket_form_policy(tui, tf, &deadline, policy, sizeof policy)) {
		snprintf(at, sizeof at, "@%lld", (long long)deadline);
		(void)deadline_preview(at, tui->now, NULL, when, sizeof when);
		snprintf(tf->deadline_hint, sizeof tf->deadline_hint,
		    "empty: %s %s", policy, when);
		return;
	}
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
	char			*cause = NULL, policy[64];

	memset(&f, 0, sizeof f);
	/* Empty, with a policy for the priority: the policy's deadline. */
	if (*ticket_form_text(tf, TF_DEADLINE) != '\0' ||
	    !ticket_form_policy(tui, tf, &f.deadline, policy,
	    sizeof policy)) {
		if (!ticket_form_deadline(tui, tf, &f.deadline))
			return false;
		f.has_deadline = true;
	}
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
		/* The confirmation goes out now; the UI never waits on it. */
		(void)tui_deliver(tui, tf.id, "created");
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
	f.notify_cfg = tui->cfg;
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
	status = ticket_update(tui->db, &tui->cfg->sla, &tui->me, tf->id, &f,
	    tui->now, &changed, &cause);
	if (status == WD_ECONFLICT) {
		free(cause);
		form->result = TUI_FORM_CONFLICT;
		return true;
	}
	if (status != WD_OK) {
		tui_form_cause(form, status, cause);
		return false;
	}
	tf->assigned = changed && f.assignee != NULL && *f.assignee != '\0';
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
	status = ticket_get(tui->db, &tui->cfg->sla, id, tui->now, &tf.orig,
	    &cause);
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
	/* The assigned notice, if one was queued, goes out now. */
	if (tf.form.result == TUI_FORM_SAVED && !tf.assigned)
		tui_data_changed(tui);
	else if (tf.form.result == TUI_FORM_SAVED)
		(void)tui_deliver(tui, id, "assigned");
out:
	ticket_form_free(&tf);
}
