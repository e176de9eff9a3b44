/*
 * cli_import.c: --import-django DATABASE_URL, an administrator bringing
 * the Django version's accounts, tokens and tickets over (watchdog(1)
 * --import-django). The work is django_import.c's; this file picks the
 * file, checks who asks, and prints the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "watchdog/cli.h"
#include "watchdog/db.h"
#include "watchdog/django_import.h"
#include "watchdog/privilege.h"
#include "watchdog/user.h"

#define SQLITE_URL	"sqlite:///"

/*
 * What the Django DATABASE_URL URL names, into *PATH: a PostgreSQL URL as
 * it is (handed to libpq), or a file's path ("sqlite:///PATH", or a plain
 * path). 0 or the exit code of the error (reported).
 */
static int
cli_import_path(const char *url, const char **path)
{
	if (strncmp(url, SQLITE_URL, strlen(SQLITE_URL)) == 0) {
		/* sqlite:////abs/path and sqlite:///rel/path, as Django's. */
		*path = url + strlen(SQLITE_URL);
	} else if (db_where_is_pg(url))
		*path = url;
	else if (strncmp(url, "pgsql://", 8) == 0)
		return cli_fail(WD_EUSAGE, "--import-django: write the URL "
		    "of a PostgreSQL database as postgresql://");
	else if (strstr(url, "://") != NULL)
		return cli_fail(WD_EUSAGE, "--import-django: give the path of "
		    "the Django db.sqlite3, a sqlite:/// URL or a "
		    "postgresql:// URL");
	else
		*path = url;
	if (**path == '\0')
		return cli_fail(WD_EUSAGE, "--import-django: no file named");
	return 0;
}

/* Say which stage runs, on a terminal only. */
static void
cli_import_progress(const char *stage, void *arg)
{
	(void)arg;
	fprintf(stderr, "watchdog: importing %s...\n", stage);
}

/*
 * Who may import or copy the whole database: an administrator
 * (WATCHDOG_TOKEN or a password), or, on a database with no account yet,
 * a trusted caller (the real root of a team install, or the owner of a
 * personal one), as --add-user decides. 0 with CLI->me (id 0 for the
 * trusted caller), or the exit code; see cli.h.
 */
int
cli_admin_or_trusted(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;
	const char	*mode = cli_mode_option(cli->mode);
	int64_t		 n;
	int		 rc;

	if ((rc = cli_open_db(cli)) != 0)
		return rc;
	if ((status = user_count(cli->db, &n, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	if (n == 0 && privilege_caller_trusted() && cli->user == NULL) {
		memset(&cli->me, 0, sizeof cli->me);
		return 0;
	}
	if (n == 0)
		return cli_failf(WD_EAUTH, "this database has no administrator "
		    "yet: run --%s as the host's root, or create one first "
		    "with --add-user NAME --email ADDR --admin", mode);
	if (cli->user == NULL && getenv("WATCHDOG_TOKEN") != NULL &&
	    *getenv("WATCHDOG_TOKEN") != '\0')
		rc = cli_auth_token(cli);
	else
		rc = cli_auth_password(cli);
	if (rc != 0)
		return rc;
	if (!cli->me.admin)
		return cli_failf(WD_EAUTH, "only an administrator may run --%s "
		    "(%s is not one)", mode, cli->me.name);
	return 0;
}

/* --import-django DATABASE_URL. */
int
cli_import_django(struct cli *cli)
{
	struct django_result	 res;
	struct db		*dj = NULL;
	enum wd_status		 status;
	const char		*path = NULL;
	char			*cause = NULL, *shown = NULL;
	size_t			 i;
	int			 rc;

	if ((rc = cli_import_path(cli->mode_arg, &path)) != 0)
		return rc;
	/* Ours first (it may need the group), and who asks. */
	if ((rc = cli_admin_or_trusted(cli)) != 0)
		return rc;
	/*
	 * The Django database is the user's choice: opened only without the
	 * group (watchdog(1) SECURITY), a URL too (it may name files:
	 * sslrootcert, passfile). Ours stays open.
	 */
	privilege_drop();
	if ((status = db_open_foreign(path, &dj, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	status = django_import(cli->db, dj, &cli->cfg.sla, &cli->me, cli->now,
	    isatty(STDERR_FILENO) == 1 ? cli_import_progress : NULL, NULL,
	    &res, &cause);
	db_close(dj);
	/* A URL's password is never printed. */
	shown = db_where_safe(path);
	if (status != WD_OK) {
		if (status == WD_EDATA) {
			rc = cli_failf(status, "%s: %s", shown, cause != NULL ?
			    cause : status_text(status));
			free(cause);
		} else
			rc = cli_fail_cause(status, cause);
		free(shown);
		return rc;
	}
	free(cause);
	printf("imported from %s: %d accounts, %d tokens, %d tickets\n", shown,
	    res.accounts, res.tokens, res.tickets);
	free(shown);
	if (res.already > 0)
		printf("already imported before: %d (left as they are)\n",
		    res.already);
	if (res.accounts + res.tokens + res.tickets == 0)
		printf("nothing new to import\n");
	for (i = 0; i < res.nnotes; i++)
		printf("%s\n", res.notes[i]);
	django_result_clear(&res);
	return 0;
}
