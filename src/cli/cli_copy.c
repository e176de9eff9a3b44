/*
 * cli_copy.c: --copy-to DATABASE_URL, an administrator moving the whole
 * database into an empty one, of either kind (watchdog(1) SEVERAL HOSTS:
 * POSTGRESQL). The work is copy.c's; this file checks who asks, opens
 * the target without the group privilege, shows the progress and prints
 * the report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog/cli.h"
#include "watchdog/config.h"
#include "watchdog/copy.h"
#include "watchdog/db.h"
#include "watchdog/privilege.h"
#include "watchdog/util.h"

/*
 * The target of URL: a PostgreSQL URL as it is, a sqlite:/// URL's path,
 * or a plain path (relative ones too: the caller's own). *WHERE is new.
 * 0 or the exit code of the usage error (reported).
 */
static int
cli_copy_target(const char *url, char **where)
{
	char	*cause = NULL;
	int	 rc;

	*where = NULL;
	if (*url == '\0')
		return cli_fail(WD_EUSAGE, "--copy-to: no database named");
	if (strstr(url, "://") == NULL) {
		*where = xstrdup(url);
		return 0;
	}
	if (config_database_path(url, where, &cause) != WD_OK) {
		rc = cli_failf(WD_EUSAGE, "--copy-to: %s", cause);
		free(cause);
		return rc;
	}
	return 0;
}

/*
 * Open the target WHERE: a database that does not exist yet, or has no
 * schema, gets the latest one (as --init makes it); one at the latest
 * schema is taken as it is (copy_database() checks that it is empty); one
 * at an older schema is refused untouched, as are another program's and
 * a newer one (db_open_existing). 0 with *DST, or the exit code.
 */
static int
cli_copy_open(const char *where, const char *shown, struct db **dst)
{
	enum wd_status	 status;
	char		*cause = NULL;
	int		 v;

	*dst = NULL;
	if (!db_where_is_pg(where) && access(where, F_OK) != 0 &&
	    errno == ENOENT)
		goto create;
	if ((status = db_open_existing(where, dst, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	v = db_schema_version(*dst);
	if (v == db_schema_latest())
		return 0;
	db_close(*dst);
	*dst = NULL;
	/* No schema (-1 on PostgreSQL: no wd_schema table yet): a new one. */
	if (v > 0)
		return cli_failf(WD_EDATA, "database %s has an older watchdog "
		    "schema (version %d, this program's is %d): --copy-to "
		    "copies only into an empty database; if it is one, run "
		    "watchdog --init on it first; nothing was changed", shown,
		    v, db_schema_latest());
create:
	if ((status = db_open(where, dst, &cause)) != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}

/* Rows copied so far, on the terminal's line. */
static void
cli_copy_progress(int64_t done, int64_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\rwatchdog: copying: %lld/%lld rows",
	    (long long)done, (long long)total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* The report line: what was copied, and where. */
static void
cli_copy_report(const struct copy_result *res, const char *shown)
{
	const char	*noun;
	int		 t, n = 0;

	printf("copied");
	for (t = 0; t < COPY_NTABLES; t++) {
		if ((noun = copy_table_noun((enum copy_table_id)t)) == NULL)
			continue;
		printf("%s %lld %s", n++ > 0 ? "," : "",
		    (long long)res->rows[t], noun);
	}
	printf(" into %s\n", shown);
}

/* --copy-to DATABASE_URL. */
int
cli_copy_to(struct cli *cli)
{
	struct copy_result	 res;
	struct db		*dst = NULL;
	enum wd_status		 status;
	char			*where = NULL, *shown = NULL, *cause = NULL;
	int			 rc;

	if ((rc = cli_copy_target(cli->mode_arg, &where)) != 0)
		return rc;
	shown = db_where_safe(where);
	/* Ours first (it may need the group), and who asks. */
	if ((rc = cli_admin_or_trusted(cli)) != 0)
		goto out;
	/*
	 * The target is the user's choice: opened only without the group
	 * (watchdog(1) SECURITY), whatever its kind (a PostgreSQL URL may
	 * name files too: sslrootcert, passfile, a socket directory).
	 */
	privilege_drop();
	if ((rc = cli_copy_open(where, shown, &dst)) != 0)
		goto out;
	status = copy_database(cli->db, dst, shown,
	    isatty(STDERR_FILENO) == 1 ? cli_copy_progress : NULL, NULL, &res,
	    &cause);
	if (status != WD_OK) {
		rc = cli_fail_cause(status, cause);
		goto out;
	}
	cli_copy_report(&res, shown);
out:
	db_close(dst);
	free(shown);
	free(where);
	return rc;
}
