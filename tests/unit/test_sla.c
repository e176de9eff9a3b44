/* test_sla.c: the SLA state of a ticket at fixed times. */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"
#include "watchdog/sla.h"

#define DEADLINE	1795788000LL	/* 2026-11-27T14:00:00Z */
#define WARN		3600LL		/* SLA_WARNING_MINUTES=60 */

/* One open ticket at one moment. */
struct sla_open_case {
	int64_t		warn;
	int64_t		now;
	enum sla_state	want;
};

static const struct sla_open_case sla_open_cases[] = {
	{ WARN, DEADLINE - 86400, SLA_OK },
	{ WARN, DEADLINE - WARN - 1, SLA_OK },
	{ WARN, DEADLINE - WARN, SLA_WARNING },
	{ WARN, DEADLINE - WARN + 1, SLA_WARNING },
	{ WARN, DEADLINE - 1, SLA_WARNING },
	{ WARN, DEADLINE, SLA_MISSED },
	{ WARN, DEADLINE + 1, SLA_MISSED },
	{ WARN, DEADLINE + 86400 * 365, SLA_MISSED },
	/* no warning window: straight from ok to missed */
	{ 0, DEADLINE - 1, SLA_OK },
	{ 0, DEADLINE, SLA_MISSED },
	{ -WARN, DEADLINE - 1, SLA_OK },
	{ -WARN, DEADLINE - WARN, SLA_OK },
	/* windows and times at the ends of the range */
	{ INT64_MAX, 0, SLA_WARNING },
	{ INT64_MAX, INT64_MIN, SLA_OK },
	{ 1, INT64_MIN, SLA_OK },
	{ 1, INT64_MAX, SLA_MISSED },
};

START_TEST(test_sla_open)
{
	const struct sla_open_case	*c = &sla_open_cases[_i];
	enum sla_state			 got;

	got = sla_state_of(false, DEADLINE, 0, c->warn, c->now);
	ck_assert_msg(got == c->want,
	    "case %d: warn %lld now %lld: got %s, want %s", _i,
	    (long long)c->warn, (long long)c->now, sla_state_name(got),
	    sla_state_name(c->want));
}
END_TEST

START_TEST(test_sla_resolved)
{
	/* resolved_at decides; now and the warning window do not */
	ck_assert_int_eq(sla_state_of(true, DEADLINE, DEADLINE - 7200, WARN,
	    DEADLINE + 86400), SLA_MET);
	ck_assert_int_eq(sla_state_of(true, DEADLINE, DEADLINE - 60, WARN,
	    DEADLINE - 7200), SLA_MET);
	ck_assert_int_eq(sla_state_of(true, DEADLINE, DEADLINE, WARN,
	    DEADLINE + 1), SLA_MET);
	ck_assert_int_eq(sla_state_of(true, DEADLINE, DEADLINE + 1, WARN,
	    DEADLINE + 1), SLA_BREACHED);
	ck_assert_int_eq(sla_state_of(true, DEADLINE, DEADLINE + 86400, 0,
	    DEADLINE - 86400), SLA_BREACHED);
	/* an open ticket ignores a stale resolved_at */
	ck_assert_int_eq(sla_state_of(false, DEADLINE, DEADLINE - 7200, WARN,
	    DEADLINE + 1), SLA_MISSED);
}
END_TEST

START_TEST(test_sla_extremes)
{
	/* deadline - warn_secs overflows: the window reaches back forever */
	ck_assert_int_eq(sla_state_of(false, -10, 0, INT64_MAX, INT64_MIN),
	    SLA_WARNING);
	ck_assert_int_eq(sla_state_of(false, INT64_MIN, 0, INT64_MAX,
	    INT64_MIN), SLA_MISSED);
	ck_assert_int_eq(sla_state_of(false, INT64_MAX, 0, 1, INT64_MAX - 1),
	    SLA_WARNING);
	ck_assert_int_eq(sla_state_of(false, INT64_MAX, 0, 1, INT64_MAX - 2),
	    SLA_OK);
}
END_TEST

START_TEST(test_sla_names)
{
	ck_assert_str_eq(sla_state_name(SLA_OK), "ok");
	ck_assert_str_eq(sla_state_name(SLA_WARNING), "warning");
	ck_assert_str_eq(sla_state_name(SLA_MISSED), "missed");
	ck_assert_str_eq(sla_state_name(SLA_MET), "met");
	ck_assert_str_eq(sla_state_name(SLA_BREACHED), "breached");
	ck_assert_str_eq(sla_state_name((enum sla_state)5), "unknown");
	ck_assert_str_eq(sla_state_name((enum sla_state)-1), "unknown");
}
END_TEST

/*
 * sla_state_deadlines gives the deadlines that sla_state_of puts in each
 * open state: checked on both sides of every edge, at a fixed clock.
 */
START_TEST(test_sla_deadlines)
{
	const enum sla_state	 states[] = { SLA_OK, SLA_WARNING, SLA_MISSED };
	const int64_t		 now = DEADLINE, warns[] = { 0, WARN };
	const int64_t		 offs[] = { INT64_MIN / 2, -WARN, -1, 0, 1,
				     WARN - 1, WARN, WARN + 1, 2 * WARN };
	int64_t			 lo, hi, d;
	size_t			 s, w, i;

	for (w = 0; w < 2; w++)
	for (s = 0; s < 3; s++) {
		ck_assert(sla_state_deadlines(states[s], warns[w], now, &lo,
		    &hi));
		for (i = 0; i < sizeof offs / sizeof offs[0]; i++) {
			d = now + offs[i];
			ck_assert_msg((d >= lo && d <= hi) ==
			    (sla_state_of(false, d, 0, warns[w], now) ==
			    states[s]), "state %d warn %lld offset %lld",
			    (int)states[s], (long long)warns[w],
			    (long long)offs[i]);
		}
	}
	ck_assert(!sla_state_deadlines(SLA_MET, WARN, now, &lo, &hi));
	ck_assert(!sla_state_deadlines(SLA_BREACHED, WARN, now, &lo, &hi));
	ck_assert(sla_state_deadlines(SLA_OK, WARN, INT64_MAX, &lo, &hi));
	ck_assert_int_eq(lo, INT64_MAX);
}
END_TEST

static Suite *
sla_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("sla");
	tc = tcase_create("state");
	tcase_add_loop_test(tc, test_sla_open, 0,
	    (int)(sizeof sla_open_cases / sizeof sla_open_cases[0]));
	tcase_add_test(tc, test_sla_resolved);
	tcase_add_test(tc, test_sla_extremes);
	tcase_add_test(tc, test_sla_names);
	tcase_add_test(tc, test_sla_deadlines);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(sla_suite)
