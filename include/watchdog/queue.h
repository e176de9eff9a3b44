/*
 * queue.h: the ticket queue as the terminal UI pages through it. Keyset
 * queries fetch only the rows of the visible window, in one of four sort
 * orders, under one of the filters, optionally narrowed by a search, so
 * that browsing a million tickets costs what one screen costs.
 */
#ifndef WATCHDOG_QUEUE_H
#define WATCHDOG_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watchdog/db.h"
#include "watchdog/status.h"
#include "watchdog/ticket.h"

struct sla_policy;
struct db;
struct user;

enum queue_sort {
	QUEUE_SORT_URGENCY,	/* unresolved first, earliest deadline, id */
	QUEUE_SORT_ID,		/* newest first: id descending */
	QUEUE_SORT_PRIORITY,	/* urgent first, unresolved first, then
				   earliest deadline, id */
	QUEUE_SORT_UPDATED,	/* most recently updated first, then id desc */
	QUEUE_NSORTS
};

/* "urgency", "id", "priority", "updated". */
const char	*queue_sort_name(enum queue_sort sort);
/* Does SORT (REVERSE: reversed) run descending, as "id" does at first? */
bool		 queue_sort_descending(enum queue_sort sort, bool reverse);
/* "open", "mine", "overdue", "all" (enum ticket_filter order). */
const char	*queue_filter_name(enum ticket_filter filter);

/* What is shown: the filter, the order, a search and who "mine" is. */
struct queue_view {
	enum ticket_filter	 filter;
	enum queue_sort		 sort;
	bool			 reverse;	/* the order the other way */
	const char		*search;	/* NULL or "": none; matches
						   title or description,
						   case-insensitive ASCII,
						   and "#N" or N the id */
	const struct user	*me;
};

enum queue_dir {
	QUEUE_FIRST,		/* the first LIMIT rows */
	QUEUE_LAST,		/* the last LIMIT rows (still in display order) */
	QUEUE_AFTER,		/* the LIMIT rows after ANCHOR */
	QUEUE_BEFORE,		/* the LIMIT rows before ANCHOR (display order) */
	QUEUE_FROM,		/* ANCHOR itself (if still there) and after */
};

/*
 * Fetch up to LIMIT tickets of view V at NOW, in display order, relative
 * to ANCHOR (a row from an earlier fetch; ignored for FIRST and LAST).
 * *ROWS is a new array of *N tickets (descriptions not loaded) that the
 * caller frees with queue_rows_free(). The query uses an index for its
 * order, never sorting the whole table, unless a search is given.
 */
enum wd_status	queue_fetch(struct db *db, const struct sla_policy *pol,
		    const struct queue_view *v, enum queue_dir dir,
		    const struct ticket *anchor, size_t limit, int64_t now,
		    struct ticket **rows, size_t *n, char **cause);

void		queue_rows_free(struct ticket *rows, size_t n);

/*
 * Does S name a ticket by id: "#N", ":N" or the number alone? True with
 * the id in *ID (else 0).
 */
bool		queue_search_id(const char *s, int64_t *id);

/* The counts of the status line. */
struct queue_counts {
	int64_t	open;		/* not resolved */
	int64_t	warning;	/* not resolved, within SLA_WARNING_MINUTES */
	int64_t	missed;		/* not resolved, deadline passed */
};

enum wd_status	queue_counts(struct db *db, const struct sla_policy *pol,
		    int64_t now, struct queue_counts *out, char **cause);

/*
 * The SQL of a fetch on ENGINE (for the query plan tests); a string that
 * lives as long as the process.
 */
const char     *queue_sql(enum db_engine engine, const struct queue_view *v,
		    enum queue_dir dir);
/* The SQL of queue_counts() (for the query plan tests). */
const char     *queue_counts_sql(void);

#endif
