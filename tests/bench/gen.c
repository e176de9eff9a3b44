/*
 * gen.c: bench-gen DB N DUE, the benchmark's database generator (not part
 * of the product).
 *
 * Creates a fresh database at DB with the program's own db_open() (so the
 * schema and its migrations are the real ones), a few dozen accounts and N
 * tickets in one transaction. Exactly DUE of the unresolved tickets are
 * due for an SLA warning: their deadline lies inside the warning window
 * (SLA_WARNING_MINUTES of the configuration, default 60), in its later
 * half, so that none of them turns overdue while a benchmark runs. Every
 * other unresolved ticket is due days to weeks ahead; about 80% of all are
 * resolved. A --check-sla pass therefore has exactly DUE tickets to warn
 * about, each with one recipient (no assignee, or the owner), that is DUE
 * messages.
 *
 * Every account has the password BENCH_PASSWORD; the first, "bench", is an
 * administrator made by user_create() (a real Argon2id hash), the others
 * share its hash. The content is pseudo-random with a fixed seed: the same
 * N and DUE give the same tickets, up to the clock.
 *
 * Prints one line on stdout: "N tickets (U unresolved, DUE due) and A
 * accounts in S.SSS s".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/meta.h"
#include "watchdog/sla.h"
#include "watchdog/ticket_vocab.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define BENCH_PASSWORD	"bench password 1"
#define DAY		(24 * 60 * 60)
#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* Bytes of a generated title or description, at most. */
#define TEXT_MAX	2048

static const char sql_cache_size[] = "PRAGMA cache_size = -1048576";
static const char sql_fk_off[] = "PRAGMA foreign_keys = OFF";
static const char sql_fk_on[] = "PRAGMA foreign_keys = ON";
static const char sql_fk_check[] = "PRAGMA foreign_key_check(tickets)";
/* The tickets went in behind the program's back: index their words. */
static const char sql_search_rebuild[] =
    "INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')";
static const char sql_user_hash[] =
    "SELECT password_hash FROM users WHERE id = :id";
static const char sql_user_insert[] =
    "INSERT INTO users (name, email, role, password_hash, created_at) "
    "VALUES (:name, :email, :role, :hash, :created_at)";
static const char sql_ticket_insert[] =
    "INSERT OR ROLLBACK INTO tickets (title, description, status, "
    "priority, owner_id, assignee_id, deadline, created_at, updated_at, "
    "resolved_at, version, sla_notified, sla_next_at) "
    "VALUES (:title, :description, :status, :priority, :owner_id, "
    ":assignee_id, :deadline, :created_at, :updated_at, :resolved_at, "
    ":version, 0, :sla_next_at)";

/* The accounts after "bench": name, e-mail domain, administrator. */
static const struct {
	const char	*name;
	const char	*domain;
	int		 admin;
} accounts[] = {
	{ "alice", "example.org", 1 },	{ "bruno", "example.org", 0 },
	{ "chen.wei", "example.cn", 0 },	{ "dana", "example.org", 0 },
	{ "elif", "example.com.tr", 0 },	{ "farid", "example.org", 0 },
	{ "greta", "example.de", 0 },	{ "hiroshi", "example.jp", 0 },
	{ "ines", "example.pt", 0 },	{ "jonas", "example.de", 1 },
	{ "kemal", "example.org", 0 },	{ "lena", "example.org", 0 },
	{ "mateo", "example.es", 0 },	{ "nadia", "example.org", 0 },
	{ "olga", "example.org", 0 },	{ "pavel", "example.cz", 0 },
	{ "quentin", "example.fr", 0 },	{ "rosa", "example.org", 0 },
	{ "sven", "example.se", 0 },	{ "tanja", "example.org", 0 },
	{ "umar", "example.org", 0 },	{ "vera", "example.org", 0 },
	{ "wojtek", "example.pl", 0 },	{ "xenia", "example.org", 0 },
	{ "yusuf", "example.org", 0 },	{ "zoe", "example.org", 0 },
	{ "amelie", "example.fr", 0 },	{ "bjorn", "example.no", 0 },
	{ "carmen", "example.es", 0 },	{ "dmitri", "example.org", 0 },
	{ "emeka", "example.org", 0 },	{ "fatima", "example.org", 0 },
	{ "goran", "example.org", 0 },	{ "helga", "example.is", 0 },
	{ "ivan_p", "example.org", 0 },	{ "jana-k", "example.org", 0 },
};

/* What a ticket is about: the title's words and the sentence's. */
static const struct {
	const char	*title;
	const char	*sentence;
} subjects[] = {
	{ "VPN client", "the VPN client" },
	{ "Printer on the 3rd floor", "the printer on the 3rd floor" },
	{ "Outlook calendar", "the Outlook calendar" },
	{ "Payroll export", "the payroll export" },
	{ "Wi-Fi in meeting room Zürich", "the Wi-Fi in meeting room Zürich" },
	{ "Badge reader at the Łódź entrance",
	    "the badge reader at the Łódź entrance" },
	{ "CRM dashboard", "the CRM dashboard" },
	{ "SAP login", "the SAP login" },
	{ "Build server", "the build server" },
	{ "Shared drive S:", "the shared drive S:" },
	{ "Phone system", "the phone system" },
	{ "Projector in room Åsa", "the projector in room Åsa" },
	{ "Laptop of Mr. Müller", "the laptop of Mr. Müller" },
	{ "東京 office VPN", "the VPN of the 東京 office" },
	{ "Café POS terminal", "the POS terminal in the café" },
	{ "Nightly database backup", "the nightly database backup" },
	{ "Invoice PDF generator", "the invoice PDF generator" },
	{ "HR portal", "the HR portal" },
	{ "Jira", "Jira" },
	{ "Label printer in the warehouse",
	    "the label printer in the warehouse" },
	{ "Customer web shop", "the customer web shop" },
	{ "Mail relay", "the mail relay" },
	{ "Time tracking app", "the time tracking app" },
	{ "Conference phone in Salle Genève",
	    "the conference phone in Salle Genève" },
	{ "Self-service kiosk in São Paulo",
	    "the self-service kiosk in São Paulo" },
	{ "Certificate of intranet.example.org",
	    "the TLS certificate of intranet.example.org" },
	{ "Monitoring alerts", "the monitoring alerts" },
	{ "Expense reports", "the expense report workflow" },
};

/* What is wrong: the title's words and the sentence's. */
static const struct {
	const char	*title;
	const char	*sentence;
} problems[] = {
	{ "is down", "is down completely" },
	{ "keeps crashing", "crashes several times an hour" },
	{ "is very slow", "takes more than a minute to answer" },
	{ "refuses logins", "refuses valid passwords" },
	{ "shows an access error", "shows “access denied (0x80070005)”" },
	{ "drops the connection", "drops the connection every few minutes" },
	{ "needs an update", "runs a version that is out of support" },
	{ "stopped syncing", "has not synchronised since the last update" },
	{ "has wrong permissions", "lets the wrong group edit the files" },
	{ "reports a full disk", "reports that its disk is 98% full" },
	{ "is unreachable from home", "cannot be reached over the VPN" },
	{ "shows garbled umlauts", "shows “Ã¤” where “ä” should be" },
	{ "sends duplicate mails", "sends every notification twice" },
	{ "has the wrong time zone", "shows times one hour off since DST" },
	{ "times out", "times out after 30 seconds" },
	{ "asks for a licence", "asks for a licence key again" },
};

static const char *const whens[] = {
	"this morning", "yesterday", "Monday", "the last update",
	"the move to the new building", "the power cut on Friday",
	"last week", "the migration", "about 10:30", "the holidays",
};

static const char *const impacts[] = {
	"This blocks the whole accounting team.",
	"Three people in sales cannot work.",
	"Customers in the 北京 region cannot place orders.",
	"Work can go on, but it is annoying.",
	"The quarterly report is due soon, so this is urgent.",
	"Only one person is affected so far.",
	"The night shift in the warehouse depends on it.",
	"Our auditors need the files by the end of the week.",
	"It happens to everyone on the second floor.",
	"The customer has called twice about it already.",
};

static const char *const tries[] = {
	"restarting it", "clearing the cache", "a different cable",
	"reinstalling the driver", "logging in from another machine",
	"the workaround from the wiki", "switching to the guest network",
	"rebooting the switch in the server room", "an older version",
};

static const char *const endings[] = {
	"Thanks!", "Thank you in advance.", "Danke für die Hilfe.",
	"Merci d’avance !", "Gracias.", "Please call me when it is fixed.",
	"Screenshot attached to the mail I sent earlier.",
	"No hurry, but please do not forget it.", "ありがとうございます。",
	"Kind regards, the front desk.",
};

/* Weights of the priorities: low, normal, high, urgent. */
static const char *const priorities[] = { "low", "normal", "high", "urgent" };
static const unsigned priority_weights[] = { 20, 55, 18, 7 };

/* Weights of the unresolved statuses. */
static const char *const open_statuses[] = {
	"open", "in_progress", "on_hold"
};
static const unsigned open_weights[] = { 50, 35, 15 };

/* The state of the generator (splitmix64). */
static uint64_t	rng_state = 0x5eed5eed2026ULL;

/* The next pseudo-random 64 bits. */
static uint64_t
rng_next(void)
{
	uint64_t	z;

	z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, N) (N > 0; the slight bias does not matter here). */
static uint64_t
rng_below(uint64_t n)
{
	return rng_next() % n;
}

/* A number in [LO, HI] (LO <= HI). */
static int64_t
rng_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)rng_below((uint64_t)(hi - lo) + 1);
}

/* An index into a table of N weights, picked by weight. */
static size_t
rng_weighted(const unsigned *weights, size_t n)
{
	unsigned	total = 0, r;
	size_t		i;

	for (i = 0; i < n; i++)
		total += weights[i];
	r = (unsigned)rng_below(total);
	for (i = 0; i < n - 1; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return n - 1;
}

/* A text being built in a fixed buffer; what does not fit is cut. */
struct text {
	char	buf[TEXT_MAX];
	size_t	len;
};

/* Append FMT to T. */
static void __attribute__((format(printf, 2, 3)))
text_addf(struct text *t, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (t->len >= sizeof t->buf - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
	if (t->len > sizeof t->buf - 1)
		t->len = sizeof t->buf - 1;
}

/* Make the title and the description of ticket number I. */
static void
make_text(int64_t i, struct text *title, struct text *descr)
{
	size_t	s, p, n, k;

	s = (size_t)rng_below(NITEMS(subjects));
	p = (size_t)rng_below(NITEMS(problems));
	title->len = descr->len = 0;
	text_addf(title, "%s %s", subjects[s].title, problems[p].title);
	if (rng_below(4) == 0)
		text_addf(title, " (ref. %lld)", (long long)(100000 + i));

	/* "Since Monday, the VPN client is down completely." */
	text_addf(descr, "Since %s, %s %s.",
	    whens[rng_below(NITEMS(whens))], subjects[s].sentence,
	    problems[p].sentence);
	n = (size_t)rng_below(4);
	for (k = 0; k < n; k++) {
		switch (rng_below(3)) {
		case 0:
			text_addf(descr, " %s", impacts[rng_below(
			    NITEMS(impacts))]);
			break;
		case 1:
			text_addf(descr, " We already tried %s, without "
			    "success.", tries[rng_below(NITEMS(tries))]);
			break;
		default:
			text_addf(descr, " Contact: %s (ext. %u).",
			    accounts[rng_below(NITEMS(accounts))].name,
			    (unsigned)rng_range(2000, 2999));
			break;
		}
	}
	if (rng_below(3) == 0)
		text_addf(descr, "\n\n%s", endings[rng_below(NITEMS(endings))]);
}

/* Seconds of the monotonic clock. */
static double
now_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Print "bench-gen: MSG" and exit 1. */
static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	ap;

	fputs("bench-gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Parse a count argument (0 .. 100,000,000). */
static int64_t
parse_count(const char *s, const char *what)
{
	long long	v;

	if (parse_int64(s, 0, 100000000, &v) != 0)
		die("bad %s: %s", what, s);
	return v;
}

/* Run SQL, a statement that returns no row worth reading. */
static void
run_pragma(struct db *db, const char *sql)
{
	struct db_stmt	*st;
	char		*cause = NULL;

	st = db_prepare(db, sql);
	if (db_step(st, NULL, &cause) < 0)
		die("%s", cause);
	db_reset(st);
}

/* Add the accounts after the first, with its HASH. Returns their ids. */
static int64_t *
add_accounts(struct db *db, const char *hash, int64_t now)
{
	struct db_stmt	*st;
	char		*email, *cause = NULL;
	int64_t		*ids;
	size_t		 i;

	ids = xcalloc(NITEMS(accounts), sizeof *ids);
	if (db_begin_write(db, &cause) != WD_OK)
		die("%s", cause);
	for (i = 0; i < NITEMS(accounts); i++) {
		email = xasprintf("%s@%s", accounts[i].name,
		    accounts[i].domain);
		st = db_prepare(db, sql_user_insert);
		db_bind_text(st, ":name", accounts[i].name);
		db_bind_text(st, ":email", email);
		db_bind_text(st, ":role", accounts[i].admin ? "admin" : "user");
		db_bind_text(st, ":hash", hash);
		db_bind_int(st, ":created_at", now - 800 * DAY +
		    (int64_t)i * DAY);
		if (db_exec(st, &cause) != WD_OK)
			die("%s", cause);
		ids[i] = db_last_insert_id(db);
		free(email);
	}
	if (db_commit(db, &cause) != WD_OK)
		die("%s", cause);
	return ids;
}

/* bench-gen DB N DUE; see the top of this file. */
int
main(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db = NULL;
	struct db_stmt	*st;
	struct text	 title, descr;
	struct stat	 sb;
	struct sla_facts facts;
	char		*cause = NULL, *hash;
	int64_t		 n, ndue, i, now, span, first_id, *ids, owner, assignee;
	int64_t		 created, updated, deadline, resolved, due_lo, due_hi;
	int64_t		 next;
	const char	*tstatus;
	int64_t		 done_due = 0, unresolved = 0, warn;
	double		 t0;
	bool		 is_due, is_resolved;
	size_t		 nusers;

	if (argc != 4) {
		fprintf(stderr, "usage: bench-gen DB N DUE\n");
		return 64;
	}
	n = parse_count(argv[2], "N");
	ndue = parse_count(argv[3], "DUE");
	if (ndue > n / 5)
		die("DUE (%lld) must be at most a fifth of N (%lld)",
		    (long long)ndue, (long long)n);
	if (stat(argv[1], &sb) == 0 || errno != ENOENT)
		die("%s exists already: give a new path", argv[1]);

	/* WATCHDOG_CONFIG, when set, gives SLA_WARNING_MINUTES. */
	if (config_load(&cfg, NULL, &cause) != WD_OK)
		die("%s", cause);
	warn = (int64_t)cfg.sla_warning_minutes * 60;
	now = (int64_t)time(NULL);
	/* The later half of (now + 1 min, now + window - 1 min). */
	due_hi = now + warn - 60;
	due_lo = now + 60 + (warn - 120) / 2;
	if (ndue > 0 && due_hi < due_lo)
		die("SLA_WARNING_MINUTES %d leaves no room for due tickets",
		    cfg.sla_warning_minutes);

	t0 = now_mono();
	if (db_open(argv[1], &db, &cause) != WD_OK)
		die("%s", cause);
	/* A large cache: the 14 indexes of tickets grow at once. */
	run_pragma(db, sql_cache_size);

	if (user_create(db, &cfg, "bench", "bench@example.org",
	    BENCH_PASSWORD, true, true, NULL, now - 900 * DAY, &first_id,
	    &cause) != WD_OK)
		die("%s", cause);
	st = db_prepare(db, sql_user_hash);
	db_bind_int(st, ":id", first_id);
	if (db_step(st, NULL, &cause) != 1)
		die("no hash for the first account: %s",
		    cause != NULL ? cause : "no row");
	hash = db_column_strdup(st, 0);
	db_reset(st);
	ids = add_accounts(db, hash, now);
	nusers = NITEMS(accounts);

	/*
	 * Tickets were created one after the other over two years, up to a
	 * day ago (ids follow creation, as in real life): the indexes grow
	 * mostly at their ends. Due tickets are spread evenly over the ids.
	 */
	span = 730 * DAY;
	/*
	 * The trigger that keeps ticket_counts makes each INSERT a write of
	 * several rows, and a failed foreign key or constraint check would
	 * undo that statement alone: so SQLite keeps a statement journal, a
	 * copy of every page the INSERT touches (15 a ticket, written to a
	 * temporary file), which costs more than the insert. The ids are
	 * known to be good: the keys are checked once at the end instead,
	 * and a failure rolls the whole load back (OR ROLLBACK).
	 */
	run_pragma(db, sql_fk_off);
	if (db_begin_write(db, &cause) != WD_OK)
		die("%s", cause);
	for (i = 0; i < n; i++) {
		created = now - DAY - span + (span * i) / (n > 0 ? n : 1) -
		    rng_range(0, 600);
		is_due = done_due < ndue && i >= (done_due * n) / ndue +
		    n / (2 * ndue);
		is_resolved = !is_due && rng_below(100) < 80;
		make_text(i, &title, &descr);
		owner = ids[rng_below(nusers)];
		if (rng_below(8) == 0)
			owner = first_id;
		assignee = rng_below(4) == 0 ? 0 : ids[rng_below(nusers)];

		st = db_prepare(db, sql_ticket_insert);
		if (is_resolved) {
			deadline = created + rng_range(4 * 3600, 10 * DAY);
			resolved = created + rng_range(600, 12 * DAY);
			if (resolved > now - 60)
				resolved = now - 60;
			if (resolved < created)
				resolved = created;
			updated = resolved;
			tstatus = "resolved";
			db_bind_int(st, ":resolved_at", resolved);
			db_bind_int(st, ":version", rng_range(2, 7));
		} else {
			if (is_due) {
				deadline = rng_range(due_lo, due_hi);
				/* One recipient: no assignee, or the owner. */
				if (assignee != 0)
					assignee = owner;
				done_due++;
			} else
				deadline = now + rng_range(DAY, 42 * DAY);
			updated = created + rng_range(0, now - 60 - created);
			tstatus = open_statuses[rng_weighted(open_weights,
			    NITEMS(open_weights))];
			db_bind_null(st, ":resolved_at");
			db_bind_int(st, ":version", rng_range(1, 4));
			unresolved++;
		}
		db_bind_text(st, ":title", title.buf);
		db_bind_text(st, ":description", descr.buf);
		db_bind_text(st, ":priority", priorities[rng_weighted(
		    priority_weights, NITEMS(priority_weights))]);
		db_bind_int(st, ":owner_id", owner);
		if (assignee != 0)
			db_bind_int(st, ":assignee_id", assignee);
		else
			db_bind_null(st, ":assignee_id");
		db_bind_text(st, ":status", tstatus);
		db_bind_int(st, ":deadline", deadline);
		/* The next notice time, by the rule itself (sla.c). */
		memset(&facts, 0, sizeof facts);
		(void)ticket_status_from_name(tstatus, &facts.status);
		facts.created_at = created;
		facts.deadline = deadline;
		if ((next = sla_next_at(&cfg.sla, &facts)) == SLA_NEVER)
			db_bind_null(st, ":sla_next_at");
		else
			db_bind_int(st, ":sla_next_at", next);
		db_bind_int(st, ":created_at", created);
		db_bind_int(st, ":updated_at", updated);
		if (db_exec(st, &cause) != WD_OK)
			die("ticket %lld: %s", (long long)i + 1, cause);
	}
	if (done_due != ndue)
		die("placed %lld due tickets of %lld", (long long)done_due,
		    (long long)ndue);
	/* The next times are the pass's own rule's: no recomputing. */
	if (meta_set_int(db, META_SLA_RULE, sla_policy_fingerprint(&cfg.sla),
	    &cause) != WD_OK)
		die("%s", cause);
	st = db_prepare(db, sql_fk_check);
	switch (db_step(st, NULL, &cause)) {
	case 0:
		break;
	case 1:
		die("ticket %lld refers to a missing account",
		    (long long)db_column_int(st, 1));
	default:
		die("%s", cause);
	}
	run_pragma(db, sql_search_rebuild);
	if (db_commit(db, &cause) != WD_OK)
		die("%s", cause);
	run_pragma(db, sql_fk_on);
	db_close(db);

	printf("%lld tickets (%lld unresolved, %lld due) and %zu accounts "
	    "in %.3f s\n", (long long)n, (long long)unresolved,
	    (long long)ndue, nusers + 1, now_mono() - t0);
	free(ids);
	free(hash);
	config_free(&cfg);
	return 0;
}
