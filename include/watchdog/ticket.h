/*
 * ticket.h: tickets, their rules (watchdog(1)) and their history.
 *
 * Any account may see, create, edit and resolve any ticket; only the owner
 * or an administrator may delete one. Every change bumps the version and
 * writes history rows; an edit made against an older version is refused
 * (WD_ECONFLICT).
 */
#ifndef WATCHDOG_TICKET_H
#define WATCHDOG_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watchdog/sla.h"
#include "watchdog/status.h"

struct config;
struct db;
struct sla_policy;
struct user;

#define TICKET_TITLE_MAX	255		/* characters */
#define TICKET_DESCRIPTION_MAX	65536		/* bytes */

/* Values of the status and priority fields, in their order. */
extern const char *const ticket_statuses[];	/* NULL-terminated */
extern const char *const ticket_priorities[];	/* NULL-terminated */

struct ticket {
	int64_t	 id;
	char	*title;
	char	*description;
	char	*status;
	char	*priority;
	int64_t	 owner_id;
	char	*owner;			/* account name */
	int64_t	 assignee_id;		/* 0: none */
	char	*assignee;		/* NULL: none */
	int64_t	 deadline;
	int64_t	 created_at;
	int64_t	 updated_at;
	int64_t	 resolved_at;		/* 0: not resolved */
	int64_t	 version;
	enum sla_state sla;		/* at the time it was read */
	int	 sla_notified;		/* notices gone: 0, 1 warned, 2 missed */
	int	 sla_warned;		/* warning thresholds done */
	char	*sla_policy;		/* "urgent 4h calendar"; NULL: by hand */
	int64_t	 paused_seconds;	/* the clock stood still so long */
	int64_t	 paused_at;		/* its clock stopped then; 0: runs */
	int	 sla_steps;		/* escalation steps gone */
	int	 sla_repeats;		/* missed repeats gone */
};

/*
 * What to set: NULL (or has_deadline false) leaves a field alone. An
 * assignee of "" clears it. EXPECT_VERSION, when not 0, refuses the change
 * (WD_ECONFLICT) if the ticket's version is no longer that.
 */
struct ticket_fields {
	const char	*title;
	const char	*description;
	const char	*status;
	const char	*priority;
	const char	*assignee;
	bool		 has_deadline;
	int64_t		 deadline;
	/*
	 * The deadline comes from the SLA policy of the ticket's priority
	 * (--deadline auto); also when neither is given on creation.
	 */
	bool		 deadline_auto;
	int64_t		 expect_version;
	/*
	 * When not NULL, the whole ticket is shown back to the caller
	 * (--json): the change counts as a read against this limit, taken
	 * in its transaction, and is refused (WD_ETEMP, nothing changed)
	 * past it.
	 */
	const struct rate_limit *read_limit;
	/*
	 * The configuration the notices of the change are built with: an
	 * update that assigns the ticket to someone other than the one
	 * making it queues the assigned notice (watchdog(1),
	 * NOTIFICATIONS) in its transaction. NULL: no such notice.
	 */
	const struct config *notify_cfg;
};

/* One history row. */
struct ticket_change {
	int64_t		 at;
	const char	*user;		/* NULL: account gone */
	const char	*field;
	const char	*old_value;	/* NULL: none */
	const char	*new_value;
};

enum ticket_filter {
	TICKET_FILTER_OPEN,		/* not resolved (default) */
	TICKET_FILTER_MINE,		/* not resolved, owner or assignee is me */
	TICKET_FILTER_OVERDUE,		/* not resolved, deadline passed */
	TICKET_FILTER_ALL,
};

void		ticket_clear(struct ticket *t);

/* Field checks (WD_OK or WD_EDATA with *cause). */
enum wd_status	ticket_check_title(const char *title, char **cause);
enum wd_status	ticket_check_description(const char *text, char **cause);
/*
 * Check a text of several lines (a description, a comment; WHAT names it
 * in the message): UTF-8, at most TICKET_DESCRIPTION_MAX bytes, newlines
 * and tabs but no other control characters. WD_OK or WD_EDATA.
 */
enum wd_status	ticket_check_long_text(const char *what, const char *text,
		    char **cause);
enum wd_status	ticket_check_status(const char *status, char **cause);
enum wd_status	ticket_check_priority(const char *priority, char **cause);

/* A ticket of the Django version, as --import-django brings it over. */
struct ticket_import {
	int64_t		 django_id;
	const char	*title;
	const char	*description;
	int64_t		 owner_id;	/* our account */
	int64_t		 by_id;		/* the administrator importing (0: none) */
	int64_t		 created_at;
	bool		 has_deadline;	/* else the normal SLA policy's */
	int64_t		 deadline;
	bool		 warning_sent;	/* Django's sla_warning_sent */
	bool		 missed_sent;	/* Django's sla_missed */
};

/*
 * Insert TI as an open ticket of normal priority, inside the caller's
 * write transaction, with the history entry "imported from Django ticket
 * #N" and its notices by the SLA rule of POL: those Django sent count as
 * sent (watchdog(1) --import-django). No mail is queued. *ID gets the new
 * ticket's id.
 */
enum wd_status	ticket_import(struct db *db, const struct sla_policy *pol,
		    const struct ticket_import *ti, int64_t now, int64_t *id,
		    char **cause);

/*
 * Create a ticket owned by BY from F (title required; status open and
 * priority normal unless given), subject to the creation rate limit. The
 * deadline is F's, else the SLA policy's for the priority (WD_EDATA when
 * there is neither). Returns the id in *ID.
 */
enum wd_status	ticket_create(struct db *db, const struct config *cfg,
		    const struct user *by, const struct ticket_fields *f,
		    int64_t now, int64_t *id, char **cause);

/*
 * Read ticket ID into *T (caller clears it), its SLA state under POL (NULL:
 * no warning window). WD_ENOTFOUND if none.
 */
enum wd_status	ticket_get(struct db *db, const struct sla_policy *pol,
		    int64_t id, int64_t now, struct ticket *t, char **cause);

/*
 * Apply F to ticket ID as BY in one transaction; the next SLA notice time
 * is recomputed under POL. A deadline from a policy follows the priority
 * (recomputed from the creation time); a deadline given by hand leaves
 * the policy; F->deadline_auto returns to it. *CHANGED (when not NULL) tells whether anything
 * differed; an update that changes nothing leaves the version alone.
 */
enum wd_status	ticket_update(struct db *db, const struct sla_policy *pol,
		    const struct user *by, int64_t id,
		    const struct ticket_fields *f, int64_t now, bool *changed,
		    char **cause);

/* Delete ticket ID: only its owner or an administrator (else WD_EAUTH). */
enum wd_status	ticket_delete(struct db *db, const struct user *by, int64_t id,
		    int64_t now, char **cause);

/*
 * Call FN for each ticket of FILTER (ME for "mine"), most urgent first
 * (earliest deadline, then id). FN's ticket is valid during the call.
 * FN returns 0 to go on, non-zero to stop.
 */
enum wd_status	ticket_list(struct db *db, const struct sla_policy *pol,
		    enum ticket_filter filter, const struct user *me,
		    int64_t now, int (*fn)(const struct ticket *, void *),
		    void *arg, char **cause);

/* Call FN for each history row of ticket ID, oldest first. */
enum wd_status	ticket_history(struct db *db, int64_t id,
		    int (*fn)(const struct ticket_change *, void *), void *arg,
		    char **cause);

/*
 * The JSON of ticket ID (the fields of watchdog(1); WITH_HISTORY adds the
 * "history" and "comments" arrays, for --show), made by SQLite's JSON
 * functions. *JSON is new.
 */
enum wd_status	ticket_json(struct db *db, const struct sla_policy *pol,
		    int64_t id, int64_t now, bool with_history, char **json,
		    char **cause);

/*
 * Call FN with the JSON object of each ticket of FILTER, in list order.
 */
enum wd_status	ticket_list_json(struct db *db, const struct sla_policy *pol,
		    enum ticket_filter filter, const struct user *me,
		    int64_t now, int (*fn)(const char *, void *), void *arg,
		    char **cause);

/* The SQL of the list query for FILTER (for the query plan tests). */
const char     *ticket_list_sql(enum ticket_filter filter);

#endif
