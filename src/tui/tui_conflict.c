/*
 * tui_conflict.c: an edit (the form, or the description in $EDITOR) that
 * the core refused because someone else saved the ticket meanwhile. One
 * place fetches the ticket as it is now, shows what changed and asks
 * whether to reload (the user's changes are applied again over the new
 * version) or to cancel; the form and the editor both come here.
 */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/config.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Columns of an old or new value in the conflict dialog. */
#define CONFLICT_VALUE_COLS	32

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
static void
conflict_lines(const struct ticket *before, const struct ticket *after,
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

/*
 * The save of ticket ID, begun on BEFORE, was refused as a conflict:
 * fetch the ticket as it is now into *CURRENT, show what changed and ask.
 * True to reload, *CURRENT then holding the new version (the caller
 * clears it); false when the edit ends (cancelled, the ticket deleted, or
 * an error: the status line says which).
 */
bool
tui_conflict_ask(struct tui *tui, int64_t id, const struct ticket *before,
    struct ticket *current)
{
	enum wd_status	  status;
	char		 *cause = NULL, **lines = NULL;
	size_t		  i, n = 0;
	bool		  reload;

	memset(current, 0, sizeof *current);
	status = ticket_get(tui->db, &tui->cfg->sla, id, tui->now, current,
	    &cause);
	if (status == WD_ENOTFOUND) {
		free(cause);
		tui_message(tui, "ticket #%lld was deleted by someone else; "
		    "your changes were not saved", (long long)id);
		return false;
	}
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		return false;
	}
	conflict_lines(before, current, &lines, &n);
	reload = tui_dialog_conflict(tui, id, lines, n);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	if (!reload) {
		ticket_clear(current);
		if (!tui->quit)
			tui_message(tui, "edit of ticket #%lld cancelled",
			    (long long)id);
		return false;
	}
	return true;
}
