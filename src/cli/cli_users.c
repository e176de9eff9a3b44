/*
 * cli_users.c: account administration: --users, --update-user and
 * --password, and the forced change of a reset password at login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "watchdog/account.h"
#include "watchdog/cli.h"
#include "watchdog/timeutil.h"
#include "watchdog/util.h"

/* Print one row of the --users table. */
static int
users_row(const struct account *a, void *arg)
{
	char	created[32], login[32];

	(void)arg;
	time_format_local(a->created_at, created, sizeof created);
	if (a->last_login != 0)
		time_format_local(a->last_login, login, sizeof login);
	else
		snprintf(login, sizeof login, "never");
	cli_print_visible(stdout, a->name, false);
	printf("\t");
	cli_print_visible(stdout, a->email, false);
	printf("\t%s\t%s\t%s\t%s\n", a->admin ? "admin" : "user",
	    a->disabled ? "disabled" : a->must_change ? "must-change" : "active",
	    created, login);
	return 0;
}

/* --users [--json]: administrators only. */
int
cli_users(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;
	size_t		 n = 0;
	int		 rc;

	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	if (!cli->me.admin)
		return cli_failf(WD_EAUTH, "only an administrator may list the "
		    "accounts (%s is not one)", cli->me.name);
	if (cli->json) {
		fputs("[", stdout);
		status = account_list_json(cli->db, cli_json_element, &n,
		    &cause);
		if (status != WD_OK)
			return cli_fail_cause(status, cause);
		fputs(n == 0 ? "]\n" : "\n]\n", stdout);
		return 0;
	}
	printf("NAME\tEMAIL\tROLE\tSTATE\tCREATED\tLAST LOGIN\n");
	status = account_list(cli->db, users_row, NULL, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}

/* --update-user NAME [--email ADDR] [--admin|--no-admin] [...]. */
int
cli_update_user(struct cli *cli)
{
	struct account_change	 ch;
	enum wd_status		 status;
	char			*cause = NULL, *otp = NULL;
	bool			 changed = false;
	int			 rc;

	if (cli->admin && cli->no_admin)
		return cli_fail(WD_EUSAGE, "--admin and --no-admin exclude each "
		    "other");
	if (cli->disable && cli->enable)
		return cli_fail(WD_EUSAGE, "--disable and --enable exclude each "
		    "other");
	if (cli->email == NULL && !cli->admin && !cli->no_admin &&
	    !cli->disable && !cli->enable && !cli->reset_password)
		return cli_fail(WD_EUSAGE, "--update-user needs something to "
		    "change (--email, --admin, --no-admin, --disable, --enable "
		    "or --reset-password)");
	memset(&ch, 0, sizeof ch);
	ch.email = cli->email;
	ch.admin = cli->admin ? ACCOUNT_SET : cli->no_admin ? ACCOUNT_CLEAR :
	    ACCOUNT_KEEP;
	ch.disabled = cli->disable ? ACCOUNT_SET : cli->enable ?
	    ACCOUNT_CLEAR : ACCOUNT_KEEP;
	ch.reset_password = cli->reset_password;
	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	status = account_update(cli->db, &cli->me, cli->mode_arg, &ch,
	    cli->now, &otp, &changed, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	if (otp != NULL) {
		/* The one-time password alone on stdout, for a script. */
		fprintf(stderr, "one-time password of %s (to be changed at the "
		    "next login):\n", cli->mode_arg);
		printf("%s\n", otp);
		sodium_memzero(otp, strlen(otp));
		free(otp);
	} else
		printf("%s %s\n", changed ? "updated" : "nothing changed for",
		    cli->mode_arg);
	return 0;
}

/*
 * Read the new password twice: at the terminal with its confirmation, or
 * two lines of standard input. *OUT as cli_read_password. 0 or an exit
 * code.
 */
static int
cli_new_password(struct cli *cli, char **out)
{
	char	*again = NULL;
	int	 rc;

	if (!cli->password_stdin)
		return cli_read_password(cli, "New password: ", true, out);
	if ((rc = cli_read_password(cli, "", false, out)) != 0)
		return rc;
	if ((rc = cli_read_password(cli, "", false, &again)) != 0 ||
	    strcmp(*out, again) != 0) {
		if (rc == 0)
			rc = cli_fail(WD_EDATA, "the new passwords do not match");
		cli_free_secret(*out);
		*out = NULL;
	}
	cli_free_secret(again);
	return rc;
}

/* Set the logged-in account's password to a new one read from the user. */
static int
cli_change(struct cli *cli, const char *oldpw)
{
	enum wd_status	 status;
	char		*newpw = NULL, *cause = NULL;
	int		 rc;

	if ((rc = cli_new_password(cli, &newpw)) != 0)
		return rc;
	status = account_set_password(cli->db, &cli->cfg, &cli->me, oldpw,
	    newpw, cli->now, &cause);
	cli_free_secret(newpw);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	cli->me.must_change = false;
	return 0;
}

/* The forced change after a reset; see cli.h. */
int
cli_forced_change(struct cli *cli, const char *oldpw)
{
	if (cli->password_stdin)
		return cli_failf(WD_EAUTH, "the password of %s was reset and "
		    "must be changed first: run watchdog --password (or log "
		    "in at a terminal)", cli->me.name);
	fprintf(stderr, "The password of %s was reset: choose a new one.\n",
	    cli->me.name);
	return cli_change(cli, oldpw);
}

/* --password: the old password, then the new one twice. */
int
cli_password(struct cli *cli)
{
	char	*oldpw = NULL;
	int	 rc;

	if ((rc = cli_open_db(cli)) != 0)
		return rc;
	/* cli_auth_password reads the old one; read it here to compare. */
	if ((rc = cli_auth_password_keep(cli, &oldpw)) != 0)
		return rc;
	rc = cli_change(cli, oldpw);
	cli_free_secret(oldpw);
	if (rc == 0)
		printf("password of %s changed\n", cli->me.name);
	return rc;
}
