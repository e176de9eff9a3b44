/*
 * meta.c: facts about the database in its meta table; see meta.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "watchdog/db.h"
#include "watchdog/meta.h"
#include "watchdog/util.h"

static const char sql_get[] =
    "SELECT value FROM meta WHERE key = :key";
static const char sql_set[] =
    "INSERT INTO meta (key, value) VALUES (:key, :value) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/* Read the text under KEY; see meta.h. */
enum wd_status
meta_get_text(struct db *db, const char *key, char **value, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	*value = NULL;
	st = db_prepare(db, sql_get);
	db_bind_text(st, ":key", key);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		return WD_OK;		/* not set: *value stays NULL */
	if (status != WD_OK)
		return status;
	*value = db_column_strdup(st, 0);
	db_reset(st);
	return WD_OK;
}

/* Read the number under KEY; see meta.h. */
enum wd_status
meta_get_int(struct db *db, const char *key, int64_t *value, bool *found,
    char **cause)
{
	enum wd_status	 status;
	long long	 n;
	char		*text;

	*value = 0;
	*found = false;
	if ((status = meta_get_text(db, key, &text, cause)) != WD_OK)
		return status;
	if (text != NULL && parse_int64(text, INT64_MIN, INT64_MAX, &n) == 0) {
		*value = (int64_t)n;
		*found = true;
	}
	free(text);
	return WD_OK;
}

/* One try of meta_set_int() (below). */
static enum wd_status
meta_set_int_once(struct db *db, const char *key, int64_t value, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	char		 text[32];

	snprintf(text, sizeof text, "%lld", (long long)value);
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	st = db_prepare(db, sql_set);
	db_bind_text(st, ":key", key);
	db_bind_text(st, ":value", text);
	if ((status = db_exec(st, cause)) != WD_OK) {
		db_rollback(db);
		return status;
	}
	return db_commit(db, cause);
}

/* Store VALUE under KEY; see meta.h. */
enum wd_status
meta_set_int(struct db *db, const char *key, int64_t value, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = meta_set_int_once(db, key, value, cause);
	return status;
}
