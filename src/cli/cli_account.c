/*
 * cli_account.c: the account modes: --init, --add-user, --register,
 * --token and --revoke-tokens.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "watchdog/cli.h"
#include "watchdog/db.h"
#include "watchdog/privilege.h"
#include "watchdog/token.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

/* --init: create or upgrade the database. */
int
cli_init(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL, *where;
	int64_t		 n;
	int		 rc;

	if ((rc = cli_open_db(cli)) != 0)
		return rc;
	if ((status = user_count(cli->db, &n, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	/* A PostgreSQL URL may carry a password: never printed. */
	where = db_where_safe(cli->cfg.database_path);
	printf("database %s: schema version %d, %lld account%s\n",
	    where, db_schema_version(cli->db), (long long)n,
	    n == 1 ? "" : "s");
	free(where);
	if (n == 0)
		printf("next: create the first administrator with "
		    "watchdog --add-user NAME --email ADDR\n");
	return 0;
}

/*
 * Check the new account's name and address, read its password and create
 * it (FIRST: the first administrator of an empty database).
 */
static int
cli_new_account(struct cli *cli, bool admin, bool first, const char *what)
{
	enum wd_status	 status;
	char		*password = NULL, *cause = NULL;
	int64_t		 id;
	int		 rc;

	if (cli->email == NULL)
		return cli_failf(WD_EUSAGE, "--%s needs --email ADDR",
		    cli->mode == CLI_MODE_REGISTER ? "register" : "add-user");
	if ((status = user_check_name(cli->mode_arg, &cause)) != WD_OK ||
	    (status = user_check_email(cli->email, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	if ((rc = cli_read_password(cli, "New password: ", true,
	    &password)) != 0)
		return rc;
	status = user_create(cli->db, &cli->cfg, cli->mode_arg, cli->email,
	    password, admin, first, cli->me.id != 0 ? &cli->me : NULL,
	    cli->now, &id, &cause);
	cli_free_secret(password);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	printf("created %s %s\n", what, cli->mode_arg);
	if (first)
		printf("it is the first account, so it is an administrator\n");
	return 0;
}

/*
 * The refusal of the first administrator on a team install to anyone but
 * root: only root sets a team install up.
 */
static int
cli_no_admin(void)
{
	return cli_fail(WD_EAUTH, "this team install has no administrator "
	    "yet: ask the host's administrator to create one, as root: "
	    "watchdog --add-user NAME --email ADDR --admin");
}

/* --add-user NAME --email ADDR [--admin]. */
int
cli_add_user(struct cli *cli)
{
	enum wd_status	 status;
	struct stat	 sb;
	char		*cause = NULL;
	int64_t		 n;
	int		 rc;

	/* No database yet: it has no administrator, and root makes both. */
	if (!privilege_caller_trusted() &&
	    stat(cli->cfg.database_path, &sb) != 0)
		return cli_no_admin();
	if ((rc = cli_open_db(cli)) != 0)
		return rc;
	if ((status = user_count(cli->db, &n, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	if (n == 0 && !privilege_caller_trusted())
		return cli_no_admin();
	if (n == 0)
		return cli_new_account(cli, true, true, "administrator");

	/*
	 * An administrator's password when --user names one, else an
	 * administrator's token, else a prompt for name and password.
	 */
	if (cli->user == NULL && getenv("WATCHDOG_TOKEN") != NULL &&
	    *getenv("WATCHDOG_TOKEN") != '\0')
		rc = cli_auth_token(cli);
	else
		rc = cli_auth_password(cli);
	if (rc != 0)
		return rc;
	if (!cli->me.admin)
		return cli_failf(WD_EAUTH, "only an administrator may add "
		    "accounts (%s is not one)", cli->me.name);
	return cli_new_account(cli, cli->admin, false,
	    cli->admin ? "administrator" : "account");
}

/* --register NAME --email ADDR: self-registration. */
int
cli_register(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;
	int64_t		 n;
	int		 rc;

	if (!cli->cfg.allow_registration)
		return cli_fail(WD_EAUTH, "registration is turned off "
		    "(ALLOW_REGISTRATION); ask an administrator for an account");
	if ((rc = cli_open_db(cli)) != 0)
		return rc;
	if ((status = user_count(cli->db, &n, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	if (n == 0)
		return cli_fail(WD_EAUTH, "the database has no accounts yet: "
		    "create the first administrator with watchdog --add-user");
	return cli_new_account(cli, false, false, "account");
}

/* --token: log in and print a new API token. */
int
cli_token(struct cli *cli)
{
	enum wd_status	 status;
	char		*token = NULL, *cause = NULL;
	int		 rc;

	if ((rc = cli_auth_password(cli)) != 0)
		return rc;
	status = token_create(cli->db, cli->me.id, cli->now, &token, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	printf("%s\n", token);
	sodium_memzero(token, strlen(token));
	free(token);
	return 0;
}

/* --revoke-tokens [NAME]: your own tokens, or (an administrator) NAME's. */
int
cli_revoke_tokens(struct cli *cli)
{
	struct user	 target;
	enum wd_status	 status;
	char		*cause = NULL;
	int		 rc, count;

	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	memset(&target, 0, sizeof target);
	if (cli->mode_arg != NULL && ascii_casecmp(cli->mode_arg,
	    cli->me.name) != 0) {
		if (!cli->me.admin)
			return cli_fail(WD_EAUTH, "only an administrator may "
			    "revoke another account's tokens");
		status = user_find(cli->db, cli->mode_arg, &target, &cause);
		if (status != WD_OK)
			return cli_fail_cause(status, cause);
	} else {
		target.id = cli->me.id;
		target.name = xstrdup(cli->me.name);
	}
	status = token_revoke_all(cli->db, target.id, cli->now, &count,
	    &cause);
	if (status != WD_OK) {
		user_clear(&target);
		return cli_fail_cause(status, cause);
	}
	printf("revoked %d token%s of %s\n", count, count == 1 ? "" : "s",
	    target.name);
	user_clear(&target);
	return 0;
}
