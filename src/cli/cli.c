/*
 * cli.c: the command line. The modes and options are declared once, in
 * the tables below, which drive parsing, checking which option goes with
 * which mode, and --help.
 */
#include <getopt.h>
#include <locale.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "watchdog/calendar.h"
#include "watchdog/cli.h"
#include "watchdog/config_calendar.h"
#include "watchdog/db.h"
#include "watchdog/privilege.h"
#include "watchdog/sla.h"
#include "watchdog/token.h"
#include "watchdog/tui.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* What a mode needs after the options. */
enum cli_operand {
	OPERAND_NONE,		/* no operand */
	OPERAND_REQUIRED,	/* the option's argument: NAME or ID */
	OPERAND_OPTIONAL,	/* an optional NAME after the options */
};

struct cli_mode_def {
	const char	*option;	/* "list" for --list */
	enum cli_operand operand;
	const char	*synopsis;	/* for --help; NULL: not listed */
	const char	*help;
	int		(*run)(struct cli *);
};

static int	cli_tui(struct cli *);
static int	cli_help(struct cli *);
static int	cli_version(struct cli *);

/* In enum cli_mode order. */
static const struct cli_mode_def cli_modes[CLI_NMODES] = {
	[CLI_MODE_TUI] = { NULL, OPERAND_NONE,
	    "[--user NAME]", "the full-screen terminal UI", cli_tui },
	[CLI_MODE_CHECK_SLA] = { "check-sla", OPERAND_NONE,
	    "--check-sla [--dry-run] [--verbose] [--user NAME]",
	    "one SLA pass and delivery of queued mail (cron)", cli_check_sla },
	[CLI_MODE_INIT] = { "init", OPERAND_NONE, "--init",
	    "create or upgrade the database", cli_init },
	[CLI_MODE_ADD_USER] = { "add-user", OPERAND_REQUIRED,
	    "--add-user NAME --email ADDR [--admin]",
	    "create an account (an administrator's job)", cli_add_user },
	[CLI_MODE_REGISTER] = { "register", OPERAND_REQUIRED,
	    "--register NAME --email ADDR",
	    "register yourself, when ALLOW_REGISTRATION is on", cli_register },
	[CLI_MODE_TOKEN] = { "token", OPERAND_NONE, "--token [--user NAME]",
	    "log in and print a new API token", cli_token },
	[CLI_MODE_REVOKE_TOKENS] = { "revoke-tokens", OPERAND_OPTIONAL,
	    "--revoke-tokens [NAME]",
	    "revoke your tokens (an administrator: NAME's)", cli_revoke_tokens },
	[CLI_MODE_MAIL_QUEUE] = { "mail-queue", OPERAND_NONE, "--mail-queue",
	    "queued, retrying and failed mail (administrators)",
	    cli_mail_queue },
	[CLI_MODE_DOCTOR] = { "doctor", OPERAND_NONE, "--doctor",
	    "check the installation", cli_doctor },
	[CLI_MODE_LIST] = { "list", OPERAND_NONE,
	    "--list [--mine|--overdue|--all] [filters] [--json|--ndjson|"
	    "--csv|--ids|--count]",
	    "list tickets (default: not resolved), most urgent first",
	    cli_list },
	[CLI_MODE_SHOW] = { "show", OPERAND_REQUIRED, "--show ID",
	    "one ticket, with its history", cli_show },
	[CLI_MODE_EXPLAIN] = { "explain", OPERAND_REQUIRED, "--explain ID",
	    "how the ticket's deadline was computed, and its notices",
	    cli_explain },
	[CLI_MODE_CREATE] = { "create", OPERAND_NONE,
	    "--create --title T [--deadline D] [--description TEXT]\n"
	    "    [--priority P] [--assignee NAME] [--status S]",
	    "create a ticket; prints its id", cli_create },
	[CLI_MODE_UPDATE] = { "update", OPERAND_REQUIRED,
	    "--update ID|- [--title T] [--deadline D] [--description TEXT]\n"
	    "    [--status S] [--priority P] [--assignee NAME] [--if-version N]",
	    "change a ticket ('-': each id read from standard input)",
	    cli_update },
	[CLI_MODE_DELETE] = { "delete", OPERAND_REQUIRED, "--delete ID|-",
	    "delete a ticket (its owner or an administrator)", cli_delete },
	[CLI_MODE_ACCOUNT_NAMES] = { "account-names", OPERAND_NONE,
	    "--account-names", "the account names, one a line (for shell "
	    "completion)", cli_account_names },
	[CLI_MODE_COMMENT] = { "comment", OPERAND_REQUIRED,
	    "--comment ID --text TEXT",
	    "add a comment to a ticket", cli_comment },
	[CLI_MODE_USERS] = { "users", OPERAND_NONE, "--users",
	    "list the accounts (administrators)", cli_users },
	[CLI_MODE_UPDATE_USER] = { "update-user", OPERAND_REQUIRED,
	    "--update-user NAME [--email ADDR] [--admin|--no-admin]\n"
	    "    [--disable|--enable] [--reset-password]",
	    "change an account (administrators; --email also for oneself)",
	    cli_update_user },
	[CLI_MODE_PASSWORD] = { "password", OPERAND_NONE,
	    "--password [--user NAME]", "change your own password",
	    cli_password },
	[CLI_MODE_SERVE] = { "serve", OPERAND_NONE, "--serve [--listen ADDR:PORT]",
	    "the HTTP API of the Django version (THE HTTP API in watchdog(1))",
	    cli_serve },
	[CLI_MODE_IMPORT_DJANGO] = { "import-django", OPERAND_REQUIRED,
	    "--import-django DATABASE_URL [--user NAME]",
	    "bring over the Django version's accounts, tokens and tickets "
	    "(administrators)", cli_import_django },
	[CLI_MODE_COPY_TO] = { "copy-to", OPERAND_REQUIRED,
	    "--copy-to DATABASE_URL [--user NAME]",
	    "copy the whole database into an empty one, SQLite or PostgreSQL "
	    "(administrators)", cli_copy_to },
	[CLI_MODE_HELP] = { "help", OPERAND_NONE, NULL, NULL, cli_help },
	[CLI_MODE_VERSION] = { "version", OPERAND_NONE, NULL, NULL,
	    cli_version },
};

#define M(x)		(1u << (CLI_MODE_##x))
#define ALL_MODES	(~0u)
#define TICKET_EDIT	(M(CREATE) | M(UPDATE))
#define PASSWORD_MODES	(M(ADD_USER) | M(REGISTER) | M(TOKEN) | M(TUI) | \
			    M(PASSWORD) | M(IMPORT_DJANGO) | M(COPY_TO))

/* The non-mode options: where they go and with which modes. */
struct cli_option_def {
	const char	*name;
	const char	*arg;		/* NULL: a flag */
	size_t		 offset;	/* into struct cli */
	unsigned	 modes;		/* bit per enum cli_mode */
	const char	*help;
};

#define OPT(field)	offsetof(struct cli, field)

static const struct cli_option_def cli_options[] = {
	{ "config", "FILE", OPT(config_path), ALL_MODES,
	    "configuration file (else $WATCHDOG_CONFIG, else the system one)" },
	{ "db", "PATH", OPT(db_path), ALL_MODES,
	    "database file, instead of DATABASE_URL" },
	{ "json", NULL, OPT(json), M(LIST) | M(SHOW) | M(EXPLAIN) |
	    M(CREATE) | M(UPDATE) |
	    M(MAIL_QUEUE) | M(USERS), "JSON output" },
	{ "user", "NAME", OPT(user), PASSWORD_MODES | M(CHECK_SLA),
	    "account to log in as (else a prompt)" },
	{ "password-stdin", NULL, OPT(password_stdin),
	    (PASSWORD_MODES & ~M(TUI)) | M(CHECK_SLA),
	    "read passwords from standard input, one a line" },
	{ "email", "ADDR", OPT(email), M(ADD_USER) | M(REGISTER) |
	    M(UPDATE_USER), "e-mail address of the account" },
	{ "admin", NULL, OPT(admin), M(ADD_USER) | M(UPDATE_USER),
	    "make the account an administrator" },
	{ "no-admin", NULL, OPT(no_admin), M(UPDATE_USER),
	    "make the account an ordinary one" },
	{ "disable", NULL, OPT(disable), M(UPDATE_USER),
	    "disable the account: no login, its tokens refused" },
	{ "enable", NULL, OPT(enable), M(UPDATE_USER),
	    "enable a disabled account again" },
	{ "reset-password", NULL, OPT(reset_password), M(UPDATE_USER),
	    "print a one-time password, to be changed at the next login" },
	{ "title", "T", OPT(title), TICKET_EDIT, "ticket title (one line)" },
	{ "deadline", "D", OPT(deadline), TICKET_EDIT,
	    "YYYY-MM-DD HH:MM, ISO 8601, +90m, +4h, +2d, @EPOCH or auto "
	    "(the SLA policy's)" },
	{ "description", "TEXT", OPT(description), TICKET_EDIT,
	    "ticket description ('-': read it from standard input)" },
	{ "status", "S", OPT(status), TICKET_EDIT | M(LIST),
	    "open, in_progress, on_hold or resolved (--list: S,S...)" },
	{ "priority", "P", OPT(priority), TICKET_EDIT | M(LIST),
	    "low, normal, high or urgent (--list: P,P...)" },
	{ "assignee", "NAME", OPT(assignee), TICKET_EDIT | M(LIST),
	    "account to assign ('' to unassign; --list: NAME, me or none)" },
	{ "if-version", "N", OPT(if_version), M(UPDATE),
	    "refuse the update if the ticket is no longer at version N" },
	{ "text", "TEXT", OPT(text), M(COMMENT),
	    "the comment ('-': read it from standard input)" },
	{ "mine", NULL, OPT(mine), M(LIST),
	    "open tickets I own or am assigned" },
	{ "overdue", NULL, OPT(overdue), M(LIST), "open tickets past deadline" },
	{ "all", NULL, OPT(all), M(LIST), "every ticket, resolved too" },
	{ "owner", "NAME", OPT(owner), M(LIST), "tickets NAME (or me) created" },
	{ "sla", "STATE", OPT(sla), M(LIST),
	    "ok, warning, missed, paused, met or breached (STATE,STATE...)" },
	{ "due-within", "DURATION", OPT(due_within), M(LIST),
	    "deadline within 90m, 4h, 2d... (overdue included)" },
	{ "search", "TEXT", OPT(search), M(LIST),
	    "tickets with every word of TEXT (title, description)" },
	{ "limit", "N", OPT(limit), M(LIST), "at most N tickets" },
	{ "after", "ID", OPT(after), M(LIST),
	    "the tickets after ticket ID in list order (next page)" },
	{ "count", NULL, OPT(count), M(LIST), "print only the number" },
	{ "ndjson", NULL, OPT(ndjson), M(LIST), "one JSON object a line" },
	{ "csv", NULL, OPT(csv), M(LIST), "CSV (RFC 4180) with a header line" },
	{ "ids", NULL, OPT(ids), M(LIST), "ticket ids only, one a line" },
	{ "columns", "LIST", OPT(columns), M(LIST),
	    "table columns, such as id,sla,title" },
	{ "no-headers", NULL, OPT(no_headers), M(LIST),
	    "no header line (table, --csv)" },
	{ "listen", "ADDR:PORT", OPT(listen), M(SERVE),
	    "where --serve listens, instead of API_LISTEN" },
	{ "dry-run", NULL, OPT(dry_run), M(CHECK_SLA),
	    "say what would be sent, change nothing" },
	{ "verbose", NULL, OPT(verbose), M(CHECK_SLA) | M(INIT),
	    "print a summary" },
	{ NULL, NULL, 0, 0, NULL }
};

/* Print "watchdog: MESSAGE" on stderr; returns the exit code of STATUS. */
int
cli_fail(enum wd_status status, const char *message)
{
	char	*shown;

	shown = utf8_visible(message, false);
	fprintf(stderr, "watchdog: %s\n", shown);
	free(shown);
	return status_exit_code(status);
}

int
cli_failf(enum wd_status status, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 rc;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	rc = cli_fail(status, msg);
	free(msg);
	return rc;
}

int
cli_fail_cause(enum wd_status status, char *cause)
{
	int	rc;

	rc = cli_fail(status, cause != NULL ? cause : status_text(status));
	free(cause);
	return rc;
}

/* Print S to F with control characters made visible. */
void
cli_print_visible(FILE *f, const char *s, bool keep_layout)
{
	char	*shown;

	shown = utf8_visible(s, keep_layout);
	fputs(shown, f);
	free(shown);
}

/* Print JSON text with its format characters as \u escapes; see cli.h. */
void
cli_put_json(const char *json)
{
	char	*safe;

	safe = utf8_json_escape(json);
	fputs(safe, stdout);
	free(safe);
}

/*
 * Print one element of a JSON array (SQLite made it); ARG counts them.
 * The caller prints "[" before and "]" after.
 */
int
cli_json_element(const char *json, void *arg)
{
	size_t	*n = arg;

	fputs(*n == 0 ? "\n  " : ",\n  ", stdout);
	cli_put_json(json);
	(*n)++;
	return 0;
}

/* The option of MODE without its dashes; see cli.h. */
const char *
cli_mode_option(enum cli_mode mode)
{
	return cli_modes[mode].option != NULL ? cli_modes[mode].option : "";
}

/* No mode: the terminal UI, which opens the database and logs in itself. */
static int
cli_tui(struct cli *cli)
{
	return tui_run(&cli->cfg, cli->cfg.database_path, cli->user, cli->uid);
}

/* --help: drawn from the tables. */
static int
cli_help(struct cli *cli)
{
	const struct cli_option_def	*o;
	enum cli_mode			 m;
	char				 left[32];

	(void)cli;
	printf("usage: watchdog [MODE] [OPTIONS]\n\nmodes:\n");
	for (m = 0; m < CLI_NMODES; m++) {
		if (cli_modes[m].synopsis != NULL)
			printf("  watchdog %s\n      %s\n",
			    cli_modes[m].synopsis, cli_modes[m].help);
	}
	printf("\noptions:\n");
	for (o = cli_options; o->name != NULL; o++) {
		snprintf(left, sizeof left, "--%s%s%s", o->name,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
		printf("  %-22s %s\n", left, o->help);
	}
	printf("  %-22s %s\n  %-22s %s\n", "--help", "this text", "--version",
	    "the version");
	printf("\nScripting modes authenticate with the API token in "
	    "WATCHDOG_TOKEN.\nSystem configuration file: %s\n"
	    "See watchdog(1) and watchdog.conf(5).\n", config_system_path());
	return 0;
}

static int
cli_version(struct cli *cli)
{
	(void)cli;
	printf("watchdog %s\n", WATCHDOG_VERSION);
	return 0;
}

/* Open the database named by --db or DATABASE_URL. */
int
cli_open_db(struct cli *cli)
{
	enum wd_status	 status;
	char		*cause = NULL;

	if (cli->db != NULL)
		return 0;
	status = db_open(cli->cfg.database_path, &cli->db, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}

/*
 * Authenticate with WATCHDOG_TOKEN. The token then leaves the environment,
 * wiped, so that no child (the sendmail program, an editor) is handed it.
 */
int
cli_auth_token(struct cli *cli)
{
	enum wd_status	 status;
	char		*token, *cause = NULL;
	int		 rc;

	token = getenv("WATCHDOG_TOKEN");
	if (token == NULL || *token == '\0')
		return cli_fail(WD_EAUTH, "no API token: set WATCHDOG_TOKEN "
		    "(get one with: watchdog --token)");
	if ((rc = cli_open_db(cli)) != 0)
		return rc;
	status = token_authenticate(cli->db, token, cli->now, &cli->me,
	    &cause);
	sodium_memzero(token, strlen(token));
	unsetenv("WATCHDOG_TOKEN");
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}

/* Authenticate with a name and password; see cli.h. */
int
cli_auth_password(struct cli *cli)
{
	return cli_auth_password_keep(cli, NULL);
}

/* Authenticate, keeping the password in *KEPT; see cli.h. */
int
cli_auth_password_keep(struct cli *cli, char **kept)
{
	enum wd_status	 status;
	char		*name = NULL, *password = NULL, *cause = NULL;
	int		 rc;

	if ((rc = cli_open_db(cli)) != 0)
		return rc;
	if (cli->user != NULL)
		name = xstrdup(cli->user);
	else if (cli->password_stdin)
		return cli_fail(WD_EUSAGE, "--password-stdin needs --user NAME");
	else if ((rc = cli_read_line("Account: ", &name)) != 0)
		return rc;
	if ((rc = cli_read_password(cli, "Password: ", false, &password)) != 0)
		goto out;
	status = user_login(cli->db, &cli->cfg, name, password, cli->uid,
	    cli->now, &cli->me, &cause);
	if (status != WD_OK)
		rc = cli_fail_cause(status, cause);
	else if (cli->me.must_change && cli->mode != CLI_MODE_PASSWORD)
		rc = cli_forced_change(cli, password);
out:
	if (rc == 0 && kept != NULL) {
		*kept = password;
		password = NULL;
	}
	cli_free_secret(password);
	free(name);
	return rc;
}

/* Set the option O from OPTARG in CLI. */
static void
cli_set_option(struct cli *cli, const struct cli_option_def *o,
    const char *arg)
{
	char	*base = (char *)cli;

	if (o->arg != NULL)
		memcpy(base + o->offset, &arg, sizeof arg);
	else
		*(bool *)(void *)(base + o->offset) = true;
}

/* Was option O given? */
static bool
cli_option_given(const struct cli *cli, const struct cli_option_def *o)
{
	const char	*base = (const char *)cli;
	const char	*s;

	if (o->arg != NULL) {
		memcpy(&s, base + o->offset, sizeof s);
		return s != NULL;
	}
	return *(const bool *)(const void *)(base + o->offset);
}

/* The usage error for option O given with a mode it does not belong to. */
static int
cli_mode_of_option_error(const struct cli *cli, const struct cli_option_def *o)
{
	if (cli->mode == CLI_MODE_TUI)
		return cli_failf(WD_EUSAGE, "--%s needs a mode such as --list "
		    "or --create (see watchdog --help)", o->name);
	return cli_failf(WD_EUSAGE, "--%s is not used with --%s (see "
	    "watchdog --help)", o->name, cli_modes[cli->mode].option);
}

/*
 * Refuse abbreviated long options, which getopt_long would take: a script
 * that relies on "--lis" breaks the day an option "--lisp" appears.
 * Returns 0 or the exit code of the usage error.
 */
static int
cli_check_exact(int argc, char **argv, const struct option *longopts)
{
	const struct option	*lo;
	const char		*name;
	size_t			 len;
	int			 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		name = argv[i] + 2;
		len = strcspn(name, "=");
		for (lo = longopts; lo->name != NULL; lo++) {
			if (strlen(lo->name) == len &&
			    strncmp(lo->name, name, len) == 0)
				break;
		}
		if (lo->name == NULL)
			return cli_failf(WD_EUSAGE, "unknown option --%.*s (see "
			    "watchdog --help)", (int)len, name);
		/* Skip the option's argument when it is the next word. */
		if (lo->has_arg == required_argument && name[len] == '\0')
			i++;
	}
	return 0;
}

/*
 * Parse ARGV into CLI. Returns 0, or the exit code of a usage error
 * (already reported).
 */
static int
cli_parse(struct cli *cli, int argc, char **argv)
{
	struct option			*longopts;
	const struct cli_option_def	*o;
	size_t				 nopt = 0, nmode = 0, i;
	enum cli_mode			 m;
	bool				 have_mode = false;
	int				 c, idx, rc = 0;

	for (o = cli_options; o->name != NULL; o++)
		nopt++;
	longopts = xcalloc(nopt + CLI_NMODES + 1, sizeof *longopts);
	/* Options first (index < nopt), then the modes. */
	for (i = 0; i < nopt; i++) {
		longopts[i].name = cli_options[i].name;
		longopts[i].has_arg = cli_options[i].arg != NULL ?
		    required_argument : no_argument;
		longopts[i].val = 0;
	}
	for (m = 0; m < CLI_NMODES; m++) {
		if (cli_modes[m].option == NULL)
			continue;
		longopts[nopt + nmode].name = cli_modes[m].option;
		longopts[nopt + nmode].has_arg =
		    cli_modes[m].operand == OPERAND_REQUIRED ?
		    required_argument : no_argument;
		longopts[nopt + nmode].val = 1000 + (int)m;
		nmode++;
	}

	if ((rc = cli_check_exact(argc, argv, longopts)) != 0)
		goto out;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, &idx)) != -1) {
		if (c == 'h')
			c = 1000 + CLI_MODE_HELP;
		else if (c == 'V')
			c = 1000 + CLI_MODE_VERSION;
		if (c == 0) {
			cli_set_option(cli, &cli_options[idx], optarg);
			continue;
		}
		if (c >= 1000) {
			m = (enum cli_mode)(c - 1000);
			if (have_mode && m != cli->mode) {
				rc = cli_failf(WD_EUSAGE, "--%s and --%s "
				    "cannot be used together",
				    cli_modes[cli->mode].option,
				    cli_modes[m].option);
				goto out;
			}
			have_mode = true;
			cli->mode = m;
			if (cli_modes[m].operand == OPERAND_REQUIRED)
				cli->mode_arg = optarg;
			continue;
		}
		if (c == ':')
			rc = cli_failf(WD_EUSAGE, "%s needs an argument (see "
			    "watchdog --help)", argv[optind - 1]);
		else
			rc = cli_failf(WD_EUSAGE, "unknown option %s (see "
			    "watchdog --help)", argv[optind - 1]);
		goto out;
	}

	if (optind < argc) {
		if (cli_modes[cli->mode].operand == OPERAND_OPTIONAL &&
		    optind + 1 == argc)
			cli->mode_arg = argv[optind];
		else {
			rc = cli_failf(WD_EUSAGE, "unexpected argument '%s' "
			    "(see watchdog --help)", argv[optind]);
			goto out;
		}
	}
	for (o = cli_options; o->name != NULL; o++) {
		if (cli_option_given(cli, o) &&
		    (o->modes & (1u << cli->mode)) == 0) {
			rc = cli_mode_of_option_error(cli, o);
			goto out;
		}
	}
out:
	free(longopts);
	return rc;
}

/*
 * Make sure wide characters are measured the same in any locale: the data
 * is UTF-8 whatever the terminal says.
 */
static void
cli_locale(void)
{
	const char	*codeset;

	setlocale(LC_ALL, "");
	codeset = nl_langinfo(CODESET);
	if (codeset == NULL || (strcmp(codeset, "UTF-8") != 0 &&
	    strcmp(codeset, "utf8") != 0))
		setlocale(LC_CTYPE, "C.UTF-8");
}

/*
 * Load the configuration into CLI->cfg, after giving up the group
 * privilege for good when the user named a file of their own (see
 * watchdog(1) SECURITY): --config, --db and WATCHDOG_CONFIG then reach
 * only what the user could open anyway. Returns 0 or the exit code of the error
 * (reported); --doctor gets the error in CLI->config_cause instead.
 */
static int
cli_config(struct cli *cli)
{
	struct calendar	*cal;
	enum wd_status	 status;
	const char	*env;
	char		*cause = NULL;

	env = getenv("WATCHDOG_CONFIG");
	cli->own_paths = cli->config_path != NULL || cli->db_path != NULL ||
	    (env != NULL && *env != '\0');
	if (cli->own_paths && privileged())
		privilege_drop();
	status = config_load(&cli->cfg, cli->config_path, &cause);
	/* The business calendar too: a bad HOLIDAYS_FILE is caught now. */
	if (status == WD_OK) {
		if ((status = config_calendar(&cli->cfg, &cal, &cause)) ==
		    WD_OK) {
			cli->cal = cal;
			sla_policy_use_calendar(&cli->cfg.sla, &cli->cfg, cal);
		} else
			config_free(&cli->cfg);
	}
	if (status != WD_OK && cli->mode == CLI_MODE_DOCTOR) {
		cli->config_status = status;
		cli->config_cause = cause;
		config_defaults(&cli->cfg);
	} else if (status != WD_OK)
		return cli_fail_cause(status, cause);
	/* The system file's choices, else the team's data directory. */
	if (privileged())
		config_shared_defaults(&cli->cfg);
	return 0;
}

/* The program; see cli.h. */
int
cli_main(int argc, char **argv)
{
	struct cli	 cli;
	int		 rc;

	/* First: descriptors, umask 007, and the environment if setgid. */
	privilege_init();
	cli_locale();
	memset(&cli, 0, sizeof cli);
	cli.now = (int64_t)time(NULL);
	cli.uid = (int64_t)getuid();
	if (sodium_init() < 0)
		return cli_fail(WD_EFAIL, "libsodium failed to start");

	if ((rc = cli_parse(&cli, argc, argv)) != 0)
		return rc;
	if (cli.mode == CLI_MODE_HELP || cli.mode == CLI_MODE_VERSION)
		return cli_modes[cli.mode].run(&cli);

	if ((rc = cli_config(&cli)) != 0) {
		config_free(&cli.cfg);
		return rc;
	}
	if (cli.db_path != NULL) {
		free(cli.cfg.database_path);
		cli.cfg.database_path = xstrdup(cli.db_path);
	}
	rc = cli_modes[cli.mode].run(&cli);

	user_clear(&cli.me);
	db_close(cli.db);
	config_free(&cli.cfg);
	calendar_free(cli.cal);
	free(cli.config_cause);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (rc == 0)
			rc = cli_fail(WD_EFAIL, "cannot write the output");
	}
	return rc;
}
