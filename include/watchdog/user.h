/*
 * user.h: accounts (name, e-mail, role, password hash) and the login that
 * guards them: Argon2id password checks, failure counting per account and
 * calling Unix user with lockout, and the audit trail (watchdog(1) SECURITY).
 */
#ifndef WATCHDOG_USER_H
#define WATCHDOG_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

struct config;
struct db;

struct user {
	int64_t	 id;
	char	*name;
	char	*email;
	bool	 admin;
	bool	 disabled;	/* cannot log in, tokens refused */
	bool	 must_change;	/* a one-time password: choose a new one */
};

/* Longest account name. */
#define USER_NAME_MAX	64

/* Free the strings of U (not U itself). */
void		user_clear(struct user *u);

/*
 * Check an account name: 1..64 of letters, digits, '.', '_', '-', not
 * starting with '-' or '.'. WD_OK or WD_EDATA with *cause.
 */
enum wd_status	user_check_name(const char *name, char **cause);

/* Check an e-mail address for an account. WD_OK or WD_EDATA. */
enum wd_status	user_check_email(const char *email, char **cause);

/*
 * Check PASSWORD against the policy for account NAME: at least
 * CFG->password_min_length characters, not all digits, not the name, not
 * a common password. WD_OK or WD_EDATA with *cause (no password in it).
 */
enum wd_status	user_check_password(const struct config *cfg,
		    const char *name, const char *password, char **cause);

/*
 * The number of accounts in *N (0 on a fresh database). WD_OK, or the
 * storage error (WD_ETEMP when the database is busy) with *cause.
 */
enum wd_status	user_count(struct db *db, int64_t *n, char **cause);

/*
 * Create an account. The password is hashed (Argon2id) before any lock is
 * taken. When ONLY_IF_EMPTY, the account is created only if there is none
 * yet (the first administrator), else WD_EAUTH. A taken name is WD_EDATA.
 * Records the creation in the audit trail with BY (NULL: nobody). Returns
 * the new id in *ID.
 */
enum wd_status	user_create(struct db *db, const struct config *cfg,
		    const char *name, const char *email, const char *password,
		    bool admin, bool only_if_empty, const struct user *by,
		    int64_t now, int64_t *id, char **cause);

/* Look an account up by name (case-insensitive). WD_ENOTFOUND if none. */
enum wd_status	user_find(struct db *db, const char *name, struct user *out,
		    char **cause);
enum wd_status	user_get(struct db *db, int64_t id, struct user *out,
		    char **cause);

/*
 * Log NAME in with PASSWORD, as Unix user UID, at NOW. Unknown names and
 * wrong passwords give the same message and cost the same time. After
 * CFG->login_max_failures failures from one UID the account is locked
 * for that UID for CFG->login_lockout_minutes. Every outcome is audited.
 * A stored hash with old parameters is replaced. WD_OK fills *OUT;
 * WD_EAUTH on failure or lockout.
 */
enum wd_status	user_login(struct db *db, const struct config *cfg,
		    const char *name, const char *password, int64_t uid,
		    int64_t now, struct user *out, char **cause);

/*
 * Hash PASSWORD (Argon2id, the current parameters) into *HASH (new; the
 * caller wipes and frees it). WD_EFAIL when memory is short.
 */
enum wd_status	user_hash(const char *password, char **hash, char **cause);

/* Add an audit record (EVENT such as "login_failed"). */
enum wd_status	user_audit(struct db *db, int64_t now, int64_t user_id,
		    const char *name, int64_t uid, const char *event,
		    const char *detail, char **cause);

/* Call FN with each account name, in order (shell completion). */
enum wd_status	user_names(struct db *db, int (*fn)(const char *, void *),
		    void *arg, char **cause);

#endif
