/*
 * token.h: API tokens for scripts (WATCHDOG_TOKEN). A token is 32 random
 * bytes in URL-safe base64 behind the prefix "wdt_"; the database keeps
 * its first characters (the selector, to find the row) and a BLAKE2b hash
 * of the whole token, compared in constant time.
 */
#ifndef WATCHDOG_TOKEN_H
#define WATCHDOG_TOKEN_H

#include <stdint.h>

#include "watchdog/status.h"

struct db;
struct user;

/*
 * Create a token for USER_ID. *TOKEN gets the token text (caller wipes it
 * with sodium_memzero and frees it); it is shown once and never stored.
 */
enum wd_status	token_create(struct db *db, int64_t user_id, int64_t now,
		    char **token, char **cause);

/*
 * Store KEY, a Django REST framework token (40 hex digits), for USER_ID as
 * created at CREATED, hashed like ours, so that token_authenticate()
 * accepts it (--import-django); inside the caller's write transaction.
 * *ID gets the new row's id. WD_EDATA when KEY is not such a key.
 */
enum wd_status	token_import_django(struct db *db, int64_t user_id,
		    const char *key, int64_t created, int64_t *id,
		    char **cause);

/*
 * Authenticate with TOKEN: WD_OK and the account in *OUT, or WD_EAUTH for
 * a malformed, unknown or revoked token.
 */
enum wd_status	token_authenticate(struct db *db, const char *token,
		    int64_t now, struct user *out, char **cause);

/* Revoke every live token of USER_ID; *COUNT gets how many. */
enum wd_status	token_revoke_all(struct db *db, int64_t user_id, int64_t now,
		    int *count, char **cause);

#endif
