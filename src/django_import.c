/*
 * django_import.c: --import-django; see django_import.h.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/address.h"
#include "watchdog/db.h"
#include "watchdog/django_hash.h"
#include "watchdog/django_import.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/token.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

/* What the Django side must hold to be a Django watchdog database. */
static const char sql_dj_tables[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
    "('auth_user', 'authtoken_token', 'tickets_ticket')";
/* Django keeps datetimes as "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC. */
static const char sql_dj_users[] =
    "SELECT id, username, email, password, is_superuser OR is_staff, "
    "is_active, CAST(strftime('%s', date_joined) AS INTEGER) "
    "FROM auth_user ORDER BY id";
static const char sql_dj_tokens[] =
    "SELECT key, user_id, CAST(strftime('%s', created) AS INTEGER) "
    "FROM authtoken_token ORDER BY created, key";
static const char sql_dj_tickets[] =
    "SELECT id, title, description, "
    "CAST(strftime('%s', deadline) AS INTEGER), "
    "CAST(strftime('%s', created_at) AS INTEGER), owner_id, "
    "sla_warning_sent, sla_missed FROM tickets_ticket ORDER BY id";
/*
 * The same on PostgreSQL, where Django's datetimes are timestamptz (or,
 * without USE_TZ, timestamps read as UTC) and its booleans boolean.
 */
static const char sql_dj_tables_pg[] =
    "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
    "AND tablename IN ('auth_user', 'authtoken_token', 'tickets_ticket')";
static const char sql_dj_users_pg[] =
    "SELECT id, username, email, password, "
    "(is_superuser OR is_staff)::integer, is_active::integer, "
    "extract(epoch FROM date_joined)::bigint "
    "FROM auth_user ORDER BY id";
static const char sql_dj_tokens_pg[] =
    "SELECT key, user_id, extract(epoch FROM created)::bigint "
    "FROM authtoken_token ORDER BY created, key";
static const char sql_dj_tickets_pg[] =
    "SELECT id, title, description, extract(epoch FROM deadline)::bigint, "
    "extract(epoch FROM created_at)::bigint, owner_id, "
    "sla_warning_sent::integer, sla_missed::integer "
    "FROM tickets_ticket ORDER BY id";

static const char sql_seen[] =
    "SELECT our_id FROM django_import WHERE kind = :kind "
    "AND django_id = :django_id";
static const char sql_remember[] =
    "INSERT INTO django_import (kind, django_id, our_id) "
    "VALUES (:kind, :django_id, :our_id)";
static const char sql_name_taken[] =
    "SELECT id FROM users WHERE name = :name";
static const char sql_user_import[] =
    "INSERT INTO users (name, email, role, password_hash, created_at, "
    "disabled_at) VALUES (:name, :email, :role, :hash, :created_at, "
    ":disabled_at)";

/* Add a line to the report. */
static void
note(struct django_result *res, const char *fmt, ...)
{
	va_list	ap;

	res->notes = xreallocarray(res->notes, res->nnotes + 1,
	    sizeof *res->notes);
	va_start(ap, fmt);
	res->notes[res->nnotes++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/*
 * Our id for the Django row KIND/DJANGO_ID an earlier run (or this one)
 * brought over into *OUR: WD_OK, or WD_ENOTFOUND.
 */
static enum wd_status
seen(struct db *db, const char *kind, const char *django_id, int64_t *our,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	st = db_prepare(db, sql_seen);
	db_bind_text(st, ":kind", kind);
	db_bind_text(st, ":django_id", django_id);
	if ((status = db_step_one(st, cause)) != WD_OK)
		return status;
	*our = db_column_int(st, 0);
	db_reset(st);
	return WD_OK;
}

/* Remember that the Django row KIND/DJANGO_ID is our OUR. */
static enum wd_status
remember(struct db *db, const char *kind, const char *django_id, int64_t our,
    char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_remember);
	db_bind_text(st, ":kind", kind);
	db_bind_text(st, ":django_id", django_id);
	db_bind_int(st, ":our_id", our);
	return db_exec(st, cause);
}

/* The Django integer key in column COL of ST as text (django_import). */
static char *
key_text(struct db_stmt *st, int col)
{
	return xasprintf("%lld", (long long)db_column_int(st, col));
}

/* Bring over the current auth_user row of DJ. */
static enum wd_status
import_account(struct db *db, struct db_stmt *dj, const struct user *by,
    int64_t now, struct django_result *res, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	const char	*name, *email, *hash, *why;
	char		*id, *err = NULL;
	int64_t		 our;
	bool		 disabled;

	id = key_text(dj, 0);
	if ((status = seen(db, "account", id, &our, cause)) != WD_ENOTFOUND) {
		if (status == WD_OK)
			res->already++;
		goto out;
	}
	name = db_column_text(dj, 1);
	email = db_column_is_null(dj, 2) ? "" : db_column_text(dj, 2);
	hash = db_column_is_null(dj, 3) ? "" : db_column_text(dj, 3);
	if (user_check_name(name, &err) != WD_OK) {
		note(res, "account %s (Django #%s): not brought over: %s",
		    name, id, err);
		status = WD_OK;
		goto out;
	}
	st = db_prepare(db, sql_name_taken);
	db_bind_text(st, ":name", name);
	if ((status = db_step_one(st, cause)) == WD_OK) {
		db_reset(st);
		note(res, "account %s (Django #%s): not brought over: an "
		    "account of that name exists here and is left as it is",
		    name, id);
		goto out;
	}
	if (status != WD_ENOTFOUND)
		goto out;
	disabled = db_column_int(dj, 5) == 0;
	if (!address_valid(email, &why)) {
		note(res, "account %s: brought over disabled: no valid e-mail "
		    "address (%s)", name, why);
		disabled = true;
	} else if (disabled)
		note(res, "account %s: brought over disabled: inactive in "
		    "Django", name);
	if (!django_hash_is(hash))
		note(res, "account %s: its Django password hash is not "
		    "pbkdf2_sha256: it cannot log in with a password until an "
		    "administrator resets it", name);
	st = db_prepare(db, sql_user_import);
	db_bind_text(st, ":name", name);
	db_bind_text(st, ":email", email);
	db_bind_text(st, ":role", db_column_int(dj, 4) != 0 ? "admin" :
	    "user");
	db_bind_text(st, ":hash", hash);
	db_bind_int(st, ":created_at", db_column_is_null(dj, 6) ? now :
	    db_column_int(dj, 6));
	if (disabled)
		db_bind_int(st, ":disabled_at", now);
	else
		db_bind_null(st, ":disabled_at");
	if ((status = db_exec(st, cause)) != WD_OK)
		goto out;
	our = db_last_insert_id(db);
	if ((status = remember(db, "account", id, our, cause)) != WD_OK ||
	    (status = user_audit(db, now, our, name, -1, "account_imported",
	    by->id > 0 ? by->name : NULL, cause)) != WD_OK)
		goto out;
	res->accounts++;

out:
	free(err);
	free(id);
	return status;
}

/* Bring over the current authtoken_token row of DJ. */
static enum wd_status
import_token(struct db *db, struct db_stmt *dj, int64_t now,
    struct django_result *res, char **cause)
{
	enum wd_status	 status;
	const char	*key;
	char		*owner, selector[13], *err = NULL;
	int64_t		 user, our;
	size_t		 n;

	key = db_column_text(dj, 0);
	/* The key's start names it here: the whole key is a secret. */
	n = strnlen(key, sizeof selector - 1);
	memcpy(selector, key, n);
	selector[n] = '\0';
	if ((status = seen(db, "token", selector, &our, cause)) !=
	    WD_ENOTFOUND) {
		if (status == WD_OK)
			res->already++;
		return status;
	}
	owner = key_text(dj, 1);
	status = seen(db, "account", owner, &user, cause);
	if (status == WD_ENOTFOUND) {
		note(res, "token %.4s... of Django account #%s: not brought "
		    "over: its account did not come over", key, owner);
		free(owner);
		return WD_OK;
	}
	free(owner);
	if (status != WD_OK)
		return status;
	status = token_import_django(db, user, key, db_column_is_null(dj, 2) ?
	    now : db_column_int(dj, 2), &our, &err);
	if (status == WD_EDATA) {
		note(res, "token %.4s...: not brought over: %s", key, err);
		free(err);
		return WD_OK;
	}
	if (status != WD_OK) {
		*cause = err;
		return status;
	}
	if ((status = remember(db, "token", selector, our, cause)) != WD_OK)
		return status;
	res->tokens++;
	return WD_OK;
}

/* Bring over the current tickets_ticket row of DJ. */
static enum wd_status
import_ticket(struct db *db, struct db_stmt *dj, const struct sla_policy *pol,
    const struct user *by, int64_t now, struct django_result *res,
    char **cause)
{
	struct ticket_import	 ti;
	enum wd_status		 status;
	char			*id, *owner, *err = NULL;
	int64_t			 our;

	id = key_text(dj, 0);
	if ((status = seen(db, "ticket", id, &our, cause)) != WD_ENOTFOUND) {
		if (status == WD_OK)
			res->already++;
		free(id);
		return status;
	}
	memset(&ti, 0, sizeof ti);
	ti.django_id = db_column_int(dj, 0);
	ti.title = db_column_is_null(dj, 1) ? "" : db_column_text(dj, 1);
	ti.description = db_column_is_null(dj, 2) ? "" :
	    db_column_text(dj, 2);
	ti.has_deadline = !db_column_is_null(dj, 3);
	ti.deadline = db_column_int(dj, 3);
	ti.created_at = db_column_is_null(dj, 4) ? now : db_column_int(dj, 4);
	ti.warning_sent = db_column_int(dj, 6) != 0;
	ti.missed_sent = db_column_int(dj, 7) != 0;
	ti.by_id = by->id;
	owner = key_text(dj, 5);
	status = seen(db, "account", owner, &ti.owner_id, cause);
	if (status == WD_ENOTFOUND && by->id <= 0) {
		note(res, "ticket #%s: not brought over: its owner (Django "
		    "account #%s) did not come over", id, owner);
		free(owner);
		status = WD_OK;
		goto out;
	}
	if (status == WD_ENOTFOUND) {
		note(res, "ticket #%s: its owner (Django account #%s) did not "
		    "come over: owned by %s", id, owner, by->name);
		ti.owner_id = by->id;
		status = WD_OK;
	}
	free(owner);
	if (status != WD_OK)
		goto out;
	status = ticket_import(db, pol, &ti, now, &our, &err);
	if (status == WD_EDATA) {
		note(res, "ticket #%s: not brought over: %s", id, err);
		status = WD_OK;
		goto out;
	}
	if (status != WD_OK) {
		*cause = err;
		err = NULL;
		goto out;
	}
	if ((status = remember(db, "ticket", id, our, cause)) != WD_OK)
		goto out;
	res->tickets++;

out:
	free(err);
	free(id);
	return status;
}

/*
 * Run FN with ARG on every row ST yields from the Django database,
 * stopping at the first error.
 */
static enum wd_status
each_row(struct db_stmt *st, enum wd_status (*fn)(struct db_stmt *, void *),
    void *arg, char **cause)
{
	enum wd_status	status = WD_OK, rstatus = WD_EFAIL;
	int		rc;

	while ((rc = db_step(st, &rstatus, cause)) == 1) {
		if ((status = fn(st, arg)) != WD_OK)
			break;
	}
	db_reset(st);
	if (rc < 0)
		return rstatus;
	return status;
}

/* The state of one run, for the row functions. */
struct run {
	struct db			*db;
	const struct sla_policy		*pol;
	const struct user		*by;
	int64_t				 now;
	struct django_result		*res;
	char				**cause;
};

/* each_row() callbacks: one Django row of each kind. */
static enum wd_status
row_account(struct db_stmt *st, void *arg)
{
	struct run	*r = arg;

	return import_account(r->db, st, r->by, r->now, r->res, r->cause);
}

static enum wd_status
row_token(struct db_stmt *st, void *arg)
{
	struct run	*r = arg;

	return import_token(r->db, st, r->now, r->res, r->cause);
}

static enum wd_status
row_ticket(struct db_stmt *st, void *arg)
{
	struct run	*r = arg;

	return import_ticket(r->db, st, r->pol, r->by, r->now, r->res,
	    r->cause);
}

/* One try of django_import(). */
static enum wd_status
django_import_once(struct db *db, struct db *dj, const struct sla_policy *pol,
    const struct user *by, int64_t now, void (*progress)(const char *, void *),
    void *arg, struct django_result *res, char **cause)
{
	struct run	 r = { db, pol, by, now, res, cause };
	struct db_stmt	*st;
	enum wd_status	 status;
	int64_t		 n;
	bool		 pg = db_engine(dj) == DB_POSTGRESQL;

	memset(res, 0, sizeof *res);
	if ((status = db_begin_read(dj, cause)) != WD_OK)
		return status;
	st = db_prepare(dj, pg ? sql_dj_tables_pg : sql_dj_tables);
	if ((status = db_one_int(st, &n, cause)) != WD_OK)
		goto out;
	if (n != 3) {
		status = status_set(cause, WD_EDATA, "not a Django watchdog "
		    "database: it lacks the auth_user, authtoken_token or "
		    "tickets_ticket table");
		goto out;
	}
	if ((status = db_begin_write(db, cause)) != WD_OK)
		goto out;
	if (progress != NULL)
		progress("accounts", arg);
	if ((status = each_row(db_prepare(dj, pg ? sql_dj_users_pg :
	    sql_dj_users), row_account, &r, cause)) != WD_OK)
		goto fail;
	if (progress != NULL)
		progress("tokens", arg);
	if ((status = each_row(db_prepare(dj, pg ? sql_dj_tokens_pg :
	    sql_dj_tokens), row_token, &r, cause)) != WD_OK)
		goto fail;
	if (progress != NULL)
		progress("tickets", arg);
	if ((status = each_row(db_prepare(dj, pg ? sql_dj_tickets_pg :
	    sql_dj_tickets), row_ticket, &r, cause)) != WD_OK)
		goto fail;
	status = db_commit(db, cause);
	goto out;

fail:
	db_rollback(db);
out:
	db_rollback(dj);
	if (status != WD_OK)
		django_result_clear(res);
	return status;
}

/*
 * Import; see django_import.h. The whole import is one unit of work on
 * our database, run again from the start when it may be (DB_RETRY).
 */
enum wd_status
django_import(struct db *db, struct db *dj, const struct sla_policy *pol,
    const struct user *by, int64_t now, void (*progress)(const char *, void *),
    void *arg, struct django_result *res, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = django_import_once(db, dj, pol, by, now, progress,
		    arg, res, cause);
	return status;
}

/* Free a result; see django_import.h. */
void
django_result_clear(struct django_result *res)
{
	size_t	i;

	for (i = 0; i < res->nnotes; i++)
		free(res->notes[i]);
	free(res->notes);
	memset(res, 0, sizeof *res);
}
