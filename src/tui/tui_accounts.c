/*
 * tui_accounts.c: A in the queue, for administrators: the accounts, one a
 * row, with the actions of --update-user: m the e-mail address, a the
 * administrator role, x disable or enable (asks first), p a password
 * reset whose one-time password is shown once (asks first). It follows
 * changes made elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tui_int.h"

#include "watchdog/account.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* One account as the screen holds it (owned strings). */
struct acct {
	char	*name;
	char	*email;
	bool	 admin;
	bool	 disabled;
	bool	 must_change;
	int64_t	 last_login;
};

struct accounts {
	struct tui_screen	 screen;
	struct acct		*rows;
	size_t			 n;
	size_t			 cur;
};

/* Free the rows of A. */
static void
accounts_free(struct accounts *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		free(a->rows[i].name);
		free(a->rows[i].email);
	}
	free(a->rows);
	a->rows = NULL;
	a->n = 0;
}

/* Keep one account (an account_list callback). */
static int
accounts_add(const struct account *ac, void *arg)
{
	struct accounts	*a = arg;
	struct acct	*r;

	a->rows = xreallocarray(a->rows, a->n + 1, sizeof *a->rows);
	r = &a->rows[a->n++];
	r->name = xstrdup(ac->name);
	r->email = xstrdup(ac->email);
	r->admin = ac->admin;
	r->disabled = ac->disabled;
	r->must_change = ac->must_change;
	r->last_login = ac->last_login;
	return 0;
}

/* Read the accounts again, keeping the cursor on the same row. */
static void
accounts_load(struct tui *tui, struct accounts *a)
{
	enum wd_status	 status;
	char		*cause = NULL;

	accounts_free(a);
	status = account_list(tui->db, accounts_add, a, &cause);
	if (status != WD_OK)
		tui_message_cause(tui, status, cause);
	if (a->cur >= a->n)
		a->cur = a->n > 0 ? a->n - 1 : 0;
}

/* Draw the accounts. */
static void
accounts_draw(struct tui *tui, struct tui_screen *s)
{
	struct accounts	*a = s->data;
	struct acct	*r;
	char		*line, login[32], *text;
	size_t		 i, rows, top;

	tui_bar(0, "SLA Watchdog  accounts", NULL, A_REVERSE | A_BOLD);
	line = xasprintf("%-16s %-30s %-6s %-12s %s", "NAME", "EMAIL", "ROLE",
	    "STATE", "LAST LOGIN");
	tui_text(1, 0, line, COLS, A_BOLD);
	free(line);
	rows = LINES > 5 ? (size_t)LINES - 4 : 1;
	top = a->cur >= rows ? a->cur - rows + 1 : 0;
	for (i = 0; i < rows && top + i < a->n; i++) {
		r = &a->rows[top + i];
		if (r->last_login != 0)
			time_format_local(r->last_login, login, sizeof login);
		else
			snprintf(login, sizeof login, "never");
		text = xasprintf("%-16s %-30s %-6s %-12s %s", r->name,
		    r->email, r->admin ? "admin" : "user", r->disabled ?
		    "disabled" : r->must_change ? "must-change" : "active",
		    login);
		line = utf8_visible(text, false);
		tui_text(2 + (int)i, 0, line, COLS, top + i == a->cur ?
		    A_REVERSE : A_NORMAL);
		free(line);
		free(text);
	}
	text = xasprintf("%s  %zu account%s", tui->me.name, a->n,
	    a->n == 1 ? "" : "s");
	tui_bar(LINES - 2, text, tui->message, A_REVERSE);
	free(text);
	tui_hint_keys(LINES - 1, KEYCTX_ACCOUNTS);
}

/* Apply CH to the current account; *OTP as account_update. */
static void
accounts_apply(struct tui *tui, struct accounts *a,
    const struct account_change *ch, const char *done, char **otp)
{
	enum wd_status	 status;
	char		*cause = NULL, *name;

	name = xstrdup(a->rows[a->cur].name);
	status = account_update(tui->db, &tui->me, name, ch, tui->now, otp,
	    NULL, &cause);
	if (status != WD_OK)
		tui_message_cause(tui, status, cause);
	else
		tui_message(tui, "%s: %s", name, done);
	free(name);
	tui_data_changed(tui);
}

/* m: a new e-mail address for the current account. */
static void
accounts_email(struct tui *tui, struct accounts *a)
{
	struct account_change	 ch;
	char			*email = NULL, *otp = NULL;

	if (tui_prompt(tui, "E-mail: ", a->rows[a->cur].email, &email) != 1)
		return;
	memset(&ch, 0, sizeof ch);
	ch.email = email;
	accounts_apply(tui, a, &ch, "e-mail address changed", &otp);
	free(email);
}

/* x or p: ask QUESTION in a box titled TITLE; true for a yes. */
static bool
accounts_ask(struct tui *tui, const char *title, const char *question)
{
	return tui_dialog_confirm(tui, FKCTX_ACCOUNT_ASK, title, question);
}

/* p: reset the current account's password, showing it once. */
static void
accounts_reset(struct tui *tui, struct accounts *a)
{
	struct account_change	 ch;
	char			*q, *otp = NULL, *text;
	bool			 yes;

	q = xasprintf("Reset the password of %s? Its tokens are revoked and "
	    "a one-time password is shown once.", a->rows[a->cur].name);
	yes = accounts_ask(tui, "Reset password", q);
	free(q);
	if (!yes)
		return;
	memset(&ch, 0, sizeof ch);
	ch.reset_password = true;
	accounts_apply(tui, a, &ch, "password reset", &otp);
	if (otp == NULL)
		return;
	text = xasprintf("The one-time password of %s is %s - it is shown "
	    "this once; it must be changed at the next login.",
	    a->rows[a->cur].name, otp);
	tui_dialog_confirm(tui, FKCTX_NOTICE, "One-time password", text);
	sodium_memzero(text, strlen(text));
	sodium_memzero(otp, strlen(otp));
	free(text);
	free(otp);
}

/* A key for the accounts screen, through the key table. */
static void
accounts_key(struct tui *tui, struct tui_screen *s, const struct tui_event *ev)
{
	struct accounts		*a = s->data;
	struct account_change	 ch;
	enum key_action		 action;
	char			*q, *otp = NULL;
	bool			 off;

	action = keymap_lookup(KEYCTX_ACCOUNTS, ev->key);
	if (action == ACTION_NONE) {
		if (ev->key == KEYMAP_CTRL('c'))
			tui->quit = true;
		return;
	}
	if (!tui_action_keeps_message(action))
		tui_clear_message(tui);
	memset(&ch, 0, sizeof ch);
	switch (action) {
	case ACTION_UP:
		if (a->cur > 0)
			a->cur--;
		return;
	case ACTION_DOWN:
		if (a->cur + 1 < a->n)
			a->cur++;
		return;
	case ACTION_REDRAW:
		tui_redraw(tui);
		return;
	case ACTION_HELP:
		tui_help_run(tui);
		return;
	case ACTION_BACK:
		s->done = true;
		return;
	default:
		break;
	}
	if (a->n == 0)
		return;
	switch (action) {
	case ACTION_EMAIL:
		accounts_email(tui, a);
		break;
	case ACTION_ADMIN:
		off = a->rows[a->cur].admin;
		ch.admin = off ? ACCOUNT_CLEAR : ACCOUNT_SET;
		accounts_apply(tui, a, &ch, off ? "no longer an administrator" :
		    "now an administrator", &otp);
		break;
	case ACTION_DISABLE:
		off = a->rows[a->cur].disabled;
		q = xasprintf("%s %s?%s", off ? "Enable" : "Disable",
		    a->rows[a->cur].name, off ? "" : " It can no longer log "
		    "in and its tokens are revoked.");
		if (accounts_ask(tui, off ? "Enable account" :
		    "Disable account", q)) {
			ch.disabled = off ? ACCOUNT_CLEAR : ACCOUNT_SET;
			accounts_apply(tui, a, &ch, off ? "enabled" :
			    "disabled", &otp);
		}
		free(q);
		break;
	case ACTION_RESET:
		accounts_reset(tui, a);
		break;
	default:
		break;
	}
}

/* The database changed: read the accounts again. */
static void
accounts_changed(struct tui *tui, struct tui_screen *s)
{
	accounts_load(tui, s->data);
}

static const struct tui_screen_ops accounts_ops = {
	.draw = accounts_draw,
	.key = accounts_key,
	.changed = accounts_changed,
};

/* A: the accounts screen; administrators only. */
void
tui_accounts_run(struct tui *tui)
{
	struct accounts	a;

	if (!tui->me.admin) {
		tui_message(tui, "only an administrator may manage the "
		    "accounts");
		return;
	}
	memset(&a, 0, sizeof a);
	accounts_load(tui, &a);
	a.screen.ops = &accounts_ops;
	a.screen.data = &a;
	tui_loop(tui, &a.screen);
	accounts_free(&a);
}
