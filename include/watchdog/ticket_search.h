/*
 * ticket_search.h: the full-text index of --search (titles, descriptions
 * and comments), kept by the storage code that writes tickets, inside its
 * transaction. The index reads the text from the view
 * ticket_search_source (data/migrations/0010-scripting.sql).
 */
#ifndef WATCHDOG_TICKET_SEARCH_H
#define WATCHDOG_TICKET_SEARCH_H

#include <stdint.h>

#include "watchdog/status.h"

struct db;

/*
 * Take ticket ID's words out of the index, before its title, description
 * or comments change or it is deleted (the index needs the old text).
 */
enum wd_status	ticket_search_forget(struct db *db, int64_t id, char **cause);

/* Put ticket ID's words into the index, after it was created or changed. */
enum wd_status	ticket_search_remember(struct db *db, int64_t id,
		    char **cause);

#endif
