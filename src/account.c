/*
 * account.c: account administration; see account.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "watchdog/account.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

static const char sql_account_list[] =
    "SELECT id, name, email, role = 'admin', disabled_at IS NOT NULL, "
    "must_change_password, created_at, coalesce(last_login_at, 0) "
    "FROM users ORDER BY name";
static const char sql_account_list_json[] =
    "SELECT json_object('name', name, 'email', email, "
    "'admin', json(iif(role = 'admin', 'true', 'false')), "
    "'disabled', json(iif(disabled_at IS NOT NULL, 'true', 'false')), "
    "'created_at', " DB_ISO_TIME("created_at") ", "
    "'last_login', " DB_ISO_TIME("last_login_at") ") "
    "FROM users ORDER BY name";
/* The same objects on PostgreSQL, as compact as SQLite's json_object(). */
#define ACCOUNT_JSON_PG(x)	"coalesce(to_json(" x ")::text, 'null')"
static const char sql_account_list_json_pg[] =
    "SELECT '{\"name\":' || " ACCOUNT_JSON_PG("name::text") " || "
    "',\"email\":' || " ACCOUNT_JSON_PG("email") " || "
    "',\"admin\":' || CASE WHEN role = 'admin' THEN 'true' "
    "ELSE 'false' END || "
    "',\"disabled\":' || CASE WHEN disabled_at IS NOT NULL THEN 'true' "
    "ELSE 'false' END || "
    "',\"created_at\":' || " ACCOUNT_JSON_PG(DB_ISO_TIME("created_at"))
    " || ',\"last_login\":' || "
    ACCOUNT_JSON_PG(DB_ISO_TIME("last_login_at")) " || '}' "
    "FROM users ORDER BY name";
static const char sql_active_admins[] =
    "SELECT count(*) FROM users WHERE role = 'admin' "
    "AND disabled_at IS NULL AND id <> :id";
static const char sql_set_email[] =
    "UPDATE users SET email = :email WHERE id = :id";
static const char sql_set_role[] =
    "UPDATE users SET role = :role WHERE id = :id";
static const char sql_set_disabled[] =
    "UPDATE users SET disabled_at = :at WHERE id = :id";
static const char sql_set_password[] =
    "UPDATE users SET password_hash = :hash, must_change_password = :must "
    "WHERE id = :id";
static const char sql_revoke_tokens[] =
    "UPDATE tokens SET revoked_at = :now "
    "WHERE user_id = :id AND revoked_at IS NULL";
static const char sql_clear_failures[] =
    "DELETE FROM login_failures WHERE user_id = :id";

/* The accounts; see account.h. */
enum wd_status
account_list(struct db *db, int (*fn)(const struct account *, void *),
    void *arg, char **cause)
{
	struct db_stmt	*st;
	struct account	 a;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = db_prepare(db, sql_account_list);
	while ((rc = db_step(st, &status, cause)) == 1) {
		a.id = db_column_int(st, 0);
		a.name = db_column_text(st, 1);
		a.email = db_column_text(st, 2);
		a.admin = db_column_int(st, 3) != 0;
		a.disabled = db_column_int(st, 4) != 0;
		a.must_change = db_column_int(st, 5) != 0;
		a.created_at = db_column_int(st, 6);
		a.last_login = db_column_int(st, 7);
		if (fn(&a, arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* The accounts as JSON; see account.h. */
enum wd_status
account_list_json(struct db *db, int (*fn)(const char *, void *), void *arg,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ?
	    sql_account_list_json_pg : sql_account_list_json);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (fn(db_column_text(st, 0), arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* Run ST (bound to account ID) and audit EVENT with DETAIL as BY. */
static enum wd_status
account_write(struct db *db, struct db_stmt *st, const struct user *by,
    const struct user *target, int64_t now, const char *event,
    const char *detail, char **cause)
{
	enum wd_status	 status;
	char		*d;

	if ((status = db_exec(st, cause)) != WD_OK)
		return status;
	d = xasprintf("%s%s%s", target->name, detail != NULL ? ": " : "",
	    detail != NULL ? detail : "");
	status = user_audit(db, now, by->id, by->name, -1, event, d, cause);
	free(d);
	return status;
}

/*
 * Refuse to leave no administrator: TARGET (an enabled administrator) is
 * about to be demoted or disabled (WHAT).
 */
static enum wd_status
account_keep_admin(struct db *db, const struct user *target, const char *what,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	int64_t		 others;

	if (!target->admin || target->disabled)
		return WD_OK;
	st = db_prepare(db, sql_active_admins);
	db_bind_int(st, ":id", target->id);
	if ((status = db_one_int(st, &others, cause)) != WD_OK)
		return status;
	if (others == 0)
		return status_set(cause, WD_EAUTH, "%s is the last "
		    "administrator and cannot be %s: make another account an "
		    "administrator first", target->name, what);
	return WD_OK;
}

/* Revoke every token of account ID. */
static enum wd_status
account_revoke(struct db *db, int64_t id, int64_t now, char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_revoke_tokens);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":id", id);
	return db_exec(st, cause);
}

/* A random one-time password (new string, ACCOUNT_OTP_LEN characters). */
static char *
account_otp(void)
{
	static const char	 set[] = "abcdefghijkmnpqrstuvwxyz"
	    "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char			*otp;
	size_t			 i;

	otp = xmalloc(ACCOUNT_OTP_LEN + 1);
	for (i = 0; i < ACCOUNT_OTP_LEN; i++)
		otp[i] = set[randombytes_uniform(sizeof set - 1)];
	otp[ACCOUNT_OTP_LEN] = '\0';
	return otp;
}

/* Store a fresh one-time password for TARGET in *OTP. */
static enum wd_status
account_reset(struct db *db, const struct user *by, const struct user *target,
    int64_t now, char **otp, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	char		*hash = NULL;

	*otp = account_otp();
	if ((status = user_hash(*otp, &hash, cause)) != WD_OK)
		return status;
	st = db_prepare(db, sql_set_password);
	db_bind_text(st, ":hash", hash);
	db_bind_int(st, ":must", 1);
	db_bind_int(st, ":id", target->id);
	status = account_write(db, st, by, target, now, "password_reset",
	    NULL, cause);
	sodium_memzero(hash, strlen(hash));
	free(hash);
	if (status != WD_OK)
		return status;
	/* A locked account is opened by the reset. */
	st = db_prepare(db, sql_clear_failures);
	db_bind_int(st, ":id", target->id);
	if ((status = db_exec(st, cause)) != WD_OK)
		return status;
	return account_revoke(db, target->id, now, cause);
}

/* Check that BY may apply CH to TARGET. */
static enum wd_status
account_allowed(const struct user *by, const struct user *target,
    const struct account_change *ch, char **cause)
{
	if (by->admin)
		return WD_OK;
	if (by->id == target->id && ch->admin == ACCOUNT_KEEP &&
	    ch->disabled == ACCOUNT_KEEP && !ch->reset_password)
		return WD_OK;
	if (by->id == target->id)
		return status_set(cause, WD_EAUTH, "only an administrator may "
		    "change that; you may change your own --email");
	return status_set(cause, WD_EAUTH, "only an administrator may change "
	    "another account (%s is not one)", by->name);
}

/* Apply the flags of CH to TARGET (e-mail done). */
static enum wd_status
account_flags(struct db *db, const struct user *by, struct user *target,
    const struct account_change *ch, int64_t now, bool *any, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	bool		 admin, disabled;

	admin = ch->admin == ACCOUNT_SET;
	if (ch->admin != ACCOUNT_KEEP && admin != target->admin) {
		if (!admin && (status = account_keep_admin(db, target,
		    "demoted", cause)) != WD_OK)
			return status;
		st = db_prepare(db, sql_set_role);
		db_bind_text(st, ":role", admin ? "admin" : "user");
		db_bind_int(st, ":id", target->id);
		if ((status = account_write(db, st, by, target, now,
		    admin ? "admin_granted" : "admin_revoked", NULL, cause)) !=
		    WD_OK)
			return status;
		target->admin = admin;
		*any = true;
	}
	disabled = ch->disabled == ACCOUNT_SET;
	if (ch->disabled != ACCOUNT_KEEP && disabled != target->disabled) {
		if (disabled && (status = account_keep_admin(db, target,
		    "disabled", cause)) != WD_OK)
			return status;
		st = db_prepare(db, sql_set_disabled);
		if (disabled)
			db_bind_int(st, ":at", now);
		else
			db_bind_null(st, ":at");
		db_bind_int(st, ":id", target->id);
		if ((status = account_write(db, st, by, target, now,
		    disabled ? "account_disabled" : "account_enabled", NULL,
		    cause)) != WD_OK)
			return status;
		if (disabled && (status = account_revoke(db, target->id, now,
		    cause)) != WD_OK)
			return status;
		target->disabled = disabled;
		*any = true;
	}
	return WD_OK;
}

/* Change an account; see account.h. */
enum wd_status
account_update(struct db *db, const struct user *by, const char *name,
    const struct account_change *ch, int64_t now, char **otp, bool *changed,
    char **cause)
{
	struct user	 target;
	struct db_stmt	*st;
	enum wd_status	 status;
	char		*detail;
	bool		 any = false;

	*otp = NULL;
	if (changed != NULL)
		*changed = false;
	memset(&target, 0, sizeof target);
	if (ch->email != NULL && (status = user_check_email(ch->email,
	    cause)) != WD_OK)
		return status;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = user_find(db, name, &target, cause)) != WD_OK ||
	    (status = account_allowed(by, &target, ch, cause)) != WD_OK)
		goto fail;
	if (ch->email != NULL && strcmp(ch->email, target.email) != 0) {
		st = db_prepare(db, sql_set_email);
		db_bind_text(st, ":email", ch->email);
		db_bind_int(st, ":id", target.id);
		detail = xasprintf("e-mail %s -> %s", target.email, ch->email);
		status = account_write(db, st, by, &target, now,
		    "email_changed", detail, cause);
		free(detail);
		if (status != WD_OK)
			goto fail;
		any = true;
	}
	if ((status = account_flags(db, by, &target, ch, now, &any,
	    cause)) != WD_OK)
		goto fail;
	if (ch->reset_password) {
		if ((status = account_reset(db, by, &target, now, otp,
		    cause)) != WD_OK)
			goto fail;
		any = true;
	}
	if ((status = db_commit(db, cause)) != WD_OK)
		goto fail_committed;
	if (changed != NULL)
		*changed = any;
	user_clear(&target);
	return WD_OK;

fail:
	db_rollback(db);
fail_committed:
	if (*otp != NULL) {
		sodium_memzero(*otp, strlen(*otp));
		free(*otp);
		*otp = NULL;
	}
	user_clear(&target);
	return status;
}

/* Set one's own password; see account.h. */
enum wd_status
account_set_password(struct db *db, const struct config *cfg,
    const struct user *u, const char *oldpw, const char *newpw, int64_t now,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	char		*hash = NULL;

	if ((status = user_check_password(cfg, u->name, newpw, cause)) !=
	    WD_OK)
		return status;
	if (oldpw != NULL && strcmp(oldpw, newpw) == 0)
		return status_set(cause, WD_EDATA, "the new password is the "
		    "old one: choose another");
	if ((status = user_hash(newpw, &hash, cause)) != WD_OK)
		return status;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		goto out;
	st = db_prepare(db, sql_set_password);
	db_bind_text(st, ":hash", hash);
	db_bind_int(st, ":must", 0);
	db_bind_int(st, ":id", u->id);
	if ((status = account_write(db, st, u, u, now, "password_changed",
	    NULL, cause)) != WD_OK) {
		db_rollback(db);
		goto out;
	}
	status = db_commit(db, cause);
out:
	sodium_memzero(hash, strlen(hash));
	free(hash);
	return status;
}
