/*
 * tui_action.c: what both the queue and the ticket view do to a ticket:
 * resolve or reopen it, and delete it (after asking). Every change is
 * version-checked by the core.
 */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/config.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

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
	status = ticket_update(tui->db, &tui->cfg->sla, &tui->me, t->id, &f,
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
	if (!tui_dialog_confirm(tui, FKCTX_DELETE, "Delete", question)) {
		if (!tui->quit)
			tui_message(tui, "ticket #%lld kept", (long long)id);
		goto out;
	}
	status = ticket_delete(tui->db, &tui->me, id, tui->now, &cause);
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
