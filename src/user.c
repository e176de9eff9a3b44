/*
 * user.c: accounts, the password policy, logins with lockout, and the
 * audit trail; see user.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "watchdog/address.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/django_hash.h"
#include "watchdog/embedded.h"
#include "watchdog/timeutil.h"
#include "watchdog/user.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Argon2id cost: libsodium's INTERACTIVE limits (64 MiB). */
#define USER_OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define USER_MEMLIMIT	crypto_pwhash_MEMLIMIT_INTERACTIVE

/* Longest password accepted, in bytes. */
#define USER_PASSWORD_MAX 1024

/*
 * A hash of a random secret with the same parameters, verified against
 * when the account does not exist, so that an unknown name costs the same
 * time as a wrong password.
 */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$AX/ZhVMA7DkVsy7KP8L4Dg$"
    "3fy8F2UJeAToKDPEg1koutVyvyMF6jtd7at5804Udo8";

static const char sql_user_count[] = "SELECT count(*) FROM users";
static const char sql_user_names[] = "SELECT name FROM users ORDER BY name";
static const char sql_user_by_name[] =
    "SELECT id, name, email, role, password_hash, "
    "disabled_at IS NOT NULL, must_change_password FROM users "
    "WHERE name = :name";
static const char sql_user_by_id[] =
    "SELECT id, name, email, role, password_hash, "
    "disabled_at IS NOT NULL, must_change_password FROM users "
    "WHERE id = :id";
static const char sql_user_disabled[] =
    "SELECT disabled_at IS NOT NULL FROM users WHERE id = :id";
static const char sql_user_logged_in[] =
    "UPDATE users SET last_login_at = :now WHERE id = :id";
static const char sql_user_insert[] =
    "INSERT INTO users (name, email, role, password_hash, created_at) "
    "VALUES (:name, :email, :role, :hash, :now)";
static const char sql_user_rehash[] =
    "UPDATE users SET password_hash = :hash WHERE id = :id";
static const char sql_audit_insert[] =
    "INSERT INTO audit (at, user_id, name, unix_uid, event, detail) "
    "VALUES (:at, :user_id, :name, :uid, :event, :detail)";
static const char sql_failures_get[] =
    "SELECT failures, last_failure_at, locked_until FROM login_failures "
    "WHERE user_id = :user_id AND unix_uid = :uid";
static const char sql_failures_set[] =
    "INSERT INTO login_failures (user_id, unix_uid, failures, "
    "last_failure_at, locked_until) "
    "VALUES (:user_id, :uid, :failures, :now, :locked_until) "
    "ON CONFLICT (user_id, unix_uid) DO UPDATE SET "
    "failures = excluded.failures, last_failure_at = excluded.last_failure_at, "
    "locked_until = excluded.locked_until";
static const char sql_failures_clear[] =
    "DELETE FROM login_failures WHERE user_id = :user_id AND unix_uid = :uid";

void
user_clear(struct user *u)
{
	free(u->name);
	free(u->email);
	memset(u, 0, sizeof *u);
}

/* Check an account name; see user.h. */
enum wd_status
user_check_name(const char *name, char **cause)
{
	const char	*p;
	size_t		 len;

	len = strlen(name);
	if (len == 0)
		return status_set(cause, WD_EDATA, "account name is empty");
	if (len > USER_NAME_MAX)
		return status_set(cause, WD_EDATA,
		    "account name is longer than %d characters", USER_NAME_MAX);
	if (name[0] == '-' || name[0] == '.')
		return status_set(cause, WD_EDATA,
		    "account name must not start with '-' or '.'");
	for (p = name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-')
			continue;
		return status_set(cause, WD_EDATA, "account name may only "
		    "hold letters, digits, '.', '_' and '-'");
	}
	return WD_OK;
}

/* Check an account's e-mail address; see user.h. */
enum wd_status
user_check_email(const char *email, char **cause)
{
	const char	*why;

	if (!address_valid(email, &why))
		return status_set(cause, WD_EDATA, "bad e-mail address: %s",
		    why);
	return WD_OK;
}

/* True when PASSWORD, lower-cased, is in the common password list. */
static bool
user_password_common(const char *password)
{
	const struct embedded_file	*f;
	const char			*line, *end, *nl;
	char				*lower, *p;
	size_t				 len;
	bool				 found = false;

	if ((f = embedded_find("data/common-passwords.txt")) == NULL)
		return false;
	lower = xstrdup(password);
	for (p = lower; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	}
	len = strlen(lower);
	end = f->data + f->len;
	for (line = f->data; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if ((size_t)(nl - line) == len && memcmp(line, lower, len) == 0) {
			found = true;
			break;
		}
	}
	sodium_memzero(lower, len);
	free(lower);
	return found;
}

/* Check a new password against the policy; see user.h. */
enum wd_status
user_check_password(const struct config *cfg, const char *name,
    const char *password, char **cause)
{
	const char	*p;
	size_t		 len, chars = 0;
	bool		 digits = true;

	len = strlen(password);
	if (len > USER_PASSWORD_MAX)
		return status_set(cause, WD_EDATA,
		    "password is longer than %d bytes", USER_PASSWORD_MAX);
	if (!utf8_valid(password, len))
		return status_set(cause, WD_EDATA, "password is not UTF-8");
	for (p = password; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80)
			chars++;
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return status_set(cause, WD_EDATA,
			    "password must not contain control characters");
		if (*p < '0' || *p > '9')
			digits = false;
	}
	if (chars < (size_t)cfg->password_min_length)
		return status_set(cause, WD_EDATA,
		    "password is too short: at least %d characters",
		    cfg->password_min_length);
	if (digits)
		return status_set(cause, WD_EDATA,
		    "password must not be all digits");
	if (name != NULL && ascii_casecmp(password, name) == 0)
		return status_set(cause, WD_EDATA,
		    "password must not be the account name");
	if (user_password_common(password))
		return status_set(cause, WD_EDATA,
		    "password is too common: choose another");
	return WD_OK;
}

/* The number of accounts in *N; see user.h. */
enum wd_status
user_count(struct db *db, int64_t *n, char **cause)
{
	return db_one_int(db_prepare(db, sql_user_count), n, cause);
}

/* Fill *OUT (and *HASH, when not NULL) from a row of sql_user_by_*. */
static void
user_from_row(struct db_stmt *st, struct user *out, char **hash)
{
	out->id = db_column_int(st, 0);
	out->name = db_column_strdup(st, 1);
	out->email = db_column_strdup(st, 2);
	out->admin = strcmp(db_column_text(st, 3), "admin") == 0;
	out->disabled = db_column_int(st, 5) != 0;
	out->must_change = db_column_int(st, 6) != 0;
	if (hash != NULL)
		*hash = db_column_strdup(st, 4);
}

/* Run one of the lookups; WD_ENOTFOUND when there is no row. */
static enum wd_status
user_lookup(struct db_stmt *st, struct user *out, char **hash, char **cause)
{
	enum wd_status	status;

	memset(out, 0, sizeof *out);
	if ((status = db_step_one(st, cause)) != WD_OK)
		return status;
	user_from_row(st, out, hash);
	db_reset(st);
	return WD_OK;
}

/*
 * Look account NAME up, its password hash in *HASH when HASH is not NULL;
 * WD_ENOTFOUND when there is none. Bytes that are not UTF-8 name no
 * account (every stored name is UTF-8) and are never sent to the
 * database, which may refuse them (PostgreSQL).
 */
static enum wd_status
user_lookup_name(struct db *db, const char *name, struct user *out,
    char **hash, char **cause)
{
	struct db_stmt	*st;

	if (!utf8_valid(name, strlen(name))) {
		memset(out, 0, sizeof *out);
		return WD_ENOTFOUND;
	}
	st = db_prepare(db, sql_user_by_name);
	db_bind_text(st, ":name", name);
	return user_lookup(st, out, hash, cause);
}

/* Look an account up by name; see user.h. */
enum wd_status
user_find(struct db *db, const char *name, struct user *out, char **cause)
{
	enum wd_status	 status;

	status = user_lookup_name(db, name, out, NULL, cause);
	if (status == WD_ENOTFOUND)
		status_set(cause, status, "no account named '%s'", name);
	return status;
}

/* Look an account up by id; see user.h. */
enum wd_status
user_get(struct db *db, int64_t id, struct user *out, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	st = db_prepare(db, sql_user_by_id);
	db_bind_int(st, ":id", id);
	status = user_lookup(st, out, NULL, cause);
	if (status == WD_ENOTFOUND)
		status_set(cause, status, "no account with id %lld",
		    (long long)id);
	return status;
}

/* Add an audit record; see user.h. */
enum wd_status
user_audit(struct db *db, int64_t now, int64_t user_id, const char *name,
    int64_t uid, const char *event, const char *detail, char **cause)
{
	struct db_stmt	*st;
	char		*shown = NULL;
	enum wd_status	 status;

	st = db_prepare(db, sql_audit_insert);
	db_bind_int(st, ":at", now);
	if (user_id > 0)
		db_bind_int(st, ":user_id", user_id);
	else
		db_bind_null(st, ":user_id");
	/* A name typed at a login prompt may be anything: keep it short. */
	if (name != NULL) {
		shown = utf8_visible(name, false);
		if (strlen(shown) > 2 * USER_NAME_MAX)
			shown[2 * USER_NAME_MAX] = '\0';
	}
	db_bind_text_or_null(st, ":name", shown);
	if (uid >= 0)
		db_bind_int(st, ":uid", uid);
	else
		db_bind_null(st, ":uid");
	db_bind_text(st, ":event", event);
	db_bind_text_or_null(st, ":detail", detail);
	status = db_exec(st, cause);
	free(shown);
	return status;
}

/* Hash a password; see user.h. */
enum wd_status
user_hash(const char *password, char **hash, char **cause)
{
	char	buf[crypto_pwhash_STRBYTES];

	if (sodium_init() < 0)
		return status_set(cause, WD_EFAIL, "libsodium failed to start");
	if (crypto_pwhash_str(buf, password, strlen(password), USER_OPSLIMIT,
	    USER_MEMLIMIT) != 0)
		return status_set(cause, WD_EFAIL,
		    "not enough memory to hash the password");
	*hash = xstrdup(buf);
	return WD_OK;
}

/* One try of user_create() (below). */
static enum wd_status
user_create_once(struct db *db, const struct config *cfg, const char *name,
    const char *email, const char *password, bool admin, bool only_if_empty,
    const struct user *by, int64_t now, int64_t *id, char **cause)
{
	struct db_stmt	*st;
	struct user	 existing;
	enum wd_status	 status;
	char		*hash = NULL, *detail = NULL;
	int64_t		 n;

	if ((status = user_check_name(name, cause)) != WD_OK ||
	    (status = user_check_email(email, cause)) != WD_OK ||
	    (status = user_check_password(cfg, name, password, cause)) != WD_OK)
		return status;
	/* The slow hash first, so that no lock is held while it runs. */
	if ((status = user_hash(password, &hash, cause)) != WD_OK)
		return status;

	if ((status = db_begin_write(db, cause)) != WD_OK)
		goto out;
	if (only_if_empty) {
		if ((status = user_count(db, &n, cause)) != WD_OK)
			goto fail;
		if (n > 0) {
			status = status_set(cause, WD_EAUTH, "the database has "
			    "accounts already: an administrator must add this "
			    "one");
			goto fail;
		}
	}
	status = user_find(db, name, &existing, NULL);
	if (status == WD_OK) {
		status = status_set(cause, WD_EDATA,
		    "an account named '%s' exists already", existing.name);
		user_clear(&existing);
		goto fail;
	}
	if (status != WD_ENOTFOUND) {
		status = status_set(cause, status, "cannot look up accounts");
		goto fail;
	}
	st = db_prepare(db, sql_user_insert);
	db_bind_text(st, ":name", name);
	db_bind_text(st, ":email", email);
	db_bind_text(st, ":role", admin ? "admin" : "user");
	db_bind_text(st, ":hash", hash);
	db_bind_int(st, ":now", now);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	*id = db_last_insert_id(db);
	detail = xasprintf("%s %s by %s", admin ? "admin" : "user", name,
	    by != NULL ? by->name : "(first account)");
	if ((status = user_audit(db, now, *id, name, -1, "user_created",
	    detail, cause)) != WD_OK)
		goto fail;
	status = db_commit(db, cause);
	goto out;

fail:
	db_rollback(db);
out:
	if (hash != NULL)
		sodium_memzero(hash, strlen(hash));
	free(hash);
	free(detail);
	return status;
}

/* Create an account; see user.h. */
enum wd_status
user_create(struct db *db, const struct config *cfg, const char *name,
    const char *email, const char *password, bool admin, bool only_if_empty,
    const struct user *by, int64_t now, int64_t *id, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = user_create_once(db, cfg, name, email,
		    password, admin, only_if_empty, by, now, id, cause);
	return status;
}

/* The failure row of an account and Unix user (login_failures). */
struct user_failures {
	bool	found;		/* there is a row */
	int64_t	failures;	/* attempts counted, finished or not */
	int64_t	last_at;	/* the last attempt */
	int64_t	locked_until;	/* 0: not locked */
};

/*
 * Read the failure count, the time of the last attempt and the lock of
 * (USER_ID, UID) into *F (all 0 when there is no row; F->found says which).
 */
static enum wd_status
user_failures(struct db *db, int64_t user_id, int64_t uid,
    struct user_failures *f, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	memset(f, 0, sizeof *f);
	st = db_prepare(db, sql_failures_get);
	db_bind_int(st, ":user_id", user_id);
	db_bind_int(st, ":uid", uid);
	status = db_step_one(st, cause);
	if (status == WD_ENOTFOUND)
		return WD_OK;
	if (status != WD_OK)
		return status;
	f->found = true;
	f->failures = db_column_int(st, 0);
	f->last_at = db_column_int(st, 1);
	f->locked_until = db_column_int(st, 2);
	db_reset(st);
	return WD_OK;
}

/* Write *F as the row of (USER_ID, UID); a zero lock is stored as NULL. */
static enum wd_status
user_failures_put(struct db *db, int64_t user_id, int64_t uid,
    const struct user_failures *f, char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_failures_set);
	db_bind_int(st, ":user_id", user_id);
	db_bind_int(st, ":uid", uid);
	db_bind_int(st, ":failures", f->failures);
	db_bind_int(st, ":now", f->last_at);
	if (f->locked_until != 0)
		db_bind_int(st, ":locked_until", f->locked_until);
	else
		db_bind_null(st, ":locked_until");
	return db_exec(st, cause);
}

/* The message for a locked account. */
static enum wd_status
user_locked(const char *name, int64_t until, char **cause)
{
	char	when[32];

	time_format_local(until, when, sizeof when);
	return status_set(cause, WD_EAUTH, "account '%s' is locked after too "
	    "many failed logins until %s; try again then", name, when);
}

/*
 * Refuse a login of U from UID because of a lock lasting until UNTIL:
 * audit it (DETAIL may be NULL), commit, and return WD_EAUTH with the
 * message. Called inside a write transaction, which it ends.
 */
static enum wd_status
user_refuse_locked(struct db *db, const struct user *u, int64_t uid,
    int64_t now, int64_t until, const char *detail, char **cause)
{
	enum wd_status	status;

	if ((status = user_audit(db, now, u->id, u->name, uid, "login_locked",
	    detail, cause)) != WD_OK) {
		db_rollback(db);
		return status;
	}
	if ((status = db_commit(db, cause)) != WD_OK)
		return status;
	return user_locked(u->name, until, cause);
}

/*
 * Reserve one login attempt of U from UID before its password is checked,
 * under the write lock: the attempt counts as a failure until it succeeds,
 * so parallel attempts cannot check more passwords than
 * CFG->login_max_failures allows. A locked account, or one whose allowance
 * is taken by attempts still running, is refused with WD_EAUTH. An
 * allowance held by attempts that never finished (a killed process) is
 * given back after CFG->login_lockout_minutes.
 */
static enum wd_status
user_login_reserve_once(struct db *db, const struct config *cfg,
    const struct user *u, int64_t uid, int64_t now, char **cause)
{
	struct user_failures	 f;
	enum wd_status		 status;
	int64_t			 lockout;

	lockout = (int64_t)cfg->login_lockout_minutes * 60;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = user_failures(db, u->id, uid, &f, cause)) != WD_OK)
		goto fail;
	if (f.locked_until > now)
		return user_refuse_locked(db, u, uid, now, f.locked_until,
		    NULL, cause);
	/* A lock that ran out, or attempts left hanging, start afresh. */
	if (f.locked_until != 0 || (f.failures >= cfg->login_max_failures &&
	    f.last_at + lockout <= now)) {
		f.failures = 0;
		f.locked_until = 0;
	}
	if (f.failures >= cfg->login_max_failures)
		return user_refuse_locked(db, u, uid, now, f.last_at + lockout,
		    "attempts in progress", cause);
	f.failures++;
	f.last_at = now;
	if ((status = user_failures_put(db, u->id, uid, &f, cause)) != WD_OK)
		goto fail;
	return db_commit(db, cause);

fail:
	db_rollback(db);
	return status;
}

/* user_login_reserve_once(), run again as DB_RETRY does (db.h). */
static enum wd_status
user_login_reserve(struct db *db, const struct config *cfg,
    const struct user *u, int64_t uid, int64_t now, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = user_login_reserve_once(db, cfg, u, uid, now,
		    cause);
	return status;
}

/*
 * Record a failed login of USER_ID (0: unknown name) from UID, whose
 * attempt user_login_reserve() counted already, and lock the account for
 * that UID when the failures reach the limit. Returns the status for the
 * caller: WD_EAUTH with the message, or a database error.
 */
static enum wd_status
user_login_failed_once(struct db *db, const struct config *cfg, int64_t user_id,
    const char *name, int64_t uid, int64_t now, char **cause)
{
	struct user_failures	 f;
	enum wd_status		 status;
	bool			 lock = false;

	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if (user_id > 0) {
		if ((status = user_failures(db, user_id, uid, &f,
		    cause)) != WD_OK)
			goto fail;
		/* A success in between reset the count: this one is new. */
		if (!f.found || f.failures == 0)
			f.failures = 1;
		lock = f.locked_until <= now &&
		    f.failures >= cfg->login_max_failures;
		if (lock)
			f.locked_until = now +
			    (int64_t)cfg->login_lockout_minutes * 60;
		f.last_at = now;
		if ((status = user_failures_put(db, user_id, uid, &f,
		    cause)) != WD_OK)
			goto fail;
	}
	if ((status = user_audit(db, now, user_id, name, uid, "login_failed",
	    user_id > 0 ? NULL : "unknown account", cause)) != WD_OK)
		goto fail;
	if (lock && (status = user_audit(db, now, user_id, name, uid,
	    "lockout", NULL, cause)) != WD_OK)
		goto fail;
	if ((status = db_commit(db, cause)) != WD_OK)
		return status;
	if (lock)
		return user_locked(name, f.locked_until, cause);
	return status_set(cause, WD_EAUTH, "wrong account name or password");

fail:
	db_rollback(db);
	return status;
}

/* user_login_failed_once(), run again as DB_RETRY does (db.h). */
static enum wd_status
user_login_failed(struct db *db, const struct config *cfg, int64_t user_id,
    const char *name, int64_t uid, int64_t now, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = user_login_failed_once(db, cfg, user_id, name,
		    uid, now, cause);
	return status;
}

/*
 * Accept the right password of U from UID, after checking again under
 * the write lock that no lock came meanwhile (a parallel attempt's
 * failure): a locked account stays locked, with its count. Otherwise the
 * count is cleared, NEWHASH (when not NULL) replaces the stored hash, and
 * the login is audited.
 */
static enum wd_status
user_login_accept_once(struct db *db, const struct user *u, int64_t uid,
    int64_t now, const char *newhash, char **cause)
{
	struct user_failures	 f;
	struct db_stmt		*st;
	enum wd_status		 status;
	int64_t			 disabled;

	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = user_failures(db, u->id, uid, &f, cause)) != WD_OK)
		goto fail;
	if (f.locked_until > now)
		return user_refuse_locked(db, u, uid, now, f.locked_until,
		    "right password while locked", cause);
	/* Read under the lock: a disabling committed meanwhile counts. */
	st = db_prepare(db, sql_user_disabled);
	db_bind_int(st, ":id", u->id);
	if ((status = db_one_int(st, &disabled, cause)) != WD_OK)
		goto fail;
	if (disabled) {
		if ((status = user_audit(db, now, u->id, u->name, uid,
		    "login_refused", "account disabled", cause)) != WD_OK ||
		    (status = db_commit(db, cause)) != WD_OK)
			return status;
		return status_set(cause, WD_EAUTH, "account %s is disabled: "
		    "ask an administrator", u->name);
	}
	st = db_prepare(db, sql_user_logged_in);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":id", u->id);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	st = db_prepare(db, sql_failures_clear);
	db_bind_int(st, ":user_id", u->id);
	db_bind_int(st, ":uid", uid);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	if (newhash != NULL) {
		st = db_prepare(db, sql_user_rehash);
		db_bind_text(st, ":hash", newhash);
		db_bind_int(st, ":id", u->id);
		if ((status = db_exec(st, cause)) != WD_OK)
			goto fail;
	}
	if ((status = user_audit(db, now, u->id, u->name, uid, "login",
	    newhash != NULL ? "password rehashed" : NULL, cause)) != WD_OK)
		goto fail;
	return db_commit(db, cause);

fail:
	db_rollback(db);
	return status;
}

/* user_login_accept_once(), run again as DB_RETRY does (db.h). */
static enum wd_status
user_login_accept(struct db *db, const struct user *u, int64_t uid,
    int64_t now, const char *newhash, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = user_login_accept_once(db, u, uid, now, newhash,
		    cause);
	return status;
}

/* Log in; see user.h. */
enum wd_status
user_login(struct db *db, const struct config *cfg, const char *name,
    const char *password, int64_t uid, int64_t now, struct user *out,
    char **cause)
{
	struct user	 u;
	enum wd_status	 status;
	char		*hash = NULL, *newhash = NULL;
	bool		 ok;

	memset(out, 0, sizeof *out);
	if (sodium_init() < 0)
		return status_set(cause, WD_EFAIL, "libsodium failed to start");
	status = user_lookup_name(db, name, &u, &hash, cause);
	if (status == WD_ENOTFOUND) {
		/* The same work as for a real account, then the same answer. */
		if (crypto_pwhash_str_verify(dummy_hash, password,
		    strlen(password)) == 0)
			abort();	/* nobody knows the dummy's secret */
		return user_login_failed(db, cfg, 0, name, uid, now, cause);
	}
	if (status != WD_OK)
		return status;

	/* Counted before the slow check, which runs with no lock held. */
	if ((status = user_login_reserve(db, cfg, &u, uid, now,
	    cause)) != WD_OK)
		goto out;
	/*
	 * A Django pbkdf2_sha256 hash (--import-django) is checked once and
	 * replaced by Argon2id below (it never passes the rehash test).
	 */
	if (django_hash_is(hash))
		ok = django_hash_verify(hash, password) == 1;
	else
		ok = crypto_pwhash_str_verify(hash, password,
		    strlen(password)) == 0;
	if (!ok) {
		status = user_login_failed(db, cfg, u.id, u.name, uid, now,
		    cause);
		goto out;
	}
	/* Parameters changed since the hash was made: make a new one. */
	if ((django_hash_is(hash) || crypto_pwhash_str_needs_rehash(hash,
	    USER_OPSLIMIT, USER_MEMLIMIT) != 0) &&
	    (status = user_hash(password, &newhash, cause)) != WD_OK)
		goto out;
	if ((status = user_login_accept(db, &u, uid, now, newhash,
	    cause)) != WD_OK)
		goto out;
	*out = u;
	memset(&u, 0, sizeof u);

out:
	user_clear(&u);
	if (hash != NULL)
		sodium_memzero(hash, strlen(hash));
	free(hash);
	if (newhash != NULL)
		sodium_memzero(newhash, strlen(newhash));
	free(newhash);
	return status;
}

/*
 * The account names in order, each given to FN (valid during the call);
 * FN returns non-zero to stop. For shell completion of --assignee.
 */
enum wd_status
user_names(struct db *db, int (*fn)(const char *, void *), void *arg,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = db_prepare(db, sql_user_names);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (fn(db_column_text(st, 0), arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}
