/*
 * tui_action.c: what both the queue and the ticket view do to a ticket:
 * resolve or reopen it, delete it (after asking), and describe an edit
 * conflict. Every change is version-checked by the core.
 */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Columns of an old or new value in the conflict dialog. */
#define CONFLICT_VALUE_COLS	32

/*
 * r: resolve T when it is open, reopen it when it is resolved, checked
 * against the version the screen shows.
 */
void
tui_action_resolve(struct tui *tui, const struct ticket *t)
{
	struct ticket_fields	 f;
	enum wd_status		 status;
	char			*cause = NULL;
	bool			 reopen, changed = false;

	reopen = strcmp(t->status, "resolved") == 0;
	memset(&f, 0, sizeof f);
	f.status = reopen ? "open" : "resolved";
	f.expect_version = t->version;
	status = ticket_update(tui->db, &tui->me, t->id, &f,
	    tui->now, &changed, &cause);
	if (status != WD_OK)
		tui_message_cause(tui, status, cause);
	else
		tui_message(tui, "ticket #%lld %s", (long long)t->id,
		    reopen ? "reopened" : "resolved");
	tui_data_changed(tui);
}

/*
 * d: ask, then delete T (only its owner or an administrator may; the
 * core says so otherwise). True when it was deleted.
 */
bool
tui_action_delete(struct tui *tui, const struct ticket *t)
{
	enum wd_status	 status;
	char		*shown, title[160], *question, *cause = NULL;
	int64_t		 id = t->id;	/* T may be fetched again meanwhile */
	bool		 deleted = false;

	shown = utf8_visible(t->title, false);
	utf8_fit(shown, 40, title, sizeof title);
	question = xasprintf("Delete ticket #%lld \xe2\x80\x9c%s\xe2\x80\x9d?",
	    (long long)id, title);
	free(shown);
	t = NULL;
	if (!tui_dialog_confirm(tui, "Delete", question,
	    "y: delete  n: keep")) {
		if (!tui->quit)
			tui_message(tui, "ticket #%lld kept", (long long)id);
		goto out;
	}
	status = ticket_delete(tui->db, &tui->me, id, tui->now,
	    &cause);
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		goto out;
	}
	tui_message(tui, "ticket #%lld deleted", (long long)id);
	deleted = true;
	tui_data_changed(tui);
out:
	free(question);
	return deleted;
}

/* A value for the conflict dialog: visible, cut, "-" for none. */
static char *
conflict_value(const char *s)
{
	char	*shown, buf[CONFLICT_VALUE_COLS * 4 + 4];

	shown = utf8_visible(s != NULL && *s != '\0' ? s : "-", false);
	utf8_fit(shown, CONFLICT_VALUE_COLS, buf, sizeof buf);
	free(shown);
	return xstrdup(buf);
}

/* Add "FIELD: OLD -> NEW" to *LINES when OLD and NEW differ. */
static void
conflict_add(char ***lines, size_t *n, const char *field, const char *old,
    const char *new)
{
	char	*o, *w;

	if (strcmp(old != NULL ? old : "", new != NULL ? new : "") == 0)
		return;
	o = conflict_value(old);
	w = conflict_value(new);
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	(*lines)[(*n)++] = xasprintf("  %s: %s -> %s", field, o, w);
	free(o);
	free(w);
}

/*
 * What changed from BEFORE (the ticket as the edit began) to AFTER (as it
 * is now), one line a field: "priority: normal -> high". *LINES is a new
 * array of *N new strings.
 */
void
tui_conflict_lines(const struct ticket *before, const struct ticket *after,
    char ***lines, size_t *n)
{
	char	ob[32], nb[32];

	*lines = NULL;
	*n = 0;
	conflict_add(lines, n, "title", before->title, after->title);
	conflict_add(lines, n, "status", before->status, after->status);
	conflict_add(lines, n, "priority", before->priority, after->priority);
	conflict_add(lines, n, "assignee", before->assignee, after->assignee);
	time_format_local(before->deadline, ob, sizeof ob);
	time_format_local(after->deadline, nb, sizeof nb);
	conflict_add(lines, n, "deadline", ob, nb);
	if (strcmp(before->description != NULL ? before->description : "",
	    after->description != NULL ? after->description : "") != 0) {
		*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
		(*lines)[(*n)++] = xstrdup("  description: changed");
	}
}
