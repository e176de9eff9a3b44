/*
 * test_deliver.c: delivery passes on a fixed clock: leases counted from
 * each claim, the file backend's batches.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/mailer.h"
#include "watchdog/outbox.h"
#include "watchdog/util.h"

#define nitems_of(a)	(sizeof (a) / sizeof (a)[0])

#define NOW	1795000000
#define SEND	400	/* seconds one (slow) send takes on the fake clock */

static struct config	 cfg;
static struct db	*db, *other;
static char		*dir, *unit_path;
static int64_t		 fake_now;
static int		 stolen, sends;

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	unit_path = unit_db_path(dir);
	ck_assert_int_eq(db_open(unit_path, &other, NULL), WD_OK);
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
	free(unit_path);
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

	ck_assert_int_eq(outbox_add(db, ticket, "warning", 0, NOW + 3600,
	    "a@example.org", "wd@example.org", NOW, &row, NULL), WD_OK);
	ck_assert_int_ne(row, 0);
	snprintf(text, sizeof text, "Subject: %lld\r\nMessage-ID: "
	    "<%lld@test>\r\n\r\nbody\r\n", (long long)ticket,
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

/* Files in the test's Maildir subdirectory SUB, or -1 when unreadable. */
static int
count_files(const char *sub)
{
	struct dirent	*e;
	DIR		*d;
	char		*path;
	int		 n = 0;

	path = xasprintf("%s/mail/%s", dir, sub);
	if ((d = opendir(path)) == NULL) {
		free(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	free(path);
	return n;
}

/* A message with Message-ID <N@test>. */
static char *
message(int n)
{
	return xasprintf("Subject: %d\r\nMessage-ID: <%d@test>\r\n\r\n"
	    "body\r\n", n, n);
}

START_TEST(test_file_batch)
{
	struct mailer	*mailer;
	char		*text;
	int		 i;

	cfg.email_backend = EMAIL_BACKEND_FILE;
	free(cfg.email_file_path);
	cfg.email_file_path = xasprintf("%s/mail", dir);
	ck_assert_int_eq(mailer_open(&cfg, NULL, &mailer, NULL), WD_OK);
	ck_assert(mailer_batch(mailer));
	for (i = 0; i < 3; i++) {
		text = message(i);
		ck_assert_int_eq(mailer_send(mailer, "a@example.org",
		    "b@example.org", text, strlen(text), NULL), WD_OK);
		free(text);
	}
	/* Staged, not delivered, until the flush. */
	ck_assert_int_eq(count_files("new"), 0);
	ck_assert_int_eq(count_files("tmp"), 3);
	ck_assert_int_eq(mailer_flush(mailer, NULL), WD_OK);
	ck_assert_int_eq(count_files("new"), 3);
	ck_assert_int_eq(count_files("tmp"), 0);
	/* The same messages again (a pass killed before it recorded them). */
	for (i = 0; i < 3; i++) {
		text = message(i);
		ck_assert_int_eq(mailer_send(mailer, "a@example.org",
		    "b@example.org", text, strlen(text), NULL), WD_OK);
		free(text);
	}
	ck_assert_int_eq(mailer_flush(mailer, NULL), WD_OK);
	ck_assert_int_eq(count_files("new"), 3);
	/* Staged and never flushed: nothing delivered, nothing left. */
	text = message(7);
	ck_assert_int_eq(mailer_send(mailer, "a@example.org", "b@example.org",
	    text, strlen(text), NULL), WD_OK);
	free(text);
	mailer_close(mailer);
	ck_assert_int_eq(count_files("new"), 3);
	ck_assert_int_eq(count_files("tmp"), 0);
}
END_TEST

START_TEST(test_file_pass)
{
	struct deliver_stats	 stats;
	struct mailer		*mailer;
	int64_t			 t;

	cfg.email_backend = EMAIL_BACKEND_FILE;
	free(cfg.email_file_path);
	cfg.email_file_path = xasprintf("%s/mail", dir);
	for (t = 1; t <= 2 * DELIVER_BATCH + 5; t++)
		add(t);
	ck_assert_int_eq(mailer_open(&cfg, NULL, &mailer, NULL), WD_OK);
	ck_assert_int_eq(deliver_run(db, &cfg, mailer, fake_clock, 0, NULL,
	    false, NULL, NULL, &stats, NULL), WD_OK);
	mailer_close(mailer);
	ck_assert_int_eq(stats.sent, 2 * DELIVER_BATCH + 5);
	ck_assert_int_eq(count_files("new"), 2 * DELIVER_BATCH + 5);
	ck_assert_int_eq(count_files("tmp"), 0);
	ck_assert_int_eq(unit_sql_int(unit_path, "SELECT count(*) FROM outbox "
	    "WHERE state <> 'sent'"), 0);
}
END_TEST

/*
 * Two deliveries of one message at once into one Maildir (a pass that took
 * over a lapsed lease while a background delivery still writes): each
 * writes its own file in tmp/, both renames succeed, and new/ ends with
 * one complete copy. (They wrote one tmp/ file, and the second rename
 * found it gone: that delivery failed until its retry time.)
 */
START_TEST(test_file_same_message_twice_at_once)
{
	struct mailer	*a, *b;
	char		*text, *path, buf[256];
	FILE		*f;
	size_t		 n;

	cfg.email_backend = EMAIL_BACKEND_FILE;
	free(cfg.email_file_path);
	cfg.email_file_path = xasprintf("%s/mail", dir);
	ck_assert_int_eq(mailer_open(&cfg, NULL, &a, NULL), WD_OK);
	ck_assert_int_eq(mailer_open(&cfg, NULL, &b, NULL), WD_OK);
	ck_assert(mailer_batch(a));
	ck_assert(mailer_batch(b));
	text = message(5);
	ck_assert_int_eq(mailer_send(a, "a@example.org", "b@example.org",
	    text, strlen(text), NULL), WD_OK);
	ck_assert_int_eq(mailer_send(b, "a@example.org", "b@example.org",
	    text, strlen(text), NULL), WD_OK);
	ck_assert_int_eq(count_files("tmp"), 2);
	ck_assert_int_eq(mailer_flush(a, NULL), WD_OK);
	ck_assert_int_eq(mailer_flush(b, NULL), WD_OK);
	mailer_close(a);
	mailer_close(b);
	ck_assert_int_eq(count_files("new"), 1);
	ck_assert_int_eq(count_files("tmp"), 0);
	/* Named after the Message-ID, whole. */
	path = xasprintf("%s/mail/new", dir);
	{
		DIR		*d = opendir(path);
		struct dirent	*e;
		char		*file = NULL;

		ck_assert_ptr_nonnull(d);
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				file = xasprintf("%s/%s", path, e->d_name);
		closedir(d);
		ck_assert_ptr_nonnull(file);
		ck_assert_msg(strncmp(strrchr(file, '/') + 1, "5@test.", 7) == 0,
		    "%s", file);
		ck_assert_ptr_nonnull(f = fopen(file, "r"));
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		ck_assert_uint_eq(n, strlen(text));
		ck_assert(memcmp(buf, text, n) == 0);
		free(file);
	}
	free(path);
	free(text);
}
END_TEST

/*
 * What a killed process left in tmp/ goes when it is a day and a half old
 * (the Maildir convention), not before; files not ours stay.
 */
START_TEST(test_file_stale_tmp_swept)
{
	struct timespec	 old[2] = { { 0, 0 }, { 0, 0 } };
	struct mailer	*m;
	char		*text, *p;
	FILE		*f;
	const char	*names[] = { "1@test.h,123.0000abcd",
			    "2@test.h,124.0000abcd", "foreign" };
	size_t		 i;

	cfg.email_backend = EMAIL_BACKEND_FILE;
	free(cfg.email_file_path);
	cfg.email_file_path = xasprintf("%s/mail", dir);
	ck_assert_int_eq(mailer_open(&cfg, NULL, &m, NULL), WD_OK);
	text = message(1);
	ck_assert_int_eq(mailer_send(m, "a@example.org", "b@example.org",
	    text, strlen(text), NULL), WD_OK);	/* makes the Maildir */
	free(text);
	mailer_close(m);
	old[0].tv_sec = old[1].tv_sec = time(NULL) - 37 * 3600;
	for (i = 0; i < nitems_of(names); i++) {
		p = xasprintf("%s/mail/tmp/%s", dir, names[i]);
		ck_assert_ptr_nonnull(f = fopen(p, "w"));
		fclose(f);
		if (i != 1)	/* the second is fresh: a write going on */
			ck_assert_int_eq(utimensat(AT_FDCWD, p, old, 0), 0);
		free(p);
	}
	ck_assert_int_eq(count_files("tmp"), 3);
	ck_assert_int_eq(mailer_open(&cfg, NULL, &m, NULL), WD_OK);
	text = message(2);
	ck_assert_int_eq(mailer_send(m, "a@example.org", "b@example.org",
	    text, strlen(text), NULL), WD_OK);
	free(text);
	mailer_close(m);
	ck_assert_int_eq(count_files("tmp"), 2);	/* the fresh, foreign */
	p = xasprintf("%s/mail/tmp/%s", dir, names[0]);
	ck_assert_int_ne(access(p, F_OK), 0);
	free(p);
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
	tcase_add_test(tc, test_file_batch);
	tcase_add_test(tc, test_file_pass);
	tcase_add_test(tc, test_file_same_message_twice_at_once);
	tcase_add_test(tc, test_file_stale_tmp_swept);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(deliver_suite)
