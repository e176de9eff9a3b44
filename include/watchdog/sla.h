/*
 * sla.h: the one home of the SLA rule (watchdog(1), SLA POLICIES): the
 * policy value built once from the configuration, the state of a ticket
 * and which notice is due for it at a time. Pure: the time is passed in.
 */
#ifndef WATCHDOG_SLA_H
#define WATCHDOG_SLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watchdog/ticket_vocab.h"

struct calendar;
struct config;

/* A time that never comes: nothing more is due. */
#define SLA_NEVER	INT64_MAX

enum sla_state {
	SLA_OK,
	SLA_WARNING,
	SLA_MISSED,
	SLA_MET,
	SLA_BREACHED,
};

/*
 * The state of a ticket due at DEADLINE: for a resolved one (RESOLVED true,
 * at RESOLVED_AT) met or breached; otherwise ok, warning (within WARN_SECS
 * before the deadline) or missed (NOW >= DEADLINE).
 */
enum sla_state	 sla_state_of(bool resolved, int64_t deadline,
		     int64_t resolved_at, int64_t warn_secs, int64_t now);

/* "ok", "warning", "missed", "met", "breached". */
const char	*sla_state_name(enum sla_state state);

/* The state named NAME (the inverse of sla_state_name()); SLA_OK if none. */
enum sla_state	 sla_state_from_name(const char *name);

/*
 * The deadlines [*LO, *HI] of the open tickets that are in STATE (ok,
 * warning or missed) at NOW, by the rule of sla_state_of(); false for the
 * states of resolved tickets.
 */
bool		 sla_state_deadlines(enum sla_state state, int64_t warn_secs,
		     int64_t now, int64_t *lo, int64_t *hi);
/* Which clock a target counts in. */
enum sla_clock {
	SLA_CLOCK_DEFAULT,	/* business when the calendar has hours */
	SLA_CLOCK_BUSINESS,
	SLA_CLOCK_CALENDAR,
};

/*
 * The resolution target of one priority (SLA_POLICY_<PRIORITY> =
 * <duration> business|calendar): DAYS days, then SECS seconds.
 */
struct sla_target {
	bool		 set;	/* false: no policy for this priority */
	int		 days;
	int64_t		 secs;
	enum sla_clock	 clock;	/* never DEFAULT in a built policy */
};

/* The longest target, in days. */
#define SLA_TARGET_MAX_DAYS	366

/*
 * One warning threshold: SECS before the deadline, or (PERCENT > 0) when
 * that share of the time from creation to deadline has gone.
 */
struct sla_threshold {
	int64_t	 secs;
	int	 percent;
};

/* One step of the escalation ladder: DELAY after the miss, to EMAILS. */
struct sla_step {
	int64_t		 delay;
	char *const	*emails;	/* NULL-terminated, borrowed */
};

#define SLA_MAX_THRESHOLDS	8
#define SLA_MAX_STEPS		8

/* SLA_WARNINGS as configured. */
struct sla_warnings {
	bool			 set;
	size_t			 n;
	struct sla_threshold	 t[SLA_MAX_THRESHOLDS];
};

/*
 * The SLA policy: everything the rule needs from the configuration,
 * built once by sla_policy_from_config() and passed where needed. It
 * borrows the configuration's strings (and calendar) and holds no memory
 * of its own.
 */
struct sla_policy {
	struct sla_target	 target[TICKET_NPRIORITIES];
	const struct calendar	*cal;		/* NULL: always open */
	struct sla_threshold	 warn[SLA_MAX_THRESHOLDS];
	size_t			 nwarn;
	bool			 pause[TICKET_NSTATUSES];
	struct sla_step		 ladder[SLA_MAX_STEPS];
	size_t			 nsteps;
	int64_t			 missed_repeat;	/* 0: never */
	bool			 quiet;		/* hold notices outside hours */
};

/* The notices of the SLA pass, in the order they come. */
enum sla_notice {
	SLA_NOTICE_NONE,
	SLA_NOTICE_WARNING,
	SLA_NOTICE_MISSED,
};

/*
 * What the rule knows of a ticket: its status, creation and deadline, and
 * how far its notices have gone: the stored sla_notified level (0 none, 1
 * a warning, 2 missed sent) and sla_warned, how many of its warning
 * thresholds (in time order) are done.
 */
struct sla_facts {
	enum ticket_status	 status;
	int64_t			 created_at;
	int64_t			 deadline;
	int			 notified;
	int			 warned;
};

/* What is due for a ticket at a time, and what comes after. */
struct sla_due {
	enum sla_notice	 notice;	/* due now (NONE: nothing) */
	int		 seq;		/* warning: which threshold (1..) */
	int		 notified;	/* the level once it is queued */
	int		 warned;	/* thresholds done once it is queued */
	int64_t		 next;		/* when the next is due; SLA_NEVER */
};

/*
 * Fill *POL from CFG (SLA_POLICY_<PRIORITY>, SLA_WARNINGS or else
 * SLA_WARNING_MINUTES as the one threshold, SLA_ESCALATION_EMAILS as
 * ladder step 0m). POL borrows from CFG. The pause statuses, the rest of
 * the ladder, the missed repeat and quiet hours are not filled yet (all
 * off); the calendar is NULL (always open) until sla_policy_use_calendar()
 * gives it the one config_calendar() built.
 */
void		 sla_policy_from_config(const struct config *cfg,
		     struct sla_policy *pol);

/*
 * Count the targets of POL in CAL (borrowed; NULL: always open): a target
 * without a clock in CFG counts business time when CAL has hours
 * (BUSINESS_HOURS), else wall-clock time.
 */
void		 sla_policy_use_calendar(struct sla_policy *pol,
		     const struct config *cfg, const struct calendar *cal);

/*
 * Parse a target, "<duration> [business|calendar]" with a duration of
 * days, hours and minutes in that order (4h, 90m, 2d, 1d4h30m), into *T.
 * 0, or -1 when S is not one.
 */
int		 sla_target_parse(const char *s, struct sla_target *t);

/*
 * The deadline of a ticket of PRIORITY created at CREATED under POL into
 * *DEADLINE: the target counted from creation in its clock (a business
 * target from the next opening when created outside hours). False when
 * POL has no target for PRIORITY.
 */
bool		 sla_policy_deadline(const struct sla_policy *pol,
		     enum ticket_priority priority, int64_t created,
		     int64_t *deadline);

/*
 * Describe the target of PRIORITY into BUF ("urgent 4h calendar"); an
 * empty string when POL has none.
 */
void		 sla_policy_describe(const struct sla_policy *pol,
		     enum ticket_priority priority, char *buf, size_t len);

/*
 * The widest warning window of POL in seconds (0 when it warns not at
 * all, and for a NULL policy): the queue counts a ticket as "warning"
 * within it.
 */
int64_t		 sla_policy_warn_secs(const struct sla_policy *pol);

/*
 * A number that changes whenever a change of POL would move a stored
 * next time (sla_next_at): the pass recomputes them all when it differs.
 */
int64_t		 sla_policy_fingerprint(const struct sla_policy *pol);

/*
 * The time the next notice of a ticket with facts F is due under POL
 * (SLA_NEVER when none will be): what the database keeps, indexed, so
 * that a pass reads only the tickets due.
 */
int64_t		 sla_next_at(const struct sla_policy *pol,
		     const struct sla_facts *f);

/*
 * Which notice is due for a ticket with facts F at NOW under POL, into
 * *DUE. Past the deadline only the missed notice is due (no stale
 * warning after the fact); a resolved ticket, or one whose missed notice
 * went, gets nothing more.
 */
void		 sla_due_at(const struct sla_policy *pol,
		     const struct sla_facts *f, int64_t now,
		     struct sla_due *due);

/*
 * Parse SLA_WARNINGS, comma-separated thresholds, each a duration (60m,
 * 2h, 1h30m) or a share of the time (75%), into *W. 0, or -1.
 */
int		 sla_warnings_parse(const char *s, struct sla_warnings *w);

/*
 * Set the notices of a ticket with facts *F (its new deadline in F) after
 * a change at NOW from OLD_DEADLINE (REOPENED: it was resolved and is no
 * more, NEW: just created). A new deadline or a reopened ticket is
 * measured afresh, except that a warning threshold already past at NOW is
 * done: it is never sent late. Otherwise *F is left as it was. The
 * outbox key (ticket, kind, threshold, deadline) still keeps a notice
 * from going twice for one deadline.
 */
void		 sla_rearm(const struct sla_policy *pol, struct sla_facts *f,
		     int64_t old_deadline, bool reopened, bool new, int64_t now);

/*
 * The state of a ticket under POL at NOW (sla_state_of() with the
 * policy's warning window).
 */
enum sla_state	 sla_state_at(const struct sla_policy *pol, bool resolved,
		     int64_t deadline, int64_t resolved_at, int64_t now);

#endif
