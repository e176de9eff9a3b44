/*
 * ticket_query.h: the filtered listing of --list (watchdog(1), FILTERS
 * AND FORMATS). The filters combine with AND; one of them leads the
 * query through its own index (see ticket_query_driver()) and the others
 * are tested on the rows it yields, always in list order: earliest
 * deadline first, then id.
 */
#ifndef WATCHDOG_TICKET_QUERY_H
#define WATCHDOG_TICKET_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

struct sla_policy;
struct db;
struct db_stmt;
struct ticket;
struct user;

/* The filters as given; NULL, false or 0 when absent. */
struct ticket_query {
	bool		 all;		/* resolved tickets too */
	bool		 mine;		/* open, owned by or assigned to me */
	bool		 overdue;	/* open, deadline passed */
	const char	*statuses;	/* "open,on_hold" */
	const char	*priorities;	/* "high,urgent" */
	const char	*slas;		/* "warning,missed" */
	const char	*assignee;	/* NAME, "me" or "none" */
	const char	*owner;		/* NAME or "me" */
	bool		 has_due;
	int64_t		 due_within;	/* seconds from now */
	const char	*search;	/* words */
	int64_t		 limit;		/* at most this many rows; 0: all */
	int64_t		 after;		/* the rows after this ticket id */
};

/* The index that leads a listing. */
enum ticket_query_driver {
	TQ_BY_OPEN,		/* the open queue by deadline */
	TQ_BY_DEADLINE,		/* every ticket by deadline */
	TQ_BY_STATUS,		/* one status */
	TQ_BY_PRIORITY,		/* one priority */
	TQ_BY_ASSIGNEE,		/* one assignee */
	TQ_BY_UNASSIGNED,	/* no assignee */
	TQ_BY_OWNER,		/* one owner */
	TQ_BY_OPEN_PRIORITY,	/* the same four, open tickets only */
	TQ_BY_OPEN_ASSIGNEE,
	TQ_BY_OPEN_UNASSIGNED,
	TQ_BY_OPEN_OWNER,
	TQ_BY_MINE,		/* my open tickets, as owner or assignee */
	TQ_BY_SEARCH,		/* the full-text index's matches */
	TQ_BY_OPEN_SEARCH,	/* the same, open tickets only */
	TQ_NDRIVERS
};

/* What a listing yields. */
enum ticket_query_output {
	TQ_OUT_ROWS,		/* struct ticket without the description */
	TQ_OUT_FULL,		/* struct ticket with it */
	TQ_OUT_JSON,		/* the JSON object of each ticket */
	TQ_OUT_IDS,		/* the id alone, from the index */
	TQ_OUT_COUNT,		/* the number of rows */
	TQ_NOUTPUTS
};

/* A query checked and resolved against the database (names to ids). */
struct ticket_plan {
	enum ticket_query_driver driver;
	bool		 open_only;
	char		*statuses;	/* ",open,on_hold," or NULL */
	char		*priorities;
	char		*slas;
	const char	*status;	/* TQ_BY_STATUS: its one status */
	const char	*priority;	/* TQ_BY_PRIORITY: its one priority */
	int64_t		 assignee_id;	/* 0: any */
	bool		 unassigned;
	int64_t		 owner_id;	/* 0: any */
	int64_t		 me;		/* 0: not --mine */
	int64_t		 lo, hi;	/* deadlines */
	int64_t		 after_deadline, after_id;
	char		*match;		/* the FTS5 query, or NULL */
	int64_t		 limit;		/* -1: no limit */
	int64_t		 warn;		/* the warning window, seconds */
};

/*
 * Check Q and resolve it for ME at NOW into *PLAN (cleared by
 * ticket_plan_clear). WD_EDATA with *CAUSE for a bad value (an unknown
 * status, account or ticket to page after, an empty search).
 */
enum wd_status	ticket_query_prepare(struct db *db, const struct sla_policy *pol,
		    const struct ticket_query *q, const struct user *me,
		    int64_t now, struct ticket_plan *plan, char **cause);
void		ticket_plan_clear(struct ticket_plan *plan);

/*
 * Call FN for each ticket of PLAN in list order (OUT TQ_OUT_ROWS or
 * TQ_OUT_FULL); the ticket is valid during the call only. FN returns
 * non-zero to stop. Nothing is held but the current row.
 */
enum wd_status	ticket_query_rows(struct db *db, const struct ticket_plan *plan,
		    enum ticket_query_output out, int64_t now,
		    int (*fn)(const struct ticket *, void *), void *arg,
		    char **cause);

/* Call FN with the JSON object of each ticket of PLAN, in list order. */
enum wd_status	ticket_query_json(struct db *db, const struct ticket_plan *plan,
		    int64_t now, int (*fn)(const char *, void *), void *arg,
		    char **cause);

/* Call FN with the id of each ticket of PLAN, in list order. */
enum wd_status	ticket_query_ids(struct db *db, const struct ticket_plan *plan,
		    int64_t now, int (*fn)(int64_t, void *), void *arg,
		    char **cause);

/* The number of tickets PLAN lists (at most its limit). */
enum wd_status	ticket_query_count(struct db *db, const struct ticket_plan *plan,
		    int64_t now, int64_t *n, char **cause);

/*
 * The words of TEXT as an FTS5 query: each word a quoted prefix, all of
 * them required. NULL when TEXT has no word. The result is new.
 */
char	       *ticket_query_match(const char *text);

/*
 * The FTS5 query MATCH (what ticket_query_match makes: quoted prefixes,
 * quotes doubled) as a PostgreSQL tsquery with the same meaning: each
 * word a quoted prefix ('word':*), all of them required (&). New.
 */
char	       *ticket_query_tsquery(const char *match);

/*
 * The statement of PLAN for OUT on DB's engine, its values bound as the
 * listing binds them (for the query plan tests: db_query_plan_bound()).
 * Reset it with db_reset().
 */
struct db_stmt *ticket_query_statement(struct db *db,
		    const struct ticket_plan *plan,
		    enum ticket_query_output out, int64_t now);

/* The SQL of a listing (for the query plan tests). */
const char     *ticket_query_sql(enum ticket_query_driver driver,
		    enum ticket_query_output out);

#endif
