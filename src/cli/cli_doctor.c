/*
 * cli_doctor.c: --doctor, the installation as the running user sees it.
 *
 * One line per finding, "ok", "warn" or "FAIL" first: the binary, the
 * configuration file, the data directory, the database files, the
 * database's integrity and schema, the mail backend, the templates of
 * TEMPLATE_DIR, and when --check-sla last ran to its end. A team install (the binary setgid, the system
 * configuration file) is held to the layout of make install-shared: the
 * binary root:GROUP 2755, the data directory root:GROUP 2770, the
 * configuration root:GROUP 0640, database files in GROUP and closed to
 * others. A single-user install only has to keep its files from others.
 * Exit 0 when nothing failed, 1 otherwise; warnings do not fail.
 *
 * No value of the configuration is printed but paths, the mail host and
 * port; never the SMTP user or password.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog/cli.h"
#include "watchdog/db.h"
#include "watchdog/db_pg.h"
#include "watchdog/mail.h"
#include "watchdog/mailer.h"
#include "watchdog/meta.h"
#include "watchdog/timeutil.h"
#include "watchdog/util.h"

/* --check-sla runs every 5 minutes: older than this is a warning. */
#define DOCTOR_CHECK_SLA_AGE	(15 * 60)

/* A last pass further in the future than this means the clock went back. */
#define DOCTOR_CLOCK_SLACK	60

enum doctor_finding {
	DOCTOR_OK,
	DOCTOR_WARN,
	DOCTOR_FAIL,
};

struct doctor {
	struct cli	*cli;
	int		 nfail;
	bool		 setgid;	/* the binary is setgid */
	bool		 shared;	/* held to the team install's layout */
	gid_t		 group;		/* the binary's group, when setgid */
};

/* Print one finding: its word, then FMT made visible. */
static void __attribute__((format(printf, 3, 4)))
doctor_line(struct doctor *d, enum doctor_finding f, const char *fmt, ...)
{
	static const char	*const word[] = { "ok", "warn", "FAIL" };
	va_list			 ap;
	char			*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	printf("%-4s ", word[f]);
	cli_print_visible(stdout, msg, false);
	putchar('\n');
	free(msg);
	if (f == DOCTOR_FAIL)
		d->nfail++;
}

/* "user:group" of SB, by name where the system knows it. New string. */
static char *
doctor_owner(const struct stat *sb)
{
	struct passwd	*pw;
	struct group	*gr;
	char		 u[32], g[32];

	if ((pw = getpwuid(sb->st_uid)) != NULL)
		snprintf(u, sizeof u, "%s", pw->pw_name);
	else
		snprintf(u, sizeof u, "%lu", (unsigned long)sb->st_uid);
	if ((gr = getgrgid(sb->st_gid)) != NULL)
		snprintf(g, sizeof g, "%s", gr->gr_name);
	else
		snprintf(g, sizeof g, "%lu", (unsigned long)sb->st_gid);
	return xasprintf("%s:%s", u, g);
}

/* The name of group GID, or its number. New string. */
static char *
doctor_group_name(gid_t gid)
{
	struct group	*gr;

	if ((gr = getgrgid(gid)) != NULL)
		return xstrdup(gr->gr_name);
	return xasprintf("%lu", (unsigned long)gid);
}

/*
 * Compare SB with the team layout: owner root, group D->group, mode WANT
 * exactly. Appends what differs to PROBLEMS ("; " between).
 */
static void
doctor_want_shared(struct doctor *d, const struct stat *sb, mode_t want,
    struct strbuf *problems)
{
	char	*g;

	if (sb->st_uid != 0)
		strbuf_addf(problems, "%sowner is not root",
		    problems->len > 0 ? "; " : "");
	if (sb->st_gid != d->group) {
		g = doctor_group_name(d->group);
		strbuf_addf(problems, "%sgroup is not %s",
		    problems->len > 0 ? "; " : "", g);
		free(g);
	}
	if ((sb->st_mode & 07777) != want)
		strbuf_addf(problems, "%smode %04o, want %04o",
		    problems->len > 0 ? "; " : "",
		    (unsigned int)(sb->st_mode & 07777), (unsigned int)want);
}

/*
 * Report on SB, the file WHAT PATH: ok with its owner and mode, or FAIL
 * with PROBLEMS when there are any.
 */
static void
doctor_report(struct doctor *d, const char *what, const char *path,
    const struct stat *sb, struct strbuf *problems)
{
	char	*owner;

	owner = doctor_owner(sb);
	if (problems->len > 0)
		doctor_line(d, DOCTOR_FAIL, "%s %s: %s %04o: %s", what, path,
		    owner, (unsigned int)(sb->st_mode & 07777), problems->buf);
	else
		doctor_line(d, DOCTOR_OK, "%s %s: %s %04o", what, path, owner,
		    (unsigned int)(sb->st_mode & 07777));
	free(owner);
	strbuf_free(problems);
}

/*
 * The binary, as /proc/self/exe names it: setgid to a group (a team
 * install: root-owned, that group, 2755), or a plain program nobody else
 * can replace.
 */
static void
doctor_binary(struct doctor *d)
{
	struct strbuf	 problems = { NULL, 0, 0 };
	struct stat	 sb;
	char		 path[PATH_MAX];
	ssize_t		 n;

	if ((n = readlink("/proc/self/exe", path, sizeof path - 1)) == -1 ||
	    stat("/proc/self/exe", &sb) != 0) {
		doctor_line(d, DOCTOR_FAIL, "binary: cannot look at "
		    "/proc/self/exe: %s", strerror(errno));
		return;
	}
	path[n] = '\0';
	if (sb.st_mode & S_ISGID) {
		d->setgid = true;
		d->group = sb.st_gid;
		if (sb.st_gid == 0)
			strbuf_addstr(&problems, "setgid to root's group; "
			    "want a group of its own");
		else
			doctor_want_shared(d, &sb, 02755, &problems);
	} else if (sb.st_mode & (S_IWGRP | S_IWOTH))
		strbuf_addstr(&problems, "others can replace it");
	doctor_report(d, "binary", path, &sb, &problems);
	if (!d->setgid)
		doctor_line(d, DOCTOR_OK, "install: single-user (the binary "
		    "is not setgid)");
}

/*
 * How the privilege stands: a team install checks the team's files, and
 * says so; one whose user named their own files checks those instead.
 */
static void
doctor_install(struct doctor *d)
{
	char	*g;

	if (!d->setgid)
		return;
	g = doctor_group_name(d->group);
	if (d->cli->own_paths)
		doctor_line(d, DOCTOR_WARN, "install: team (setgid %s), but "
		    "--config, --db or WATCHDOG_CONFIG named your own files: "
		    "the group privilege is dropped and these are checked", g);
	else {
		d->shared = true;
		doctor_line(d, DOCTOR_OK, "install: team (setgid %s)", g);
	}
	free(g);
}

/*
 * The configuration file: it was read (or its error), and it is closed to
 * others, since it may hold the SMTP password; in a team install,
 * root:GROUP 0640. Returns false when it could not be loaded.
 */
static bool
doctor_config(struct doctor *d)
{
	struct strbuf	 problems = { NULL, 0, 0 };
	struct cli	*cli = d->cli;
	struct stat	 sb;
	const char	*path;

	if (cli->config_cause != NULL) {
		doctor_line(d, DOCTOR_FAIL, "config: %s", cli->config_cause);
		return false;
	}
	if ((path = cli->cfg.path) == NULL) {
		doctor_line(d, d->shared ? DOCTOR_WARN : DOCTOR_OK, "config: "
		    "none, the defaults apply (%s does not exist)",
		    config_system_path());
		return true;
	}
	if (stat(path, &sb) != 0) {
		doctor_line(d, DOCTOR_FAIL, "config %s: %s", path,
		    strerror(errno));
		return true;
	}
	if (d->shared)
		doctor_want_shared(d, &sb, 0640, &problems);
	else if (sb.st_mode & (S_IROTH | S_IWOTH))
		strbuf_addstr(&problems, "open to others, and it may hold the "
		    "SMTP password; want 0600 or 0640");
	doctor_report(d, "config", path, &sb, &problems);
	return true;
}

/*
 * Where each setting came from: one line per key the file or the
 * environment set (its file and line, or "environment"; never its value),
 * then how many keep their defaults. A setgid program says that it
 * ignores settings in the environment.
 */
static void
doctor_settings(struct doctor *d)
{
	const struct config	*cfg = &d->cli->cfg;
	const struct config_key	*k;
	size_t			 i, ndefault = 0;

	for (i = 0; (k = &config_keys[i])->name != NULL; i++) {
		if (k->type == CONFIG_IGNORED)
			continue;
		if (cfg->env != NULL && cfg->env[i])
			doctor_line(d, DOCTOR_OK, "setting %s: from the "
			    "environment", k->name);
		else if (cfg->lines != NULL && cfg->lines[i] != 0)
			doctor_line(d, DOCTOR_OK, "setting %s: %s:%u", k->name,
			    cfg->path, cfg->lines[i]);
		else
			ndefault++;
	}
	doctor_line(d, DOCTOR_OK, "settings: %zu others at their defaults "
	    "(watchdog.conf(5))", ndefault);
	if (cfg->env_ignored)
		doctor_line(d, DOCTOR_OK, "settings in the environment: ignored "
		    "(a setgid program takes them from the file only)");
}

/*
 * The directory of the database: in a team install root:GROUP 2770, else
 * closed to others. Returns false when it does not exist.
 */
static bool
doctor_data_dir(struct doctor *d, const char *dir)
{
	struct strbuf	problems = { NULL, 0, 0 };
	struct stat	sb;

	if (stat(dir, &sb) != 0) {
		doctor_line(d, DOCTOR_FAIL, "data directory %s: %s (%s makes "
		    "it)", dir, strerror(errno), d->shared ?
		    "make install-shared" : "watchdog --init");
		return false;
	}
	if (!S_ISDIR(sb.st_mode))
		strbuf_addstr(&problems, "not a directory");
	else if (d->shared)
		doctor_want_shared(d, &sb, 02770, &problems);
	else if (sb.st_mode & S_IRWXO)
		strbuf_addstr(&problems, "open to others; want 0700 or 0770");
	doctor_report(d, "data directory", dir, &sb, &problems);
	return true;
}

/*
 * One database file, PATH (the database, or its -wal or -shm when they
 * exist): closed to others; in a team install in GROUP, which can read
 * and write it. Returns false when the database itself is missing.
 */
static bool
doctor_db_file(struct doctor *d, const char *what, const char *path,
    bool must_exist)
{
	struct strbuf	 problems = { NULL, 0, 0 };
	struct stat	 sb;
	char		*g;

	if (lstat(path, &sb) != 0) {
		if (errno == ENOENT && !must_exist)
			return true;
		doctor_line(d, DOCTOR_FAIL, "%s %s: %s%s", what, path,
		    strerror(errno), errno == ENOENT ?
		    " (watchdog --init creates it)" : "");
		return false;
	}
	if (!S_ISREG(sb.st_mode))
		strbuf_addstr(&problems, "not a regular file");
	if (sb.st_mode & S_IRWXO)
		strbuf_addf(&problems, "%sopen to others; want 0660",
		    problems.len > 0 ? "; " : "");
	if (d->shared && sb.st_gid != d->group) {
		g = doctor_group_name(d->group);
		strbuf_addf(&problems, "%sgroup is not %s",
		    problems.len > 0 ? "; " : "", g);
		free(g);
	}
	if (d->shared && (sb.st_mode & (S_IRGRP | S_IWGRP)) !=
	    (S_IRGRP | S_IWGRP))
		strbuf_addf(&problems, "%sthe group cannot read and write it; "
		    "want 0660", problems.len > 0 ? "; " : "");
	doctor_report(d, what, path, &sb, &problems);
	return true;
}

/* AGE seconds as "2h 5m", "4m 10s" or "45s" into BUF. */
static void
doctor_age(int64_t age, char *buf, size_t len)
{
	if (age >= 86400)
		snprintf(buf, len, "%lldd %lldh", (long long)(age / 86400),
		    (long long)(age % 86400 / 3600));
	else if (age >= 3600)
		snprintf(buf, len, "%lldh %lldm", (long long)(age / 3600),
		    (long long)(age % 3600 / 60));
	else if (age >= 60)
		snprintf(buf, len, "%lldm %llds", (long long)(age / 60),
		    (long long)(age % 60));
	else
		snprintf(buf, len, "%llds", (long long)age);
}

/*
 * The PostgreSQL server behind DB: its version and whether the
 * connection uses TLS (sslmode in DATABASE_URL decides).
 */
static void
doctor_pg(struct doctor *d, struct db *db)
{
	int	version;
	bool	tls;

	db_pg_info(db, &version, &tls);
	doctor_line(d, DOCTOR_OK, "database server: PostgreSQL %d.%d",
	    version / 10000, version % 10000);
	doctor_line(d, tls ? DOCTOR_OK : DOCTOR_WARN, "database connection: "
	    "%s", tls ? "TLS" : "no TLS (a Unix socket is fine; over a network "
	    "set sslmode=verify-full)");
}

/*
 * The privileges of the connected role on PostgreSQL: every table read and
 * written, every sequence used, our functions run; what lacks is named.
 */
static void
doctor_pg_privileges(struct doctor *d, struct db *db)
{
	char	*role = NULL, *missing = NULL, *cause = NULL;

	if (db_pg_missing_privileges(db, &role, &missing, &cause) != WD_OK)
		doctor_line(d, DOCTOR_FAIL, "database privileges: %s", cause);
	else if (missing != NULL)
		doctor_line(d, DOCTOR_FAIL, "database privileges: role %s "
		    "lacks %s (GRANT them, or run as the database's owner)",
		    role, missing);
	else
		doctor_line(d, DOCTOR_OK, "database privileges: role %s may "
		    "read and write every table and sequence and run our "
		    "functions", role);
	free(role);
	free(missing);
	free(cause);
}

/*
 * The database: it opens as it is (nothing created or upgraded), passes
 * PRAGMA integrity_check (on PostgreSQL: the server's version and TLS),
 * has this program's schema, and says when a --check-sla pass last ran to
 * its end.
 */
static void
doctor_database(struct doctor *d)
{
	struct cli	*cli = d->cli;
	struct db	*db = NULL;
	enum wd_status	 status;
	char		*cause = NULL, when[32], age[32];
	int64_t		 last;
	bool		 found;
	int		 version, latest;

	status = db_open_existing(cli->cfg.database_path, &db, &cause);
	if (status != WD_OK) {
		doctor_line(d, DOCTOR_FAIL, "database: %s", cause);
		goto out;
	}
	if (db_engine(db) == DB_POSTGRESQL)
		doctor_pg(d, db);
	else if (db_integrity_check(db, &cause) != WD_OK) {
		doctor_line(d, DOCTOR_FAIL, "database: %s", cause);
		goto out;
	} else
		doctor_line(d, DOCTOR_OK, "database integrity_check: ok");
	version = db_schema_version(db);
	latest = db_schema_latest();
	if (version == latest)
		doctor_line(d, DOCTOR_OK, "database schema version %d "
		    "(current)", version);
	else
		doctor_line(d, DOCTOR_WARN, "database schema version %d, this "
		    "program's is %d (watchdog --init upgrades it)", version,
		    latest);
	/*
	 * Tables and columns as the migrations compiled in make them. On
	 * PostgreSQL the comparison needs a scratch schema: a role that may
	 * not create one is told so, and the rest goes on.
	 */
	status = db_schema_check(db, &cause);
	if (status == WD_EAUTH)
		doctor_line(d, DOCTOR_WARN, "database schema: not compared: "
		    "%s", cause);
	else if (status != WD_OK)
		doctor_line(d, DOCTOR_FAIL, "database schema: %s", cause);
	else if (db_engine(db) == DB_POSTGRESQL)
		doctor_line(d, DOCTOR_OK, "database schema: every table, "
		    "column, index, trigger and function present");
	else
		doctor_line(d, DOCTOR_OK, "database schema: every table, "
		    "column, index and trigger present");
	free(cause);
	cause = NULL;
	if (db_engine(db) == DB_POSTGRESQL)
		doctor_pg_privileges(d, db);
	if (status != WD_OK && status != WD_EAUTH)
		goto out;

	if (meta_get_int(db, META_LAST_CHECK_SLA, &last, &found,
	    &cause) != WD_OK) {
		doctor_line(d, DOCTOR_FAIL, "last --check-sla: %s", cause);
		goto out;
	}
	if (!found) {
		doctor_line(d, DOCTOR_WARN, "last --check-sla: never (cron "
		    "should run it: */5 * * * * watchdog --check-sla)");
		goto out;
	}
	time_format_local(last, when, sizeof when);
	if (last > cli->now + DOCTOR_CLOCK_SLACK) {
		doctor_age(last - cli->now, age, sizeof age);
		doctor_line(d, DOCTOR_WARN, "last --check-sla: %s, %s in the "
		    "future: the clock went back since (or was ahead then); "
		    "check the system clock, notices may come late", when,
		    age);
		goto out;
	}
	doctor_age(cli->now > last ? cli->now - last : 0, age, sizeof age);
	if (cli->now - last > DOCTOR_CHECK_SLA_AGE)
		doctor_line(d, DOCTOR_WARN, "last --check-sla: %s, %s ago, "
		    "more than %d minutes (is cron running it?)", when, age,
		    DOCTOR_CHECK_SLA_AGE / 60);
	else
		doctor_line(d, DOCTOR_OK, "last --check-sla: %s, %s ago", when,
		    age);
out:
	free(cause);
	db_close(db);
}

/* The mail backend can deliver (nothing is sent); see mailer_check(). */
static void
doctor_mail(struct doctor *d)
{
	const struct config	*cfg = &d->cli->cfg;
	enum wd_status		 status;
	char			*note = NULL, *cause = NULL, *what;

	switch (cfg->email_backend) {
	case EMAIL_BACKEND_SMTP:
		what = xasprintf("smtp %s:%d%s", cfg->email_host != NULL ?
		    cfg->email_host : "-", cfg->email_port,
		    cfg->email_use_ssl ? " (SMTPS)" : cfg->email_use_tls ?
		    " (STARTTLS)" : "");
		break;
	case EMAIL_BACKEND_SENDMAIL:
		what = xasprintf("sendmail %s", cfg->sendmail_path);
		break;
	case EMAIL_BACKEND_FILE:
		what = xasprintf("file %s", cfg->email_file_path);
		break;
	default:
		what = xstrdup("console");
		break;
	}
	status = mailer_check(cfg, &note, &cause);
	if (status == WD_OK)
		doctor_line(d, DOCTOR_OK, "mail: %s: %s", what, note);
	else
		doctor_line(d, DOCTOR_FAIL, "mail: %s: %s", what, cause);
	free(what);
	free(note);
	free(cause);
}

/*
 * The templates of TEMPLATE_DIR load and parse as the notices need them:
 * one that does not makes its notices fail (kept as failed, reported).
 */
static void
doctor_templates(struct doctor *d)
{
	static const enum mail_kind	 kinds[] = {
		MAIL_CREATED, MAIL_WARNING, MAIL_MISSED, MAIL_ASSIGNED,
		MAIL_COMMENTED
	};
	const char			*dir = d->cli->cfg.template_dir;
	char				*text, *cause, *path;
	size_t				 i;
	bool				 own;

	if (dir == NULL || *dir == '\0') {
		doctor_line(d, DOCTOR_OK, "templates: built in");
		return;
	}
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		text = cause = NULL;
		/* assigned.txt and commented.txt may be left out. */
		path = xasprintf("%s/%s.txt", dir, mail_kind_name(kinds[i]));
		own = kinds[i] < MAIL_ASSIGNED || access(path, F_OK) == 0;
		free(path);
		if (!own)
			doctor_line(d, DOCTOR_OK, "template %s: built in (no "
			    "%s.txt in TEMPLATE_DIR)", mail_kind_name(kinds[i]),
			    mail_kind_name(kinds[i]));
		else if (mail_template_load(dir, kinds[i], &text, &cause) ==
		    WD_OK)
			doctor_line(d, DOCTOR_OK, "template %s: %s/%s.txt",
			    mail_kind_name(kinds[i]), dir,
			    mail_kind_name(kinds[i]));
		else
			doctor_line(d, DOCTOR_FAIL, "template %s: %s; its "
			    "notices fail", mail_kind_name(kinds[i]),
			    cause != NULL ? cause : "cannot be used");
		free(text);
		free(cause);
	}
}

/* --doctor; see the top of the file. */
int
cli_doctor(struct cli *cli)
{
	struct doctor	 d;
	char		*dir, *slash, *wal, *shm;
	const char	*db;

	memset(&d, 0, sizeof d);
	d.cli = cli;
	doctor_binary(&d);
	doctor_install(&d);
	if (!doctor_config(&d))
		goto out;
	doctor_settings(&d);

	db = cli->cfg.database_path;
	if (db_where_is_pg(db)) {
		/* No file to look at: the server is asked. */
		doctor_database(&d);
		doctor_mail(&d);
		doctor_templates(&d);
		goto out;
	}
	dir = xstrdup(db);
	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	wal = xasprintf("%s-wal", db);
	shm = xasprintf("%s-shm", db);
	if (doctor_data_dir(&d, dir) &&
	    doctor_db_file(&d, "database", db, true)) {
		doctor_db_file(&d, "database", wal, false);
		doctor_db_file(&d, "database", shm, false);
		doctor_database(&d);
	}
	free(dir);
	free(wal);
	free(shm);
	doctor_mail(&d);
	doctor_templates(&d);
out:
	return d.nfail > 0 ? status_exit_code(WD_EFAIL) : 0;
}
