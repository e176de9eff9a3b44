/*
 * tui_login.c: the screens before the queue. The login, as login(1) does
 * it: the account name, Enter, the password without echo, Enter. Ctrl-R
 * opens the registration (when ALLOW_REGISTRATION is on). On a database
 * without accounts, the first run creates the first administrator. No
 * plain letter is a command here: every field takes text.
 */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/account.h"
#include "watchdog/config.h"
#include "watchdog/privilege.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

/* Room of the fields, in bytes. */
#define LOGIN_NAME_MAX		(USER_NAME_MAX * 4)
#define LOGIN_EMAIL_MAX		320
#define LOGIN_PASSWORD_MAX	1024

/* What a user sees on a team install that has no administrator yet. */
#define NO_ADMIN_TEXT	"This team install has no administrator yet: ask "  \
	"the host's administrator to create one, as root: watchdog "	\
	"--add-user NAME --email ADDR --admin"

enum { LF_NAME, LF_PASSWORD, LF_COUNT };
enum { AF_NAME, AF_EMAIL, AF_PASSWORD, AF_AGAIN, AF_COUNT };

/* The login screen. */
struct login {
	struct tui_form		 form;
	struct tui_field	 fields[LF_COUNT];
};

/* The first run or the registration: a new account. */
struct account_form {
	struct tui_form		 form;
	struct tui_field	 fields[AF_COUNT];
	bool			 first;		/* the first administrator */
	char			*created;	/* the name, once created */
};

/* Show MESSAGE in FORM and draw at once (before a slow password hash). */
static void
login_busy(struct tui *tui, struct tui_form *form, const char *message)
{
	tui_form_message(form, "%s", message);
	tui_draw_all(tui);
}

/* Enter in the first run or registration: check, then create. */
static bool
account_submit(struct tui *tui, struct tui_form *form)
{
	struct account_form	*af = form->arg;
	enum wd_status		 status;
	const char		*name, *email, *password, *again;
	char			*cause = NULL;
	int64_t			 id;

	name = af->fields[AF_NAME].line.buf;
	email = af->fields[AF_EMAIL].line.buf;
	password = af->fields[AF_PASSWORD].line.buf;
	again = af->fields[AF_AGAIN].line.buf;
	if ((status = user_check_name(name, &cause)) != WD_OK) {
		form->focus = AF_NAME;
		goto fail;
	}
	if ((status = user_check_email(email, &cause)) != WD_OK) {
		form->focus = AF_EMAIL;
		goto fail;
	}
	if (strcmp(password, again) != 0) {
		tui_form_message(form, "the passwords do not match: type them "
		    "again");
		goto retype;
	}
	if ((status = user_check_password(tui->cfg, name, password,
	    &cause)) != WD_OK) {
		tui_form_cause(form, status, cause);
		goto retype;
	}
	login_busy(tui, form, "creating the account...");
	status = user_create(tui->db, tui->cfg, name, email, password,
	    af->first, af->first, NULL, tui->now, &id, &cause);
	if (status == WD_EAUTH && af->first) {
		/* Someone else made the first account meanwhile. */
		tui_message_cause(tui, status, cause);
		form->result = TUI_FORM_OTHER;
		return true;
	}
	if (status != WD_OK) {
		form->focus = AF_NAME;
		tui_form_cause(form, status, cause);
		tui_line_clear(&af->fields[AF_PASSWORD].line);
		tui_line_clear(&af->fields[AF_AGAIN].line);
		return false;
	}
	af->created = xstrdup(name);
	if (af->first) {
		/* Straight in: the login is audited like any other. */
		login_busy(tui, form, "logging in...");
		status = user_login(tui->db, tui->cfg, name, password,
		    tui->uid, tui->now, &tui->me, &cause);
		if (status != WD_OK) {
			tui_message_cause(tui, status, cause);
			form->result = TUI_FORM_OTHER;
			return true;
		}
	}
	form->result = TUI_FORM_SAVED;
	return true;

fail:
	tui_form_cause(form, status, cause);
	return false;
retype:
	tui_line_clear(&af->fields[AF_PASSWORD].line);
	tui_line_clear(&af->fields[AF_AGAIN].line);
	form->focus = AF_PASSWORD;
	return false;
}

/*
 * Run the first run (FIRST) or the registration form. Returns the form's
 * result; a created account's name goes in *CREATED (new, or NULL).
 */
static enum tui_form_result
account_run(struct tui *tui, bool first, char **created)
{
	static const char *const labels[AF_COUNT] = {
		"Account: ", "E-mail: ", "Password: ", "Again: "
	};
	struct account_form	af;
	enum tui_form_result	result;
	size_t			i;

	memset(&af, 0, sizeof af);
	for (i = 0; i < AF_COUNT; i++) {
		af.fields[i].label = labels[i];
		tui_line_init(&af.fields[i].line, i == AF_NAME ?
		    LOGIN_NAME_MAX : i == AF_EMAIL ? LOGIN_EMAIL_MAX :
		    LOGIN_PASSWORD_MAX, i >= AF_PASSWORD);
	}
	af.first = first;
	af.form.fields = af.fields;
	af.form.nfields = AF_COUNT;
	af.form.keys_at_bottom = true;
	af.form.submit = account_submit;
	af.form.arg = &af;
	if (first) {
		af.form.title = "SLA Watchdog";
		af.form.intro = "This database has no accounts yet. Create the "
		    "first administrator.";
		af.form.context = FKCTX_FIRST_RUN;
	} else {
		af.form.title = "Register";
		af.form.intro = "Create your account.";
		af.form.context = FKCTX_REGISTER;
	}
	tui_form_run(tui, &af.form);
	result = af.form.result;
	*created = af.created;
	for (i = 0; i < AF_COUNT; i++)
		tui_line_free(&af.fields[i].line);
	free(af.form.message);
	return result;
}

/* The new password after a reset, typed twice. */
struct new_password {
	struct tui_form		 form;
	struct tui_field	 fields[2];
	char			*old;		/* the one-time password */
};

/* Enter on the last field of the new password: check and set it. */
static bool
new_password_submit(struct tui *tui, struct tui_form *form)
{
	struct new_password	*np = form->arg;
	enum wd_status		 status;
	char			*cause = NULL;

	if (strcmp(np->fields[0].line.buf, np->fields[1].line.buf) != 0) {
		tui_form_message(form, "the passwords do not match: type them "
		    "again");
		goto retype;
	}
	login_busy(tui, form, "setting the password...");
	status = account_set_password(tui->db, tui->cfg, &tui->me, np->old,
	    np->fields[0].line.buf, tui->now, &cause);
	if (status != WD_OK) {
		tui_form_cause(form, status, cause);
		goto retype;
	}
	tui->me.must_change = false;
	form->result = TUI_FORM_SAVED;
	return true;
retype:
	tui_line_clear(&np->fields[0].line);
	tui_line_clear(&np->fields[1].line);
	form->focus = 0;
	return false;
}

/*
 * After a login with a one-time password (OLD): the new password, twice.
 * True once it is set; false when the user quit.
 */
static bool
new_password_run(struct tui *tui, char *old)
{
	struct new_password	np;
	bool			ok;
	size_t			i;

	memset(&np, 0, sizeof np);
	np.old = old;
	np.fields[0].label = "New password: ";
	np.fields[1].label = "Again: ";
	for (i = 0; i < 2; i++)
		tui_line_init(&np.fields[i].line, LOGIN_PASSWORD_MAX, true);
	np.form.title = "New password";
	np.form.intro = "Your password was reset: choose a new one.";
	np.form.fields = np.fields;
	np.form.nfields = 2;
	np.form.context = FKCTX_NEW_PASSWORD;
	np.form.keys_at_bottom = true;
	np.form.submit = new_password_submit;
	np.form.arg = &np;
	tui_form_run(tui, &np.form);
	ok = np.form.result == TUI_FORM_SAVED && !tui->quit;
	for (i = 0; i < 2; i++)
		tui_line_free(&np.fields[i].line);
	free(np.form.message);
	return ok;
}

/* Enter on the password: log in; a failure starts over, as login(1). */
static bool
login_submit(struct tui *tui, struct tui_form *form)
{
	struct login	*l = form->arg;
	enum wd_status	 status;
	char		*cause = NULL;

	if (l->fields[LF_NAME].line.len == 0) {
		tui_form_message(form, "type your account name");
		form->focus = LF_NAME;
		return false;
	}
	if (l->fields[LF_PASSWORD].line.len == 0) {
		tui_form_message(form, "type your password");
		form->focus = LF_PASSWORD;
		return false;
	}
	login_busy(tui, form, "logging in...");
	status = user_login(tui->db, tui->cfg, l->fields[LF_NAME].line.buf,
	    l->fields[LF_PASSWORD].line.buf, tui->uid, tui->now, &tui->me,
	    &cause);
	if (status == WD_OK && tui->me.must_change &&
	    !new_password_run(tui, l->fields[LF_PASSWORD].line.buf)) {
		/* Quit before a new password: not logged in. */
		user_clear(&tui->me);
		tui_line_clear(&l->fields[LF_PASSWORD].line);
		form->result = TUI_FORM_CANCELLED;
		return true;
	}
	tui_line_clear(&l->fields[LF_PASSWORD].line);
	if (status != WD_OK) {
		tui_form_cause(form, status, cause);
		tui_line_clear(&l->fields[LF_NAME].line);
		form->focus = LF_NAME;
		return false;
	}
	form->result = TUI_FORM_SAVED;
	return true;
}

/* What the login screen does beyond the fields: Ctrl-R registers. */
static bool
login_action(struct tui *tui, struct tui_form *form,
    enum formkey_action action)
{
	struct login	*l = form->arg;
	char		*created = NULL;

	if (action != FKA_REGISTER)
		return false;
	if (!tui->cfg->allow_registration) {
		tui_form_message(form, "registration is turned off");
		return true;
	}
	if (account_run(tui, false, &created) == TUI_FORM_SAVED) {
		tui_form_message(form, "account %s created: log in", created);
		tui_line_clear(&l->fields[LF_NAME].line);
		tui_line_clear(&l->fields[LF_PASSWORD].line);
		form->focus = LF_NAME;
	}
	free(created);
	return true;
}

/*
 * The screens before the queue: the first run on an empty database, else
 * the login (with PREFILL, when not NULL, as the account name). Returns 0
 * once tui->me is logged in, 1 to quit.
 */
int
tui_login(struct tui *tui, const char *prefill)
{
	struct login		 l;
	enum tui_form_result	 result;
	enum wd_status		 status;
	char			*cause = NULL, *created = NULL;
	int64_t			 n;
	size_t			 i;
	int			 rc = 1;

	memset(&l, 0, sizeof l);
	/* When the count cannot be read, the login screen says why. */
	if ((status = user_count(tui->db, &n, &cause)) != WD_OK)
		n = -1;
	if (n == 0 && !privilege_caller_trusted()) {
		/* Only root makes the first administrator of a team install. */
		tui_dialog_confirm(tui, FKCTX_NOTICE, "No administrator yet",
		    NO_ADMIN_TEXT);
		tui->quit = true;
		tui->exit_status = status_exit_code(WD_EAUTH);
		tui_message(tui, "%s", NO_ADMIN_TEXT);
		return 1;
	}
	if (n == 0) {
		result = account_run(tui, true, &created);
		free(created);
		if (result == TUI_FORM_SAVED)
			return 0;
		if (tui->quit)
			return 1;
		/* Someone else made the first account: log in as usual. */
	}
	l.fields[LF_NAME].label = "Account: ";
	l.fields[LF_PASSWORD].label = "Password: ";
	tui_line_init(&l.fields[LF_NAME].line, LOGIN_NAME_MAX, false);
	tui_line_init(&l.fields[LF_PASSWORD].line, LOGIN_PASSWORD_MAX, true);
	l.form.title = "SLA Watchdog";
	l.form.fields = l.fields;
	l.form.nfields = LF_COUNT;
	l.form.context = FKCTX_LOGIN;
	l.form.keys_at_bottom = true;
	l.form.submit = login_submit;
	l.form.other_action = login_action;
	l.form.arg = &l;
	if (n < 0)
		tui_form_cause(&l.form, status, cause);
	else if (tui->message != NULL) {
		l.form.message = tui->message;
		tui->message = NULL;
	}
	if (prefill != NULL && *prefill != '\0') {
		tui_line_set(&l.fields[LF_NAME].line, prefill);
		l.form.focus = LF_PASSWORD;
	}
	tui_form_run(tui, &l.form);
	if (l.form.result == TUI_FORM_SAVED && !tui->quit)
		rc = 0;
	for (i = 0; i < LF_COUNT; i++)
		tui_line_free(&l.fields[i].line);
	free(l.form.message);
	return rc;
}
