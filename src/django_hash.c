/*
 * django_hash.c: Django's pbkdf2_sha256 password hashes; see
 * django_hash.h.
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "watchdog/django_hash.h"
#include "watchdog/util.h"

/* The longest iteration count accepted (Django 5 uses 870,000). */
#define DJANGO_ITER_MAX		10000000L
#define DJANGO_DIGEST_LEN	32

/*
 * libcrypto is loaded the first time a Django hash is checked: linked in,
 * it cost every command its loading at start, though only the first login
 * of an imported account needs it. Looked up in the system's library path
 * only, as libcurl (smtp.c).
 */
#define DJANGO_LIBCRYPTO	"libcrypto.so.3"

static struct {
	__typeof__(PKCS5_PBKDF2_HMAC)	*pbkdf2_hmac;
	__typeof__(EVP_sha256)		*sha256;
} lcrypto;

/* Load libcrypto once; false when it cannot be. */
static bool
django_crypto_load(void)
{
	static bool	 loaded;
	void		*h;

	if (loaded)
		return true;
	if ((h = dlopen(DJANGO_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return false;
	if (lib_sym(h, "PKCS5_PBKDF2_HMAC", &lcrypto.pbkdf2_hmac) != 0 ||
	    lib_sym(h, "EVP_sha256", &lcrypto.sha256) != 0) {
		dlclose(h);
		return false;
	}
	loaded = true;		/* and H stays loaded */
	return true;
}

/* Format check; see django_hash.h. */
bool
django_hash_is(const char *hash)
{
	return strncmp(hash, DJANGO_HASH_PREFIX,
	    strlen(DJANGO_HASH_PREFIX)) == 0;
}

/* Check a password; see django_hash.h. */
int
django_hash_verify(const char *hash, const char *password)
{
	unsigned char	 want[DJANGO_DIGEST_LEN + 4], got[DJANGO_DIGEST_LEN];
	const char	*p, *salt, *b64, *end;
	size_t		 saltlen, wantlen;
	long		 iter = 0;
	int		 ok;

	if (!django_hash_is(hash))
		return -1;
	p = hash + strlen(DJANGO_HASH_PREFIX);
	for (; *p >= '0' && *p <= '9'; p++) {
		iter = iter * 10 + (*p - '0');
		if (iter > DJANGO_ITER_MAX)
			return -1;
	}
	if (*p != '$' || iter < 1)
		return -1;
	salt = p + 1;
	if ((b64 = strchr(salt, '$')) == NULL || b64 == salt)
		return -1;
	saltlen = (size_t)(b64 - salt);
	b64++;
	if (sodium_init() < 0 ||
	    sodium_base642bin(want, sizeof want, b64, strlen(b64), NULL,
	    &wantlen, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *end != '\0' || wantlen != DJANGO_DIGEST_LEN)
		return -1;
	if (!django_crypto_load() ||
	    lcrypto.pbkdf2_hmac(password, (int)strlen(password),
	    (const unsigned char *)salt, (int)saltlen, (int)iter,
	    lcrypto.sha256(), (int)sizeof got, got) != 1)
		return -1;
	ok = sodium_memcmp(got, want, sizeof got) == 0;
	sodium_memzero(got, sizeof got);
	return ok ? 1 : 0;
}
