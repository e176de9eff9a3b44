/*
 * cli.h: the command-line front end (watchdog(1)). cli.c parses the
 * options from one table and runs the mode; the modes live in
 * cli_account.c and cli_ticket.c; cli_prompt.c reads passwords. The CLI
 * prints, the core does not.
 */
#ifndef WATCHDOG_CLI_H
#define WATCHDOG_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "watchdog/config.h"
#include "watchdog/status.h"
#include "watchdog/user.h"

struct db;

enum cli_mode {
	CLI_MODE_TUI,
	CLI_MODE_CHECK_SLA,
	CLI_MODE_INIT,
	CLI_MODE_ADD_USER,
	CLI_MODE_REGISTER,
	CLI_MODE_TOKEN,
	CLI_MODE_REVOKE_TOKENS,
	CLI_MODE_MAIL_QUEUE,
	CLI_MODE_DOCTOR,
	CLI_MODE_LIST,
	CLI_MODE_SHOW,
	CLI_MODE_EXPLAIN,
	CLI_MODE_CREATE,
	CLI_MODE_UPDATE,
	CLI_MODE_DELETE,
	CLI_MODE_ACCOUNT_NAMES,
	CLI_MODE_COMMENT,
	CLI_MODE_USERS,
	CLI_MODE_UPDATE_USER,
	CLI_MODE_PASSWORD,
	CLI_MODE_SERVE,
	CLI_MODE_IMPORT_DJANGO,
	CLI_MODE_COPY_TO,
	CLI_MODE_HELP,
	CLI_MODE_VERSION,
	CLI_NMODES
};

/* Everything one invocation needs; filled by cli_main(). */
struct cli {
	enum cli_mode	 mode;
	const char	*mode_arg;	/* NAME or ID after the mode option */

	/* Options as given (NULL or false when absent). */
	const char	*config_path;
	const char	*db_path;
	const char	*user;
	const char	*email;
	const char	*title;
	const char	*deadline;
	const char	*description;
	const char	*status;
	const char	*priority;
	const char	*assignee;
	const char	*if_version;
	const char	*owner;		/* --list filters */
	const char	*sla;
	const char	*due_within;
	const char	*search;
	const char	*limit;
	const char	*after;
	const char	*columns;
	const char	*text;
	const char	*listen;	/* --serve */
	bool		 json;
	bool		 password_stdin;
	bool		 admin;
	bool		 mine;
	bool		 overdue;
	bool		 all;
	bool		 dry_run;
	bool		 verbose;
	bool		 ndjson;	/* --list formats */
	bool		 csv;
	bool		 ids;
	bool		 count;
	bool		 no_headers;
	bool		 no_admin;
	bool		 disable;
	bool		 enable;
	bool		 reset_password;

	struct config	 cfg;
	struct calendar	*cal;		/* cfg's business calendar (cfg.sla) */
	bool		 own_paths;	/* --config, --db or WATCHDOG_CONFIG */
	enum wd_status	 config_status;	/* --doctor: why cfg is defaults */
	char		*config_cause;	/* --doctor: NULL when it loaded */
	struct db	*db;
	int64_t		 now;		/* read once, at the start */
	int64_t		 uid;		/* the calling Unix user */
	struct user	 me;		/* after authentication */
};

/* The program: parse ARGV, run the mode, return the exit status. */
int		cli_main(int argc, char **argv);

/* Print "watchdog: MESSAGE" (made visible) on stderr; returns the exit code. */
int		cli_fail(enum wd_status status, const char *message);
/* cli_fail with a formatted message. */
int		cli_failf(enum wd_status status, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* cli_fail with CAUSE, which it frees. */
int		cli_fail_cause(enum wd_status status, char *cause);

/* Parse a ticket id ("42" or "#42") into *ID. 0 or an exit code. */
int		cli_ticket_id(const char *s, int64_t *id);

/* Open the database named by the configuration into CLI->db. */
int		cli_open_db(struct cli *cli);

/* Authenticate with WATCHDOG_TOKEN into CLI->me. 0 or an exit code. */
int		cli_auth_token(struct cli *cli);

/*
 * Authenticate with a password (--user or a prompt for the name, then the
 * password) into CLI->me. 0 or an exit code.
 */
int		cli_auth_password(struct cli *cli);
/*
 * cli_auth_password, handing the password typed to *KEPT (when not NULL
 * and it succeeded; free it with cli_free_secret).
 */
int		cli_auth_password_keep(struct cli *cli, char **kept);

/*
 * Read a password: one line of standard input with --password-stdin, else
 * from the terminal with echo off (twice when CONFIRM). *OUT is new; the
 * caller wipes (sodium_memzero) and frees it. 0 or an exit code.
 */
int		cli_read_password(struct cli *cli, const char *prompt,
		    bool confirm, char **out);

/* Read a line from the terminal with echo (the account name). */
int		cli_read_line(const char *prompt, char **out);

/* Free a password read by cli_read_password. */
void		cli_free_secret(char *s);

/* The modes. Each returns the exit status. */
int		cli_init(struct cli *cli);
int		cli_add_user(struct cli *cli);
int		cli_register(struct cli *cli);
int		cli_token(struct cli *cli);
int		cli_revoke_tokens(struct cli *cli);
int		cli_list(struct cli *cli);
int		cli_show(struct cli *cli);
int		cli_explain(struct cli *cli);
/* Authenticate (WATCHDOG_TOKEN) and take a read: 0 or an exit code. */
int		cli_reader(struct cli *cli);
int		cli_create(struct cli *cli);
int		cli_update(struct cli *cli);
int		cli_delete(struct cli *cli);
/* --serve: the HTTP API (src/api/). */
int		cli_serve(struct cli *cli);
/* --import-django DATABASE_URL (cli_import.c). */
int		cli_import_django(struct cli *cli);
/* --copy-to DATABASE_URL (cli_copy.c). */
int		cli_copy_to(struct cli *cli);
/*
 * Let only an administrator (WATCHDOG_TOKEN, or --user and a password)
 * run the mode, or on a database without accounts the trusted caller
 * (privilege_caller_trusted). Opens CLI->db. 0 or the exit code.
 */
int		cli_admin_or_trusted(struct cli *cli);
/* The option of MODE without its dashes ("copy-to"). */
const char     *cli_mode_option(enum cli_mode mode);
/* --update - and --delete -: the ids on standard input (cli_bulk.c). */
int		cli_update_each(struct cli *cli);
int		cli_delete_each(struct cli *cli);

struct ticket_fields;
/*
 * Fill F from the edit options (--title, --deadline, ...); *DESCRIPTION
 * gets a description read from standard input (caller frees). 0 or an
 * exit code.
 */
int		cli_fields(struct cli *cli, struct ticket_fields *f,
		    char **description);
/* Print ticket ID as a JSON object (after a change with --json). */
int		cli_print_json(struct cli *cli, int64_t id);
int		cli_comment(struct cli *cli);
int		cli_users(struct cli *cli);
int		cli_update_user(struct cli *cli);
int		cli_password(struct cli *cli);

/*
 * After a password login of an account whose password was reset: ask
 * for a new one (twice) at the terminal and set it; with
 * --password-stdin refuse (a script cannot choose it). 0 or an exit code.
 */
int		cli_forced_change(struct cli *cli, const char *oldpw);

/* Print the comments of ticket ID for --show. 0 or an exit code. */
int		cli_show_comments(struct cli *cli, int64_t id);
int		cli_check_sla(struct cli *cli);
int		cli_mail_queue(struct cli *cli);
int		cli_doctor(struct cli *cli);
int		cli_account_names(struct cli *cli);

/*
 * Print JSON text on stdout with the invisible format characters (such as
 * U+202E) as \u escapes: the same data, shown, not obeyed.
 */
void		cli_put_json(const char *json);

/* Print one element of a JSON array; ARG is a size_t counter. */
int		cli_json_element(const char *json, void *arg);

/* Print S to F with control characters made visible. */
void		cli_print_visible(FILE *f, const char *s, bool keep_layout);

#endif
