/* test_config.c: watchdog.conf parsing, validation and lookup. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "watchdog/address.h"
#include "watchdog/config.h"
#include "watchdog/util.h"

#ifndef WATCHDOG_SYSCONFDIR
#define WATCHDOG_SYSCONFDIR	"/usr/local/etc"
#endif

#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#define NAME		"t.conf"
#define EXAMPLE		"watchdog.conf.example"

/* Every key watchdog.conf(5) names, plus the two Django ones. */
static const char *const spec_keys[] = {
	"DATABASE_URL", "TIME_ZONE", "SLA_WARNING_MINUTES", "EMAIL_BACKEND", "EMAIL_HOST",
	"EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_HOST_USER",
	"EMAIL_HOST_PASSWORD", "EMAIL_SSL_CAFILE", "EMAIL_TIMEOUT",
	"DEFAULT_FROM_EMAIL", "EMAIL_FILE_PATH", "SENDMAIL_PATH",
	"SLA_ESCALATION_EMAILS", "ALLOW_REGISTRATION", "PASSWORD_MIN_LENGTH",
	"RATE_LIMIT_CREATE", "RATE_LIMIT_READ", "LOGIN_MAX_FAILURES",
	"LOGIN_LOCKOUT_MINUTES", "TEMPLATE_DIR", "SECRET_KEY", "DEBUG",
	"BUSINESS_HOURS", "HOLIDAYS", "HOLIDAYS_FILE",
	"SLA_POLICY_URGENT", "SLA_POLICY_HIGH", "SLA_POLICY_NORMAL",
	"SLA_POLICY_LOW", "SLA_WARNINGS", "API_LISTEN", "API_TLS_CERT",
	"API_TLS_KEY", "API_MAX_CONNECTIONS", "API_MAX_PER_IP", "API_TIMEOUT",
	"SLA_PAUSE_STATUSES",
	"SLA_ESCALATION", "SLA_MISSED_REPEAT", "QUIET_OUTSIDE_BUSINESS_HOURS",
};

/* The integer keys, their bounds and documented defaults. */
static const struct {
	const char	*key;
	long long	 min;
	long long	 max;
	int		 dflt;
} int_keys[] = {
	{ "SLA_WARNING_MINUTES", 0, 525600, 60 },
	{ "EMAIL_PORT", 1, 65535, 25 },
	{ "EMAIL_TIMEOUT", 1, 3600, 30 },
	{ "PASSWORD_MIN_LENGTH", 1, 1024, 8 },
	{ "LOGIN_MAX_FAILURES", 1, 1000, 5 },
	{ "LOGIN_LOCKOUT_MINUTES", 1, 525600, 15 },
	{ "API_MAX_CONNECTIONS", 1, 10000, 256 },
	{ "API_MAX_PER_IP", 1, 10000, 64 },
	{ "API_TIMEOUT", 1, 3600, 30 },
};

static const char *const bool_keys[] = {
	"EMAIL_USE_TLS", "EMAIL_USE_SSL", "ALLOW_REGISTRATION",
};

static const char *const path_keys[] = {
	"EMAIL_FILE_PATH", "SENDMAIL_PATH", "EMAIL_SSL_CAFILE", "TEMPLATE_DIR",
};

static char	*tmpdir;

/* Each test starts from a known environment and no system file. */
static void
setup(void)
{
	setenv("HOME", "/home/tester", 1);
	unsetenv("XDG_DATA_HOME");
	unsetenv("WATCHDOG_CONFIG");
	config_set_system_path("/nonexistent/etc/watchdog.conf");
	tmpdir = unit_tmpdir();
}

static void
teardown(void)
{
	config_set_system_path(NULL);
	unit_tmpdir_remove(tmpdir);
	free(tmpdir);
	tmpdir = NULL;
}

/* Write TEXT to NAME in the test's directory; returns the path (free it). */
static char *
write_file(const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Defaults, then TEXT as file NAME, then the combination checks. */
static enum wd_status
parse(struct config *cfg, const char *text, char **cause)
{
	enum wd_status	st;

	*cause = NULL;
	config_defaults(cfg);
	st = config_parse(cfg, NAME, text, strlen(text), cause);
	if (st == WD_OK)
		st = config_validate(cfg, cause);
	return st;
}

/* TEXT must be accepted; CFG holds the result (free it). */
static void
parse_ok(struct config *cfg, const char *text)
{
	char		*cause = NULL;
	enum wd_status	 st;

	st = parse(cfg, text, &cause);
	ck_assert_msg(st == WD_OK, "rejected [%s]: %s", text,
	    cause != NULL ? cause : "(no cause)");
	ck_assert_ptr_null(cause);
}

/*
 * TEXT must be refused with WD_ECONFIG and a one-line message that equals
 * EXACT (when not NULL) and contains PART (when not NULL).
 */
static void
parse_fails(const char *text, const char *exact, const char *part)
{
	struct config	 cfg;
	char		*cause = NULL;
	enum wd_status	 st;

	st = parse(&cfg, text, &cause);
	ck_assert_msg(st == WD_ECONFIG, "accepted [%s]", text);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strchr(cause, '\n') == NULL, "two lines: %s", cause);
	ck_assert_msg(strncmp(cause, NAME ":", strlen(NAME ":")) == 0,
	    "message does not name the file: %s", cause);
	if (exact != NULL)
		ck_assert_str_eq(cause, exact);
	if (part != NULL)
		ck_assert_msg(strstr(cause, part) != NULL,
		    "[%s]: message '%s' does not say '%s'", text, cause, part);
	free(cause);
	config_free(&cfg);
}

/* The int member of CFG for KEY. */
static int *
int_field(struct config *cfg, const char *key)
{
	if (strcmp(key, "SLA_WARNING_MINUTES") == 0)
		return &cfg->sla_warning_minutes;
	if (strcmp(key, "EMAIL_PORT") == 0)
		return &cfg->email_port;
	if (strcmp(key, "EMAIL_TIMEOUT") == 0)
		return &cfg->email_timeout;
	if (strcmp(key, "PASSWORD_MIN_LENGTH") == 0)
		return &cfg->password_min_length;
	if (strcmp(key, "LOGIN_MAX_FAILURES") == 0)
		return &cfg->login_max_failures;
	if (strcmp(key, "LOGIN_LOCKOUT_MINUTES") == 0)
		return &cfg->login_lockout_minutes;
	if (strcmp(key, "API_MAX_CONNECTIONS") == 0)
		return &cfg->api_max_connections;
	if (strcmp(key, "API_MAX_PER_IP") == 0)
		return &cfg->api_max_per_ip;
	if (strcmp(key, "API_TIMEOUT") == 0)
		return &cfg->api_timeout;
	ck_abort_msg("no int key %s", key);
	return NULL;
}

static bool *
bool_field(struct config *cfg, const char *key)
{
	if (strcmp(key, "EMAIL_USE_TLS") == 0)
		return &cfg->email_use_tls;
	if (strcmp(key, "EMAIL_USE_SSL") == 0)
		return &cfg->email_use_ssl;
	if (strcmp(key, "ALLOW_REGISTRATION") == 0)
		return &cfg->allow_registration;
	ck_abort_msg("no bool key %s", key);
	return NULL;
}

static char **
path_field(struct config *cfg, const char *key)
{
	if (strcmp(key, "EMAIL_FILE_PATH") == 0)
		return &cfg->email_file_path;
	if (strcmp(key, "SENDMAIL_PATH") == 0)
		return &cfg->sendmail_path;
	if (strcmp(key, "EMAIL_SSL_CAFILE") == 0)
		return &cfg->email_ssl_cafile;
	if (strcmp(key, "TEMPLATE_DIR") == 0)
		return &cfg->template_dir;
	ck_abort_msg("no path key %s", key);
	return NULL;
}

static void
assert_str_same(const char *a, const char *b, const char *what)
{
	if (a == NULL || b == NULL)
		ck_assert_msg(a == b, "%s: '%s' and '%s'", what,
		    a != NULL ? a : "(null)", b != NULL ? b : "(null)");
	else
		ck_assert_msg(strcmp(a, b) == 0, "%s: '%s' != '%s'", what, a,
		    b);
}

/* Every setting of A equals B's (not path and lines). */
static void
assert_same_settings(const struct config *a, const struct config *b)
{
	size_t	i;

	assert_str_same(a->database_path, b->database_path, "database_path");
	ck_assert_int_eq(a->sla_warning_minutes, b->sla_warning_minutes);
	ck_assert_int_eq(a->email_backend, b->email_backend);
	ck_assert_int_eq(a->email_backend_set, b->email_backend_set);
	assert_str_same(a->email_host, b->email_host, "email_host");
	ck_assert_int_eq(a->email_port, b->email_port);
	ck_assert_int_eq(a->email_use_tls, b->email_use_tls);
	ck_assert_int_eq(a->email_use_ssl, b->email_use_ssl);
	assert_str_same(a->email_host_user, b->email_host_user, "user");
	assert_str_same(a->email_host_password, b->email_host_password,
	    "password");
	assert_str_same(a->email_ssl_cafile, b->email_ssl_cafile, "cafile");
	ck_assert_int_eq(a->email_timeout, b->email_timeout);
	assert_str_same(a->default_from_email, b->default_from_email, "from");
	assert_str_same(a->email_file_path, b->email_file_path, "file path");
	assert_str_same(a->sendmail_path, b->sendmail_path, "sendmail");
	ck_assert_ptr_nonnull(a->escalation_emails);
	ck_assert_ptr_nonnull(b->escalation_emails);
	for (i = 0; a->escalation_emails[i] != NULL; i++)
		assert_str_same(a->escalation_emails[i],
		    b->escalation_emails[i], "escalation");
	ck_assert_ptr_null(b->escalation_emails[i]);
	ck_assert_int_eq(a->allow_registration, b->allow_registration);
	ck_assert_int_eq(a->password_min_length, b->password_min_length);
	ck_assert_int_eq(a->rate_limit_create.count,
	    b->rate_limit_create.count);
	ck_assert_int_eq(a->rate_limit_create.seconds,
	    b->rate_limit_create.seconds);
	ck_assert_int_eq(a->rate_limit_read.count, b->rate_limit_read.count);
	ck_assert_int_eq(a->rate_limit_read.seconds,
	    b->rate_limit_read.seconds);
	ck_assert_int_eq(a->login_max_failures, b->login_max_failures);
	ck_assert_int_eq(a->login_lockout_minutes, b->login_lockout_minutes);
	assert_str_same(a->template_dir, b->template_dir, "template_dir");
}

static size_t
list_len(char **list)
{
	size_t	n = 0;

	ck_assert_ptr_nonnull(list);
	while (list[n] != NULL)
		n++;
	return n;
}

/* The key table. */

START_TEST(test_table_keys)
{
	const struct config_key	*k;
	size_t			 i, j, n;
	const char		*p;

	for (n = 0; config_keys[n].name != NULL; n++)
		;
	ck_assert_uint_eq(n, nitems(spec_keys));
	for (i = 0; i < nitems(spec_keys); i++)
		ck_assert_msg(config_key_index(spec_keys[i]) >= 0,
		    "key %s missing", spec_keys[i]);
	for (i = 0; i < n; i++) {
		k = &config_keys[i];
		ck_assert_int_eq(config_key_index(k->name), (int)i);
		ck_assert_msg(k->name[0] >= 'A' && k->name[0] <= 'Z', "%s",
		    k->name);
		for (p = k->name; *p != '\0'; p++)
			ck_assert_msg((*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '_', "%s",
			    k->name);
		ck_assert_msg(k->default_text != NULL &&
		    k->default_text[0] != '\0', "%s: no default", k->name);
		ck_assert_msg(k->help != NULL && k->help[0] != '\0' &&
		    strchr(k->help, '\n') == NULL, "%s: bad help", k->name);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(config_keys[j].name, k->name);
	}
	ck_assert_int_eq(config_key_index("EMAIL_PROT"), -1);
	ck_assert_int_eq(config_key_index("email_port"), -1);
	ck_assert_int_eq(config_key_index(""), -1);
}
END_TEST

START_TEST(test_table_types)
{
	static const struct {
		const char		*key;
		enum config_type	 type;
		const char		*dflt;
	} want[] = {
		{ "DATABASE_URL", CONFIG_URL, NULL },
		{ "SLA_WARNING_MINUTES", CONFIG_INT, "60" },
		{ "EMAIL_BACKEND", CONFIG_BACKEND, NULL },
		{ "EMAIL_HOST", CONFIG_STRING, NULL },
		{ "EMAIL_PORT", CONFIG_INT, "25" },
		{ "EMAIL_USE_TLS", CONFIG_BOOL, "false" },
		{ "EMAIL_USE_SSL", CONFIG_BOOL, "false" },
		{ "EMAIL_HOST_USER", CONFIG_STRING, NULL },
		{ "EMAIL_HOST_PASSWORD", CONFIG_STRING, NULL },
		{ "EMAIL_SSL_CAFILE", CONFIG_PATH, NULL },
		{ "EMAIL_TIMEOUT", CONFIG_INT, "30" },
		{ "DEFAULT_FROM_EMAIL", CONFIG_ADDRESS, NULL },
		{ "EMAIL_FILE_PATH", CONFIG_PATH, NULL },
		{ "SENDMAIL_PATH", CONFIG_PATH, "/usr/sbin/sendmail" },
		{ "SLA_ESCALATION_EMAILS", CONFIG_ADDRESS_LIST, NULL },
		{ "ALLOW_REGISTRATION", CONFIG_BOOL, "true" },
		{ "PASSWORD_MIN_LENGTH", CONFIG_INT, "8" },
		{ "RATE_LIMIT_CREATE", CONFIG_RATE, "5/m" },
		{ "RATE_LIMIT_READ", CONFIG_RATE, "10/m" },
		{ "LOGIN_MAX_FAILURES", CONFIG_INT, "5" },
		{ "LOGIN_LOCKOUT_MINUTES", CONFIG_INT, "15" },
		{ "TEMPLATE_DIR", CONFIG_PATH, NULL },
		{ "SECRET_KEY", CONFIG_IGNORED, NULL },
		{ "DEBUG", CONFIG_IGNORED, NULL },
	};
	const struct config_key	*k;
	size_t			 i;
	int			 idx;

	for (i = 0; i < nitems(want); i++) {
		idx = config_key_index(want[i].key);
		ck_assert_int_ge(idx, 0);
		k = &config_keys[idx];
		ck_assert_msg(k->type == want[i].type, "%s: type %d", k->name,
		    (int)k->type);
		if (want[i].dflt != NULL)
			ck_assert_str_eq(k->default_text, want[i].dflt);
	}
	k = &config_keys[config_key_index("DATABASE_URL")];
	ck_assert_str_eq(k->default_text,
	    "$XDG_DATA_HOME/watchdog/watchdog.db");
	k = &config_keys[config_key_index("EMAIL_FILE_PATH")];
	ck_assert_str_eq(k->default_text, "$XDG_DATA_HOME/watchdog/mail");
}
END_TEST

/* Defaults. */

START_TEST(test_defaults)
{
	struct config	cfg;
	size_t		i;

	config_defaults(&cfg);
	ck_assert_ptr_null(cfg.path);
	ck_assert_str_eq(cfg.database_path,
	    "/home/tester/.local/share/watchdog/watchdog.db");
	ck_assert_str_eq(cfg.email_file_path,
	    "/home/tester/.local/share/watchdog/mail");
	for (i = 0; i < nitems(int_keys); i++)
		ck_assert_int_eq(*int_field(&cfg, int_keys[i].key),
		    int_keys[i].dflt);
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_FILE);
	ck_assert(!cfg.email_backend_set);
	ck_assert_ptr_null(cfg.email_host);
	ck_assert(!cfg.email_use_tls);
	ck_assert(!cfg.email_use_ssl);
	ck_assert_ptr_null(cfg.email_host_user);
	ck_assert_ptr_null(cfg.email_host_password);
	ck_assert_ptr_null(cfg.email_ssl_cafile);
	ck_assert_ptr_nonnull(cfg.default_from_email);
	ck_assert(address_valid(cfg.default_from_email, NULL));
	ck_assert_str_eq(cfg.sendmail_path, "/usr/sbin/sendmail");
	ck_assert_uint_eq(list_len(cfg.escalation_emails), 0);
	ck_assert(cfg.allow_registration);
	ck_assert_int_eq(cfg.rate_limit_create.count, 5);
	ck_assert_int_eq(cfg.rate_limit_create.seconds, 60);
	ck_assert_int_eq(cfg.rate_limit_read.count, 10);
	ck_assert_int_eq(cfg.rate_limit_read.seconds, 60);
	ck_assert_ptr_null(cfg.template_dir);
	ck_assert_ptr_nonnull(cfg.lines);
	config_free(&cfg);
}
END_TEST

START_TEST(test_defaults_xdg)
{
	static const struct {
		const char	*xdg;	/* NULL: unset */
		const char	*home;
		const char	*db;
	} cases[] = {
		{ "/x/data", "/home/a", "/x/data/watchdog/watchdog.db" },
		{ "/x/data/", "/home/a", "/x/data/watchdog/watchdog.db" },
		{ "", "/home/a", "/home/a/.local/share/watchdog/watchdog.db" },
		{ "rel/data", "/home/a",
		    "/home/a/.local/share/watchdog/watchdog.db" },
		{ NULL, "/home/b/",
		    "/home/b/.local/share/watchdog/watchdog.db" },
	};
	struct config	 cfg;
	char		*mail;
	size_t		 i, len;

	for (i = 0; i < nitems(cases); i++) {
		if (cases[i].xdg != NULL)
			setenv("XDG_DATA_HOME", cases[i].xdg, 1);
		else
			unsetenv("XDG_DATA_HOME");
		setenv("HOME", cases[i].home, 1);
		config_defaults(&cfg);
		ck_assert_str_eq(cfg.database_path, cases[i].db);
		len = strlen(cases[i].db) - strlen("watchdog.db");
		mail = xasprintf("%.*smail", (int)len, cases[i].db);
		ck_assert_str_eq(cfg.email_file_path, mail);
		free(mail);
		config_free(&cfg);
	}
}
END_TEST

START_TEST(test_defaults_from)
{
	struct config	 cfg;
	char		 host[256], *want;

	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	want = xasprintf("watchdog@%s", host);
	if (!address_valid(want, NULL)) {
		free(want);
		want = xstrdup("watchdog@localhost");
	}
	config_defaults(&cfg);
	ck_assert_str_eq(cfg.default_from_email, want);
	free(want);
	config_free(&cfg);
}
END_TEST

/* Empty values (KEY=, KEY="", KEY='') leave every key at its default. */
START_TEST(test_empty_values)
{
	static const struct {
		const char	*before;
		const char	*after;
	} forms[] = {
		{ "", "=\n" }, { "", "=\"\"\n" }, { "", "=''\n" },
		{ "", " =   \n" }, { "", "= # none\n" }, { "export ", "=\n" },
		{ "  ", "\t=\t''  # c\r\n" },
	};
	struct config	 dflt, cfg;
	struct strbuf	 sb = { NULL, 0, 0 };
	size_t		 i, f;

	config_defaults(&dflt);
	for (f = 0; f < nitems(forms); f++) {
		for (i = 0; config_keys[i].name != NULL; i++)
			strbuf_addf(&sb, "%s%s%s", forms[f].before,
			    config_keys[i].name, forms[f].after);
		parse_ok(&cfg, sb.buf);
		assert_same_settings(&cfg, &dflt);
		for (i = 0; config_keys[i].name != NULL; i++)
			ck_assert_uint_eq(cfg.lines[i], 0);
		config_free(&cfg);
		strbuf_free(&sb);
	}
	config_free(&dflt);
}
END_TEST

/* Integers. */

START_TEST(test_int_bounds)
{
	struct config	 cfg;
	char		*text, *part;
	long long	 min, max;
	const char	*key;

	key = int_keys[_i].key;
	min = int_keys[_i].min;
	max = int_keys[_i].max;

	text = xasprintf("%s=%lld\n", key, min);
	parse_ok(&cfg, text);
	ck_assert_int_eq(*int_field(&cfg, key), min);
	ck_assert_uint_eq(cfg.lines[config_key_index(key)], 1);
	config_free(&cfg);
	free(text);

	text = xasprintf("# c\n\n%s=%lld\n", key, max);
	parse_ok(&cfg, text);
	ck_assert_int_eq(*int_field(&cfg, key), max);
	ck_assert_uint_eq(cfg.lines[config_key_index(key)], 3);
	config_free(&cfg);
	free(text);

	part = xasprintf(NAME ":1: %s: must be a whole number from %lld to "
	    "%lld", key, min, max);
	text = xasprintf("%s=%lld\n", key, min - 1);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=%lld\n", key, max + 1);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=99999999999999999999\n", key);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=abc\n", key);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=2.5\n", key);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=+5\n", key);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=0x10\n", key);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=5 5\n", key);
	parse_fails(text, part, NULL);
	free(text);
	text = xasprintf("%s=5m\n", key);
	parse_fails(text, part, NULL);
	free(text);
	free(part);
}
END_TEST

START_TEST(test_int_quoted)
{
	struct config	cfg;

	parse_ok(&cfg, "EMAIL_PORT=\"587\"\nEMAIL_TIMEOUT='12'\n");
	ck_assert_int_eq(cfg.email_port, 587);
	ck_assert_int_eq(cfg.email_timeout, 12);
	config_free(&cfg);
	parse_fails("EMAIL_PORT=\" 587\"\n", NULL, "must be a whole number");
}
END_TEST

/* Booleans. */

START_TEST(test_bool_values)
{
	static const char *const yes[] = {
		"true", "TRUE", "True", "yes", "YES", "Yes", "on", "ON", "On",
		"1", "\"true\"", "'yes'",
	};
	static const char *const no[] = {
		"false", "FALSE", "False", "no", "NO", "off", "Off", "0",
		"\"off\"",
	};
	static const char *const bad[] = {
		"2", "y", "n", "t", "f", "enable", "truee", "-1", "00",
		"yes no",
	};
	struct config	 cfg;
	char		*text, *exact;
	const char	*key;
	size_t		 i;

	key = bool_keys[_i];
	for (i = 0; i < nitems(yes); i++) {
		text = xasprintf("%s=%s\n", key, yes[i]);
		parse_ok(&cfg, text);
		ck_assert_msg(*bool_field(&cfg, key), "%s", text);
		config_free(&cfg);
		free(text);
	}
	for (i = 0; i < nitems(no); i++) {
		/* start from true so that false is seen to be set */
		text = xasprintf("%s=%s\n", key, no[i]);
		config_defaults(&cfg);
		*bool_field(&cfg, key) = true;
		ck_assert_int_eq(config_parse(&cfg, NAME, text, strlen(text),
		    NULL), WD_OK);
		ck_assert_msg(!*bool_field(&cfg, key), "%s", text);
		config_free(&cfg);
		free(text);
	}
	exact = xasprintf(NAME ":1: %s: must be true or false (or yes/no, "
	    "on/off, 1/0)", key);
	for (i = 0; i < nitems(bad); i++) {
		text = xasprintf("%s=%s\n", key, bad[i]);
		parse_fails(text, exact, NULL);
		free(text);
	}
	free(exact);
}
END_TEST

/* Rates. */

START_TEST(test_rate_good)
{
	static const struct {
		const char	*text;
		int		 count;
		int		 seconds;
	} cases[] = {
		{ "5/m", 5, 60 }, { "10/s", 10, 1 }, { "3/h", 3, 3600 },
		{ "7/d", 7, 86400 }, { "5/minute", 5, 60 },
		{ "100/hour", 100, 3600 }, { "10/sec", 10, 1 },
		{ "1000/day", 1000, 86400 }, { "2/second", 2, 1 },
		{ "4/min", 4, 60 }, { "6/hours", 6, 3600 },
		{ "8/days", 8, 86400 },
		{ "1/M", 1, 60 }, { "1000000/s", 1000000, 1 },
		{ "0", 0, 0 }, { "off", 0, 0 }, { "OFF", 0, 0 },
		{ "'5/m'", 5, 60 }, { "\"9/h\"  # quoted", 9, 3600 },
	};
	struct config	 cfg;
	char		*text;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		text = xasprintf("RATE_LIMIT_CREATE=%s\nRATE_LIMIT_READ=%s\n",
		    cases[i].text, cases[i].text);
		parse_ok(&cfg, text);
		ck_assert_msg(cfg.rate_limit_create.count == cases[i].count &&
		    cfg.rate_limit_create.seconds == cases[i].seconds,
		    "%s gave %d/%d", cases[i].text, cfg.rate_limit_create.count,
		    cfg.rate_limit_create.seconds);
		ck_assert_int_eq(cfg.rate_limit_read.count, cases[i].count);
		ck_assert_int_eq(cfg.rate_limit_read.seconds, cases[i].seconds);
		config_free(&cfg);
		free(text);
	}
}
END_TEST

START_TEST(test_rate_bad)
{
	static const char *const bad[] = {
		"5", "5/", "/m", "0/m", "-1/m", "+5/m", "1000001/m", "5/x",
		"5/month", "5/week", "5/m/", "5 /m", "5/ m", "abc", "00", "no",
		"5/mi", "1.5/m",
	};
	char	*text;
	size_t	 i;

	for (i = 0; i < nitems(bad); i++) {
		text = xasprintf("RATE_LIMIT_READ=%s\n", bad[i]);
		parse_fails(text, NAME ":1: RATE_LIMIT_READ: must be N/s, N/m, "
		    "N/h or N/d with N from 1 to 1000000, or 0 or off for no "
		    "limit", NULL);
		free(text);
	}
}
END_TEST

/* EMAIL_BACKEND. */

START_TEST(test_backend_names)
{
	static const struct {
		const char		*text;
		enum email_backend	 backend;
	} cases[] = {
		{ "smtp", EMAIL_BACKEND_SMTP },
		{ "SMTP", EMAIL_BACKEND_SMTP },
		{ "sendmail", EMAIL_BACKEND_SENDMAIL },
		{ "file", EMAIL_BACKEND_FILE },
		{ "console", EMAIL_BACKEND_CONSOLE },
		{ "django.core.mail.backends.smtp.EmailBackend",
		    EMAIL_BACKEND_SMTP },
		{ "django.core.mail.backends.console.EmailBackend",
		    EMAIL_BACKEND_CONSOLE },
		{ "django.core.mail.backends.filebased.EmailBackend",
		    EMAIL_BACKEND_FILE },
		{ "'django.core.mail.backends.filebased.EmailBackend'",
		    EMAIL_BACKEND_FILE },
	};
	struct config	 cfg;
	char		*text;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		text = xasprintf("EMAIL_HOST=mail.example.com\n"
		    "EMAIL_BACKEND=%s\n", cases[i].text);
		parse_ok(&cfg, text);
		ck_assert_msg(cfg.email_backend == cases[i].backend, "%s",
		    cases[i].text);
		ck_assert(cfg.email_backend_set);
		config_free(&cfg);
		free(text);
	}
	/* sendmail and console need no host */
	parse_ok(&cfg, "EMAIL_BACKEND=sendmail\n");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_SENDMAIL);
	config_free(&cfg);
	parse_ok(&cfg, "EMAIL_BACKEND=console\n");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_CONSOLE);
	config_free(&cfg);
}
END_TEST

START_TEST(test_backend_default)
{
	struct config	cfg;

	parse_ok(&cfg, "EMAIL_HOST=mail.example.com\n");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_SMTP);
	ck_assert(!cfg.email_backend_set);
	config_free(&cfg);

	/* decided after the whole file: the backend line comes first */
	parse_ok(&cfg, "EMAIL_BACKEND=\nEMAIL_PORT=2525\n"
	    "EMAIL_HOST=mail.example.com\n");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_SMTP);
	ck_assert(!cfg.email_backend_set);
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_PORT=2525\n");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_FILE);
	ck_assert(!cfg.email_backend_set);
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_BACKEND=file\nEMAIL_HOST=mail.example.com\n");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_FILE);
	ck_assert(cfg.email_backend_set);
	config_free(&cfg);
}
END_TEST

START_TEST(test_backend_bad)
{
	parse_fails("EMAIL_BACKEND=smtpx\n", NAME ":1: EMAIL_BACKEND: must be "
	    "smtp, sendmail, file or console", NULL);
	parse_fails("EMAIL_BACKEND=mail\n", NULL, "must be smtp");
	parse_fails("EMAIL_BACKEND=django.core.mail.backends.locmem."
	    "EmailBackend\n", NAME ":1: EMAIL_BACKEND: this Django backend is "
	    "not supported; use smtp, sendmail, file or console", NULL);
	parse_fails("EMAIL_BACKEND=django.core.mail.backends.smtp\n", NULL,
	    "Django backend is not supported");
}
END_TEST

/* config_validate(). */

START_TEST(test_validate_tls_ssl)
{
	struct config	 cfg;
	char		*cause = NULL;

	parse_fails("EMAIL_HOST=h\nEMAIL_USE_TLS=yes\nEMAIL_USE_SSL=yes\n",
	    NAME ":3: EMAIL_USE_SSL: cannot be on together with EMAIL_USE_TLS "
	    "(line 2); turn one off", NULL);
	parse_fails("EMAIL_USE_SSL=1\n#\n#\nEMAIL_USE_TLS=on\n",
	    NAME ":4: EMAIL_USE_TLS: cannot be on together with EMAIL_USE_SSL "
	    "(line 1); turn one off", NULL);

	parse_ok(&cfg, "EMAIL_USE_TLS=yes\nEMAIL_USE_SSL=no\n");
	ck_assert(cfg.email_use_tls);
	ck_assert(!cfg.email_use_ssl);
	config_free(&cfg);
	parse_ok(&cfg, "EMAIL_USE_SSL=yes\nEMAIL_USE_TLS=no\n");
	ck_assert(cfg.email_use_ssl);
	config_free(&cfg);

	/* set by a program, not a file: no line to name */
	config_defaults(&cfg);
	cfg.email_use_tls = cfg.email_use_ssl = true;
	ck_assert_int_eq(config_validate(&cfg, &cause), WD_ECONFIG);
	ck_assert_str_eq(cause, "configuration: EMAIL_USE_SSL: cannot be on "
	    "together with EMAIL_USE_TLS; turn one off");
	free(cause);
	cfg.email_use_ssl = false;
	ck_assert_int_eq(config_validate(&cfg, NULL), WD_OK);
	config_free(&cfg);
}
END_TEST

START_TEST(test_validate_smtp_host)
{
	struct config	cfg;

	parse_fails("# x\nEMAIL_BACKEND=smtp\n", NAME ":2: EMAIL_BACKEND: "
	    "smtp needs EMAIL_HOST", NULL);
	parse_fails("EMAIL_BACKEND=django.core.mail.backends.smtp."
	    "EmailBackend\nEMAIL_HOST=\n", NAME ":1: EMAIL_BACKEND: smtp needs "
	    "EMAIL_HOST", NULL);
	parse_ok(&cfg, "EMAIL_BACKEND=smtp\nEMAIL_HOST=localhost\n");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_SMTP);
	ck_assert_str_eq(cfg.email_host, "localhost");
	config_free(&cfg);
	parse_ok(&cfg, "EMAIL_BACKEND=sendmail\nEMAIL_HOST=\n");
	config_free(&cfg);
}
END_TEST

/* SMTP AUTH only over TLS: the password never crosses in clear. */
START_TEST(test_validate_auth_needs_tls)
{
	struct config	cfg;

	parse_fails("EMAIL_HOST=mail.example.org\nEMAIL_HOST_USER=me\n"
	    "EMAIL_HOST_PASSWORD=pw\n", NAME ":2: EMAIL_HOST_USER: SMTP AUTH "
	    "needs EMAIL_USE_TLS or EMAIL_USE_SSL, or the password would "
	    "cross the network in clear", NULL);
	parse_ok(&cfg, "EMAIL_HOST=mail.example.org\nEMAIL_HOST_USER=me\n"
	    "EMAIL_USE_SSL=on\nEMAIL_PORT=465\n");
	config_free(&cfg);
	parse_ok(&cfg, "EMAIL_HOST=mail.example.org\nEMAIL_HOST_USER=me\n"
	    "EMAIL_BACKEND=sendmail\n");
	config_free(&cfg);
}
END_TEST

/* Addresses. */

START_TEST(test_from_email)
{
	struct config	cfg;

	parse_ok(&cfg, "DEFAULT_FROM_EMAIL=sla@example.com\n");
	ck_assert_str_eq(cfg.default_from_email, "sla@example.com");
	config_free(&cfg);
	parse_ok(&cfg, "DEFAULT_FROM_EMAIL=\"o'brien@example.com\"\n");
	ck_assert_str_eq(cfg.default_from_email, "o'brien@example.com");
	ck_assert_ptr_null(cfg.default_from_name);
	config_free(&cfg);

	/* A display name, as Django takes it: the address alone is kept. */
	parse_ok(&cfg, "DEFAULT_FROM_EMAIL=SLA Watchdog <noreply@example.com>\n");
	ck_assert_str_eq(cfg.default_from_email, "noreply@example.com");
	ck_assert_str_eq(cfg.default_from_name, "SLA Watchdog");
	config_free(&cfg);
	parse_ok(&cfg, "DEFAULT_FROM_EMAIL='\"Ops, \\\"Berlin\\\"\" <ops@example.org>'\n");
	ck_assert_str_eq(cfg.default_from_email, "ops@example.org");
	ck_assert_str_eq(cfg.default_from_name, "Ops, \"Berlin\"");
	config_free(&cfg);
	parse_ok(&cfg, "DEFAULT_FROM_EMAIL=\"  <w@example.com>  \"\n");
	ck_assert_str_eq(cfg.default_from_email, "w@example.com");
	ck_assert_ptr_null(cfg.default_from_name);
	config_free(&cfg);
	parse_ok(&cfg, "DEFAULT_FROM_EMAIL=Z\xc3\xbcrich Ops <zh@example.ch>\n");
	ck_assert_str_eq(cfg.default_from_name, "Z\xc3\xbcrich Ops");
	config_free(&cfg);

	parse_fails("DEFAULT_FROM_EMAIL=nobody\n", NAME ":1: "
	    "DEFAULT_FROM_EMAIL: not a valid address (no '@')", NULL);
	parse_fails("DEFAULT_FROM_EMAIL=Watchdog w@example.com\n",
	    NULL, "DEFAULT_FROM_EMAIL: not a valid address (contains a space)");
	parse_fails("DEFAULT_FROM_EMAIL=<w@example.com\n", NULL,
	    "not a valid address (contains an angle bracket)");
	parse_fails("DEFAULT_FROM_EMAIL=Watchdog <nobody>\n", NULL,
	    "no '@'");
	parse_fails("DEFAULT_FROM_EMAIL=Wat\"chdog <w@example.com>\n", NULL,
	    "quote or angle bracket in the display name");
	parse_fails("DEFAULT_FROM_EMAIL=<a> <w@example.com>\n", NULL,
	    "quote or angle bracket in the display name");
	parse_fails("DEFAULT_FROM_EMAIL=a@b@c\n", NULL, "more than one '@'");
	parse_fails("DEFAULT_FROM_EMAIL=a@b,c@d\n", NULL, "comma");
}
END_TEST

START_TEST(test_escalation_list)
{
	struct config	cfg;

	parse_ok(&cfg, "SLA_ESCALATION_EMAILS= boss@example.com , "
	    "ops@example.org,, noc@example.net ,  \n");
	ck_assert_uint_eq(list_len(cfg.escalation_emails), 3);
	ck_assert_str_eq(cfg.escalation_emails[0], "boss@example.com");
	ck_assert_str_eq(cfg.escalation_emails[1], "ops@example.org");
	ck_assert_str_eq(cfg.escalation_emails[2], "noc@example.net");
	config_free(&cfg);

	parse_ok(&cfg, "SLA_ESCALATION_EMAILS=\"a@example.com,\tb@example.com\""
	    "\n");
	ck_assert_uint_eq(list_len(cfg.escalation_emails), 2);
	ck_assert_str_eq(cfg.escalation_emails[1], "b@example.com");
	config_free(&cfg);

	parse_ok(&cfg, "SLA_ESCALATION_EMAILS=one@example.com\n");
	ck_assert_uint_eq(list_len(cfg.escalation_emails), 1);
	config_free(&cfg);

	parse_ok(&cfg, "SLA_ESCALATION_EMAILS=, ,,\n");
	ck_assert_uint_eq(list_len(cfg.escalation_emails), 0);
	config_free(&cfg);

	parse_fails("SLA_ESCALATION_EMAILS=a@example.com, nobody\n",
	    NAME ":1: SLA_ESCALATION_EMAILS: item 2 is not a valid address "
	    "(no '@')", NULL);
	parse_fails("SLA_ESCALATION_EMAILS=,,a b@example.com\n", NULL,
	    "item 1 is not a valid address (contains a space)");
	parse_fails("SLA_ESCALATION_EMAILS=a@example.com;b@example.com\n",
	    NULL, "item 1 is not a valid address");
}
END_TEST

/* DATABASE_URL. */

START_TEST(test_database_url_forms)
{
	static const struct {
		const char	*url;
		const char	*path;
	} good[] = {
		{ "/var/lib/watchdog/watchdog.db",
		    "/var/lib/watchdog/watchdog.db" },
		{ "sqlite:///var/lib/w.db", "/var/lib/w.db" },
		{ "sqlite:////var/lib/w.db", "/var/lib/w.db" },
		{ "SQLite:///srv/w.db", "/srv/w.db" },
		{ "/srv/my data/w.db", "/srv/my data/w.db" },
		/* Handed to libpq untouched. */
		{ "postgresql://user:pw@db.example.com/watchdog?sslmode="
		    "verify-full", "postgresql://user:pw@db.example.com/"
		    "watchdog?sslmode=verify-full" },
		{ "postgres:///wd?host=/run/postgresql",
		    "postgres:///wd?host=/run/postgresql" },
	};
	static const struct {
		const char	*url;
		const char	*cause;
	} bad[] = {
		{ "postgresql://db/w\x01", "DATABASE_URL: contains a control "
		    "character" },
		{ "POSTGRESQL://db/watchdog", "DATABASE_URL: unsupported "
		    "scheme; use an absolute path or sqlite:///abs/path" },
		{ "mysql://db/watchdog", "DATABASE_URL: unsupported scheme; "
		    "use an absolute path or sqlite:///abs/path" },
		{ "sqlite://relative.db", "DATABASE_URL: sqlite:// must be "
		    "followed by an absolute path, as in sqlite:///abs/path" },
		{ "sqlite://", "DATABASE_URL: sqlite:// must be followed by an "
		    "absolute path, as in sqlite:///abs/path" },
		{ "sqlite:/abs.db", "DATABASE_URL: must be an absolute path or "
		    "sqlite:///abs/path" },
		{ "watchdog.db", "DATABASE_URL: must be an absolute path or "
		    "sqlite:///abs/path" },
		{ "./db/watchdog.db", "DATABASE_URL: must be an absolute path "
		    "or sqlite:///abs/path" },
		{ "~/watchdog.db", "DATABASE_URL: must be an absolute path or "
		    "sqlite:///abs/path" },
		{ "/var/lib/watchdog/", "DATABASE_URL: names a directory, not "
		    "the database file" },
		{ "sqlite:///", "DATABASE_URL: names a directory, not the "
		    "database file" },
		{ "/var/lib/w\x01.db", "DATABASE_URL: contains a control "
		    "character" },
		{ "", "DATABASE_URL: empty" },
	};
	char	*path, *cause;
	size_t	 i;

	for (i = 0; i < nitems(good); i++) {
		path = cause = NULL;
		ck_assert_msg(config_database_path(good[i].url, &path,
		    &cause) == WD_OK, "%s: %s", good[i].url, cause);
		ck_assert_str_eq(path, good[i].path);
		free(path);
	}
	for (i = 0; i < nitems(bad); i++) {
		path = cause = NULL;
		ck_assert_msg(config_database_path(bad[i].url, &path,
		    &cause) == WD_ECONFIG, "accepted %s", bad[i].url);
		ck_assert_ptr_null(path);
		ck_assert_str_eq(cause, bad[i].cause);
		free(cause);
	}
	ck_assert_int_eq(config_database_path(NULL, &path, NULL), WD_ECONFIG);
}
END_TEST

START_TEST(test_database_url_file)
{
	struct config	cfg;

	parse_ok(&cfg, "DATABASE_URL=sqlite:////srv/watchdog/db.sqlite3\n");
	ck_assert_str_eq(cfg.database_path, "/srv/watchdog/db.sqlite3");
	config_free(&cfg);
	parse_ok(&cfg, "DATABASE_URL = '/srv/w.db'\n");
	ck_assert_str_eq(cfg.database_path, "/srv/w.db");
	config_free(&cfg);
	parse_ok(&cfg, "DATABASE_URL=postgresql://u:p@h/d?sslmode=require\n");
	ck_assert_str_eq(cfg.database_path,
	    "postgresql://u:p@h/d?sslmode=require");
	config_free(&cfg);
	parse_fails("DATABASE_URL=db.sqlite3\n", NULL,
	    "DATABASE_URL: must be an absolute path");
}
END_TEST

/* Paths and strings. */

START_TEST(test_path_keys)
{
	struct config	 cfg;
	char		*text, *exact;
	const char	*key;

	key = path_keys[_i];
	text = xasprintf("%s=/opt/watchdog/x y\n", key);
	parse_ok(&cfg, text);
	ck_assert_str_eq(*path_field(&cfg, key), "/opt/watchdog/x y");
	config_free(&cfg);
	free(text);

	exact = xasprintf(NAME ":1: %s: must be an absolute path", key);
	text = xasprintf("%s=relative/dir\n", key);
	parse_fails(text, exact, NULL);
	free(text);
	text = xasprintf("%s=~/dir\n", key);
	parse_fails(text, exact, NULL);
	free(text);
	text = xasprintf("%s=\"$HOME/dir\"\n", key);
	parse_fails(text, exact, NULL);
	free(text);
	free(exact);
	text = xasprintf("%s=\"/a\\tb\"\n", key);
	parse_fails(text, NULL, "contains a control character");
	free(text);
}
END_TEST

START_TEST(test_strings)
{
	struct config	cfg;

	parse_ok(&cfg, "EMAIL_HOST_USER=alerts@example.com\n"
	    "EMAIL_HOST_PASSWORD=\"p@ss w0rd!#x\"\n");
	ck_assert_str_eq(cfg.email_host_user, "alerts@example.com");
	ck_assert_str_eq(cfg.email_host_password, "p@ss w0rd!#x");
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_HOST_PASSWORD=p\xc3\xa4sswort\n");
	ck_assert_str_eq(cfg.email_host_password, "p\xc3\xa4sswort");
	config_free(&cfg);

	parse_fails("EMAIL_HOST_USER=\"a\\tb\"\n", NAME ":1: EMAIL_HOST_USER: "
	    "contains a control character", NULL);
	parse_fails("EMAIL_HOST_PASSWORD=a\x01" "b\n", NAME ":1: "
	    "EMAIL_HOST_PASSWORD: contains a control character", NULL);
	parse_fails("EMAIL_HOST_PASSWORD=a\rb\n", NULL,
	    "contains a control character");
	parse_fails("EMAIL_HOST=\"a\\nb\"\n", NULL,
	    "contains a control character");
}
END_TEST

START_TEST(test_email_host)
{
	static const char *const good[] = {
		"smtp.example.com", "localhost", "192.0.2.25", "[2001:db8::1]",
		"::1", "mail-1.example.co.uk", "[::ffff:192.0.2.1]",
	};
	static const struct {
		const char	*host;
		const char	*part;
	} bad[] = {
		{ "smtp example.com", "not a host name or IP address" },
		{ "smtp_1.example.com", "not a host name or IP address" },
		{ "smtp/x", "not a host name or IP address" },
		{ "smtp.example.com:587", "give the port in EMAIL_PORT" },
		{ "[2001:db8::1", "not a valid IPv6 address in brackets" },
		{ "[]", "not a valid IPv6 address in brackets" },
		{ "[192.0.2.1]", "not a valid IPv6 address in brackets" },
		{ "[fe80::1%eth0]", "not a valid IPv6 address in brackets" },
		{ "-smtp.example.com", "cannot start with" },
		{ ".example.com", "cannot start with" },
		{ "smtp.\xc3\xa9xample.com", "not a host name or IP address" },
	};
	struct config	 cfg;
	char		*text;
	size_t		 i;

	for (i = 0; i < nitems(good); i++) {
		text = xasprintf("EMAIL_HOST=%s\n", good[i]);
		parse_ok(&cfg, text);
		ck_assert_str_eq(cfg.email_host, good[i]);
		config_free(&cfg);
		free(text);
	}
	for (i = 0; i < nitems(bad); i++) {
		text = xasprintf("EMAIL_HOST=\"%s\"\n", bad[i].host);
		parse_fails(text, NULL, bad[i].part);
		free(text);
	}
}
END_TEST

/* Syntax. */

START_TEST(test_syntax_spaces_export)
{
	struct config	cfg;

	parse_ok(&cfg, "EMAIL_PORT = 587\n"
	    "EMAIL_TIMEOUT\t=\t12\n"
	    "   SLA_WARNING_MINUTES=45   \n"
	    "export EMAIL_HOST=mail.example.com\n"
	    "export\t  LOGIN_MAX_FAILURES =3\n"
	    "\texport PASSWORD_MIN_LENGTH=10\n");
	ck_assert_int_eq(cfg.email_port, 587);
	ck_assert_int_eq(cfg.email_timeout, 12);
	ck_assert_int_eq(cfg.sla_warning_minutes, 45);
	ck_assert_str_eq(cfg.email_host, "mail.example.com");
	ck_assert_int_eq(cfg.login_max_failures, 3);
	ck_assert_int_eq(cfg.password_min_length, 10);
	config_free(&cfg);

	parse_fails("exportEMAIL_PORT=25\n", NAME ":1: unknown key "
	    "'exportEMAIL_PORT' (key names are upper case)", NULL);
	parse_fails("export\n", NAME ":1: not a KEY=VALUE line", NULL);
	parse_fails("EXPORT EMAIL_PORT=25\n", NAME ":1: not a KEY=VALUE line",
	    NULL);
}
END_TEST

START_TEST(test_syntax_comments)
{
	struct config	cfg;

	parse_ok(&cfg, "# a comment\n"
	    "   # an indented comment\n"
	    "\n"
	    "  \t \n"
	    "#EMAIL_PORT=1\n"
	    "EMAIL_PORT=587 # the submission port\n"
	    "EMAIL_TIMEOUT=9\t# tab before the comment\n"
	    "EMAIL_HOST_PASSWORD=abc#def\n"
	    "EMAIL_HOST_USER=#user\n"
	    "EMAIL_HOST=  # nothing but a comment\n");
	ck_assert_int_eq(cfg.email_port, 587);
	ck_assert_int_eq(cfg.email_timeout, 9);
	ck_assert_str_eq(cfg.email_host_password, "abc#def");
	ck_assert_str_eq(cfg.email_host_user, "#user");
	ck_assert_ptr_null(cfg.email_host);
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_FILE);
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_HOST_PASSWORD=abc #def\n");
	ck_assert_str_eq(cfg.email_host_password, "abc");
	config_free(&cfg);

	/* no final newline */
	parse_ok(&cfg, "# x\nEMAIL_PORT=2525");
	ck_assert_int_eq(cfg.email_port, 2525);
	config_free(&cfg);

	parse_ok(&cfg, "");
	config_free(&cfg);
}
END_TEST

START_TEST(test_syntax_crlf)
{
	struct config	cfg;

	parse_ok(&cfg, "# dos\r\nEMAIL_PORT=587\r\n\r\n"
	    "EMAIL_HOST=mail.example.com\r\n"
	    "EMAIL_HOST_PASSWORD=\"quoted\" # c\r\n"
	    "EMAIL_HOST_USER='single'\r\n"
	    "EMAIL_USE_TLS=yes\r\n"
	    "TEMPLATE_DIR=/srv/templates\r\n");
	ck_assert_int_eq(cfg.email_port, 587);
	ck_assert_str_eq(cfg.email_host, "mail.example.com");
	ck_assert_str_eq(cfg.email_host_password, "quoted");
	ck_assert_str_eq(cfg.email_host_user, "single");
	ck_assert_str_eq(cfg.template_dir, "/srv/templates");
	config_free(&cfg);

	parse_fails("EMAIL_PORT=25\r\nEMAIL_PROT=26\r\n", NAME ":2: unknown "
	    "key 'EMAIL_PROT' (did you mean EMAIL_PORT?)", NULL);
}
END_TEST

START_TEST(test_syntax_bom)
{
	struct config	cfg;

	parse_ok(&cfg, "\xef\xbb\xbf" "EMAIL_PORT=2525\n");
	ck_assert_int_eq(cfg.email_port, 2525);
	config_free(&cfg);
}
END_TEST

START_TEST(test_quotes_double)
{
	struct config	cfg;

	parse_ok(&cfg, "EMAIL_HOST_PASSWORD=\"a b # c\"\n");
	ck_assert_str_eq(cfg.email_host_password, "a b # c");
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_HOST_PASSWORD=\"back\\\\slash \\\"q\\\" 'x'\"\n");
	ck_assert_str_eq(cfg.email_host_password, "back\\slash \"q\" 'x'");
	config_free(&cfg);

	/* \\n is a backslash and an n, not a line break */
	parse_ok(&cfg, "EMAIL_HOST_USER=\"a\\\\nb\"\n");
	ck_assert_str_eq(cfg.email_host_user, "a\\nb");
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_HOST_USER=\"  spaced  \"   \n");
	ck_assert_str_eq(cfg.email_host_user, "  spaced  ");
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_HOST_USER=\"x\"#comment\n");
	ck_assert_str_eq(cfg.email_host_user, "x");
	config_free(&cfg);

	/* \n and \t decode to control characters: fine for ignored keys */
	parse_ok(&cfg, "SECRET_KEY=\"a\\nb\\tc\"\n");
	config_free(&cfg);
	parse_fails("EMAIL_HOST_USER=\"a\\nb\"\n", NULL,
	    "contains a control character");

	parse_fails("EMAIL_HOST_USER=\"x\"y\n", NAME ":1: EMAIL_HOST_USER: "
	    "text after the closing quote", NULL);
	parse_fails("EMAIL_HOST_USER=\"x\" \"y\"\n", NULL,
	    "text after the closing quote");
	parse_fails("EMAIL_HOST_USER=\"abc\n", NAME ":1: EMAIL_HOST_USER: "
	    "unterminated double quote", NULL);
	parse_fails("EMAIL_HOST_USER=\"abc\\\"\n", NULL,
	    "unterminated double quote");
	parse_fails("EMAIL_HOST_USER=\"abc\\", NULL,
	    "unterminated double quote");
	parse_fails("EMAIL_HOST_USER=\"multi\nline\"\n", NULL,
	    "unterminated double quote");
	parse_fails("EMAIL_HOST_USER=\"a\\qb\"\n", NAME ":1: EMAIL_HOST_USER: "
	    "unknown escape in double quotes (only \\\\, \\\", \\n and \\t)",
	    NULL);
	parse_fails("EMAIL_HOST_USER=\"a\\'b\"\n", NULL, "unknown escape");
}
END_TEST

START_TEST(test_quotes_single)
{
	struct config	cfg;

	parse_ok(&cfg, "EMAIL_HOST_PASSWORD='a\\nb \"c\" # d'\n");
	ck_assert_str_eq(cfg.email_host_password, "a\\nb \"c\" # d");
	config_free(&cfg);

	parse_ok(&cfg, "EMAIL_HOST_PASSWORD='x' # comment\n");
	ck_assert_str_eq(cfg.email_host_password, "x");
	config_free(&cfg);

	/* quotes inside an unquoted value are kept */
	parse_ok(&cfg, "EMAIL_HOST_PASSWORD=it's\"fine\"\n");
	ck_assert_str_eq(cfg.email_host_password, "it's\"fine\"");
	config_free(&cfg);

	parse_fails("EMAIL_HOST_PASSWORD='x'y\n", NULL,
	    "text after the closing quote");
	parse_fails("EMAIL_HOST_PASSWORD='abc\n", NAME ":1: "
	    "EMAIL_HOST_PASSWORD: unterminated single quote", NULL);
	parse_fails("EMAIL_HOST_PASSWORD='abc\"\n", NULL,
	    "unterminated single quote");
}
END_TEST

START_TEST(test_unknown_keys)
{
	parse_fails("EMAIL_PROT=25\n", NAME ":1: unknown key 'EMAIL_PROT' "
	    "(did you mean EMAIL_PORT?)", NULL);
	parse_fails("# x\nEMIAL_HOST=h\n", NAME ":2: unknown key 'EMIAL_HOST' "
	    "(did you mean EMAIL_HOST?)", NULL);
	parse_fails("email_port=25\n", NAME ":1: unknown key 'email_port' "
	    "(did you mean EMAIL_PORT?)", NULL);
	parse_fails("Email_Use_Tls=yes\n", NULL,
	    "(did you mean EMAIL_USE_TLS?)");
	parse_fails("EMAIL_USE_TLSS=yes\n", NULL,
	    "(did you mean EMAIL_USE_TLS?)");
	parse_fails("DEBUGS=1\n", NULL, "(did you mean DEBUG?)");
	parse_fails("SLA_WARNING_MINUTE=5\n", NULL,
	    "(did you mean SLA_WARNING_MINUTES?)");
	/* three edits away is too far to guess */
	parse_fails("EMAIL_HOSTXYZ=h\n", NAME ":1: unknown key "
	    "'EMAIL_HOSTXYZ'", NULL);
	parse_fails("EMAIL_PORTXY=25\n", NAME ":1: unknown key "
	    "'EMAIL_PORTXY' (did you mean EMAIL_PORT?)", NULL);
	parse_fails("ALLOWED_HOSTS=*\n", NAME ":1: unknown key "
	    "'ALLOWED_HOSTS'", NULL);
	parse_fails("EMAIL_SUBJECT_PREFIX=[x]\n", NAME ":1: unknown key "
	    "'EMAIL_SUBJECT_PREFIX'", NULL);
	parse_fails("foo=1\n", NAME ":1: unknown key 'foo' (key names are "
	    "upper case)", NULL);
}
END_TEST

START_TEST(test_bad_lines)
{
	parse_fails("just some words\n", NAME ":1: not a KEY=VALUE line",
	    NULL);
	parse_fails("\n\nEMAIL_HOST smtp.example.com\n", NAME ":3: "
	    "EMAIL_HOST: missing '=' after the key", NULL);
	parse_fails("EMAIL_HOST\n", NAME ":1: EMAIL_HOST: missing '=' after "
	    "the key", NULL);
	parse_fails("=value\n", NAME ":1: no key before '='", NULL);
	parse_fails("  = value\n", NAME ":1: no key before '='", NULL);
	parse_fails("1ABC=x\n", NAME ":1: invalid key name (A-Z, 0-9 and '_', "
	    "not starting with a digit)", NULL);
	parse_fails("EMAIL-HOST=x\n", NULL, "invalid key name");
	parse_fails("EMAIL.PORT=25\n", NULL, "invalid key name");
	parse_fails("[section]\n", NAME ":1: not a KEY=VALUE line", NULL);
	parse_fails("EMAIL_PORT: 25\n", NAME ":1: not a KEY=VALUE line", NULL);
}
END_TEST

START_TEST(test_duplicates)
{
	parse_fails("EMAIL_PORT=25\n# x\nEMAIL_PORT=26\n", NAME ":3: "
	    "EMAIL_PORT: set twice (first on line 1)", NULL);
	parse_fails("EMAIL_HOST_USER=\nexport EMAIL_HOST_USER=x\n", NAME ":2: "
	    "EMAIL_HOST_USER: set twice (first on line 1)", NULL);
	parse_fails("DEBUG=1\nDEBUG=0\n", NAME ":2: DEBUG: set twice (first "
	    "on line 1)", NULL);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char	 text[] = "EMAIL_PORT=25\nEMAIL_HOST=a\0b\n";
	struct config		 cfg;
	char			*cause = NULL;

	config_defaults(&cfg);
	ck_assert_int_eq(config_parse(&cfg, NAME, text, sizeof text - 1,
	    &cause), WD_ECONFIG);
	ck_assert_str_eq(cause, NAME ":2: contains a NUL byte");
	free(cause);
	config_free(&cfg);
}
END_TEST

START_TEST(test_ignored_keys)
{
	struct config	dflt, cfg;

	config_defaults(&dflt);
	parse_ok(&cfg, "SECRET_KEY=django-insecure-(x)#y$z^*&=+\n"
	    "DEBUG=anything at all\n");
	assert_same_settings(&cfg, &dflt);
	config_free(&cfg);
	config_free(&dflt);
}
END_TEST

START_TEST(test_lines_recorded)
{
	struct config	cfg;

	parse_ok(&cfg, "# 1\nEMAIL_HOST=h\n\nEMAIL_PORT=26\nEMAIL_TIMEOUT=\n");
	ck_assert_uint_eq(cfg.lines[config_key_index("EMAIL_HOST")], 2);
	ck_assert_uint_eq(cfg.lines[config_key_index("EMAIL_PORT")], 4);
	ck_assert_uint_eq(cfg.lines[config_key_index("EMAIL_TIMEOUT")], 0);
	ck_assert_uint_eq(cfg.lines[config_key_index("DATABASE_URL")], 0);
	ck_assert_str_eq(cfg.path, NAME);
	config_free(&cfg);
}
END_TEST

/*
 * No message ever holds a value: each of these bad lines carries the
 * marker S3CR3T in its value.
 */
START_TEST(test_never_echo_values)
{
	static const char *const lines[] = {
		"EMAIL_PORT=S3CR3T",
		"EMAIL_USE_TLS=S3CR3T",
		"RATE_LIMIT_READ=S3CR3T/m",
		"RATE_LIMIT_READ=5/S3CR3T",
		"EMAIL_BACKEND=S3CR3T",
		"EMAIL_BACKEND=django.S3CR3T",
		"EMAIL_HOST=S3CR3T host",
		"EMAIL_HOST=S3CR3T:25",
		"EMAIL_HOST_PASSWORD=\"S3CR3T\\t\"",
		"EMAIL_HOST_PASSWORD=S3CR3T\x01",
		"EMAIL_HOST_PASSWORD=\"S3CR3T",
		"EMAIL_HOST_PASSWORD='S3CR3T",
		"EMAIL_HOST_PASSWORD=\"S3CR3T\"junk",
		"EMAIL_HOST_PASSWORD=\"x\"S3CR3T",
		"EMAIL_HOST_PASSWORD=\"S3CR3T\\q\"",
		"EMAIL_HOST_PASSWORD S3CR3T",
		"EMAIL_HOST_PASSWORD=x\nEMAIL_HOST_PASSWORD=S3CR3T",
		"DEFAULT_FROM_EMAIL=S3CR3T",
		"DEFAULT_FROM_EMAIL=S3CR3T@bad_host",
		"SLA_ESCALATION_EMAILS=a@example.com,S3CR3T",
		"DATABASE_URL=postgresql://u:S3CR3T@h/db\x01",
		"DATABASE_URL=S3CR3T",
		"DATABASE_URL=sqlite://S3CR3T",
		"TEMPLATE_DIR=S3CR3T",
		"S3CR3T",
		"S3CR3T S3CR3T",
		"p@S3CR3T=x",
		"EMAIL_HOST_PASSWORD=S3CR3T\nEMAIL_USE_TLS=1\nEMAIL_USE_SSL=1",
		"EMAIL_HOST_PASSWORD=S3CR3T\nEMAIL_BACKEND=smtp",
	};
	struct config	 cfg;
	char		*cause, *text;
	size_t		 i;

	for (i = 0; i < nitems(lines); i++) {
		text = xasprintf("%s\n", lines[i]);
		ck_assert_msg(parse(&cfg, text, &cause) == WD_ECONFIG,
		    "accepted line %zu", i);
		ck_assert_msg(strstr(cause, "S3CR3T") == NULL &&
		    strstr(cause, "s3cr3t") == NULL, "line %zu: %s", i, cause);
		ck_assert_msg(strncmp(cause, NAME ":", strlen(NAME ":")) == 0,
		    "line %zu: %s", i, cause);
		free(cause);
		config_free(&cfg);
		free(text);
	}
}
END_TEST

/* A .env written for the Django version. */
START_TEST(test_django_env)
{
	static const char	 env[] =
	    "# .env for the SLA Watchdog Django project\n"
	    "SECRET_KEY='django-insecure-7f(k#x@!q$9=+)z^&*w-_s2'\n"
	    "DEBUG=True\n"
	    "\n"
	    "EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend\n"
	    "EMAIL_HOST=smtp.gmail.com\n"
	    "EMAIL_PORT=587\n"
	    "EMAIL_USE_TLS=True\n"
	    "EMAIL_USE_SSL=False\n"
	    "EMAIL_HOST_USER=\n"
	    "EMAIL_HOST_PASSWORD=\n"
	    "EMAIL_TIMEOUT=10\n"
	    "DEFAULT_FROM_EMAIL=noreply@example.com\n"
	    "SLA_WARNING_MINUTES=30\n";
	static const char	 env2[] =
	    "export SECRET_KEY=\"s3cr3t-(key)-!@#$%^&*\"\r\n"
	    "export DEBUG=False\r\n"
	    "export DATABASE_URL=sqlite:////srv/watchdog/db.sqlite3\r\n"
	    "export EMAIL_BACKEND="
	    "django.core.mail.backends.console.EmailBackend\r\n"
	    "export EMAIL_HOST_USER=alerts@example.com\r\n"
	    "export EMAIL_HOST_PASSWORD='app password with spaces'\r\n";
	struct config	 cfg;
	char		*path, *cause = NULL;

	path = write_file(".env", env);
	ck_assert_msg(config_load(&cfg, path, &cause) == WD_OK, "%s", cause);
	ck_assert_str_eq(cfg.path, path);
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_SMTP);
	ck_assert(cfg.email_backend_set);
	ck_assert_str_eq(cfg.email_host, "smtp.gmail.com");
	ck_assert_int_eq(cfg.email_port, 587);
	ck_assert(cfg.email_use_tls);
	ck_assert(!cfg.email_use_ssl);
	ck_assert_ptr_null(cfg.email_host_user);
	ck_assert_ptr_null(cfg.email_host_password);
	ck_assert_int_eq(cfg.email_timeout, 10);
	ck_assert_str_eq(cfg.default_from_email, "noreply@example.com");
	ck_assert_int_eq(cfg.sla_warning_minutes, 30);
	config_free(&cfg);
	free(path);

	path = write_file("env2", env2);
	ck_assert_msg(config_load(&cfg, path, &cause) == WD_OK, "%s", cause);
	ck_assert_str_eq(cfg.database_path, "/srv/watchdog/db.sqlite3");
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_CONSOLE);
	ck_assert_str_eq(cfg.email_host_user, "alerts@example.com");
	ck_assert_str_eq(cfg.email_host_password, "app password with spaces");
	config_free(&cfg);
	free(path);
}
END_TEST

/* config_load(): the lookup order and reading the file. */

START_TEST(test_load_explicit)
{
	struct config	 cfg;
	char		*path, *cause = NULL;

	path = write_file("w.conf", "EMAIL_PORT=2525\n");
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_OK);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(cfg.path, path);
	ck_assert_int_eq(cfg.email_port, 2525);
	ck_assert_int_eq(cfg.email_timeout, 30);
	config_free(&cfg);
	free(path);
}
END_TEST

START_TEST(test_load_explicit_missing)
{
	struct config	 cfg;
	char		*path, *cause = NULL, *want;

	path = xasprintf("%s/nope.conf", tmpdir);
	want = xasprintf("%s: cannot read: %s", path, strerror(ENOENT));
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	ck_assert_str_eq(cause, want);
	/* CFG is left freed; freeing it again is harmless */
	ck_assert_ptr_null(cfg.path);
	ck_assert_ptr_null(cfg.database_path);
	config_free(&cfg);
	free(cause);
	free(want);
	free(path);
}
END_TEST

START_TEST(test_load_explicit_beats_env)
{
	struct config	 cfg;
	char		*a, *b, *cause = NULL;

	a = write_file("a.conf", "EMAIL_PORT=1001\n");
	b = write_file("b.conf", "EMAIL_PORT=1002\n");
	setenv("WATCHDOG_CONFIG", b, 1);
	config_set_system_path(b);
	ck_assert_int_eq(config_load(&cfg, a, &cause), WD_OK);
	ck_assert_str_eq(cfg.path, a);
	ck_assert_int_eq(cfg.email_port, 1001);
	config_free(&cfg);
	free(a);
	free(b);
}
END_TEST

/*
 * Keys set in the environment override the file (the program is not
 * setgid here), and say so; SECRET_KEY and DEBUG are left alone; a bad
 * value names the variable, never the value.
 */
START_TEST(test_load_env_keys)
{
	struct config	 cfg;
	char		*path, *cause = NULL;
	int		 host, port, timeout;

	path = write_file("w.conf", "EMAIL_HOST=file.example.com\n"
	    "EMAIL_PORT=2525\nEMAIL_TIMEOUT=7\n");
	setenv("EMAIL_HOST", "env.example.com", 1);
	setenv("EMAIL_PORT", "587", 1);
	setenv("DEFAULT_FROM_EMAIL", "SLA Watchdog <noreply@example.com>", 1);
	setenv("DEBUG", "not a boolean at all", 1);
	ck_assert_msg(config_load(&cfg, path, &cause) == WD_OK, "%s", cause);
	host = config_key_index("EMAIL_HOST");
	port = config_key_index("EMAIL_PORT");
	timeout = config_key_index("EMAIL_TIMEOUT");
	ck_assert_str_eq(cfg.email_host, "env.example.com");
	ck_assert_int_eq(cfg.email_port, 587);
	ck_assert_int_eq(cfg.email_timeout, 7);
	ck_assert_str_eq(cfg.default_from_email, "noreply@example.com");
	ck_assert_str_eq(cfg.default_from_name, "SLA Watchdog");
	ck_assert(cfg.env[host] && cfg.env[port]);
	ck_assert(!cfg.env[timeout]);
	ck_assert_uint_eq(cfg.lines[host], 0);
	ck_assert_uint_eq(cfg.lines[timeout], 3);
	ck_assert(!cfg.env_ignored);
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_SMTP);
	config_free(&cfg);

	/* Without a file, the environment alone: EMAIL_HOST means smtp. */
	unsetenv("DEFAULT_FROM_EMAIL");
	config_set_system_path("/nonexistent/watchdog.conf");
	ck_assert_msg(config_load(&cfg, NULL, &cause) == WD_OK, "%s", cause);
	ck_assert_int_eq(cfg.email_backend, EMAIL_BACKEND_SMTP);
	ck_assert_str_eq(cfg.email_host, "env.example.com");
	config_free(&cfg);
	config_set_system_path(NULL);

	setenv("EMAIL_PORT", "99999", 1);
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	ck_assert_ptr_nonnull(strstr(cause, "environment: EMAIL_PORT"));
	ck_assert_ptr_null(strstr(cause, "99999"));
	free(cause);
	cause = NULL;
	unsetenv("EMAIL_PORT");
	setenv("EMAIL_HOST_PASSWORD", "s3cret", 1);
	setenv("EMAIL_HOST_USER", "me", 1);
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	ck_assert_ptr_nonnull(strstr(cause, "environment: EMAIL_HOST_USER"));
	ck_assert_ptr_null(strstr(cause, "s3cret"));
	free(cause);
	unsetenv("EMAIL_HOST_PASSWORD");
	unsetenv("EMAIL_HOST_USER");
	unsetenv("EMAIL_HOST");
	unsetenv("DEBUG");
	free(path);
}
END_TEST

START_TEST(test_load_env)
{
	struct config	 cfg;
	char		*env, *sys, *cause = NULL;

	env = write_file("env.conf", "EMAIL_PORT=1002\n");
	sys = write_file("sys.conf", "EMAIL_PORT=1003\n");
	setenv("WATCHDOG_CONFIG", env, 1);
	config_set_system_path(sys);
	ck_assert_int_eq(config_load(&cfg, NULL, &cause), WD_OK);
	ck_assert_str_eq(cfg.path, env);
	ck_assert_int_eq(cfg.email_port, 1002);
	config_free(&cfg);

	/* an empty WATCHDOG_CONFIG is not set */
	setenv("WATCHDOG_CONFIG", "", 1);
	ck_assert_int_eq(config_load(&cfg, NULL, &cause), WD_OK);
	ck_assert_str_eq(cfg.path, sys);
	ck_assert_int_eq(cfg.email_port, 1003);
	config_free(&cfg);
	free(env);
	free(sys);
}
END_TEST

START_TEST(test_load_env_missing)
{
	struct config	 cfg;
	char		*path, *sys, *cause = NULL, *want;

	path = xasprintf("%s/missing.conf", tmpdir);
	sys = write_file("sys.conf", "EMAIL_PORT=1003\n");
	config_set_system_path(sys);
	setenv("WATCHDOG_CONFIG", path, 1);
	want = xasprintf("%s: cannot read: %s", path, strerror(ENOENT));
	ck_assert_int_eq(config_load(&cfg, NULL, &cause), WD_ECONFIG);
	ck_assert_str_eq(cause, want);
	config_free(&cfg);
	free(cause);
	free(want);
	free(path);
	free(sys);
}
END_TEST

START_TEST(test_load_system)
{
	struct config	 cfg;
	char		*sys, *missing, *cause = NULL;

	sys = write_file("watchdog.conf", "LOGIN_MAX_FAILURES=9\n");
	config_set_system_path(sys);
	ck_assert_str_eq(config_system_path(), sys);
	ck_assert_int_eq(config_load(&cfg, NULL, &cause), WD_OK);
	ck_assert_str_eq(cfg.path, sys);
	ck_assert_int_eq(cfg.login_max_failures, 9);
	config_free(&cfg);

	/* a missing system file means defaults */
	missing = xasprintf("%s/no/such/watchdog.conf", tmpdir);
	config_set_system_path(missing);
	ck_assert_int_eq(config_load(&cfg, NULL, &cause), WD_OK);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_null(cfg.path);
	ck_assert_int_eq(cfg.login_max_failures, 5);
	ck_assert_str_eq(cfg.database_path,
	    "/home/tester/.local/share/watchdog/watchdog.db");
	config_free(&cfg);
	free(missing);
	free(sys);
}
END_TEST

/* The compiled-in path, and that it is what config_load() looks at. */
START_TEST(test_load_system_compiled)
{
	struct config	 cfg;
	char		*cause = NULL;
	enum wd_status	 st;

	config_set_system_path(NULL);
	ck_assert_str_eq(config_system_path(),
	    WATCHDOG_SYSCONFDIR "/watchdog.conf");
	st = config_load(&cfg, NULL, &cause);
	if (access(config_system_path(), F_OK) != 0) {
		ck_assert_int_eq(st, WD_OK);
		ck_assert_ptr_null(cfg.path);
	} else if (st == WD_OK)
		ck_assert_str_eq(cfg.path, config_system_path());
	else {
		ck_assert_ptr_nonnull(cause);
		ck_assert(strncmp(cause, config_system_path(),
		    strlen(config_system_path())) == 0);
		free(cause);
	}
	config_free(&cfg);
}
END_TEST

START_TEST(test_load_not_regular)
{
	struct config	 cfg;
	char		*fifo, *cause = NULL, *want;

	want = xasprintf("%s: cannot read: not a regular file", tmpdir);
	ck_assert_int_eq(config_load(&cfg, tmpdir, &cause), WD_ECONFIG);
	ck_assert_str_eq(cause, want);
	free(cause);
	free(want);

	/* an existing system "file" that is not one is an error too */
	config_set_system_path(tmpdir);
	ck_assert_int_eq(config_load(&cfg, NULL, &cause), WD_ECONFIG);
	ck_assert_ptr_nonnull(strstr(cause, "not a regular file"));
	free(cause);
	config_set_system_path(NULL);

	/* a FIFO is refused without blocking on it */
	fifo = xasprintf("%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(config_load(&cfg, fifo, &cause), WD_ECONFIG);
	ck_assert_ptr_nonnull(strstr(cause, "not a regular file"));
	free(cause);
	free(fifo);
	config_free(&cfg);
}
END_TEST

START_TEST(test_load_size)
{
	struct config	 cfg;
	char		*path, *cause = NULL, *want;
	FILE		*f;
	size_t		 i;

	/* exactly 1 MiB of comments is fine */
	path = xasprintf("%s/big.conf", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 1024 * 1024 / 64; i++)
		fprintf(f, "#%62s\n", "padding");
	fclose(f);
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_OK);
	config_free(&cfg);

	/* one byte more is not */
	f = fopen(path, "a");
	fputc('\n', f);
	fclose(f);
	want = xasprintf("%s: cannot read: larger than 1 MiB", path);
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	ck_assert_str_eq(cause, want);
	free(cause);
	free(want);
	free(path);
	config_free(&cfg);
}
END_TEST

START_TEST(test_load_unreadable)
{
	struct config	 cfg;
	char		*path, *cause = NULL, *want;

	if (geteuid() == 0)
		return;		/* root reads anything */
	path = write_file("secret.conf", "EMAIL_PORT=25\n");
	ck_assert_int_eq(chmod(path, 0), 0);
	want = xasprintf("%s: cannot read: %s", path, strerror(EACCES));
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	ck_assert_str_eq(cause, want);
	free(cause);
	free(want);

	/* an unreadable system file is an error, not silently skipped */
	config_set_system_path(path);
	ck_assert_int_eq(config_load(&cfg, NULL, &cause), WD_ECONFIG);
	free(cause);
	free(path);
}
END_TEST

START_TEST(test_load_errors_name_file)
{
	struct config	 cfg;
	char		*path, *cause = NULL, *want;

	path = write_file("bad.conf", "EMAIL_PORT=25\nEMAIL_PORT=x\n");
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	want = xasprintf("%s:2: EMAIL_PORT: set twice (first on line 1)",
	    path);
	ck_assert_str_eq(cause, want);
	free(cause);
	free(want);
	free(path);

	path = write_file("tls.conf", "EMAIL_USE_TLS=yes\nEMAIL_USE_SSL=yes\n");
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	want = xasprintf("%s:2: EMAIL_USE_SSL: cannot be on together with "
	    "EMAIL_USE_TLS (line 1); turn one off", path);
	ck_assert_str_eq(cause, want);
	free(cause);
	free(want);
	free(path);

	path = write_file("smtp.conf", "EMAIL_BACKEND=smtp\n");
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_ECONFIG);
	want = xasprintf("%s:1: EMAIL_BACKEND: smtp needs EMAIL_HOST", path);
	ck_assert_str_eq(cause, want);
	free(cause);
	free(want);
	free(path);
	config_free(&cfg);
}
END_TEST

START_TEST(test_load_empty_file)
{
	struct config	 cfg, dflt;
	char		*path, *cause = NULL;

	path = write_file("empty.conf", "");
	ck_assert_int_eq(config_load(&cfg, path, &cause), WD_OK);
	ck_assert_str_eq(cfg.path, path);
	config_defaults(&dflt);
	assert_same_settings(&cfg, &dflt);
	config_free(&dflt);
	config_free(&cfg);
	free(path);
}
END_TEST

START_TEST(test_free_twice)
{
	struct config	cfg;

	config_defaults(&cfg);
	config_free(&cfg);
	ck_assert_ptr_null(cfg.database_path);
	ck_assert_ptr_null(cfg.escalation_emails);
	ck_assert_ptr_null(cfg.lines);
	config_free(&cfg);

	memset(&cfg, 0, sizeof cfg);
	config_free(&cfg);
}
END_TEST

/* The example file shipped at the top of the tree. */

START_TEST(test_example_loads)
{
	struct config	 cfg, dflt;
	char		*cause = NULL;

	ck_assert_msg(config_load(&cfg, EXAMPLE, &cause) == WD_OK, "%s",
	    cause);
	ck_assert_str_eq(cfg.path, EXAMPLE);
	config_defaults(&dflt);
	assert_same_settings(&cfg, &dflt);
	config_free(&dflt);
	config_free(&cfg);
}
END_TEST

/*
 * Every key is in the example as a commented-out "#KEY=" line, and with
 * all of them uncommented the file still loads and gives the defaults.
 */
START_TEST(test_example_uncommented)
{
	struct config	 cfg, dflt;
	struct strbuf	 sb = { NULL, 0, 0 };
	char		 line[1024], *path, *cause = NULL, *p, *probe;
	FILE		*f;
	size_t		 i, n = 0;

	f = fopen(EXAMPLE, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f) != NULL) {
		p = line;
		if (p[0] == '#' && p[1] >= 'A' && p[1] <= 'Z' &&
		    strchr(p, '=') != NULL) {
			p++;
			n++;
		}
		strbuf_addstr(&sb, p);
	}
	fclose(f);
	for (i = 0; config_keys[i].name != NULL; i++) {
		probe = xasprintf("\n%s=", config_keys[i].name);
		ck_assert_msg(strstr(sb.buf, probe) != NULL,
		    "%s is not in " EXAMPLE " as #%s=", config_keys[i].name,
		    config_keys[i].name);
		free(probe);
	}
	ck_assert_uint_eq(n, i);

	path = write_file("uncommented.conf", sb.buf);
	strbuf_free(&sb);
	ck_assert_msg(config_load(&cfg, path, &cause) == WD_OK, "%s", cause);
	config_defaults(&dflt);
	assert_same_settings(&cfg, &dflt);
	config_free(&dflt);
	config_free(&cfg);
	free(path);
}
END_TEST

/*
 * Setgid, the database and the Maildir the file does not set go to the
 * team's data directory; what the file sets stays.
 */
START_TEST(test_shared_defaults)
{
	struct config	 cfg;
	char		*want;

	parse_ok(&cfg, "EMAIL_BACKEND=file\n");
	ck_assert_str_eq(cfg.database_path,
	    "/home/tester/.local/share/watchdog/watchdog.db");
	config_shared_defaults(&cfg);
	want = xasprintf("%s/watchdog.db", config_shared_dir());
	ck_assert_str_eq(cfg.database_path, want);
	free(want);
	want = xasprintf("%s/mail", config_shared_dir());
	ck_assert_str_eq(cfg.email_file_path, want);
	free(want);
	ck_assert_int_eq(config_shared_dir()[0], '/');
	config_free(&cfg);

	parse_ok(&cfg, "DATABASE_URL=/srv/wd/db\nEMAIL_FILE_PATH=/srv/wd/mail\n");
	config_shared_defaults(&cfg);
	ck_assert_str_eq(cfg.database_path, "/srv/wd/db");
	ck_assert_str_eq(cfg.email_file_path, "/srv/wd/mail");
	config_free(&cfg);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("config");

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_table_keys);
	tcase_add_test(tc, test_table_types);
	suite_add_tcase(s, tc);

	tc = tcase_create("defaults");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_defaults_xdg);
	tcase_add_test(tc, test_defaults_from);
	tcase_add_test(tc, test_empty_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_int_bounds, 0, (int)nitems(int_keys));
	tcase_add_test(tc, test_int_quoted);
	tcase_add_loop_test(tc, test_bool_values, 0, (int)nitems(bool_keys));
	tcase_add_test(tc, test_rate_good);
	tcase_add_test(tc, test_rate_bad);
	tcase_add_test(tc, test_backend_names);
	tcase_add_test(tc, test_backend_default);
	tcase_add_test(tc, test_backend_bad);
	tcase_add_test(tc, test_validate_tls_ssl);
	tcase_add_test(tc, test_validate_smtp_host);
	tcase_add_test(tc, test_validate_auth_needs_tls);
	tcase_add_test(tc, test_from_email);
	tcase_add_test(tc, test_escalation_list);
	tcase_add_test(tc, test_database_url_forms);
	tcase_add_test(tc, test_database_url_file);
	tcase_add_loop_test(tc, test_path_keys, 0, (int)nitems(path_keys));
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_email_host);
	tcase_add_test(tc, test_ignored_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_syntax_spaces_export);
	tcase_add_test(tc, test_syntax_comments);
	tcase_add_test(tc, test_syntax_crlf);
	tcase_add_test(tc, test_syntax_bom);
	tcase_add_test(tc, test_quotes_double);
	tcase_add_test(tc, test_quotes_single);
	tcase_add_test(tc, test_unknown_keys);
	tcase_add_test(tc, test_bad_lines);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_lines_recorded);
	tcase_add_test(tc, test_never_echo_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_django_env);
	tcase_add_test(tc, test_load_explicit);
	tcase_add_test(tc, test_load_explicit_missing);
	tcase_add_test(tc, test_load_explicit_beats_env);
	tcase_add_test(tc, test_load_env);
	tcase_add_test(tc, test_load_env_keys);
	tcase_add_test(tc, test_load_env_missing);
	tcase_add_test(tc, test_load_system);
	tcase_add_test(tc, test_load_system_compiled);
	tcase_add_test(tc, test_load_not_regular);
	tcase_add_test(tc, test_load_size);
	tcase_add_test(tc, test_load_unreadable);
	tcase_add_test(tc, test_load_errors_name_file);
	tcase_add_test(tc, test_load_empty_file);
	tcase_add_test(tc, test_free_twice);
	tcase_add_test(tc, test_example_loads);
	tcase_add_test(tc, test_example_uncommented);
	tcase_add_test(tc, test_shared_defaults);
	suite_add_tcase(s, tc);

	return s;
}

UNIT_SUITE(config_suite)
