/*
 * test_api_core.c: the core pieces of watchdog --serve: the listening
 * address (netaddr.c), the request body (jsonbody.c) and the Django
 * fields of a ticket (ticket_django.c), on a fixed clock.
 */
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/jsonbody.h"
#include "watchdog/netaddr.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_django.h"
#include "watchdog/user.h"

#define NOW	1795000000

START_TEST(test_netaddr)
{
	static const char *const bad[] = { "", "8000", "localhost:8000",
	    "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
	    "::1:8000", "[::1]", "[127.0.0.1]:80", "1.2.3.4:80x", NULL };
	struct netaddr	 na;
	char		*cause = NULL;
	size_t		 i;

	ck_assert_int_eq(netaddr_parse("127.0.0.1:8000", &na, NULL), WD_OK);
	ck_assert_int_eq(na.family, AF_INET);
	ck_assert_int_eq(ntohs(((struct sockaddr_in *)&na.ss)->sin_port), 8000);
	ck_assert_int_eq(netaddr_parse("[::1]:443", &na, NULL), WD_OK);
	ck_assert_int_eq(na.family, AF_INET6);
	ck_assert_int_eq(netaddr_parse(NETADDR_DEFAULT, &na, NULL), WD_OK);
	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(netaddr_parse(bad[i], &na, &cause) == WD_EDATA,
		    "%s", bad[i]);
		ck_assert_ptr_nonnull(strstr(cause, "ADDR:PORT"));
		free(cause);
		cause = NULL;
	}
}
END_TEST

START_TEST(test_jsonbody)
{
	static const char *const bad[] = { "", "[]", "42", "\"x\"", "null",
	    "{", "{\"a\": 1,}", "{\"a\": 1} x", "{'a': 1}",
	    "{\"a\": 1, \"a\": 2}", "{\"a\": \"\xff\"}", NULL };
	struct config			 cfg;
	struct jsonbody			 b;
	const struct jsonbody_member	*m;
	struct db			*db;
	char				*dir, *cause = NULL;
	const char			*ok = "{\"title\": \"Disk \\u00e9\", "
	    "\"n\": 3, \"x\": null, \"t\": true, \"o\": {\"a\": 1}}";
	size_t				 i;

	db = unit_db(&cfg, &dir);
	ck_assert_int_eq(jsonbody_parse(db, ok, strlen(ok), &b, NULL), WD_OK);
	ck_assert_uint_eq(b.n, 5);
	m = jsonbody_get(&b, "title");
	ck_assert_int_eq(m->type, JSONBODY_TEXT);
	ck_assert_str_eq(m->value, "Disk \xc3\xa9");
	ck_assert_int_eq(jsonbody_get(&b, "n")->type, JSONBODY_INTEGER);
	ck_assert_int_eq(jsonbody_get(&b, "x")->type, JSONBODY_NULL);
	ck_assert_int_eq(jsonbody_get(&b, "t")->type, JSONBODY_TRUE);
	ck_assert_int_eq(jsonbody_get(&b, "o")->type, JSONBODY_OBJECT);
	ck_assert_ptr_null(jsonbody_get(&b, "o")->value);
	ck_assert_ptr_null(jsonbody_get(&b, "a"));
	jsonbody_clear(&b);
	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(jsonbody_parse(db, bad[i], strlen(bad[i]), &b,
		    &cause) == WD_EDATA, "%s", bad[i]);
		ck_assert_uint_eq(b.n, 0);
		free(cause);
		cause = NULL;
	}
	/* A NUL byte inside is refused, not cut short. */
	ck_assert_int_eq(jsonbody_parse(db, "{}\0{", 4, &b, &cause), WD_EDATA);
	free(cause);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

/* The Django fields of ticket ID at NOW + AT. */
static char *
django(struct db *db, const struct config *cfg, int64_t id, int64_t at)
{
	char	*json = NULL, *out = NULL;

	ck_assert_int_eq(ticket_json(db, &cfg->sla, id, NOW + at, false, &json,
	    NULL), WD_OK);
	ck_assert_int_eq(ticket_django_json(db, json, &out, NULL), WD_OK);
	free(json);
	return out;
}

START_TEST(test_django_fields)
{
	struct config		 cfg;
	struct ticket_fields	 f;
	struct user		 u;
	struct db		*db;
	char			*dir, *out;
	int64_t			 id;

	db = unit_db(&cfg, &dir);
	memset(&u, 0, sizeof u);
	ck_assert_int_eq(user_create(db, &cfg, "alice", "a@example.org",
	    "correct horse 1", true, false, NULL, NOW, &u.id, NULL), WD_OK);
	u.name = (char *)(uintptr_t)"alice";
	memset(&f, 0, sizeof f);
	f.title = "Disk full";
	f.has_deadline = true;
	f.deadline = NOW + 7200;
	ck_assert_int_eq(ticket_create(db, &cfg, &u, &f, NOW, &id, NULL),
	    WD_OK);
	out = django(db, &cfg, id, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"sla_missed\":false,"
	    "\"sla_warning_sent\":false}"));
	ck_assert_ptr_nonnull(strstr(out, "\"title\":\"Disk full\""));
	free(out);
	/* Past the deadline: missed, though no pass has queued anything. */
	out = django(db, &cfg, id, 7200);
	ck_assert_ptr_nonnull(strstr(out, "\"sla_missed\":true"));
	ck_assert_ptr_nonnull(strstr(out, "\"sla_warning_sent\":false"));
	free(out);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}
END_TEST

static Suite *
api_core_suite(void)
{
	Suite	*s = suite_create("api_core");
	TCase	*tc = tcase_create("api_core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_netaddr);
	tcase_add_test(tc, test_jsonbody);
	tcase_add_test(tc, test_django_fields);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(api_core_suite)
