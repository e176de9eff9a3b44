/*
 * ratelimit.c: per-account rate limits over a sliding window of events
 * kept in the database, so that every process counts against the same
 * limit; see ratelimit.h.
 */
#include "watchdog/db.h"
#include "watchdog/ratelimit.h"

static const char sql_rate_prune[] =
    "DELETE FROM rate_events WHERE user_id = :user_id AND kind = :kind "
    "AND at <= :since";
static const char sql_rate_window[] =
    "SELECT count(*), min(at) FROM rate_events "
    "WHERE user_id = :user_id AND kind = :kind AND at > :since";
static const char sql_rate_insert[] =
    "INSERT INTO rate_events (user_id, kind, at) "
    "VALUES (:user_id, :kind, :now)";

/* One try of ratelimit_take(). */
static enum wd_status
ratelimit_take_once(struct db *db, const struct rate_limit *limit,
    int64_t user_id, const char *kind, int64_t now, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int64_t		 since, count, oldest, wait;

	if (limit->count <= 0)
		return WD_OK;
	since = now - limit->seconds;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;

	st = db_prepare(db, sql_rate_prune);
	db_bind_int(st, ":user_id", user_id);
	db_bind_text(st, ":kind", kind);
	db_bind_int(st, ":since", since);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;

	st = db_prepare(db, sql_rate_window);
	db_bind_int(st, ":user_id", user_id);
	db_bind_text(st, ":kind", kind);
	db_bind_int(st, ":since", since);
	/* count(*) always answers: no row is an error, never a pass. */
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		status = status_set(cause, WD_EFAIL,
		    "database: the rate limit window could not be read");
	if (status != WD_OK)
		goto fail;
	count = db_column_int(st, 0);
	oldest = db_column_int(st, 1);
	db_reset(st);
	if (count >= limit->count) {
		wait = oldest + limit->seconds - now;
		if (wait < 1)
			wait = 1;
		status = status_set(cause, WD_ETEMP, "rate limit reached "
		    "(%s: %d per %d s for one account); try again in %lld s",
		    kind, limit->count, limit->seconds, (long long)wait);
		goto fail;
	}

	st = db_prepare(db, sql_rate_insert);
	db_bind_int(st, ":user_id", user_id);
	db_bind_text(st, ":kind", kind);
	db_bind_int(st, ":now", now);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	return db_commit(db, cause);

fail:
	db_rollback(db);
	return status;
}

/* Take one event from the limit, or refuse; see ratelimit.h. */
enum wd_status
ratelimit_take(struct db *db, const struct rate_limit *limit, int64_t user_id,
    const char *kind, int64_t now, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = ratelimit_take_once(db, limit, user_id, kind, now,
		    cause);
	return status;
}
