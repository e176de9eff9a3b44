/*
 * test_django.c: what --import-django relies on: Django's pbkdf2_sha256
 * hashes checked with known vectors, a DRF key stored hashed and
 * accepted, and an imported ticket's notices marked by the SLA rule.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/django_hash.h"
#include "watchdog/ticket.h"
#include "watchdog/token.h"
#include "watchdog/user.h"

#define NOW	1795000000

START_TEST(test_hash_vectors)
{
	/* RFC 7914 section 11: PBKDF2-HMAC-SHA256("passwd", "salt", 1). */
	ck_assert_int_eq(django_hash_verify("pbkdf2_sha256$1$salt$"
	    "VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=", "passwd"), 1);
	/* Python: hashlib.pbkdf2_hmac('sha256', b'letmein', b'seasalt', 1000). */
	ck_assert_int_eq(django_hash_verify("pbkdf2_sha256$1000$seasalt$"
	    "R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=", "letmein"), 1);
	ck_assert_int_eq(django_hash_verify("pbkdf2_sha256$1000$seasalt$"
	    "R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=", "letmein!"), 0);
	/* Another count is another hash. */
	ck_assert_int_eq(django_hash_verify("pbkdf2_sha256$1001$seasalt$"
	    "R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=", "letmein"), 0);
	ck_assert(django_hash_is("pbkdf2_sha256$1$s$x"));
	ck_assert(!django_hash_is("$argon2id$v=19$m=65536,t=2,p=1$x$y"));
}
END_TEST

START_TEST(test_hash_malformed)
{
	static const char *const bad[] = {
		"pbkdf2_sha1$1000$seasalt$R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=",
		"pbkdf2_sha256$0$seasalt$R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=",
		"pbkdf2_sha256$99999999999$seasalt$R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=",
		"pbkdf2_sha256$1000$$R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=",
		"pbkdf2_sha256$1000$seasalt$R1/GfWtwog1T8Ev9",
		"pbkdf2_sha256$1000$seasalt$not base64!",
		"pbkdf2_sha256$1000$seasalt",
		"pbkdf2_sha256$x$seasalt$R1/GfWtwog1T8Ev9VndgDjzkiRzbFr8JpmJtL9cMmQU=",
		"!unusable",
		"",
	};
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(django_hash_verify(bad[i], "letmein") == -1,
		    "%s", bad[i]);
}
END_TEST

START_TEST(test_django_key)
{
	static const char key[] = "0123456789abcdef0123456789abcdef01234567";
	struct config	 cfg;
	struct db	*db;
	struct user	 u;
	char		*dir, *path;
	int64_t		 id, tid;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	ck_assert_int_eq(user_create(db, &cfg, "alice", "a@example.org",
	    "correct horse 1", false, false, NULL, NOW, &id, NULL), WD_OK);
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	ck_assert_int_eq(token_import_django(db, id, key, NOW - 50, &tid,
	    NULL), WD_OK);
	ck_assert_int_eq(token_import_django(db, id, "0123", NOW, &tid,
	    NULL), WD_EDATA);
	ck_assert_int_eq(token_import_django(db, id,
	    "0123456789ABCDEF0123456789abcdef01234567", NOW, &tid, NULL),
	    WD_EDATA);
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	/* Only the hash is kept, under a selector ours never have. */
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tokens "
	    "WHERE selector = '!dj0123456789ab' AND length(hash) = 32 AND "
	    "created_at = 1794999950"), 1);
	ck_assert_int_eq(token_authenticate(db, key, NOW, &u, NULL), WD_OK);
	ck_assert_int_eq(u.id, id);
	user_clear(&u);
	/* The same selector, another key. */
	ck_assert_int_eq(token_authenticate(db,
	    "0123456789abcdef0123456789abcdef01234568", NOW, &u, NULL),
	    WD_EAUTH);
	free(path);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

START_TEST(test_ticket_notices)
{
	struct config		 cfg;
	struct ticket_import	 ti;
	struct db		*db;
	char			*dir, *path;
	int64_t			 uid, a, b, c;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	ck_assert_int_eq(user_create(db, &cfg, "alice", "a@example.org",
	    "correct horse 1", false, false, NULL, NOW, &uid, NULL), WD_OK);
	memset(&ti, 0, sizeof ti);
	ti.title = "t";
	ti.description = "";
	ti.owner_id = uid;
	ti.by_id = uid;
	ti.created_at = NOW - 86400;
	ti.has_deadline = true;
	ti.deadline = NOW + 1800;
	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	ti.django_id = 1;
	ck_assert_int_eq(ticket_import(db, &cfg.sla, &ti, NOW, &a, NULL),
	    WD_OK);
	ti.django_id = 2;
	ti.warning_sent = true;
	ck_assert_int_eq(ticket_import(db, &cfg.sla, &ti, NOW, &b, NULL),
	    WD_OK);
	ti.django_id = 3;
	ti.deadline = NOW - 60;
	ti.missed_sent = true;
	ck_assert_int_eq(ticket_import(db, &cfg.sla, &ti, NOW, &c, NULL),
	    WD_OK);
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	/* Not warned: the warning is due (one hour before the deadline). */
	ck_assert_int_eq(unit_sql_int(path, "SELECT sla_notified * 1000000000"
	    " + coalesce(sla_next_at, 0) FROM tickets WHERE id = 1"),
	    NOW + 1800 - 3600);
	/* Warned: the next is the missed notice, at the deadline. */
	ck_assert_int_eq(unit_sql_int(path, "SELECT sla_notified * 10000000000"
	    " + sla_next_at FROM tickets WHERE id = 2"),
	    10000000000LL + NOW + 1800);
	/* Missed sent: nothing more. */
	ck_assert_int_eq(unit_sql_int(path, "SELECT sla_notified * 10 + "
	    "(sla_next_at IS NULL) FROM tickets WHERE id = 3"), 21);
	ck_assert_int_eq(unit_sql_int(path, "SELECT created_at FROM tickets "
	    "WHERE id = 3"), NOW - 86400);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM "
	    "ticket_history WHERE new_value = 'imported from Django ticket "
	    "#3'"), 1);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM outbox"), 0);
	free(path);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

static Suite *
django_suite(void)
{
	Suite	*s = suite_create("django");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_hash_vectors);
	tcase_add_test(tc, test_hash_malformed);
	tcase_add_test(tc, test_django_key);
	tcase_add_test(tc, test_ticket_notices);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(django_suite)
