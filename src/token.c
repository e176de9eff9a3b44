/*
 * token.c: API tokens; see token.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "watchdog/db.h"
#include "watchdog/token.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define TOKEN_PREFIX		"wdt_"
#define TOKEN_RANDOM_BYTES	32
/* Characters of the encoded random part kept as the public selector. */
#define TOKEN_SELECTOR_LEN	12
/* A Django REST framework key: 40 hex digits, selector "!dj" + 12. */
#define TOKEN_DJANGO_LEN	40
#define TOKEN_DJANGO_SELECTOR	"!dj"

static const char sql_token_insert[] =
    "INSERT INTO tokens (user_id, selector, hash, created_at) "
    "VALUES (:user_id, :selector, :hash, :now)";
static const char sql_token_find[] =
    "SELECT t.id, t.hash, t.revoked_at, u.id, u.name, u.email, u.role, "
    "u.disabled_at IS NOT NULL, u.must_change_password "
    "FROM tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.selector = :selector";
static const char sql_token_used[] =
    "UPDATE tokens SET last_used_at = :now WHERE id = :id "
    "AND (last_used_at IS NULL OR last_used_at < :now - 60)";
static const char sql_token_revoke[] =
    "UPDATE tokens SET revoked_at = :now "
    "WHERE user_id = :user_id AND revoked_at IS NULL";

/* BLAKE2b of TOKEN into HASH. */
static void
token_hash(const char *token, unsigned char hash[crypto_generichash_BYTES])
{
	crypto_generichash(hash, crypto_generichash_BYTES,
	    (const unsigned char *)token, strlen(token), NULL, 0);
}

/* True when TOKEN is a Django REST framework key: 40 lower-case hex. */
static bool
token_is_django(const char *token)
{
	size_t	i;

	for (i = 0; i < TOKEN_DJANGO_LEN; i++) {
		if (!((token[i] >= '0' && token[i] <= '9') ||
		    (token[i] >= 'a' && token[i] <= 'f')))
			return false;
	}
	return token[i] == '\0';
}

/*
 * The selector of a Django key: its first TOKEN_SELECTOR_LEN characters
 * after TOKEN_DJANGO_SELECTOR, which no selector of ours begins with ('!'
 * is not base64url).
 */
static void
token_django_selector(const char *key,
    char selector[TOKEN_SELECTOR_LEN + sizeof TOKEN_DJANGO_SELECTOR])
{
	memcpy(selector, TOKEN_DJANGO_SELECTOR,
	    strlen(TOKEN_DJANGO_SELECTOR));
	memcpy(selector + strlen(TOKEN_DJANGO_SELECTOR), key,
	    TOKEN_SELECTOR_LEN);
	selector[strlen(TOKEN_DJANGO_SELECTOR) + TOKEN_SELECTOR_LEN] = '\0';
}

/* Bring over a Django key; see token.h. */
enum wd_status
token_import_django(struct db *db, int64_t user_id, const char *key,
    int64_t created, int64_t *id, char **cause)
{
	unsigned char	 hash[crypto_generichash_BYTES];
	char		 selector[TOKEN_SELECTOR_LEN +
			     sizeof TOKEN_DJANGO_SELECTOR];
	struct db_stmt	*st;
	enum wd_status	 status;

	if (!token_is_django(key))
		return status_set(cause, WD_EDATA,
		    "not a Django REST framework key (40 hex digits)");
	if (sodium_init() < 0)
		return status_set(cause, WD_EFAIL, "libsodium failed to start");
	token_django_selector(key, selector);
	token_hash(key, hash);
	st = db_prepare(db, sql_token_insert);
	db_bind_int(st, ":user_id", user_id);
	db_bind_text(st, ":selector", selector);
	db_bind_blob(st, ":hash", hash, sizeof hash);
	db_bind_int(st, ":now", created);
	if ((status = db_exec(st, cause)) != WD_OK)
		return status;
	*id = db_last_insert_id(db);
	return user_audit(db, created, user_id, NULL, -1, "token_imported",
	    selector, cause);
}

/* One try of token_create() (below). */
static enum wd_status
token_create_once(struct db *db, int64_t user_id, int64_t now, char **token,
    char **cause)
{
	unsigned char	 raw[TOKEN_RANDOM_BYTES];
	unsigned char	 hash[crypto_generichash_BYTES];
	char		 enc[sodium_base64_ENCODED_LEN(TOKEN_RANDOM_BYTES,
			     sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char		 selector[TOKEN_SELECTOR_LEN + 1];
	struct db_stmt	*st;
	enum wd_status	 status;

	*token = NULL;
	if (sodium_init() < 0)
		return status_set(cause, WD_EFAIL, "libsodium failed to start");
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(enc, sizeof enc, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	memcpy(selector, enc, TOKEN_SELECTOR_LEN);
	selector[TOKEN_SELECTOR_LEN] = '\0';
	*token = xasprintf(TOKEN_PREFIX "%s", enc);
	sodium_memzero(enc, sizeof enc);
	token_hash(*token, hash);

	if ((status = db_begin_write(db, cause)) != WD_OK)
		goto fail;
	st = db_prepare(db, sql_token_insert);
	db_bind_int(st, ":user_id", user_id);
	db_bind_text(st, ":selector", selector);
	db_bind_blob(st, ":hash", hash, sizeof hash);
	db_bind_int(st, ":now", now);
	if ((status = db_exec(st, cause)) != WD_OK ||
	    (status = user_audit(db, now, user_id, NULL, -1, "token_created",
	    selector, cause)) != WD_OK) {
		db_rollback(db);
		goto fail;
	}
	if ((status = db_commit(db, cause)) != WD_OK)
		goto fail;
	return WD_OK;

fail:
	sodium_memzero(*token, strlen(*token));
	free(*token);
	*token = NULL;
	return status;
}

/* Create a token; see token.h. */
enum wd_status
token_create(struct db *db, int64_t user_id, int64_t now, char **token,
    char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = token_create_once(db, user_id, now, token,
		    cause);
	return status;
}

/* Authenticate with a token; see token.h. */
enum wd_status
token_authenticate(struct db *db, const char *token, int64_t now,
    struct user *out, char **cause)
{
	unsigned char	 hash[crypto_generichash_BYTES];
	char		 selector[TOKEN_SELECTOR_LEN +
			     sizeof TOKEN_DJANGO_SELECTOR];
	const void	*stored;
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	size_t		 len, i;
	int64_t		 id;
	bool		 revoked;

	memset(out, 0, sizeof *out);
	len = strlen(token);
	if (token_is_django(token)) {
		if (sodium_init() < 0)
			return status_set(cause, WD_EFAIL,
			    "libsodium failed to start");
		token_django_selector(token, selector);
		token_hash(token, hash);
		goto find;
	}
	if (len != strlen(TOKEN_PREFIX) + sodium_base64_ENCODED_LEN(
	    TOKEN_RANDOM_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1 ||
	    strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0)
		return status_set(cause, WD_EAUTH, "WATCHDOG_TOKEN is not a "
		    "watchdog API token (get one with watchdog --token)");
	for (i = strlen(TOKEN_PREFIX); i < len; i++) {
		if (!((token[i] >= 'a' && token[i] <= 'z') ||
		    (token[i] >= 'A' && token[i] <= 'Z') ||
		    (token[i] >= '0' && token[i] <= '9') || token[i] == '-' ||
		    token[i] == '_'))
			return status_set(cause, WD_EAUTH, "WATCHDOG_TOKEN is "
			    "not a watchdog API token (get one with "
			    "watchdog --token)");
	}
	if (sodium_init() < 0)
		return status_set(cause, WD_EFAIL, "libsodium failed to start");
	memcpy(selector, token + strlen(TOKEN_PREFIX), TOKEN_SELECTOR_LEN);
	selector[TOKEN_SELECTOR_LEN] = '\0';
	token_hash(token, hash);

find:
	st = db_prepare(db, sql_token_find);
	db_bind_text(st, ":selector", selector);
	status = db_step_one(st, cause);
	if (status == WD_ENOTFOUND)
		return status_set(cause, WD_EAUTH,
		    "unknown API token in WATCHDOG_TOKEN");
	if (status != WD_OK)
		return status;
	stored = db_column_blob(st, 1, &len);
	if (stored == NULL || len != sizeof hash ||
	    sodium_memcmp(stored, hash, sizeof hash) != 0) {
		db_reset(st);
		return status_set(cause, WD_EAUTH,
		    "unknown API token in WATCHDOG_TOKEN");
	}
	id = db_column_int(st, 0);
	revoked = !db_column_is_null(st, 2);
	out->id = db_column_int(st, 3);
	out->name = db_column_strdup(st, 4);
	out->email = db_column_strdup(st, 5);
	out->admin = strcmp(db_column_text(st, 6), "admin") == 0;
	out->disabled = db_column_int(st, 7) != 0;
	out->must_change = db_column_int(st, 8) != 0;
	db_reset(st);
	if (out->disabled) {
		status = status_set(cause, WD_EAUTH, "account %s is disabled: "
		    "its API tokens no longer work", out->name);
		user_clear(out);
		return status;
	}
	if (revoked) {
		user_clear(out);
		return status_set(cause, WD_EAUTH, "the API token in "
		    "WATCHDOG_TOKEN was revoked; get a new one with "
		    "watchdog --token");
	}
	/*
	 * Remember the use, at most once a minute (a write per call is dear),
	 * and never wait for it: a reader must not wait on a writer.
	 */
	st = db_prepare(db, sql_token_used);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":id", id);
	(void)db_exec_nowait(st, NULL);
	return WD_OK;
}

/* One try of token_revoke_all() (below). */
static enum wd_status
token_revoke_all_once(struct db *db, int64_t user_id, int64_t now, int *count,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	char		*detail;

	*count = 0;
	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	st = db_prepare(db, sql_token_revoke);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":user_id", user_id);
	if ((status = db_exec(st, cause)) != WD_OK) {
		db_rollback(db);
		return status;
	}
	*count = db_changes(db);
	detail = xasprintf("%d revoked", *count);
	status = user_audit(db, now, user_id, NULL, -1, "tokens_revoked",
	    detail, cause);
	free(detail);
	if (status != WD_OK) {
		db_rollback(db);
		return status;
	}
	return db_commit(db, cause);
}

/* Revoke every live token of USER_ID; see token.h. */
enum wd_status
token_revoke_all(struct db *db, int64_t user_id, int64_t now, int *count,
    char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = token_revoke_all_once(db, user_id, now, count,
		    cause);
	return status;
}
