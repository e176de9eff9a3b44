/* test_sla.c: the SLA state of a ticket at fixed times. */
#include <stdbool.h>
#include <stdint.h>

#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/sla.h"
#include "watchdog/ticket_vocab.h"

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

/* A policy warning WARN seconds before the deadline (0: never). */
static void
policy(struct sla_policy *pol, int64_t warn)
{
	memset(pol, 0, sizeof *pol);
	if (warn > 0) {
		pol->warn[0].secs = warn;
		pol->nwarn = 1;
	}
}

/* One ticket at one moment, and what the rule says of it. */
struct sla_due_case {
	int64_t			warn;
	enum ticket_status	status;
	int			notified;
	int64_t			now;
	enum sla_notice		notice;
	int			level;	/* notified once queued */
	int64_t			next;
};

static const struct sla_due_case sla_due_cases[] = {
	/* nothing sent: the warning comes first, at deadline - warn */
	{ WARN, TICKET_OPEN, 0, DEADLINE - WARN - 1, SLA_NOTICE_NONE, 0,
	    DEADLINE - WARN },
	{ WARN, TICKET_OPEN, 0, DEADLINE - WARN, SLA_NOTICE_WARNING, 1,
	    DEADLINE },
	{ WARN, TICKET_IN_PROGRESS, 0, DEADLINE - 1, SLA_NOTICE_WARNING, 1,
	    DEADLINE },
	/* warned: the missed notice at the deadline, then nothing more */
	{ WARN, TICKET_OPEN, 1, DEADLINE - 1, SLA_NOTICE_NONE, 1, DEADLINE },
	{ WARN, TICKET_OPEN, 1, DEADLINE, SLA_NOTICE_MISSED, 2, SLA_NEVER },
	/* past the deadline unwarned: only the missed notice, no stale one */
	{ WARN, TICKET_OPEN, 0, DEADLINE + 86400, SLA_NOTICE_MISSED, 2,
	    SLA_NEVER },
	{ WARN, TICKET_ON_HOLD, 2, DEADLINE + 1, SLA_NOTICE_NONE, 2,
	    SLA_NEVER },
	/* no warning window: straight to the deadline */
	{ 0, TICKET_OPEN, 0, DEADLINE - 1, SLA_NOTICE_NONE, 0, DEADLINE },
	{ 0, TICKET_OPEN, 0, DEADLINE, SLA_NOTICE_MISSED, 2, SLA_NEVER },
	/* resolved: nothing, ever */
	{ WARN, TICKET_RESOLVED, 0, DEADLINE + 1, SLA_NOTICE_NONE, 0,
	    SLA_NEVER },
	{ WARN, TICKET_RESOLVED, 1, DEADLINE - 1, SLA_NOTICE_NONE, 1,
	    SLA_NEVER },
	/* a window wider than the epoch: due at once */
	{ INT64_MAX, TICKET_OPEN, 0, 0, SLA_NOTICE_WARNING, 1,
	    DEADLINE },
};

START_TEST(test_sla_due)
{
	const struct sla_due_case	*c = &sla_due_cases[_i];
	struct sla_policy		 pol;
	struct sla_facts		 f;
	struct sla_due			 d;

	policy(&pol, c->warn);
	memset(&f, 0, sizeof f);
	f.status = c->status;
	f.created_at = DEADLINE - 2 * 86400;
	f.deadline = DEADLINE;
	f.notified = c->notified;
	f.warned = c->notified == 1 ? 1 : 0;
	sla_due_at(&pol, &f, c->now, &d);
	ck_assert_msg(d.notice == c->notice && d.notified == c->level &&
	    d.next == c->next, "case %d: got notice %d level %d next %lld, "
	    "want %d %d %lld", _i, d.notice, d.notified, (long long)d.next,
	    c->notice, c->level, (long long)c->next);
	/* Before its stored next time, nothing is ever due. */
	if (sla_next_at(&pol, &f) > c->now)
		ck_assert_int_eq(d.notice, SLA_NOTICE_NONE);
}
END_TEST

START_TEST(test_sla_rearm)
{
	struct sla_policy	pol;
	struct sla_facts	f;

	policy(&pol, WARN);
	memset(&f, 0, sizeof f);
	f.created_at = DEADLINE - 86400;
	f.deadline = DEADLINE;
	f.notified = 2;
	f.warned = 1;
	/* Nothing changed: as it was. */
	sla_rearm(&pol, &f, DEADLINE, false, false, DEADLINE - 60);
	ck_assert_int_eq(f.notified, 2);
	ck_assert_int_eq(f.warned, 1);
	/* Moved out: afresh, the warning to come. */
	f.deadline = DEADLINE + 86400;
	sla_rearm(&pol, &f, DEADLINE, false, false, DEADLINE);
	ck_assert_int_eq(f.notified, 0);
	ck_assert_int_eq(f.warned, 0);
	/* Set 30 min ahead with a 60 min warning: it is never sent late. */
	f.deadline = DEADLINE;
	sla_rearm(&pol, &f, DEADLINE + 86400, false, false, DEADLINE - 1800);
	ck_assert_int_eq(f.warned, 1);
	ck_assert_int_eq(sla_next_at(&pol, &f), DEADLINE);
	/* Exactly at the threshold: not past yet, still sent. */
	f.deadline = DEADLINE + 60;
	sla_rearm(&pol, &f, DEADLINE, false, false, DEADLINE + 60 - WARN);
	ck_assert_int_eq(f.warned, 0);
	/* Reopened: afresh. */
	f.notified = 2;
	f.deadline = DEADLINE;
	sla_rearm(&pol, &f, DEADLINE, true, false, DEADLINE - 2 * WARN);
	ck_assert_int_eq(f.notified, 0);
	ck_assert_int_eq(f.warned, 0);
}
END_TEST

/* Two thresholds, a duration and a share: in time order, one a pass. */
START_TEST(test_sla_thresholds)
{
	struct sla_policy	pol;
	struct sla_facts	f;
	struct sla_due		d;

	memset(&pol, 0, sizeof pol);
	pol.warn[0].secs = 15 * 60;		/* 15m */
	pol.warn[1].percent = 75;		/* 75% */
	pol.nwarn = 2;
	memset(&f, 0, sizeof f);
	f.created_at = DEADLINE - 4 * 3600;	/* 75%: 1 h before */
	f.deadline = DEADLINE;
	ck_assert_int_eq(sla_next_at(&pol, &f), DEADLINE - 3600);
	sla_due_at(&pol, &f, DEADLINE - 3601, &d);
	ck_assert_int_eq(d.notice, SLA_NOTICE_NONE);
	sla_due_at(&pol, &f, DEADLINE - 3600, &d);
	ck_assert_int_eq(d.notice, SLA_NOTICE_WARNING);
	ck_assert_int_eq(d.seq, 1);
	ck_assert_int_eq(d.next, DEADLINE - 900);
	f.warned = d.warned;
	f.notified = d.notified;
	sla_due_at(&pol, &f, DEADLINE - 901, &d);
	ck_assert_int_eq(d.notice, SLA_NOTICE_NONE);
	sla_due_at(&pol, &f, DEADLINE - 900, &d);
	ck_assert_int_eq(d.notice, SLA_NOTICE_WARNING);
	ck_assert_int_eq(d.seq, 2);
	ck_assert_int_eq(d.next, DEADLINE);
	/* A pass that missed both sends only the nearest, once. */
	f.warned = 0;
	f.notified = 0;
	sla_due_at(&pol, &f, DEADLINE - 60, &d);
	ck_assert_int_eq(d.notice, SLA_NOTICE_WARNING);
	ck_assert_int_eq(d.seq, 2);
	ck_assert_int_eq(d.warned, 2);
	ck_assert_int_eq(d.next, DEADLINE);
}
END_TEST

START_TEST(test_sla_warnings_parse)
{
	struct sla_warnings	w;

	ck_assert_int_eq(sla_warnings_parse("60m,15m", &w), 0);
	ck_assert_uint_eq(w.n, 2);
	ck_assert_int_eq(w.t[0].secs, 3600);
	ck_assert_int_eq(w.t[1].secs, 900);
	ck_assert_int_eq(sla_warnings_parse(" 75% , 90%,1h30m ", &w), 0);
	ck_assert_uint_eq(w.n, 3);
	ck_assert_int_eq(w.t[0].percent, 75);
	ck_assert_int_eq(w.t[1].percent, 90);
	ck_assert_int_eq(w.t[2].secs, 5400);
	ck_assert_int_ne(sla_warnings_parse("", &w), 0);
	ck_assert_int_ne(sla_warnings_parse("60m,", &w), 0);
	ck_assert_int_ne(sla_warnings_parse("100%", &w), 0);
	ck_assert_int_ne(sla_warnings_parse("0%", &w), 0);
	ck_assert_int_ne(sla_warnings_parse("60", &w), 0);
	ck_assert_int_ne(sla_warnings_parse("60m business", &w), 0);
	ck_assert_int_ne(sla_warnings_parse("1m,2m,3m,4m,5m,6m,7m,8m,9m", &w),
	    0);
}
END_TEST

START_TEST(test_sla_policy_config)
{
	struct config	cfg;
	char		 lead[] = "lead@example.com";
	char		*emails[] = { lead, NULL };
	char	       **saved;

	config_defaults(&cfg);
	cfg.sla_warning_minutes = 45;
	saved = cfg.escalation_emails;
	cfg.escalation_emails = emails;
	sla_policy_from_config(&cfg, &cfg.sla);
	ck_assert_int_eq(sla_policy_warn_secs(&cfg.sla), 45 * 60);
	ck_assert_uint_eq(cfg.sla.nsteps, 1);
	ck_assert_int_eq(cfg.sla.ladder[0].delay, 0);
	ck_assert_str_eq(cfg.sla.ladder[0].emails[0], "lead@example.com");
	/* A changed window changes the rule the stored times came from. */
	cfg.sla_warning_minutes = 0;
	sla_policy_from_config(&cfg, &cfg.sla);
	ck_assert_int_eq(sla_policy_warn_secs(&cfg.sla), 0);
	ck_assert_int_ne(sla_policy_fingerprint(&cfg.sla), 45 * 60);
	ck_assert_int_eq(sla_policy_warn_secs(NULL), 0);
	cfg.escalation_emails = saved;
	config_free(&cfg);
}
END_TEST

START_TEST(test_ticket_vocab)
{
	enum ticket_status	s = TICKET_OPEN;
	enum ticket_priority	p = TICKET_LOW;
	int			i;

	for (i = 0; i < TICKET_NSTATUSES; i++) {
		ck_assert(ticket_status_from_name(ticket_status_name(
		    (enum ticket_status)i), &s));
		ck_assert_int_eq(s, i);
	}
	for (i = 0; i < TICKET_NPRIORITIES; i++) {
		ck_assert(ticket_priority_from_name(ticket_priority_name(
		    (enum ticket_priority)i), &p));
		ck_assert_int_eq(p, i);
	}
	ck_assert_str_eq(ticket_status_name(TICKET_ON_HOLD), "on_hold");
	ck_assert_str_eq(ticket_priority_name(TICKET_URGENT), "urgent");
	ck_assert(!ticket_status_from_name("closed", &s));
	ck_assert(!ticket_status_from_name(NULL, &s));
	ck_assert(!ticket_priority_from_name("Urgent", &p));
	ck_assert_int_eq(p, TICKET_URGENT);
	ck_assert_str_eq(ticket_status_name(TICKET_NSTATUSES), "unknown");
}
END_TEST

/* Targets as SLA_POLICY_<PRIORITY> takes them. */
static const struct {
	const char	*text;
	int		 ok;
	int		 days;
	int64_t		 secs;
	enum sla_clock	 clock;
} target_cases[] = {
	{ "4h calendar", 1, 0, 4 * 3600, SLA_CLOCK_CALENDAR },
	{ "90m business", 1, 0, 90 * 60, SLA_CLOCK_BUSINESS },
	{ "2d", 1, 2, 0, SLA_CLOCK_DEFAULT },
	{ " 1d4h30m  calendar ", 1, 1, 4 * 3600 + 30 * 60, SLA_CLOCK_CALENDAR },
	{ "366d", 1, 366, 0, SLA_CLOCK_DEFAULT },
	{ "367d", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "0h", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "4", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "h", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "4h30m2d", 0, 0, 0, SLA_CLOCK_DEFAULT },	/* out of order */
	{ "4h4h", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "4h weekdays", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "4h calendar x", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "4s", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "-4h", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "99999999999999999999m", 0, 0, 0, SLA_CLOCK_DEFAULT },
	{ "", 0, 0, 0, SLA_CLOCK_DEFAULT },
};

START_TEST(test_sla_target_parse)
{
	struct sla_target	t;
	int			rc;

	rc = sla_target_parse(target_cases[_i].text, &t);
	ck_assert_msg((rc == 0) == target_cases[_i].ok, "'%s': rc %d",
	    target_cases[_i].text, rc);
	if (rc != 0)
		return;
	ck_assert(t.set);
	ck_assert_int_eq(t.days, target_cases[_i].days);
	ck_assert_int_eq(t.secs, target_cases[_i].secs);
	ck_assert_int_eq(t.clock, target_cases[_i].clock);
}
END_TEST

START_TEST(test_sla_policy_deadline)
{
	struct config	cfg;
	char		buf[64];
	int64_t		d = 0;

	config_defaults(&cfg);
	ck_assert_int_eq(sla_target_parse("4h calendar",
	    &cfg.sla_targets[TICKET_URGENT]), 0);
	ck_assert_int_eq(sla_target_parse("1d2h30m",
	    &cfg.sla_targets[TICKET_LOW]), 0);
	sla_policy_from_config(&cfg, &cfg.sla);
	ck_assert(sla_policy_deadline(&cfg.sla, TICKET_URGENT, DEADLINE, &d));
	ck_assert_int_eq(d, DEADLINE + 4 * 3600);
	/* No BUSINESS_HOURS: a target without a clock is wall-clock time. */
	ck_assert(sla_policy_deadline(&cfg.sla, TICKET_LOW, DEADLINE, &d));
	ck_assert_int_eq(d, DEADLINE + 86400 + 2 * 3600 + 30 * 60);
	ck_assert_int_eq(cfg.sla.target[TICKET_LOW].clock, SLA_CLOCK_CALENDAR);
	d = 7;
	ck_assert(!sla_policy_deadline(&cfg.sla, TICKET_HIGH, DEADLINE, &d));
	ck_assert_int_eq(d, 7);
	ck_assert(!sla_policy_deadline(NULL, TICKET_URGENT, DEADLINE, &d));
	sla_policy_describe(&cfg.sla, TICKET_URGENT, buf, sizeof buf);
	ck_assert_str_eq(buf, "urgent 4h calendar");
	sla_policy_describe(&cfg.sla, TICKET_LOW, buf, sizeof buf);
	ck_assert_str_eq(buf, "low 1d2h30m calendar");
	sla_policy_describe(&cfg.sla, TICKET_HIGH, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
	/* Near the end of time: saturates, never wraps. */
	ck_assert(sla_policy_deadline(&cfg.sla, TICKET_URGENT, INT64_MAX - 5,
	    &d));
	ck_assert_int_eq(d, INT64_MAX);
	config_free(&cfg);
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
	tc = tcase_create("rule");
	tcase_add_loop_test(tc, test_sla_due, 0,
	    (int)(sizeof sla_due_cases / sizeof sla_due_cases[0]));
	tcase_add_test(tc, test_sla_rearm);
	tcase_add_test(tc, test_sla_thresholds);
	tcase_add_test(tc, test_sla_warnings_parse);
	tcase_add_test(tc, test_sla_policy_config);
	tcase_add_test(tc, test_ticket_vocab);
	tcase_add_loop_test(tc, test_sla_target_parse, 0,
	    (int)(sizeof target_cases / sizeof target_cases[0]));
	tcase_add_test(tc, test_sla_policy_deadline);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(sla_suite)
