/*
 * cli_names.c: --account-names, the account names one a line, for the
 * shell completion of --assignee and --owner (contrib/watchdog.bash).
 * Authenticated by WATCHDOG_TOKEN like the other scripting modes: without
 * a token it prints nothing but the usual one line on stderr.
 */
#include <stdio.h>

#include "watchdog/cli.h"
#include "watchdog/ratelimit.h"
#include "watchdog/user.h"
#include "watchdog/utf8.h"

/* Print one name a line, made visible (a user_names callback). */
static int
name_print(const char *name, void *arg)
{
	(void)arg;
	cli_print_visible(stdout, name, false);
	putchar('\n');
	return 0;
}

/* --account-names; see cli.h. */
int
cli_account_names(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;
	int		 rc;

	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	status = ratelimit_take(cli->db, &cli->cfg.rate_limit_read,
	    cli->me.id, "read", cli->now, &cause);
	if (status == WD_OK)
		status = user_names(cli->db, name_print, NULL, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}
