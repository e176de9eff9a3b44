/*
 * ratelimit.h: limits on what one account may do per period, shared by
 * every process through the database (a sliding window of events).
 */
#ifndef WATCHDOG_RATELIMIT_H
#define WATCHDOG_RATELIMIT_H

#include <stdint.h>

#include "watchdog/config.h"
#include "watchdog/status.h"

struct db;

/*
 * Count one event of KIND ("create", "read") for USER_ID at NOW, unless
 * LIMIT events already happened within its period: then WD_ETEMP with
 * *cause "rate limit ...: try again in N s" and nothing recorded. Call it
 * inside the transaction of a write it guards; a read's count, outside
 * any, is a unit of work of its own (DB_RETRY).
 */
enum wd_status	ratelimit_take(struct db *db, const struct rate_limit *limit,
		    int64_t user_id, const char *kind, int64_t now,
		    char **cause);

#endif
