/*
 * config.c: watchdog.conf, a .env-style KEY=VALUE file (watchdog.conf(5)).
 *
 * The keys are declared once, in CONFIG_KEY_TABLE below. It makes both the
 * public config_keys[] (name, type, documented default, help) and the
 * private config_fields[] (where in struct config the value goes, and its
 * bounds); one setter per type turns a value into the field. Messages name
 * the file, the line and the key, never a value: a value may be the SMTP
 * password.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog/address.h"
#include "watchdog/calendar_parse.h"
#include "watchdog/config.h"
#include "watchdog/netaddr.h"
#include "watchdog/privilege.h"
#include "watchdog/sla.h"
#include "watchdog/status.h"
#include "watchdog/util.h"
#include "watchdog/zone.h"

#ifndef WATCHDOG_SYSCONFDIR
#define WATCHDOG_SYSCONFDIR	"/usr/local/etc"
#endif
#ifndef WATCHDOG_LOCALSTATEDIR
#define WATCHDOG_LOCALSTATEDIR	"/usr/local/var"
#endif

#define CONFIG_MAX_SIZE		(1024 * 1024)
#define CONFIG_HOST_MAX		255

/* Where a key's value goes in struct config, and what bounds it. */
struct config_field {
	size_t		 offset;	/* NOFIELD for CONFIG_IGNORED */
	long long	 min;		/* CONFIG_INT only */
	long long	 max;
	int		(*check)(const char *, char **); /* or NULL */
};

static int	check_host(const char *, char **);
static int	check_zone(const char *, char **);
static int	check_hours(const char *, char **);
static int	check_holidays(const char *, char **);
static int	check_listen(const char *, char **);

#define OFF(member)	offsetof(struct config, member)
#define NOFIELD		SIZE_MAX

/*
 * Every key, once:
 *	X(name, type, field, min, max, check, documented default, help)
 * The documented default of an int, bool or rate key and of a path key
 * whose default is an absolute path is also the value config_defaults()
 * gives it, through the same setter as the file. Keep one key a line
 * starting with X(" (tests/doccheck.sh reads the names from here).
 */
#define CONFIG_KEY_TABLE(X)						\
	X("DATABASE_URL", CONFIG_URL, OFF(database_path), 0, 0, NULL,	\
	    "$XDG_DATA_HOME/watchdog/watchdog.db",			\
	    "the database: a SQLite path (or sqlite:///abs/path) or a "	\
	    "postgresql:// URL")						\
	X("TIME_ZONE", CONFIG_STRING, OFF(time_zone), 0, 0, check_zone,	\
	    "the system's zone",					\
	    "the team's IANA zone: notices show their times in it")	\
	X("SLA_WARNING_MINUTES", CONFIG_INT, OFF(sla_warning_minutes),	\
	    0, 525600, NULL, "60",					\
	    "minutes before a deadline that the warning is sent")	\
	X("SLA_WARNINGS", CONFIG_SLA_WARNINGS, OFF(sla_warnings), 0, 0, \
	    NULL, "SLA_WARNING_MINUTES",				\
	    "warning thresholds: durations before the deadline (60m) or " \
	    "shares of the time (75%), comma-separated")		\
	X("SLA_POLICY_URGENT", CONFIG_SLA_TARGET,			\
	    OFF(sla_targets[TICKET_URGENT]), 0, 0, NULL, "-",		\
	    "deadline of urgent tickets: <duration> business|calendar")	\
	X("SLA_POLICY_HIGH", CONFIG_SLA_TARGET,				\
	    OFF(sla_targets[TICKET_HIGH]), 0, 0, NULL, "-",		\
	    "deadline of high tickets: <duration> business|calendar")	\
	X("SLA_POLICY_NORMAL", CONFIG_SLA_TARGET,			\
	    OFF(sla_targets[TICKET_NORMAL]), 0, 0, NULL, "-",		\
	    "deadline of normal tickets: <duration> business|calendar")	\
	X("SLA_POLICY_LOW", CONFIG_SLA_TARGET,				\
	    OFF(sla_targets[TICKET_LOW]), 0, 0, NULL, "-",		\
	    "deadline of low tickets: <duration> business|calendar")	\
	X("SLA_PAUSE_STATUSES", CONFIG_SLA_PAUSE, OFF(sla_pause), 0, 0,	\
	    NULL, "on_hold",						\
	    "statuses in which the SLA clock stands still, comma-separated " \
	    "(none: never)")						\
	X("SLA_ESCALATION", CONFIG_SLA_LADDER, OFF(sla_escalation), 0, 0, \
	    NULL, "-",							\
	    "the ladder after a miss: DELAY:ADDRESS, comma-separated "	\
	    "(0m:lead@example.com, 2h:manager@example.com)")		\
	X("SLA_MISSED_REPEAT", CONFIG_SLA_REPEAT, OFF(sla_missed_repeat), \
	    0, 0, NULL, "off",						\
	    "repeat the missed notice to owner and assignee this often (1d)") \
	X("QUIET_OUTSIDE_BUSINESS_HOURS", CONFIG_BOOL,			\
	    OFF(quiet_outside_hours), 0, 0, NULL, "false",		\
	    "hold notices due outside business hours until the next opening") \
	X("EMAIL_BACKEND", CONFIG_BACKEND, OFF(email_backend), 0, 0, NULL, \
	    "smtp if EMAIL_HOST is set, else file",			\
	    "how mail leaves: smtp, sendmail, file or console")		\
	X("EMAIL_HOST", CONFIG_STRING, OFF(email_host), 0, 0, check_host, \
	    "-", "the SMTP server: a host name or IP address")		\
	X("EMAIL_PORT", CONFIG_INT, OFF(email_port), 1, 65535, NULL, "25", \
	    "the SMTP server's port")					\
	X("EMAIL_USE_TLS", CONFIG_BOOL, OFF(email_use_tls), 0, 0, NULL,	\
	    "false", "require STARTTLS; never fall back to plain text")	\
	X("EMAIL_USE_SSL", CONFIG_BOOL, OFF(email_use_ssl), 0, 0, NULL,	\
	    "false", "implicit TLS (SMTPS); exclusive with EMAIL_USE_TLS") \
	X("EMAIL_HOST_USER", CONFIG_STRING, OFF(email_host_user), 0, 0,	\
	    NULL, "-", "the user name for SMTP AUTH")			\
	X("EMAIL_HOST_PASSWORD", CONFIG_STRING, OFF(email_host_password), \
	    0, 0, NULL, "-", "the password for SMTP AUTH")		\
	X("EMAIL_SSL_CAFILE", CONFIG_PATH, OFF(email_ssl_cafile), 0, 0,	\
	    NULL, "system store",					\
	    "CA bundle that verifies the SMTP server's certificate")	\
	X("EMAIL_TIMEOUT", CONFIG_INT, OFF(email_timeout), 1, 3600, NULL, \
	    "30", "seconds allowed to connect and for each SMTP step")	\
	X("DEFAULT_FROM_EMAIL", CONFIG_ADDRESS, OFF(default_from_email), \
	    0, 0, NULL, "watchdog@<hostname>", "the sender of every notice") \
	X("EMAIL_FILE_PATH", CONFIG_PATH, OFF(email_file_path), 0, 0, NULL, \
	    "$XDG_DATA_HOME/watchdog/mail",				\
	    "the Maildir that the file backend writes to")		\
	X("SENDMAIL_PATH", CONFIG_PATH, OFF(sendmail_path), 0, 0, NULL,	\
	    "/usr/sbin/sendmail",					\
	    "the program of the sendmail backend, run with -t -i")	\
	X("SLA_ESCALATION_EMAILS", CONFIG_ADDRESS_LIST,			\
	    OFF(escalation_emails), 0, 0, NULL, "-",			\
	    "comma-separated addresses that also get every missed notice") \
	X("ALLOW_REGISTRATION", CONFIG_BOOL, OFF(allow_registration),	\
	    0, 0, NULL, "true", "whether people may register accounts")	\
	X("PASSWORD_MIN_LENGTH", CONFIG_INT, OFF(password_min_length),	\
	    1, 1024, NULL, "8", "the shortest password accepted")	\
	X("RATE_LIMIT_CREATE", CONFIG_RATE, OFF(rate_limit_create), 0, 0, \
	    NULL, "5/m", "ticket creations and comments per account (N/s, " \
	    "N/m, N/h, N/d; 0 is off)")					\
	X("RATE_LIMIT_READ", CONFIG_RATE, OFF(rate_limit_read), 0, 0,	\
	    NULL, "10/m", "scripting reads (--list, --show) per account") \
	X("LOGIN_MAX_FAILURES", CONFIG_INT, OFF(login_max_failures),	\
	    1, 1000, NULL, "5", "failed logins before an account is locked") \
	X("LOGIN_LOCKOUT_MINUTES", CONFIG_INT, OFF(login_lockout_minutes), \
	    1, 525600, NULL, "15", "minutes a locked account stays locked") \
	X("TEMPLATE_DIR", CONFIG_PATH, OFF(template_dir), 0, 0, NULL,	\
	    "built in",							\
	    "directory whose created.txt, warning.txt and missed.txt " \
	    "replace the built-in templates")				\
	X("BUSINESS_HOURS", CONFIG_STRING, OFF(business_hours), 0, 0,	\
	    check_hours, "24x7",					\
	    "when business time runs: 24x7, or days and ranges such as " \
	    "Mon-Fri 09:00-17:00")					\
	X("HOLIDAYS", CONFIG_STRING, OFF(holidays), 0, 0, check_holidays, \
	    "-", "days closed all day: MM-DD every year, YYYY-MM-DD once, " \
	    "comma-separated")						\
	X("HOLIDAYS_FILE", CONFIG_PATH, OFF(holidays_file), 0, 0, NULL,	\
	    "-", "an iCalendar file whose all-day events are holidays")	\
	X("API_LISTEN", CONFIG_STRING, OFF(api_listen), 0, 0, check_listen, \
	    "127.0.0.1:8000", "where --serve listens: ADDR:PORT or [IPv6]:PORT") \
	X("API_TLS_CERT", CONFIG_PATH, OFF(api_tls_cert), 0, 0, NULL, "-", \
	    "PEM certificate chain: --serve speaks HTTPS (with API_TLS_KEY)") \
	X("API_TLS_KEY", CONFIG_PATH, OFF(api_tls_key), 0, 0, NULL, "-", \
	    "PEM private key of API_TLS_CERT")				\
	X("API_MAX_CONNECTIONS", CONFIG_INT, OFF(api_max_connections),	\
	    1, 10000, NULL, "256", "connections --serve holds open at once") \
	X("API_MAX_PER_IP", CONFIG_INT, OFF(api_max_per_ip), 1, 10000, NULL, \
	    "64", "connections --serve holds open from one address")	\
	X("API_TIMEOUT", CONFIG_INT, OFF(api_timeout), 1, 3600, NULL, "30", \
	    "seconds an idle or slow HTTP connection is kept")		\
	X("SECRET_KEY", CONFIG_IGNORED, NOFIELD, 0, 0, NULL, "-",	\
	    "accepted from a Django .env file and ignored")		\
	X("DEBUG", CONFIG_IGNORED, NOFIELD, 0, 0, NULL, "-",		\
	    "accepted from a Django .env file and ignored")

#define CONFIG_KEY_ROW(name, type, field, min, max, check, dflt, help)	\
	{ name, type, dflt, help },
#define CONFIG_FIELD_ROW(name, type, field, min, max, check, dflt, help) \
	{ field, min, max, check },

const struct config_key config_keys[] = {
	CONFIG_KEY_TABLE(CONFIG_KEY_ROW)
	{ NULL, CONFIG_IGNORED, NULL, NULL }
};

static const struct config_field config_fields[] = {
	CONFIG_KEY_TABLE(CONFIG_FIELD_ROW)
};

#define CONFIG_NKEYS	(sizeof config_fields / sizeof config_fields[0])

_Static_assert(sizeof config_keys / sizeof config_keys[0] == CONFIG_NKEYS + 1,
    "config_keys[] and config_fields[] differ");

static int	set_string(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_int(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_bool(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_path(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_url(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_backend(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_address(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_address_list(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_rate(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_sla_target(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_sla_warnings(struct config *,
		    const struct config_field *, const char *, char **);
static int	set_sla_pause(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_sla_ladder(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_sla_repeat(struct config *, const struct config_field *,
		    const char *, char **);
static int	set_ignored(struct config *, const struct config_field *,
		    const char *, char **);

/*
 * One setter per type: store VALUE (never empty) in the field and return
 * 0, or return -1 with a message that does not quote VALUE in *WHAT (the
 * caller frees it).
 */
static int (*const config_setters[])(struct config *,
    const struct config_field *, const char *, char **) = {
	[CONFIG_STRING] = set_string,
	[CONFIG_INT] = set_int,
	[CONFIG_BOOL] = set_bool,
	[CONFIG_PATH] = set_path,
	[CONFIG_URL] = set_url,
	[CONFIG_BACKEND] = set_backend,
	[CONFIG_ADDRESS] = set_address,
	[CONFIG_ADDRESS_LIST] = set_address_list,
	[CONFIG_RATE] = set_rate,
	[CONFIG_SLA_TARGET] = set_sla_target,
	[CONFIG_SLA_WARNINGS] = set_sla_warnings,
	[CONFIG_SLA_PAUSE] = set_sla_pause,
	[CONFIG_SLA_LADDER] = set_sla_ladder,
	[CONFIG_SLA_REPEAT] = set_sla_repeat,
	[CONFIG_IGNORED] = set_ignored,
};

static const struct {
	const char	*word;
	bool		 value;
} config_bools[] = {
	{ "true", true }, { "yes", true }, { "on", true }, { "1", true },
	{ "false", false }, { "no", false }, { "off", false }, { "0", false },
};

static const struct {
	const char		*name;
	enum email_backend	 backend;
} config_backends[] = {
	{ "smtp", EMAIL_BACKEND_SMTP },
	{ "sendmail", EMAIL_BACKEND_SENDMAIL },
	{ "file", EMAIL_BACKEND_FILE },
	{ "console", EMAIL_BACKEND_CONSOLE },
	{ "django.core.mail.backends.smtp.EmailBackend", EMAIL_BACKEND_SMTP },
	{ "django.core.mail.backends.filebased.EmailBackend",
	    EMAIL_BACKEND_FILE },
	{ "django.core.mail.backends.console.EmailBackend",
	    EMAIL_BACKEND_CONSOLE },
};

/* Period words of a rate, as Django REST framework reads them. */
static const struct {
	const char	*word;
	int		 seconds;
} config_periods[] = {
	{ "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 },
	{ "seconds", 1 },
	{ "m", 60 }, { "min", 60 }, { "mins", 60 }, { "minute", 60 },
	{ "minutes", 60 },
	{ "h", 3600 }, { "hr", 3600 }, { "hrs", 3600 }, { "hour", 3600 },
	{ "hours", 3600 },
	{ "d", 86400 }, { "day", 86400 }, { "days", 86400 },
};

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

static const char	*config_system_override;

/* Set *WHAT to a new message made from FMT and return -1. */
static int __attribute__((format(printf, 2, 3)))
config_what(char **what, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	*what = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

/* The member of CFG that F describes. */
static void *
config_field_ptr(struct config *cfg, const struct config_field *f)
{
	return (char *)cfg + f->offset;
}

/* Wipe and free S, which may be NULL. */
static void
config_string_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Free a NULL-terminated list of strings, which may be NULL. */
static void
config_list_free(char **list)
{
	char	**p;

	if (list == NULL)
		return;
	for (p = list; *p != NULL; p++)
		config_string_free(*p);
	free(list);
}

/* True when S holds an ASCII control character (UTF-8 is allowed). */
static bool
config_has_control(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return true;
	}
	return false;
}

/* Replace the string at DST with a copy of VALUE; the old one is wiped. */
static void
config_string_set(char **dst, const char *value)
{
	char	*copy;

	copy = xstrdup(value);
	config_string_free(*dst);
	*dst = copy;
}

/* API_LISTEN: a numeric ADDR:PORT or [IPv6]:PORT (netaddr.h). */
static int
check_listen(const char *value, char **what)
{
	struct netaddr	 na;
	char		*cause = NULL;

	if (netaddr_parse(value, &na, &cause) != WD_OK) {
		*what = cause;
		return -1;
	}
	return 0;
}

/*
 * EMAIL_HOST: a host name, an IPv4 address, or an IPv6 address bare or in
 * brackets. Returns 0, or -1 with a message in *WHAT.
 */
static int
check_host(const char *value, char **what)
{
	const char	*p;
	size_t		 len, colons = 0;

	len = strlen(value);
	if (len > CONFIG_HOST_MAX)
		return config_what(what, "longer than %d characters",
		    CONFIG_HOST_MAX);
	if (value[0] == '[') {
		if (len < 3 || value[len - 1] != ']' ||
		    strspn(value + 1, "0123456789abcdefABCDEF:.") != len - 2 ||
		    memchr(value + 1, ':', len - 2) == NULL)
			return config_what(what,
			    "not a valid IPv6 address in brackets");
		return 0;
	}
	for (p = value; *p != '\0'; p++) {
		if (*p == ':')
			colons++;
		else if (!(*p >= 'a' && *p <= 'z') &&
		    !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
		    *p != '.' && *p != '-')
			return config_what(what, "not a host name or IP "
			    "address (letters, digits, '.', '-' and ':' only)");
	}
	if (value[0] == '-' || value[0] == '.')
		return config_what(what, "a host name cannot start with "
		    "'-' or '.'");
	if (colons == 1)
		return config_what(what, "give the port in EMAIL_PORT, "
		    "not after the host name");
	return 0;
}

/*
 * TIME_ZONE: an IANA zone whose file exists under the zoneinfo directory.
 * Returns 0, or -1 with a message in *WHAT.
 */
static int
check_zone(const char *value, char **what)
{
	const char	*why;

	if (!zone_valid(value, &why))
		return config_what(what, "%s", why);
	return 0;
}

/*
 * BUSINESS_HOURS: 24x7, or days and HH:MM-HH:MM ranges (calendar_parse.h).
 * Returns 0, or -1 with a message in *WHAT.
 */
static int
check_hours(const char *value, char **what)
{
	struct calendar_week	w;

	if (calendar_parse_hours(value, &w, what) != WD_OK)
		return -1;
	return 0;
}

/*
 * HOLIDAYS: MM-DD and YYYY-MM-DD, comma-separated (calendar_parse.h).
 * Returns 0, or -1 with a message in *WHAT.
 */
static int
check_holidays(const char *value, char **what)
{
	if (calendar_parse_holidays(value, NULL, NULL, what) != WD_OK)
		return -1;
	return 0;
}

/* CONFIG_STRING: any text without control characters. */
static int
set_string(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	if (config_has_control(value))
		return config_what(what, "contains a control character");
	if (f->check != NULL && f->check(value, what) != 0)
		return -1;
	config_string_set(config_field_ptr(cfg, f), value);
	return 0;
}

/* CONFIG_INT: a whole decimal number within the key's bounds. */
static int
set_int(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	long long	 n;
	int		*dst;

	if (parse_int64(value, f->min, f->max, &n) != 0)
		return config_what(what,
		    "must be a whole number from %lld to %lld", f->min, f->max);
	dst = config_field_ptr(cfg, f);
	*dst = (int)n;
	return 0;
}

/* CONFIG_BOOL: true/false/yes/no/on/off/1/0, any case. */
static int
set_bool(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	bool	*dst;
	size_t	 i;

	for (i = 0; i < nitems(config_bools); i++) {
		if (ascii_casecmp(value, config_bools[i].word) == 0) {
			dst = config_field_ptr(cfg, f);
			*dst = config_bools[i].value;
			return 0;
		}
	}
	return config_what(what,
	    "must be true or false (or yes/no, on/off, 1/0)");
}

/* CONFIG_PATH: an absolute path. */
static int
set_path(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	if (config_has_control(value))
		return config_what(what, "contains a control character");
	if (value[0] != '/')
		return config_what(what, "must be an absolute path");
	config_string_set(config_field_ptr(cfg, f), value);
	return 0;
}

/*
 * The length of the URL scheme at the start of S when S begins with
 * "scheme://", else 0.
 */
static size_t
config_scheme_len(const char *s)
{
	size_t	n;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	n = 1 + strspn(s + 1, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	return strncmp(s + n, "://", 3) == 0 ? n : 0;
}

/* True when the scheme of N bytes at S is WORD, in any case. */
static bool
config_scheme_is(const char *s, size_t n, const char *word)
{
	size_t	i;

	if (strlen(word) != n)
		return false;
	for (i = 0; i < n; i++) {
		if ((s[i] | 0x20) != word[i])
			return false;
	}
	return true;
}

/*
 * Turn a DATABASE_URL value into a path. Returns 0 and a new string in
 * *PATH (the caller frees it), or -1 and a message in *WHAT.
 */
static int
config_url_to_path(const char *url, char **path, char **what)
{
	const char	*rest;
	size_t		 n, len;

	if ((n = config_scheme_len(url)) != 0) {
		/*
		 * libpq reads the URL itself, untouched (db_pg.c); it knows
		 * the two schemes in lower case only.
		 */
		if (strncmp(url, "postgresql://", 13) == 0 ||
		    strncmp(url, "postgres://", 11) == 0) {
			if (config_has_control(url))
				return config_what(what, "contains a control "
				    "character");
			*path = xstrdup(url);
			return 0;
		}
		if (!config_scheme_is(url, n, "sqlite"))
			return config_what(what, "unsupported scheme; use an "
			    "absolute path or sqlite:///abs/path");
		rest = url + n + 3;
		if (rest[0] != '/')
			return config_what(what, "sqlite:// must be followed "
			    "by an absolute path, as in sqlite:///abs/path");
		if (rest[1] == '/')
			rest++;		/* Django's sqlite:////abs/path */
	} else if (url[0] == '/')
		rest = url;
	else
		return config_what(what, "must be an absolute path or "
		    "sqlite:///abs/path");
	if (config_has_control(rest))
		return config_what(what, "contains a control character");
	len = strlen(rest);
	if (rest[len - 1] == '/')
		return config_what(what, "names a directory, not the database "
		    "file");
	*path = xstrdup(rest);
	return 0;
}

/* CONFIG_URL: DATABASE_URL, stored as a plain path. */
static int
set_url(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	char	**dst, *path;

	if (config_url_to_path(value, &path, what) != 0)
		return -1;
	dst = config_field_ptr(cfg, f);
	config_string_free(*dst);
	*dst = path;
	return 0;
}

/* CONFIG_BACKEND: a backend name or Django's dotted name for it. */
static int
set_backend(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	enum email_backend	*dst;
	size_t			 i;

	for (i = 0; i < nitems(config_backends); i++) {
		if (ascii_casecmp(value, config_backends[i].name) == 0) {
			dst = config_field_ptr(cfg, f);
			*dst = config_backends[i].backend;
			cfg->email_backend_set = true;
			return 0;
		}
	}
	if (strncmp(value, "django.", 7) == 0)
		return config_what(what, "this Django backend is not "
		    "supported; use smtp, sendmail, file or console");
	return config_what(what, "must be smtp, sendmail, file or console");
}

/*
 * CONFIG_ADDRESS: one e-mail address, or a display name and the address
 * in angle brackets ("SLA Watchdog <noreply@example.com>", as Django takes
 * DEFAULT_FROM_EMAIL). The field gets the bare address; the name goes to
 * cfg->default_from_name (DEFAULT_FROM_EMAIL is the one key of this type).
 */
static int
set_address(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	const char	*why;
	char		*name, *addr;

	if (!address_parse_mailbox(value, &name, &addr, &why))
		return config_what(what, "not a valid address (%s)", why);
	config_string_set(config_field_ptr(cfg, f), addr);
	free(addr);
	config_string_free(cfg->default_from_name);
	cfg->default_from_name = name;
	return 0;
}

/*
 * CONFIG_ADDRESS_LIST: comma-separated addresses; blanks around the commas
 * and empty items are ignored. Stored as a NULL-terminated array.
 */
static int
set_address_list(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	char		***dst, **list, *addr;
	const char	  *p, *comma, *s, *e, *why;
	size_t		   n = 0, item = 0;

	list = xcalloc(1, sizeof *list);
	for (p = value;; p = comma + 1) {
		comma = strchr(p, ',');
		e = comma != NULL ? comma : p + strlen(p);
		for (s = p; s < e && (*s == ' ' || *s == '\t'); s++)
			;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s) {
			item++;
			addr = xstrndup(s, (size_t)(e - s));
			if (!address_valid(addr, &why)) {
				config_string_free(addr);
				config_list_free(list);
				return config_what(what,
				    "item %zu is not a valid address (%s)",
				    item, why);
			}
			list = xreallocarray(list, n + 2, sizeof *list);
			list[n++] = addr;
			list[n] = NULL;
		}
		if (comma == NULL)
			break;
	}
	dst = config_field_ptr(cfg, f);
	config_list_free(*dst);
	*dst = list;
	return 0;
}

/*
 * CONFIG_RATE: 0 or off for no limit, else N/PERIOD with N from 1 to
 * 1000000 and PERIOD s, m, h, d or a word for it (5/minute, 100/hour).
 */
static int
set_rate(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	struct rate_limit	*dst;
	const char		*slash;
	char			*num;
	long long		 n;
	size_t			 i;
	int			 rc;

	dst = config_field_ptr(cfg, f);
	if (strcmp(value, "0") == 0 || ascii_casecmp(value, "off") == 0) {
		dst->count = 0;
		dst->seconds = 0;
		return 0;
	}
	if ((slash = strchr(value, '/')) == NULL)
		goto bad;
	num = xstrndup(value, (size_t)(slash - value));
	rc = parse_int64(num, 1, 1000000, &n);
	free(num);
	if (rc != 0)
		goto bad;
	for (i = 0; i < nitems(config_periods); i++) {
		if (ascii_casecmp(slash + 1, config_periods[i].word) == 0) {
			dst->count = (int)n;
			dst->seconds = config_periods[i].seconds;
			return 0;
		}
	}
bad:
	return config_what(what, "must be N/s, N/m, N/h or N/d with N from 1 "
	    "to 1000000, or 0 or off for no limit");
}

/*
 * CONFIG_SLA_TARGET: "<duration> [business|calendar]", the duration in
 * days, hours and minutes (4h, 90m, 2d, 1d4h30m; up to 366 days).
 */
static int
set_sla_target(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	struct sla_target	*dst;

	dst = config_field_ptr(cfg, f);
	if (sla_target_parse(value, dst) != 0)
		return config_what(what, "must be a duration such as 4h, 90m, "
		    "2d or 1d4h, then business or calendar");
	return 0;
}

/*
 * CONFIG_SLA_WARNINGS: up to 8 comma-separated thresholds, each a
 * duration before the deadline (60m, 2h, 1h30m) or a share of the time
 * from creation to deadline (75%).
 */
static int
set_sla_warnings(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	struct sla_warnings	*dst;

	dst = config_field_ptr(cfg, f);
	if (sla_warnings_parse(value, dst) != 0)
		return config_what(what, "must be up to 8 comma-separated "
		    "thresholds, each a duration such as 60m or 2h, or a "
		    "share of the time such as 75%%");
	return 0;
}

/*
 * CONFIG_SLA_PAUSE: comma-separated statuses other than resolved, or
 * "none", into a flag per enum ticket_status.
 */
static int
set_sla_pause(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	bool			*dst;

	dst = config_field_ptr(cfg, f);
	if (sla_pause_parse(value, dst) != 0)
		return config_what(what, "must be none or comma-separated "
		    "statuses: open, in_progress, on_hold (never resolved)");
	return 0;
}

/* Free the addresses of the steps of E, and empty it. */
static void
config_escalation_free(struct sla_escalation *e)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		config_list_free(e->emails[i]);
	memset(e, 0, sizeof *e);
}

/*
 * Add ADDR (taken) to the step of E with DELAY, made when new and kept in
 * the order of the delays. -1 when there are too many steps.
 */
static int
config_escalation_add(struct sla_escalation *e, int64_t delay, char *addr)
{
	size_t	i, j, n;

	for (i = 0; i < e->n && e->delay[i] < delay; i++)
		;
	if (i == e->n || e->delay[i] != delay) {
		if (e->n == SLA_MAX_STEPS)
			return -1;
		for (j = e->n; j > i; j--) {
			e->delay[j] = e->delay[j - 1];
			e->emails[j] = e->emails[j - 1];
		}
		e->delay[i] = delay;
		e->emails[i] = xcalloc(1, sizeof *e->emails[i]);
		e->n++;
	}
	for (n = 0; e->emails[i][n] != NULL; n++)
		;
	e->emails[i] = xreallocarray(e->emails[i], n + 2, sizeof **e->emails);
	e->emails[i][n] = addr;
	e->emails[i][n + 1] = NULL;
	return 0;
}

/*
 * CONFIG_SLA_LADDER: comma-separated DELAY:ADDRESS items (0m:a@b, 2h:c@d),
 * at most 8 different delays; items of one delay are one step.
 */
static int
set_sla_ladder(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	struct sla_escalation	 e, *dst;
	const char		*p, *comma, *s, *end, *colon, *why;
	char			*dur, *addr;
	int64_t			 delay;
	size_t			 item = 0;

	memset(&e, 0, sizeof e);
	for (p = value;; p = comma + 1) {
		comma = strchr(p, ',');
		end = comma != NULL ? comma : p + strlen(p);
		for (s = p; s < end && (*s == ' ' || *s == '\t'); s++)
			;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		item++;
		colon = memchr(s, ':', (size_t)(end - s));
		if (colon == NULL)
			goto bad;
		dur = xstrndup(s, (size_t)(colon - s));
		if (strcmp(dur, "0m") == 0 || strcmp(dur, "0") == 0)
			delay = 0;
		else if (sla_duration_parse(dur, &delay) != 0) {
			free(dur);
			goto bad;
		}
		free(dur);
		addr = xstrndup(colon + 1, (size_t)(end - colon - 1));
		if (!address_valid(addr, &why)) {
			config_string_free(addr);
			config_escalation_free(&e);
			return config_what(what, "item %zu: not a valid "
			    "address (%s)", item, why);
		}
		if (config_escalation_add(&e, delay, addr) != 0) {
			config_string_free(addr);
			config_escalation_free(&e);
			return config_what(what, "at most %d different delays",
			    SLA_MAX_STEPS);
		}
		if (comma == NULL)
			break;
	}
	dst = config_field_ptr(cfg, f);
	config_escalation_free(dst);
	*dst = e;
	return 0;
bad:
	config_escalation_free(&e);
	return config_what(what, "item %zu must be DELAY:ADDRESS, such as "
	    "2h:manager@example.com", item);
}

/* CONFIG_SLA_REPEAT: off (or 0), or a duration such as 1d, 4h, 90m. */
static int
set_sla_repeat(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	int64_t	*dst, secs;

	dst = config_field_ptr(cfg, f);
	if (strcmp(value, "off") == 0 || strcmp(value, "0") == 0) {
		*dst = 0;
		return 0;
	}
	if (sla_duration_parse(value, &secs) != 0 || secs < 60)
		return config_what(what, "must be off or a duration of a "
		    "minute or more, such as 1d, 4h or 90m");
	*dst = secs;
	return 0;
}

/* CONFIG_IGNORED: a Django setting that means nothing here. */
static int
set_ignored(struct config *cfg, const struct config_field *f,
    const char *value, char **what)
{
	(void)cfg;
	(void)f;
	(void)value;
	(void)what;
	return 0;
}

/*
 * $XDG_DATA_HOME when it is an absolute path, else $HOME/.local/share
 * (the home directory from the password database when $HOME is not
 * absolute either). Returns a new string without a trailing '/'; the
 * caller frees it.
 */
static char *
config_data_home(void)
{
	const char	*s;
	struct passwd	*pw;
	size_t		 len;

	s = getenv("XDG_DATA_HOME");
	if (s != NULL && s[0] == '/') {
		for (len = strlen(s); len > 0 && s[len - 1] == '/'; len--)
			;
		return xstrndup(s, len);
	}
	s = getenv("HOME");
	if (s == NULL || s[0] != '/') {
		pw = getpwuid(getuid());
		s = pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] == '/' ?
		    pw->pw_dir : "/";
	}
	for (len = strlen(s); len > 0 && s[len - 1] == '/'; len--)
		;
	return xasprintf("%.*s/.local/share", (int)len, s);
}

/*
 * watchdog@ and the host name, or watchdog@localhost when that would not
 * be a valid address. Returns a new string the caller frees.
 */
static char *
config_default_from(void)
{
	char	 host[256], *addr;

	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	addr = xasprintf("watchdog@%s", host);
	if (!address_valid(addr, NULL)) {
		free(addr);
		addr = xstrdup("watchdog@localhost");
	}
	return addr;
}

/*
 * True when the documented default of K is also its literal value (ints,
 * booleans, rates and absolute paths); the others are computed or unset.
 */
static bool
config_default_is_literal(const struct config_key *k)
{
	switch (k->type) {
	case CONFIG_INT:
	case CONFIG_BOOL:
	case CONFIG_RATE:
	case CONFIG_SLA_PAUSE:
	case CONFIG_SLA_REPEAT:
		return true;
	case CONFIG_PATH:
		return k->default_text[0] == '/';
	default:
		return false;
	}
}

/*
 * Fill CFG with the defaults. Literal defaults come from the key table
 * through the setters; the others from the environment and host name.
 * The caller frees CFG with config_free().
 */
void
config_defaults(struct config *cfg)
{
	const struct config_key	*k;
	char			*what, *data;
	size_t			 i;

	memset(cfg, 0, sizeof *cfg);
	cfg->lines = xcalloc(CONFIG_NKEYS, sizeof *cfg->lines);
	cfg->env = xcalloc(CONFIG_NKEYS, sizeof *cfg->env);
	for (i = 0; i < CONFIG_NKEYS; i++) {
		k = &config_keys[i];
		if (!config_default_is_literal(k))
			continue;
		if (config_setters[k->type](cfg, &config_fields[i],
		    k->default_text, &what) != 0) {
			fprintf(stderr, "watchdog: bad built-in default for "
			    "%s: %s\n", k->name, what);
			abort();
		}
	}
	data = config_data_home();
	cfg->database_path = xasprintf("%s/watchdog/watchdog.db", data);
	cfg->email_file_path = xasprintf("%s/watchdog/mail", data);
	free(data);
	cfg->default_from_email = config_default_from();
	cfg->time_zone = zone_system();
	cfg->escalation_emails = xcalloc(1, sizeof *cfg->escalation_emails);
	cfg->email_backend = EMAIL_BACKEND_FILE;
	cfg->email_backend_set = false;
	sla_policy_from_config(cfg, &cfg->sla);
}

/* The index in config_keys[] of the key called exactly NAME, or -1. */
int
config_key_index(const char *name)
{
	size_t	i;

	for (i = 0; i < CONFIG_NKEYS; i++) {
		if (strcmp(config_keys[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * The key NAME was probably meant to be: one equal to it in another case
 * or within two edits of it in upper case. Returns a static name or NULL.
 */
static const char *
config_suggest(const char *name)
{
	const char	*best = NULL;
	char		*upper, *p;
	size_t		 i, d, bestd = 3;

	upper = xstrdup(name);
	for (p = upper; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
	}
	for (i = 0; i < CONFIG_NKEYS; i++) {
		d = edit_distance(upper, config_keys[i].name);
		if (d < bestd) {
			best = config_keys[i].name;
			bestd = d;
		}
	}
	free(upper);
	return best;
}

/* True when the N bytes at S look like a key name in any case. */
static bool
config_name_like(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++) {
		if (!(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_')
			return false;
	}
	return true;
}

/*
 * Read the value that starts just after the '=' at P and ends at END (the
 * end of the line, without the line break). Returns 0 and a new string in
 * *VALUE (wipe and free it), or -1 and a static reason in *WHAT.
 */
static int
config_value(const char *p, const char *end, char **value, const char **what)
{
	const char	*q;
	char		*buf, quote, c;
	size_t		 n = 0, size;

	size = (size_t)(end - p) + 1;
	buf = xmalloc(size);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && (*p == '"' || *p == '\'')) {
		quote = *p++;
		for (;;) {
			if (p == end) {
				*what = quote == '"' ?
				    "unterminated double quote" :
				    "unterminated single quote";
				goto fail;
			}
			if (*p == quote) {
				p++;
				break;
			}
			c = *p++;
			if (quote == '"' && c == '\\') {
				if (p == end) {
					*what = "unterminated double quote";
					goto fail;
				}
				switch (*p++) {
				case '\\':
					c = '\\';
					break;
				case '"':
					c = '"';
					break;
				case 'n':
					c = '\n';
					break;
				case 't':
					c = '\t';
					break;
				default:
					*what = "unknown escape in double "
					    "quotes (only \\\\, \\\", "
					    "\\n and \\t)";
					goto fail;
				}
			}
			buf[n++] = c;
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p != '#') {
			*what = "text after the closing quote";
			goto fail;
		}
	} else {
		for (q = p; q < end; q++) {
			if (*q == '#' && (q[-1] == ' ' || q[-1] == '\t'))
				break;
		}
		while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		n = (size_t)(q - p);
		memcpy(buf, p, n);
	}
	buf[n] = '\0';
	*value = buf;
	return 0;

fail:
	explicit_bzero(buf, size);
	free(buf);
	return -1;
}

/*
 * Apply line LINENO of NAME, the bytes from P to END. SEEN holds, per key,
 * the line it was first given on. Returns WD_OK or WD_ECONFIG with *CAUSE.
 */
static enum wd_status
config_line(struct config *cfg, const char *name, unsigned int lineno,
    const char *p, const char *end, unsigned int *seen, char **cause)
{
	const struct config_key	*k;
	const char		*key, *what, *hint;
	char			*keyname = NULL, *value = NULL, *msg = NULL;
	size_t			 keylen;
	int			 idx;
	enum wd_status		 st = WD_OK;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#')
		return WD_OK;
	if (end - p > 6 && strncmp(p, "export", 6) == 0 &&
	    (p[6] == ' ' || p[6] == '\t')) {
		for (p += 6; p < end && (*p == ' ' || *p == '\t'); p++)
			;
	}
	key = p;
	while (p < end && *p != '=' && *p != ' ' && *p != '\t')
		p++;
	keylen = (size_t)(p - key);
	keyname = xstrndup(key, keylen);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;

	if (p == end || *p != '=') {
		if (keylen != 0 && config_key_index(keyname) != -1)
			st = status_set(cause, WD_ECONFIG, "%s:%u: %s: missing "
			    "'=' after the key", name, lineno, keyname);
		else
			st = status_set(cause, WD_ECONFIG, "%s:%u: not a "
			    "KEY=VALUE line", name, lineno);
		goto out;
	}
	p++;
	if (keylen == 0) {
		st = status_set(cause, WD_ECONFIG, "%s:%u: no key before '='",
		    name, lineno);
		goto out;
	}
	if (!config_name_like(key, keylen)) {
		st = status_set(cause, WD_ECONFIG, "%s:%u: invalid key name "
		    "(A-Z, 0-9 and '_', not starting with a digit)", name,
		    lineno);
		goto out;
	}
	if ((idx = config_key_index(keyname)) == -1) {
		if ((hint = config_suggest(keyname)) != NULL)
			st = status_set(cause, WD_ECONFIG, "%s:%u: unknown key "
			    "'%s' (did you mean %s?)", name, lineno, keyname,
			    hint);
		else if (strpbrk(keyname, "abcdefghijklmnopqrstuvwxyz") != NULL)
			st = status_set(cause, WD_ECONFIG, "%s:%u: unknown key "
			    "'%s' (key names are upper case)", name, lineno,
			    keyname);
		else
			st = status_set(cause, WD_ECONFIG, "%s:%u: unknown key "
			    "'%s'", name, lineno, keyname);
		goto out;
	}
	k = &config_keys[idx];
	if (seen[idx] != 0) {
		st = status_set(cause, WD_ECONFIG, "%s:%u: %s: set twice "
		    "(first on line %u)", name, lineno, k->name, seen[idx]);
		goto out;
	}
	seen[idx] = lineno;

	if (config_value(p, end, &value, &what) != 0) {
		st = status_set(cause, WD_ECONFIG, "%s:%u: %s: %s", name,
		    lineno, k->name, what);
		goto out;
	}
	if (*value == '\0')
		goto out;	/* empty: keep the default */
	if (config_setters[k->type](cfg, &config_fields[idx], value,
	    &msg) != 0) {
		st = status_set(cause, WD_ECONFIG, "%s:%u: %s: %s", name,
		    lineno, k->name, msg);
		goto out;
	}
	cfg->lines[idx] = lineno;

out:
	free(keyname);
	config_string_free(value);
	free(msg);
	return st;
}

/*
 * Apply the text of one file, named NAME in messages, on top of CFG, then
 * settle the backend default (smtp when EMAIL_HOST is set, else file).
 * CFG's path becomes a copy of NAME. Returns WD_OK or WD_ECONFIG.
 */
enum wd_status
config_parse(struct config *cfg, const char *name, const char *text,
    size_t len, char **cause)
{
	const char	*p, *end, *eol;
	size_t		 n;
	unsigned int	 seen[CONFIG_NKEYS], lineno = 0;
	char		*copy;
	enum wd_status	 st;

	copy = xstrdup(name);
	free(cfg->path);
	cfg->path = copy;
	if (cfg->lines == NULL)
		cfg->lines = xcalloc(CONFIG_NKEYS, sizeof *cfg->lines);
	memset(cfg->lines, 0, CONFIG_NKEYS * sizeof *cfg->lines);
	memset(seen, 0, sizeof seen);

	p = text;
	end = text + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* a UTF-8 byte order mark */
	while (p < end) {
		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((eol != NULL ? eol : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n) != NULL)
			return status_set(cause, WD_ECONFIG,
			    "%s:%u: contains a NUL byte", name, lineno);
		st = config_line(cfg, name, lineno, p, p + n, seen, cause);
		if (st != WD_OK)
			return st;
		p = eol != NULL ? eol + 1 : end;
	}
	if (!cfg->email_backend_set)
		cfg->email_backend = cfg->email_host != NULL ?
		    EMAIL_BACKEND_SMTP : EMAIL_BACKEND_FILE;
	return WD_OK;
}

/*
 * Where key IDX was set, for a message: "FILE:LINE", or "FILE" when the
 * line is not known. Returns a new string the caller frees.
 */
static char *
config_where(const struct config *cfg, int idx)
{
	const char	*file;
	unsigned int	 line;

	if (cfg->env != NULL && cfg->env[idx])
		return xstrdup("environment");
	file = cfg->path != NULL ? cfg->path : "configuration";
	line = cfg->lines != NULL ? cfg->lines[idx] : 0;
	if (line == 0)
		return xstrdup(file);
	return xasprintf("%s:%u", file, line);
}

/*
 * Check the combination of values: EMAIL_USE_TLS and EMAIL_USE_SSL are
 * exclusive, and an smtp backend asked for by name needs EMAIL_HOST.
 * Returns WD_OK or WD_ECONFIG with *CAUSE.
 */
enum wd_status
config_validate(const struct config *cfg, char **cause)
{
	char		*where;
	int		 tls, ssl, later, other, backend;
	unsigned int	 other_line;
	enum wd_status	 st;

	tls = config_key_index("EMAIL_USE_TLS");
	ssl = config_key_index("EMAIL_USE_SSL");
	backend = config_key_index("EMAIL_BACKEND");

	if (cfg->email_use_tls && cfg->email_use_ssl) {
		later = ssl;
		other = tls;
		if (cfg->lines != NULL && cfg->lines[tls] > cfg->lines[ssl]) {
			later = tls;
			other = ssl;
		}
		where = config_where(cfg, later);
		other_line = cfg->lines != NULL ? cfg->lines[other] : 0;
		if (other_line != 0)
			st = status_set(cause, WD_ECONFIG, "%s: %s: cannot be "
			    "on together with %s (line %u); turn one off",
			    where, config_keys[later].name,
			    config_keys[other].name, other_line);
		else
			st = status_set(cause, WD_ECONFIG, "%s: %s: cannot be "
			    "on together with %s; turn one off", where,
			    config_keys[later].name, config_keys[other].name);
		free(where);
		return st;
	}
	/* The SMTP password never crosses the network in clear. */
	if (cfg->email_host_user != NULL && cfg->email_host != NULL &&
	    cfg->email_backend == EMAIL_BACKEND_SMTP && !cfg->email_use_tls &&
	    !cfg->email_use_ssl) {
		where = config_where(cfg, config_key_index("EMAIL_HOST_USER"));
		st = status_set(cause, WD_ECONFIG, "%s: EMAIL_HOST_USER: SMTP "
		    "AUTH needs EMAIL_USE_TLS or EMAIL_USE_SSL, or the password "
		    "would cross the network in clear", where);
		free(where);
		return st;
	}
	if (cfg->email_backend_set &&
	    cfg->email_backend == EMAIL_BACKEND_SMTP &&
	    cfg->email_host == NULL) {
		where = config_where(cfg, backend);
		st = status_set(cause, WD_ECONFIG, "%s: EMAIL_BACKEND: smtp "
		    "needs EMAIL_HOST", where);
		free(where);
		return st;
	}
	return WD_OK;
}

/*
 * Turn a DATABASE_URL value into a path: WD_OK and a new string in *PATH
 * (the caller frees it), or WD_ECONFIG with *CAUSE.
 */
enum wd_status
config_database_path(const char *url, char **path, char **cause)
{
	char		*what;
	enum wd_status	 st;

	if (url == NULL || *url == '\0')
		return status_set(cause, WD_ECONFIG, "DATABASE_URL: empty");
	if (config_url_to_path(url, path, &what) == 0)
		return WD_OK;
	st = status_set(cause, WD_ECONFIG, "DATABASE_URL: %s", what);
	free(what);
	return st;
}

/* The system configuration file compiled in (or the tests' override). */
const char *
config_system_path(void)
{
	if (config_system_override != NULL)
		return config_system_override;
	return WATCHDOG_SYSCONFDIR "/watchdog.conf";
}

/* The data directory of a team install, compiled in. */
const char *
config_shared_dir(void)
{
	return WATCHDOG_LOCALSTATEDIR "/lib/watchdog";
}

/*
 * Move the defaults of DATABASE_URL and EMAIL_FILE_PATH that the file did
 * not set into config_shared_dir(); see config.h.
 */
void
config_shared_defaults(struct config *cfg)
{
	int	idx;

	idx = config_key_index("DATABASE_URL");
	if (cfg->lines == NULL || cfg->lines[idx] == 0) {
		config_string_free(cfg->database_path);
		cfg->database_path = xasprintf("%s/watchdog.db",
		    config_shared_dir());
	}
	idx = config_key_index("EMAIL_FILE_PATH");
	if (cfg->lines == NULL || cfg->lines[idx] == 0) {
		config_string_free(cfg->email_file_path);
		cfg->email_file_path = xasprintf("%s/mail",
		    config_shared_dir());
	}
}

/* For the unit tests: PATH (kept, not copied) replaces the system file. */
void
config_set_system_path(const char *path)
{
	config_system_override = path;
}

/*
 * Read the regular file PATH, at most 1 MiB, into a new buffer in *TEXT
 * (wipe and free it) of *LEN bytes. When OPTIONAL and the file does not
 * exist, returns WD_OK with *TEXT NULL. Otherwise WD_ECONFIG and *CAUSE.
 */
static enum wd_status
config_read(const char *path, bool optional, char **text, size_t *len,
    char **cause)
{
	struct stat	 sb;
	char		*buf = NULL;
	size_t		 cap = 0, n = 0;
	ssize_t		 r;
	int		 fd, saved;
	enum wd_status	 st = WD_OK;

	*text = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) ==
	    -1) {
		if (optional && (errno == ENOENT || errno == ENOTDIR))
			return WD_OK;
		return status_set(cause, WD_ECONFIG, "%s: cannot read: %s",
		    path, strerror(errno));
	}
	if (fstat(fd, &sb) != 0) {
		saved = errno;
		st = status_set(cause, WD_ECONFIG, "%s: cannot read: %s", path,
		    strerror(saved));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		st = status_set(cause, WD_ECONFIG, "%s: cannot read: not a "
		    "regular file", path);
		goto out;
	}
	if (sb.st_size > CONFIG_MAX_SIZE) {
		st = status_set(cause, WD_ECONFIG, "%s: cannot read: larger "
		    "than 1 MiB", path);
		goto out;
	}
	cap = (size_t)sb.st_size + 1;
	buf = xmalloc(cap);
	while (n < cap) {
		r = read(fd, buf + n, cap - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			saved = errno;
			st = status_set(cause, WD_ECONFIG,
			    "%s: cannot read: %s", path, strerror(saved));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n == cap) {
		st = status_set(cause, WD_ECONFIG, "%s: cannot read: it "
		    "changed while being read", path);
		goto out;
	}
	*text = buf;
	*len = n;
	buf = NULL;

out:
	if (buf != NULL) {
		explicit_bzero(buf, cap);
		free(buf);
	}
	close(fd);
	return st;
}

/*
 * Apply the keys set in the environment on top of CFG, as Django's
 * os.environ did (EMAIL_HOST=... watchdog --check-sla in a crontab); the
 * keys Django's .env only carries (SECRET_KEY, DEBUG) are left alone.
 * Marks each in cfg->env and settles the backend default again. Returns
 * WD_OK or WD_ECONFIG naming the variable (never its value).
 */
static enum wd_status
config_env(struct config *cfg, char **cause)
{
	const struct config_key	*k;
	const char		*v;
	char			*msg = NULL;
	enum wd_status		 st;
	size_t			 i;

	if (cfg->env == NULL)
		cfg->env = xcalloc(CONFIG_NKEYS, sizeof *cfg->env);
	for (i = 0; i < CONFIG_NKEYS; i++) {
		k = &config_keys[i];
		if (k->type == CONFIG_IGNORED ||
		    (v = getenv(k->name)) == NULL || *v == '\0')
			continue;
		if (config_setters[k->type](cfg, &config_fields[i], v,
		    &msg) != 0) {
			st = status_set(cause, WD_ECONFIG, "environment: %s: "
			    "%s (unset it or fix it)", k->name, msg);
			free(msg);
			return st;
		}
		cfg->lines[i] = 0;
		cfg->env[i] = true;
	}
	if (!cfg->email_backend_set)
		cfg->email_backend = cfg->email_host != NULL ?
		    EMAIL_BACKEND_SMTP : EMAIL_BACKEND_FILE;
	return WD_OK;
}

/*
 * Load the configuration: EXPLICIT_PATH, else $WATCHDOG_CONFIG when not
 * empty, else the system file when it exists, else defaults. Returns WD_OK,
 * or WD_ECONFIG with *CAUSE and CFG freed (config_free() on it is still
 * harmless). The caller frees CFG with config_free().
 */
enum wd_status
config_load(struct config *cfg, const char *explicit_path, char **cause)
{
	const char	*path, *env;
	char		*text = NULL;
	size_t		 len = 0;
	bool		 optional = false;
	enum wd_status	 st;

	config_defaults(cfg);
	if (explicit_path != NULL)
		path = explicit_path;
	else if ((env = getenv("WATCHDOG_CONFIG")) != NULL && *env != '\0')
		path = env;
	else {
		path = config_system_path();
		optional = true;
	}
	if ((st = config_read(path, optional, &text, &len, cause)) != WD_OK)
		goto out;
	if (text != NULL &&
	    (st = config_parse(cfg, path, text, len, cause)) != WD_OK)
		goto out;
	/* A setgid program ignores them: they are the caller's. */
	cfg->env_ignored = privileged();
	if (!cfg->env_ignored && (st = config_env(cfg, cause)) != WD_OK)
		goto out;
	if ((st = config_validate(cfg, cause)) == WD_OK)
		sla_policy_from_config(cfg, &cfg->sla);

out:
	if (text != NULL) {
		explicit_bzero(text, len);
		free(text);
	}
	if (st != WD_OK)
		config_free(cfg);
	return st;
}

/*
 * Free everything CFG holds, wiping every string (the SMTP password among
 * them) first, and zero CFG.
 */
void
config_free(struct config *cfg)
{
	void	*field;
	size_t	 i;

	for (i = 0; i < CONFIG_NKEYS; i++) {
		if (config_fields[i].offset == NOFIELD)
			continue;
		field = config_field_ptr(cfg, &config_fields[i]);
		switch (config_keys[i].type) {
		case CONFIG_STRING:
		case CONFIG_PATH:
		case CONFIG_URL:
		case CONFIG_ADDRESS:
			config_string_free(*(char **)field);
			break;
		case CONFIG_ADDRESS_LIST:
			config_list_free(*(char ***)field);
			break;
		case CONFIG_SLA_LADDER:
			config_escalation_free(field);
			break;
		default:
			break;
		}
	}
	config_string_free(cfg->default_from_name);
	free(cfg->path);
	free(cfg->lines);
	free(cfg->env);
	explicit_bzero(cfg, sizeof *cfg);
}
