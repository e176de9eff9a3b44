/*
 * tui_comment.c: c in the ticket view: a comment written in a box of
 * several lines inside the UI (Enter a new line, Ctrl-D, Ctrl-S or F2
 * saves, Esc cancels), so that no $EDITOR is needed; C writes it in the
 * editor instead (tui_editor.c). The notices go out in the background.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/comment.h"
#include "watchdog/util.h"

/* The comment form: one text field, and the ticket it is about. */
struct comment_form {
	struct tui_form		 form;
	struct tui_field	 field;
	char			 title[64];
	int64_t			 id;
};

/*
 * Save TEXT as a comment on ticket ID; the commented notices go out in
 * the background. True when saved; otherwise *CAUSE (new) says why and
 * *STATUS is the error.
 */
bool
tui_comment_save(struct tui *tui, int64_t id, const char *text,
    enum wd_status *status, char **cause)
{
	int64_t	cid = 0;

	*status = comment_add(tui->db, tui->cfg, &tui->me, id, text, tui->now,
	    &cid, cause);
	if (*status != WD_OK)
		return false;
	tui_message(tui, "ticket #%lld: comment added", (long long)id);
	(void)tui_deliver(tui, id, "commented");
	return true;
}

/* Save in the comment form. */
static bool
comment_form_submit(struct tui *tui, struct tui_form *form)
{
	struct comment_form	*cf = form->arg;
	enum wd_status		 status;
	char			*cause = NULL;

	if (!tui_comment_save(tui, cf->id, cf->field.text.buf != NULL ?
	    cf->field.text.buf : "", &status, &cause)) {
		tui_form_cause(form, status, cause);
		return false;
	}
	form->result = TUI_FORM_SAVED;
	return true;
}

/* c: write a comment on ticket ID in the UI. */
void
tui_comment_run(struct tui *tui, int64_t id)
{
	struct comment_form	cf;

	memset(&cf, 0, sizeof cf);
	cf.id = id;
	cf.field.label = "Comment:";
	cf.field.kind = TUI_FIELD_TEXT;
	textedit_init(&cf.field.text, TICKET_DESCRIPTION_MAX);
	snprintf(cf.title, sizeof cf.title, "Comment on ticket #%lld",
	    (long long)id);
	cf.form.title = cf.title;
	cf.form.fields = &cf.field;
	cf.form.nfields = 1;
	cf.form.context = FKCTX_COMMENT;
	cf.form.screen.overlay = true;
	cf.form.submit = comment_form_submit;
	cf.form.arg = &cf;
	tui_form_run(tui, &cf.form);
	textedit_free(&cf.field.text);
}
