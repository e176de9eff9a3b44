/* main.c: runs every registered Check suite; exit 0 when all pass. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/user.h"
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

/* Start a suite's private PostgreSQL server; see unit.h. */
bool
unit_pg_start(struct unit_pg *pg, const char *dbs)
{
	static const char	 script[] = ". tests/pg/lib.sh && "
	    "pg_start \"$1\" >&2 && for db in $2; do "
	    "pg_createdb \"$1\" \"$db\" || exit 1; done && echo ready; "
	    "read x; pg_stop \"$1\"";
	FILE			*f;
	char			 line[16] = "";
	int			 in[2], out[2];
	pid_t			 pid;

	pg->keeper = -1;
	pg->keeper_fd = -1;
	pg->url = NULL;
	pg->ready = false;
	pg->dir = unit_tmpdir();
	if (pipe(in) != 0 || pipe(out) != 0)
		abort();
	if ((pid = fork()) == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl("/bin/sh", "sh", "-c", script, "sh", pg->dir, dbs,
		    (char *)NULL);
		_exit(127);
	}
	pg->keeper = (int)pid;
	close(in[0]);
	close(out[1]);
	pg->keeper_fd = in[1];
	if ((f = fdopen(out[0], "r")) == NULL)
		abort();
	if (fgets(line, sizeof line, f) == NULL ||
	    strcmp(line, "ready\n") != 0) {
		fclose(f);
		fprintf(stderr, "unit: the private PostgreSQL server did not "
		    "start (tests/pg/lib.sh)\n");
		return false;
	}
	fclose(f);
	return true;
}

/* Stop it; see unit.h. */
void
unit_pg_stop(struct unit_pg *pg)
{
	if (pg->keeper_fd >= 0)
		close(pg->keeper_fd);
	if (pg->keeper > 0)
		waitpid((pid_t)pg->keeper, NULL, 0);
	if (pg->dir != NULL) {
		unit_tmpdir_remove(pg->dir);	/* when it never started */
		free(pg->dir);
	}
	pg->dir = NULL;
	pg->keeper = pg->keeper_fd = -1;
	free(pg->url);
	pg->url = NULL;
	pg->ready = false;
}

/* A database's URL; see unit.h. */
char *
unit_pg_url(const struct unit_pg *pg, const char *db)
{
	return xasprintf("postgresql:///%s?host=%s&user=postgres", db,
	    pg->dir);
}

/* Start a suite's server and seed its database; see unit.h. */
void
unit_pg_seed(struct unit_pg *pg, const char *dbs, const char *const *seed)
{
	struct db	*db = NULL;
	char		*cause = NULL;

	if (!unit_pg_start(pg, dbs))
		return;
	pg->url = unit_pg_url(pg, "wd");
	if (db_open(pg->url, &db, &cause) != WD_OK) {
		fprintf(stderr, "db_open %s: %s\n", pg->url, cause);
		free(cause);
		return;
	}
	for (; *seed != NULL; seed++)
		unit_exec(db, *seed);
	db_close(db);
	pg->ready = true;
}

/* Connect to a seeded database; see unit.h. */
struct db *
unit_pg_connect(const struct unit_pg *pg)
{
	struct db	*db = NULL;
	char		*cause = NULL;

	ck_assert_msg(pg->ready, "the private PostgreSQL server did not "
	    "start (see tests/pg/lib.sh)");
	if (db_open(pg->url, &db, &cause) != WD_OK)
		ck_abort_msg("db_open: %s", cause);
	return db;
}

/* Create an account for a test; see unit.h. */
void
unit_user(struct db *db, const struct config *cfg, const char *name,
    int64_t now, struct user *u)
{
	char	*email;

	memset(u, 0, sizeof *u);
	email = xasprintf("%s@example.org", name);
	if (user_create(db, cfg, name, email, "correct horse 1", false, false,
	    NULL, now, &u->id, NULL) != WD_OK)
		ck_abort_msg("user_create %s", name);
	free(email);
	u->name = xstrdup(name);
}

/* Run constant SQL; see unit.h. */
void
unit_exec(struct db *db, const char *sql)
{
	char	*cause = NULL;

	if (db_exec(db_prepare(db, sql), &cause) != WD_OK)
		ck_abort_msg("%s: %s", sql, cause);
}

/* The integer of constant SQL; see unit.h. */
int64_t
unit_int(struct db *db, const char *sql)
{
	int64_t	 v = 0;
	char	*cause = NULL;

	if (db_one_int(db_prepare(db, sql), &v, &cause) != WD_OK)
		ck_abort_msg("%s: %s", sql, cause);
	return v;
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
