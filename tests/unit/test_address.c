/* test_address.c: address_valid(). */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/address.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

static const char *const good[] = {
	"a@b",
	"watchdog@localhost",
	"first.last@example.com",
	"o'brien@example.com",
	"user+tag@sub.example.co.uk",
	"UPPER@EXAMPLE.COM",
	"x@a-b.example",
	"x@1.2.3.4",
	"!#$%&'*+-/=?^_`{|}~@example.org",
	"a.b.c@x9.y-z.example",
	/* 64 characters before the '@', labels of 63 */
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    ".example",
};

static const struct {
	const char	*address;
	const char	*why;		/* a part of the reason */
} bad[] = {
	{ "", "empty" },
	{ "no-at-sign", "no '@'" },
	{ "a@b@c", "more than one '@'" },
	{ "a@@b", "more than one '@'" },
	{ "@example.com", "nothing before '@'" },
	{ "user@", "nothing after '@'" },
	{ "a b@example.com", "space" },
	{ "a@exa mple.com", "space" },
	{ "<a@example.com>", "angle bracket" },
	{ "Name <a@example.com>", "space" },
	{ "\"a\"@example.com", "double quote" },
	{ "a,b@example.com", "comma" },
	{ "a@example.com,b@example.com", "comma" },
	{ "a\n@example.com", "control" },
	{ "a@example.com\r", "control" },
	{ "a\t@example.com", "control" },
	{ "a\x7f@example.com", "control" },
	{ "\xc3\xa9t\xc3\xa9@example.com", "non-ASCII" },
	{ ".a@example.com", "misplaced '.'" },
	{ "a.@example.com", "misplaced '.'" },
	{ "a..b@example.com", "misplaced '.'" },
	{ "a(b)@example.com", "not allowed before" },
	{ "a\\b@example.com", "not allowed before" },
	{ "a;b@example.com", "not allowed before" },
	{ "a:b@example.com", "not allowed before" },
	{ "a[b]@example.com", "not allowed before" },
	{ "a@.example.com", "empty label" },
	{ "a@example.com.", "empty label" },
	{ "a@example..com", "empty label" },
	{ "a@-example.com", "starts with '-'" },
	{ "a@example-.com", "ends with '-'" },
	{ "a@exa_mple.com", "not allowed in the host name" },
	{ "a@[192.0.2.1]", "not allowed in the host name" },
	{ "a@example.com:25", "not allowed in the host name" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "@example.com", "more than 64" },
	{ "a@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    ".example", "longer than 63" },
};

START_TEST(test_address_good)
{
	const char	*why = "unchanged";

	ck_assert_msg(address_valid(good[_i], &why), "rejected %s: %s",
	    good[_i], why != NULL ? why : "(null)");
	ck_assert_ptr_null(why);
	ck_assert(address_valid(good[_i], NULL));
}
END_TEST

START_TEST(test_address_bad)
{
	const char	*why = NULL;

	ck_assert_msg(!address_valid(bad[_i].address, &why),
	    "accepted bad address %zu", (size_t)_i);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, bad[_i].why) != NULL,
	    "address %zu: reason '%s' does not say '%s'", (size_t)_i, why,
	    bad[_i].why);
	ck_assert(!address_valid(bad[_i].address, NULL));
}
END_TEST

START_TEST(test_address_null)
{
	const char	*why = NULL;

	ck_assert(!address_valid(NULL, &why));
	ck_assert_str_eq(why, "empty");
}
END_TEST

/* 254 characters is the longest address; 255 is refused. */
START_TEST(test_address_length)
{
	char		 buf[300];
	const char	*why;
	size_t		 i;

	memset(buf, 0, sizeof buf);
	for (i = 0; i < 64; i++)
		buf[i] = 'a';
	buf[64] = '@';
	for (i = 65; i < 255; i++)
		buf[i] = (i - 65) % 50 == 49 ? '.' : 'b';
	ck_assert_uint_eq(strlen(buf), 255);
	ck_assert(!address_valid(buf, &why));
	ck_assert_str_eq(why, "longer than 254 characters");
	buf[254] = '\0';
	ck_assert_msg(address_valid(buf, &why), "254: %s", why);
}
END_TEST

/* Mailboxes: a display name and the address, or the address alone. */
START_TEST(test_address_mailbox)
{
	static const struct {
		const char	*in, *name, *addr;
	} good_mb[] = {
		{ "a@example.com", NULL, "a@example.com" },
		{ "  a@example.com ", NULL, "a@example.com" },
		{ "<a@example.com>", NULL, "a@example.com" },
		{ "SLA Watchdog <noreply@example.com>", "SLA Watchdog",
		    "noreply@example.com" },
		{ "\"SLA Watchdog\"<noreply@example.com>", "SLA Watchdog",
		    "noreply@example.com" },
		{ "\"A \\\"B\\\" \\\\ C\" <x@y.org>", "A \"B\" \\ C", "x@y.org" },
		{ "\"Ops, Berlin\" <x@y.org>", "Ops, Berlin", "x@y.org" },
		{ "Z\xc3\xbcrich <x@y.org>", "Z\xc3\xbcrich", "x@y.org" },
		{ "\"\" <x@y.org>", NULL, "x@y.org" },
	};
	static const char *const bad_mb[] = {
		"", "Name", "Name <>", "Name <x@y.org", "Name x@y.org>",
		"<<x@y.org>>", "A\"B <x@y.org>", "A<B <x@y.org>",
		"\"A\"B\" <x@y.org>", "Bad\xff <x@y.org>", "Tab\there <x@y.org>",
		"Name <x@y.org>\r\nBcc: z@y.org", "Name <x@y.org> trailing",
	};
	char		*name, *addr;
	const char	*why;
	size_t		 i;

	for (i = 0; i < sizeof good_mb / sizeof good_mb[0]; i++) {
		ck_assert_msg(address_parse_mailbox(good_mb[i].in, &name, &addr,
		    &why), "%s: %s", good_mb[i].in, why);
		ck_assert_str_eq(addr, good_mb[i].addr);
		if (good_mb[i].name == NULL)
			ck_assert_ptr_null(name);
		else
			ck_assert_str_eq(name, good_mb[i].name);
		free(name);
		free(addr);
	}
	for (i = 0; i < sizeof bad_mb / sizeof bad_mb[0]; i++) {
		why = NULL;
		ck_assert_msg(!address_parse_mailbox(bad_mb[i], &name, &addr,
		    &why), "accepted %s", bad_mb[i]);
		ck_assert_ptr_nonnull(why);
		ck_assert_ptr_null(name);
		ck_assert_ptr_null(addr);
	}
}
END_TEST

static Suite *
address_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("address");
	tc = tcase_create("valid");
	tcase_add_loop_test(tc, test_address_good, 0, (int)nitems(good));
	tcase_add_test(tc, test_address_length);
	suite_add_tcase(s, tc);
	tc = tcase_create("invalid");
	tcase_add_loop_test(tc, test_address_bad, 0, (int)nitems(bad));
	tcase_add_test(tc, test_address_null);
	tcase_add_test(tc, test_address_mailbox);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(address_suite)
