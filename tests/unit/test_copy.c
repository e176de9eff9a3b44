/*
 * test_copy.c: --copy-to's core (copy.c): the tables it copies are the
 * schema's, its statements name the same columns, a table or a column
 * the schema gains and the copy does not know stops it, a database is
 * copied whole, ids and sequence kept, and a target that is not empty is
 * refused with nothing written.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/copy.h"
#include "watchdog/db.h"
#include "watchdog/ticket.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000
#define HOUR	3600

/* The schema of a new database is the copier's. */
START_TEST(test_copy_schema_matches)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir, *cause = NULL;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(copy_schema_check(db, &cause), WD_OK);
	ck_assert_ptr_null(cause);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

/*
 * After ALTER (SQL that changes a new database's schema), the copier
 * refuses with WD_ESOFTWARE, its message holding WANT.
 */
static void
schema_refused(const char *alter, const char *want)
{
	struct config	 cfg;
	struct db	*db;
	char		*dir, *cause = NULL;

	db = unit_db(&cfg, &dir);
	unit_exec(db, alter);
	ck_assert_int_eq(copy_schema_check(db, &cause), WD_ESOFTWARE);
	ck_assert_ptr_nonnull(strstr(cause, want));
	free(cause);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}

/* A table the migrations would add, and the copier does not know. */
START_TEST(test_copy_schema_new_table)
{
	schema_refused("CREATE TABLE watchers (ticket_id INTEGER, user_id "
	    "INTEGER)", "table watchers");
}
END_TEST

/* A column the migrations would add to a table the copier knows. */
START_TEST(test_copy_schema_new_column)
{
	schema_refused("ALTER TABLE comments ADD COLUMN edited_at INTEGER",
	    "column edited_at of table comments");
}
END_TEST

/*
 * Each table's SELECT reads its columns in the declared order, and its
 * INSERT binds each to the parameter of its name.
 */
START_TEST(test_copy_statements)
{
	const char *const	*cols;
	struct strbuf		 sel, ins;
	int			 t, i;

	for (t = 0; t < COPY_NTABLES; t++) {
		cols = copy_table_columns((enum copy_table_id)t);
		memset(&sel, 0, sizeof sel);
		memset(&ins, 0, sizeof ins);
		strbuf_addstr(&sel, "SELECT ");
		strbuf_addf(&ins, "INSERT INTO %s (",
		    copy_table_name((enum copy_table_id)t));
		for (i = 0; cols[i] != NULL; i++) {
			strbuf_addf(&sel, "%s%s", i > 0 ? ", " : "", cols[i]);
			strbuf_addf(&ins, "%s%s", i > 0 ? ", " : "", cols[i]);
		}
		strbuf_addf(&sel, " FROM %s ",
		    copy_table_name((enum copy_table_id)t));
		strbuf_addstr(&ins, ") VALUES (");
		for (i = 0; cols[i] != NULL; i++)
			strbuf_addf(&ins, "%s:%s", i > 0 ? ", " : "", cols[i]);
		strbuf_addstr(&ins, ")");
		ck_assert_msg(strncmp(copy_table_select((enum copy_table_id)t),
		    sel.buf, strlen(sel.buf)) == 0, "%s", sel.buf);
		ck_assert_str_eq(copy_table_insert((enum copy_table_id)t),
		    ins.buf);
		strbuf_free(&sel);
		strbuf_free(&ins);
	}
}
END_TEST

/* An account and a few tickets, one deleted (its id never given again). */
static void
fill(struct db *db, struct config *cfg)
{
	struct ticket_fields	 f;
	struct user		 alice;
	int64_t			 id;
	int			 i;

	memset(&alice, 0, sizeof alice);
	ck_assert_int_eq(user_create(db, cfg, "alice", "a@example.org",
	    "correct horse 1", true, false, NULL, NOW, &alice.id, NULL),
	    WD_OK);
	alice.name = xstrdup("alice");
	alice.admin = true;
	memset(&f, 0, sizeof f);
	f.title = "Printer on fire";
	f.has_deadline = true;
	f.deadline = NOW + HOUR;
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(ticket_create(db, cfg, &alice, &f, NOW, &id,
		    NULL), WD_OK);
	ck_assert_int_eq(ticket_delete(db, &alice, id, NOW, NULL), WD_OK);
	user_clear(&alice);
}

/* A whole copy: every table counted, ids and the high mark kept. */
START_TEST(test_copy_whole)
{
	struct copy_result	 res;
	struct config		 cfg, cfg2;
	struct db		*src, *dst;
	char			*dir, *dir2, *cause = NULL;

	src = unit_db(&cfg, &dir);
	dst = unit_db(&cfg2, &dir2);
	fill(src, &cfg);
	ck_assert_int_eq(copy_database(src, dst, "target", NULL, NULL, &res,
	    &cause), WD_OK);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(res.rows[COPY_USERS], 1);
	ck_assert_int_eq(res.rows[COPY_TICKETS], 2);
	ck_assert_int_eq(unit_int(dst, "SELECT max(id) FROM tickets"), 2);
	ck_assert_int_eq(unit_int(dst, "SELECT seq FROM sqlite_sequence "
	    "WHERE name = 'tickets'"), 3);
	ck_assert_int_eq(unit_int(dst, "SELECT n FROM ticket_counts"), 2);
	ck_assert_int_eq(unit_int(dst, "SELECT count(*) FROM ticket_history"),
	    unit_int(src, "SELECT count(*) FROM ticket_history"));
	ck_assert_int_eq(unit_int(dst, "SELECT count(*) FROM audit"),
	    unit_int(src, "SELECT count(*) FROM audit"));
	/* The full-text index was made anew. */
	ck_assert_int_eq(unit_int(dst, "SELECT count(*) FROM ticket_search "
	    "WHERE ticket_search MATCH 'printer'"), 2);

	/* Again into the same one: not empty, nothing written. */
	ck_assert_int_eq(copy_database(src, dst, "target", NULL, NULL, &res,
	    &cause), WD_EDATA);
	ck_assert_ptr_nonnull(strstr(cause, "target is not empty"));
	free(cause);
	ck_assert_int_eq(unit_int(dst, "SELECT count(*) FROM tickets"), 2);
	ck_assert_int_eq(db_depth(src), 0);
	ck_assert_int_eq(db_depth(dst), 0);
	db_close(src);
	db_close(dst);
	unit_tmpdir_remove(dir);
	unit_tmpdir_remove(dir2);
	free(dir);
	free(dir2);
	config_free(&cfg);
	config_free(&cfg2);
}
END_TEST

static Suite *
copy_suite(void)
{
	Suite	*s = suite_create("copy");
	TCase	*tc = tcase_create("copy");

	tcase_add_test(tc, test_copy_schema_matches);
	tcase_add_test(tc, test_copy_schema_new_table);
	tcase_add_test(tc, test_copy_schema_new_column);
	tcase_add_test(tc, test_copy_statements);
	tcase_add_test(tc, test_copy_whole);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(copy_suite)
