/* test_meta.c: the meta table, and opening a database as it is. */
#include <sys/stat.h>

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/meta.h"
#include "watchdog/util.h"

/* A number goes in and comes out; a key never set is not found. */
START_TEST(test_meta_round_trip)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir;
	int64_t		 v;
	bool		 found;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(meta_get_int(db, META_LAST_CHECK_SLA, &v, &found,
	    NULL), WD_OK);
	ck_assert(!found);
	ck_assert_int_eq(meta_set_int(db, META_LAST_CHECK_SLA, 1790000000,
	    NULL), WD_OK);
	ck_assert_int_eq(meta_set_int(db, META_LAST_CHECK_SLA, 1790000300,
	    NULL), WD_OK);
	ck_assert_int_eq(meta_get_int(db, META_LAST_CHECK_SLA, &v, &found,
	    NULL), WD_OK);
	ck_assert(found);
	ck_assert_int_eq(v, 1790000300);
	/* Not a number: as good as none. */
	ck_assert_int_eq(meta_get_int(db, "instance", &v, &found, NULL),
	    WD_OK);
	ck_assert(!found);
	ck_assert_int_eq(db_depth(db), 0);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

/*
 * db_open_existing() creates nothing; db_open() makes the file 0660 less
 * the umask, not SQLite's 0644.
 */
START_TEST(test_open_existing)
{
	struct config	 cfg;
	struct db	*db;
	struct stat	 sb;
	char		*dir, *path, *cause = NULL;
	mode_t		 old;

	config_defaults(&cfg);
	dir = unit_tmpdir();
	path = unit_db_path(dir);
	ck_assert_int_ne(db_open_existing(path, &db, &cause), WD_OK);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ck_assert_int_ne(access(path, F_OK), 0);

	old = umask(007);
	ck_assert_int_eq(db_open(path, &db, NULL), WD_OK);
	umask(old);
	db_close(db);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0660);
	ck_assert_int_eq(db_open_existing(path, &db, NULL), WD_OK);
	ck_assert_int_eq(db_schema_version(db), db_schema_latest());
	ck_assert_int_eq(db_integrity_check(db, NULL), WD_OK);
	db_close(db);
	free(path);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

static Suite *
meta_suite(void)
{
	Suite	*s = suite_create("meta");
	TCase	*tc = tcase_create("meta");

	tcase_add_test(tc, test_meta_round_trip);
	tcase_add_test(tc, test_open_existing);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(meta_suite)
