/*
 * django_hash.h: the Django version's password hashes
 * ("pbkdf2_sha256$ITERATIONS$SALT$BASE64"), kept by --import-django and
 * checked once, at an account's first login here, before Argon2id
 * replaces them (watchdog(1) --import-django).
 */
#ifndef WATCHDOG_DJANGO_HASH_H
#define WATCHDOG_DJANGO_HASH_H

#include <stdbool.h>

/* The prefix of the one Django hasher we check. */
#define DJANGO_HASH_PREFIX	"pbkdf2_sha256$"

/* True when HASH is in Django's pbkdf2_sha256 format (not checked). */
bool	django_hash_is(const char *hash);

/*
 * Check PASSWORD against the Django pbkdf2_sha256 HASH with PBKDF2-HMAC-
 * SHA256 (OpenSSL's libcrypto) and a constant-time compare. 1 when it
 * matches, 0 when not, -1 when HASH is malformed (wrong prefix, an
 * iteration count outside 1..10000000, an empty salt, a digest that is
 * not 32 bytes of base64), and when libcrypto cannot be loaded.
 */
int	django_hash_verify(const char *hash, const char *password);

#endif
