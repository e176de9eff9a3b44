/* main.c: runs every registered Check suite; exit 0 when all pass. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/util.h"

static Suite	*(*suites[64])(void);
static int	 nsuites;

void
unit_register(Suite *(*make)(void))
{
	if (nsuites == (int)(sizeof suites / sizeof suites[0]))
		abort();
	suites[nsuites++] = make;
}

char *
unit_tmpdir(void)
{
	char	*dir;

	dir = xstrdup("/tmp/watchdog-unit.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	return dir;
}

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
unit_tmpdir_remove(const char *dir)
{
	if (strncmp(dir, "/tmp/watchdog-unit.", 19) != 0)
		return;
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *
unit_db_path(const char *dir)
{
	return xasprintf("%s/db/watchdog.db", dir);
}

struct db *
unit_db(struct config *cfg, char **dir)
{
	struct db	*db = NULL;
	char		*path, *cause = NULL;

	config_defaults(cfg);
	cfg->rate_limit_create.count = 0;
	cfg->rate_limit_read.count = 0;
	*dir = unit_tmpdir();
	path = unit_db_path(*dir);
	if (db_open(path, &db, &cause) != WD_OK)
		ck_abort_msg("db_open: %s", cause);
	free(path);
	return db;
}

long long
unit_sql_int(const char *path, const char *sql)
{
	sqlite3		*conn;
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		ck_abort_msg("open %s: %s", path, sqlite3_errmsg(conn));
	sqlite3_busy_timeout(conn, 5000);
	if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("prepare %s: %s", sql, sqlite3_errmsg(conn));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(conn);
	return v;
}

int
main(void)
{
	SRunner	*sr;
	int	 i, failed, run;

	if (nsuites == 0) {
		fprintf(stderr, "unit: no suites registered\n");
		return 1;
	}
	sr = srunner_create(suites[0]());
	for (i = 1; i < nsuites; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("unit: %d passed, %d failed\n", run - failed, failed);
	return failed == 0 && run > 0 ? 0 : 1;
}
