/*
 * fuzz_config.c: config_parse() on arbitrary bytes, on top of fresh
 * defaults each run, then config_validate() and config_free().
 *
 * Beyond "no memory error, no leak": a failure comes with a one-line
 * message, and a file that parses leaves only values the rest of the
 * program may trust (no control characters in strings, integers within
 * their bounds, addresses that address_valid() accepts).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/address.h"
#include "watchdog/config.h"
#include "watchdog/status.h"

#include "fuzz.h"

/* Fix what config_defaults() reads from the environment. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("XDG_DATA_HOME", "/var/empty/fuzz-data", 1);
	setenv("HOME", "/var/empty/fuzz-home", 1);
	unsetenv("WATCHDOG_CONFIG");
	return 0;
}

/* Abort unless the string S of key NAME (may be NULL) is control-free. */
static void
check_string(const char *name, const char *s)
{
	const unsigned char	*p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fuzz_fail("config: %s holds control byte 0x%02x", name,
			    *p);
	}
}

/* Abort unless the path S of key NAME (may be NULL) is absolute. */
static void
check_path(const char *name, const char *s)
{
	check_string(name, s);
	if (s != NULL && s[0] != '/')
		fuzz_fail("config: %s is not an absolute path", name);
}

/* Abort unless N of key NAME is within [MIN, MAX]. */
static void
check_int(const char *name, int n, int min, int max)
{
	if (n < min || n > max)
		fuzz_fail("config: %s = %d outside %d..%d", name, n, min, max);
}

/* Abort unless the rate R of key NAME is "off" or N/PERIOD in range. */
static void
check_rate(const char *name, const struct rate_limit *r)
{
	if (r->count == 0 && r->seconds == 0)
		return;
	if (r->count < 1 || r->count > 1000000 ||
	    (r->seconds != 1 && r->seconds != 60 && r->seconds != 3600 &&
	    r->seconds != 86400))
		fuzz_fail("config: %s = %d/%ds is not a valid rate", name,
		    r->count, r->seconds);
}

/* Check every value of CFG after a successful config_parse(). */
static void
check_values(const struct config *cfg)
{
	char	**a;

	/* A path, or a PostgreSQL URL handed to libpq as it is. */
	if (cfg->database_path == NULL ||
	    (strncmp(cfg->database_path, "postgresql://", 13) != 0 &&
	    strncmp(cfg->database_path, "postgres://", 11) != 0))
		check_path("DATABASE_URL", cfg->database_path);
	else
		check_string("DATABASE_URL", cfg->database_path);
	check_int("SLA_WARNING_MINUTES", cfg->sla_warning_minutes, 0, 525600);
	if (cfg->email_backend != EMAIL_BACKEND_SMTP &&
	    cfg->email_backend != EMAIL_BACKEND_SENDMAIL &&
	    cfg->email_backend != EMAIL_BACKEND_FILE &&
	    cfg->email_backend != EMAIL_BACKEND_CONSOLE)
		fuzz_fail("config: EMAIL_BACKEND = %d", (int)cfg->email_backend);
	if (!cfg->email_backend_set && (cfg->email_backend ==
	    EMAIL_BACKEND_SMTP) != (cfg->email_host != NULL))
		fuzz_fail("config: the default backend does not follow "
		    "EMAIL_HOST");
	check_string("EMAIL_HOST", cfg->email_host);
	if (cfg->email_host != NULL && cfg->email_host[0] == '\0')
		fuzz_fail("config: EMAIL_HOST is empty, not unset");
	check_int("EMAIL_PORT", cfg->email_port, 1, 65535);
	check_string("EMAIL_HOST_USER", cfg->email_host_user);
	check_string("EMAIL_HOST_PASSWORD", cfg->email_host_password);
	check_path("EMAIL_SSL_CAFILE", cfg->email_ssl_cafile);
	check_int("EMAIL_TIMEOUT", cfg->email_timeout, 1, 3600);
	if (!address_valid(cfg->default_from_email, NULL))
		fuzz_fail("config: DEFAULT_FROM_EMAIL is not a valid address");
	check_path("EMAIL_FILE_PATH", cfg->email_file_path);
	check_path("SENDMAIL_PATH", cfg->sendmail_path);
	if (cfg->escalation_emails == NULL)
		fuzz_fail("config: SLA_ESCALATION_EMAILS is NULL");
	for (a = cfg->escalation_emails; *a != NULL; a++) {
		if (!address_valid(*a, NULL))
			fuzz_fail("config: an SLA_ESCALATION_EMAILS item is "
			    "not a valid address");
	}
	check_int("PASSWORD_MIN_LENGTH", cfg->password_min_length, 1, 1024);
	check_rate("RATE_LIMIT_CREATE", &cfg->rate_limit_create);
	check_rate("RATE_LIMIT_READ", &cfg->rate_limit_read);
	check_int("LOGIN_MAX_FAILURES", cfg->login_max_failures, 1, 1000);
	check_int("LOGIN_LOCKOUT_MINUTES", cfg->login_lockout_minutes, 1,
	    525600);
	check_path("TEMPLATE_DIR", cfg->template_dir);
}

/*
 * One run: parse DATA as the file "fuzz.conf" over fresh defaults, check
 * the outcome, validate, free. Returns 0 (libFuzzer's convention).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	char		*cause = NULL;
	enum wd_status	 st;

	config_defaults(&cfg);
	st = config_parse(&cfg, "fuzz.conf", (const char *)data, size, &cause);
	if (st != WD_OK) {
		if (st != WD_ECONFIG)
			fuzz_fail("config_parse returned %d", (int)st);
		fuzz_check_cause("config_parse", cause);
		goto out;
	}
	if (cause != NULL)
		fuzz_fail("config_parse succeeded with a message");
	check_values(&cfg);
	st = config_validate(&cfg, &cause);
	if (st != WD_OK) {
		if (st != WD_ECONFIG)
			fuzz_fail("config_validate returned %d", (int)st);
		fuzz_check_cause("config_validate", cause);
	}

out:
	free(cause);
	config_free(&cfg);
	return 0;
}
