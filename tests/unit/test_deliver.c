/*
 * test_deliver.c: delivery passes on a fixed clock: leases counted from
 * each claim, outcomes recorded per message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/mailer.h"
#include "watchdog/outbox.h"

#define NOW	1795000000
#define SEND	400	/* seconds one (slow) send takes on the fake clock */

static struct config	 cfg;
static struct db	*db, *other;
static char		*dir;
static int64_t		 fake_now;
static int		 stolen, sends;

static void
setup(void)
{
	char	*path;

	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	ck_assert_int_eq(db_open(path, &other, NULL), WD_OK);
	free(path);
	cfg.email_backend = EMAIL_BACKEND_CONSOLE;
	cfg.email_timeout = 30;
	fake_now = NOW;
	stolen = sends = 0;
}

static void
teardown(void)
{
	db_close(other);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	config_free(&cfg);
}

/* The fake clock: each reading after a send is SEND seconds later. */
static int64_t
fake_clock(void)
{
	return fake_now;
}

/*
 * The console the mailer writes to: while message "Subject: N" is being
 * sent, a second pass on its own connection tries to claim ticket N's
 * notice halfway through the send; then the send ends SEND seconds on.
 */
static ssize_t
console_write(void *cookie, const char *buf, size_t len)
{
	struct outbox_msg	 m;
	long long		 ticket;
	bool			 got;

	(void)cookie;
	if (sscanf(buf, "Subject: %lld", &ticket) != 1)
		return (ssize_t)len;	/* the separator line */
	sends++;
	ck_assert_int_eq(outbox_claim(other, fake_now + SEND / 2,
	    deliver_lease(&cfg), ticket, "warning", &m, &got, NULL), WD_OK);
	if (got)
		stolen++;
	outbox_msg_clear(&m);
	fake_now += SEND;
	return (ssize_t)len;
}

static void
add(int64_t ticket)
{
	char	text[64];
	int64_t	row;

	ck_assert_int_eq(outbox_add(db, ticket, "warning", NOW + 3600,
	    "a@example.org", "wd@example.org", NOW, &row, NULL), WD_OK);
	ck_assert_int_ne(row, 0);
	snprintf(text, sizeof text, "Subject: %lld\r\n\r\nbody\r\n",
	    (long long)ticket);
	ck_assert_int_eq(outbox_set_message(db, row, "<id@x>", text, NULL),
	    WD_OK);
}

START_TEST(test_lease_from_each_claim)
{
	cookie_io_functions_t	 io = { NULL, console_write, NULL, NULL };
	struct deliver_stats	 stats;
	struct mailer		*mailer;
	FILE			*console;
	int64_t			 t;

	/* Each send takes longer than the lease: a pass of 5 runs 2000 s. */
	ck_assert_int_lt(deliver_lease(&cfg), SEND * 2);
	for (t = 1; t <= 5; t++)
		add(t);
	console = fopencookie(NULL, "w", io);
	ck_assert_ptr_nonnull(console);
	setvbuf(console, NULL, _IONBF, 0);
	ck_assert_int_eq(mailer_open(&cfg, console, &mailer, NULL), WD_OK);
	ck_assert_int_eq(deliver_run(db, &cfg, mailer, fake_clock, 0, NULL,
	    false, NULL, NULL, &stats, NULL), WD_OK);
	mailer_close(mailer);
	fclose(console);
	ck_assert_int_eq(sends, 5);
	ck_assert_int_eq(stats.sent, 5);
	/* No message was free for a second pass while it was being sent. */
	ck_assert_int_eq(stolen, 0);
}
END_TEST

START_TEST(test_lease_steps)
{
	cfg.email_timeout = 2;
	ck_assert_int_eq(deliver_lease(&cfg), 2 * DELIVER_LEASE_STEPS);
	cfg.email_timeout = 30;
	ck_assert_int_eq(deliver_lease(&cfg), 300);
}
END_TEST

static Suite *
deliver_suite(void)
{
	Suite	*s = suite_create("deliver");
	TCase	*tc = tcase_create("deliver");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lease_from_each_claim);
	tcase_add_test(tc, test_lease_steps);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(deliver_suite)
