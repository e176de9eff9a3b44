/*
 * config.h: watchdog.conf, a .env-style KEY=VALUE file (watchdog.conf(5)).
 *
 * Every key is declared once in the table of config.c (name, type, default,
 * help); the table drives parsing, validation and the checks against the
 * man page and the example file.
 */
#ifndef WATCHDOG_CONFIG_H
#define WATCHDOG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "watchdog/status.h"
#include "watchdog/sla.h"

enum email_backend {
	EMAIL_BACKEND_SMTP,
	EMAIL_BACKEND_SENDMAIL,
	EMAIL_BACKEND_FILE,
	EMAIL_BACKEND_CONSOLE,
};

/* N events per SECONDS; count 0 means no limit. */
struct rate_limit {
	int	count;
	int	seconds;
};

struct config {
	char			*path;		/* the file read, NULL for none */

	char			*database_path;	/* from DATABASE_URL: a plain path */
	char			*time_zone;	/* IANA name, never NULL */
	int			 sla_warning_minutes;
	/* SLA_POLICY_<PRIORITY>, by enum ticket_priority. */
	struct sla_target	 sla_targets[TICKET_NPRIORITIES];
	struct sla_warnings	 sla_warnings;	/* SLA_WARNINGS */
	/* Built from the SLA keys by config_load(); borrows from here. */
	struct sla_policy	 sla;

	enum email_backend	 email_backend;
	bool			 email_backend_set; /* given in the file */
	char			*email_host;	/* NULL when not set */
	int			 email_port;
	bool			 email_use_tls;
	bool			 email_use_ssl;
	char			*email_host_user;
	char			*email_host_password; /* secret: never print */
	char			*email_ssl_cafile;
	int			 email_timeout;	/* seconds */
	char			*default_from_email; /* the bare address */
	char			*default_from_name; /* or NULL */
	char			*email_file_path;
	char			*sendmail_path;
	char		       **escalation_emails; /* NULL-terminated */

	bool			 allow_registration;
	int			 password_min_length;
	struct rate_limit	 rate_limit_create;
	struct rate_limit	 rate_limit_read;
	int			 login_max_failures;
	int			 login_lockout_minutes;
	char			*template_dir;	/* NULL: built-in templates */
	char			*business_hours; /* NULL: 24x7 */
	char			*holidays;	/* or NULL */
	char			*holidays_file;	/* or NULL */

	/*
	 * Per config_keys[] entry, the line of cfg->path that set it, 0 when
	 * not given (for messages that name the line). Owned by CFG.
	 */
	unsigned int		*lines;
	/*
	 * Per config_keys[] entry, whether the environment set it (outside a
	 * setgid install a variable named as the key overrides the file).
	 * Owned by CFG. ENV_IGNORED: the program is setgid and ignored them.
	 */
	bool			*env;
	bool			 env_ignored;
};

/* What a key holds, for the table and the documentation checks. */
enum config_type {
	CONFIG_STRING,
	CONFIG_INT,
	CONFIG_BOOL,
	CONFIG_PATH,
	CONFIG_URL,
	CONFIG_BACKEND,
	CONFIG_ADDRESS,
	CONFIG_ADDRESS_LIST,
	CONFIG_RATE,
	CONFIG_SLA_TARGET,
	CONFIG_SLA_WARNINGS,
	CONFIG_IGNORED,
};

struct config_key {
	const char		*name;
	enum config_type	 type;
	const char		*default_text;	/* as documented */
	const char		*help;		/* one line */
};

/* The table of keys, ended by an entry whose name is NULL. */
extern const struct config_key config_keys[];

/*
 * Fill CFG with the defaults; environment-derived ones (XDG_DATA_HOME, HOME,
 * the host name) are read here. The caller owns CFG and frees it with
 * config_free().
 */
void		config_defaults(struct config *cfg);

/*
 * Load the configuration: EXPLICIT (--config) if not NULL, else
 * $WATCHDOG_CONFIG, else the system file SYSCONFDIR/watchdog.conf when it
 * exists, else defaults only. An explicitly named file that does not exist
 * is an error. Then, unless the program is setgid, each key set in the
 * environment (EMAIL_HOST=...) overrides the file. Returns WD_OK or
 * WD_ECONFIG with *cause naming file, line and key (or the variable). CFG
 * is initialised here (do not call config_defaults first).
 */
enum wd_status	config_load(struct config *cfg, const char *explicit_path,
		    char **cause);

/*
 * Apply the text of one configuration file, named NAME in messages, on top
 * of what CFG holds. Returns WD_OK or WD_ECONFIG; on error CFG may hold
 * some of the file's values (the caller discards it).
 */
enum wd_status	config_parse(struct config *cfg, const char *name,
		    const char *text, size_t len, char **cause);

/* Check the combination of values (TLS and SSL both on, ...). */
enum wd_status	config_validate(const struct config *cfg, char **cause);

/*
 * Turn a DATABASE_URL value (a path or sqlite:///abs/path) into a path.
 * Returns WD_OK and a new string in *path, or WD_ECONFIG.
 */
enum wd_status	config_database_path(const char *url, char **path,
		    char **cause);

/* The system configuration file compiled in. */
const char     *config_system_path(void);

/*
 * The data directory of a team install, LOCALSTATEDIR/lib/watchdog
 * (compiled in): while the program runs setgid, the default database and
 * Maildir are there instead of under the user's XDG_DATA_HOME.
 */
const char     *config_shared_dir(void);

/*
 * For a setgid run: DATABASE_URL and EMAIL_FILE_PATH, when the file did
 * not set them, become config_shared_dir()/watchdog.db and .../mail
 * instead of paths under the user's XDG_DATA_HOME.
 */
void		config_shared_defaults(struct config *cfg);

/*
 * Free everything CFG holds (the SMTP password is wiped first) and zero
 * it, so that freeing it twice is harmless.
 */
void		config_free(struct config *cfg);

/*
 * The index in config_keys[] of the key called exactly NAME, or -1.
 */
int		config_key_index(const char *name);

/*
 * For the unit tests: use PATH instead of the compiled-in system file
 * (NULL restores it). Not reachable from the command line or environment.
 */
void		config_set_system_path(const char *path);

#endif
