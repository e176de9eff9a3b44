/*
 * account.h: account administration (watchdog(1), ACCOUNTS): listing the
 * accounts, changing one (e-mail, administrator, disabled, a password
 * reset to a one-time password) and changing one's own password. The
 * last administrator cannot be demoted or disabled. Every change is in
 * the audit trail.
 */
#ifndef WATCHDOG_ACCOUNT_H
#define WATCHDOG_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

struct config;
struct db;
struct user;

/* One account as the list shows it; strings valid during the call. */
struct account {
	int64_t		 id;
	const char	*name;
	const char	*email;
	bool		 admin;
	bool		 disabled;
	bool		 must_change;
	int64_t		 created_at;
	int64_t		 last_login;	/* 0: never */
};

/* A three-way switch of struct account_change. */
enum account_flag {
	ACCOUNT_KEEP,
	ACCOUNT_SET,
	ACCOUNT_CLEAR,
};

/* What to change; NULL / ACCOUNT_KEEP / false leave a thing alone. */
struct account_change {
	const char		*email;
	enum account_flag	 admin;
	enum account_flag	 disabled;
	bool			 reset_password;
};

/* Length of a one-time password (characters). */
#define ACCOUNT_OTP_LEN		16

/* Call FN for each account, by name. FN returns non-zero to stop. */
enum wd_status	account_list(struct db *db,
		    int (*fn)(const struct account *, void *), void *arg,
		    char **cause);

/* Call FN with the JSON object of each account, by name. */
enum wd_status	account_list_json(struct db *db,
		    int (*fn)(const char *, void *), void *arg, char **cause);

/*
 * Apply CH to account NAME as BY at NOW, in one transaction. An
 * administrator may change anything; anyone may change their own e-mail
 * and nothing else (else WD_EAUTH). Demoting or disabling the last
 * administrator who is not disabled is WD_EAUTH. Disabling revokes the
 * account's tokens; so does a password reset, which stores a random
 * one-time password (*OTP, new, ACCOUNT_OTP_LEN characters: the caller
 * shows it once, wipes and frees it) that must be changed at the next
 * login. *CHANGED (may be NULL) tells whether anything differed.
 */
enum wd_status	account_update(struct db *db, const struct user *by,
		    const char *name, const struct account_change *ch,
		    int64_t now, char **otp, bool *changed, char **cause);

/*
 * Set the password of account U (logged in with its old password just
 * before) to NEWPW after the policy of CFG, clear its must-change mark,
 * and audit it. WD_EDATA when NEWPW fails the policy or equals OLDPW.
 */
enum wd_status	account_set_password(struct db *db, const struct config *cfg,
		    const struct user *u, const char *oldpw, const char *newpw,
		    int64_t now, char **cause);

#endif
