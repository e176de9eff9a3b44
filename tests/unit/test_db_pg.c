/*
 * test_db_pg.c: what the PostgreSQL engine does without a server (with
 * one: test_db_pg_server.c): named parameters translated to $N, the
 * password hidden in messages, the search words as a tsquery.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/db.h"
#include "watchdog/db_pg.h"
#include "watchdog/ticket_query.h"
#include "watchdog/util.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* Translate SQL; check the text and the parameter names (":a,:b"). */
static void
check_translate(const char *sql, const char *want, const char *names)
{
	struct strbuf	  sb;
	char		**n, *text;
	int		  nn, i;

	text = db_pg_translate(sql, &n, &nn);
	ck_assert_str_eq(text, want);
	memset(&sb, 0, sizeof sb);
	strbuf_addstr(&sb, "");
	for (i = 0; i < nn; i++) {
		strbuf_addf(&sb, "%s%s", i > 0 ? "," : "", n[i]);
		free(n[i]);
	}
	ck_assert_str_eq(sb.buf, names);
	strbuf_free(&sb);
	free(n);
	free(text);
}

START_TEST(test_translate)
{
	check_translate("SELECT 1", "SELECT 1", "");
	check_translate("SELECT * FROM t WHERE id = :id",
	    "SELECT * FROM t WHERE id = $1", ":id");
	/* A name used twice is one parameter; order of first use. */
	check_translate("UPDATE t SET a = :now, b = :x WHERE c < :now",
	    "UPDATE t SET a = $1, b = $2 WHERE c < $1", ":now,:x");
	/* Casts, quoted text and identifiers, comments are left alone. */
	check_translate("SELECT :v::bigint, ':no', \":nor\", x -- :nay\n"
	    "FROM t WHERE y = :y_2",
	    "SELECT $1::bigint, ':no', \":nor\", x -- :nay\n"
	    "FROM t WHERE y = $2", ":v,:y_2");
	check_translate("SELECT 'it''s :not' || :a",
	    "SELECT 'it''s :not' || $1", ":a");
	/* A name ends at the first character that cannot be in one. */
	check_translate("VALUES (:a,:b)", "VALUES ($1,$2)", ":a,:b");
}
END_TEST

START_TEST(test_where_safe)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "/var/lib/watchdog/watchdog.db",
		    "/var/lib/watchdog/watchdog.db" },
		{ "postgresql://db.example.com/wd",
		    "postgresql://db.example.com/wd" },
		{ "postgresql://alice@db/wd", "postgresql://alice@db/wd" },
		{ "postgresql://alice:S3CR3T@db:5432/wd?sslmode=verify-full",
		    "postgresql://alice:***@db:5432/wd?sslmode=verify-full" },
		{ "postgres:///wd?host=/run/postgresql&password=S3CR3T&"
		    "application_name=wd", "postgres:///wd?host=/run/postgresql&"
		    "password=***&application_name=wd" },
		{ "postgresql://a:p@ss@h/wd", "postgresql://a:***@h/wd" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < nitems(cases); i++) {
		s = db_where_safe(cases[i].in);
		ck_assert_str_eq(s, cases[i].out);
		ck_assert_ptr_null(strstr(s, "S3CR3T"));
		free(s);
	}
	ck_assert(db_where_is_pg("postgresql://h/d"));
	ck_assert(db_where_is_pg("postgres://h/d"));
	ck_assert(!db_where_is_pg("/srv/postgresql://x"));
}
END_TEST

START_TEST(test_tsquery)
{
	char	*m, *q;

	m = ticket_query_match("café  o'neil say\"hi\"");
	ck_assert_ptr_nonnull(m);
	q = ticket_query_tsquery(m);
	ck_assert_str_eq(q, "'café':* & 'o''neil':* & 'say\"hi\"':*");
	free(q);
	free(m);
	q = ticket_query_tsquery("\"back\\\\slash\"*");
	ck_assert_str_eq(q, "'back\\\\\\\\slash':*");
	free(q);
}
END_TEST

static Suite *
db_pg_suite(void)
{
	Suite	*s = suite_create("db_pg");
	TCase	*tc = tcase_create("db_pg");

	tcase_add_test(tc, test_translate);
	tcase_add_test(tc, test_where_safe);
	tcase_add_test(tc, test_tsquery);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(db_pg_suite)
