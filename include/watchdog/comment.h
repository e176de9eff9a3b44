/*
 * comment.h: comments on tickets (watchdog(1), COMMENTS). Any logged-in
 * account may add one; a comment is never edited afterwards and goes
 * with its ticket when the ticket is deleted.
 */
#ifndef WATCHDOG_COMMENT_H
#define WATCHDOG_COMMENT_H

#include <stdint.h>

#include "watchdog/status.h"

struct config;
struct db;
struct user;

/* One comment, as comment_list() hands it out. */
struct comment {
	int64_t		 id;
	int64_t		 ticket_id;
	const char	*author;	/* account name; NULL: account gone */
	int64_t		 created_at;
	const char	*text;
};

/*
 * Check the text of a comment: something besides blanks, at most
 * TICKET_DESCRIPTION_MAX bytes, no control characters but newline and
 * tab (the rules of descriptions). WD_OK or WD_EDATA with *CAUSE.
 */
enum wd_status	comment_check(const char *text, char **cause);

/*
 * Add TEXT as a comment of BY on ticket TICKET_ID at NOW, in one
 * transaction: it counts against RATE_LIMIT_CREATE (WD_ETEMP past it),
 * sets the ticket's updated_at but not its version (an edit of the
 * fields in progress elsewhere is no conflict), and queues the commented
 * notice. WD_ENOTFOUND when there is no such ticket. *ID gets the new
 * comment's id.
 */
enum wd_status	comment_add(struct db *db, const struct config *cfg,
		    const struct user *by, int64_t ticket_id, const char *text,
		    int64_t now, int64_t *id, char **cause);

/*
 * Call FN for each comment of ticket TICKET_ID, oldest first. The
 * comment's strings are valid during the call only. FN returns 0 to go
 * on, non-zero to stop.
 */
enum wd_status	comment_list(struct db *db, int64_t ticket_id,
		    int (*fn)(const struct comment *, void *), void *arg,
		    char **cause);

/* The number of comments of ticket TICKET_ID in *N. */
enum wd_status	comment_count(struct db *db, int64_t ticket_id, int64_t *n,
		    char **cause);

/* The SQL of the list query (for the query plan test). */
const char     *comment_list_sql(void);

#endif
