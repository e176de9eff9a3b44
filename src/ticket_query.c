/*
 * ticket_query.c: the filtered listing of --list; see ticket_query.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_query.h"
#include "watchdog/ticket_row.h"
#include "watchdog/user.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/*
 * The filters every listing tests on the rows its index yields; a filter
 * not given is bound NULL (or 0) and passes every row. The deadline range
 * and the keyset seek are always bound, so that an index led by the
 * deadline (or by an equality, then the deadline) seeks them.
 */
#define TQ_RESIDUAL							\
	"AND (:open_only = 0 OR t.status <> 'resolved') "		\
	"AND (:statuses IS NULL OR "					\
	"instr(:statuses, ',' || t.status || ',') > 0) "		\
	"AND (:priorities IS NULL OR "					\
	"instr(:priorities, ',' || t.priority || ',') > 0) "		\
	"AND (:assignee_id IS NULL OR t.assignee_id = :assignee_id) "	\
	"AND (:unassigned = 0 OR t.assignee_id IS NULL) "		\
	"AND (:owner_id IS NULL OR t.owner_id = :owner_id) "		\
	"AND (:slas IS NULL OR instr(:slas, ',' || wd_sla_state(t.status, " \
	"t.deadline, t.resolved_at, t.paused_at, :warn, :now) || ',') > 0) " \
	"AND t.deadline BETWEEN :lo AND :hi "				\
	"AND (t.deadline, t.id) > (:after_deadline, :after_id) "
/*
 * The same on PostgreSQL, each optional parameter given its type (its
 * planner cannot tell the type of a parameter only tested for NULL).
 */
#define TQ_RESIDUAL_PG							\
	"AND (CAST(:open_only AS bigint) = 0 OR "			\
	"t.status <> 'resolved') "					\
	"AND (CAST(:statuses AS text) IS NULL OR "			\
	"instr(:statuses, ',' || t.status || ',') > 0) "		\
	"AND (CAST(:priorities AS text) IS NULL OR "			\
	"instr(:priorities, ',' || t.priority || ',') > 0) "		\
	"AND (CAST(:assignee_id AS bigint) IS NULL OR "			\
	"t.assignee_id = :assignee_id) "				\
	"AND (CAST(:unassigned AS bigint) = 0 OR "			\
	"t.assignee_id IS NULL) "					\
	"AND (CAST(:owner_id AS bigint) IS NULL OR "			\
	"t.owner_id = :owner_id) "					\
	"AND (CAST(:slas AS text) IS NULL OR instr(:slas, ',' || "	\
	"wd_sla_state(t.status, t.deadline, t.resolved_at, t.paused_at, " \
	":warn, :now) || ',') > 0) "							\
	"AND t.deadline BETWEEN :lo AND :hi "				\
	"AND (t.deadline, t.id) > (:after_deadline, :after_id) "
#define TQ_JOINS							\
	"JOIN users o ON o.id = t.owner_id "				\
	"LEFT JOIN users a ON a.id = t.assignee_id "
/* No limit is -1 on SQLite, NULL on PostgreSQL. */
#define TQ_LIMIT	"LIMIT :limit"
#define TQ_LIMIT_PG	"LIMIT nullif(CAST(:limit AS bigint), -1)"

/* The outputs of one driver, in enum ticket_query_output order. */
#define TQ_SQL(from, pred, json, res, limit) {				\
	"SELECT " TICKET_LIST_COLUMNS from TQ_JOINS "WHERE " pred " "	\
	    res "ORDER BY t.deadline, t.id " limit,			\
	"SELECT " TICKET_COLUMNS from TQ_JOINS "WHERE " pred " "	\
	    res "ORDER BY t.deadline, t.id " limit,			\
	"SELECT " json from TQ_JOINS "WHERE " pred " "			\
	    res "ORDER BY t.deadline, t.id " limit,			\
	"SELECT t.id " from "WHERE " pred " " res			\
	    "ORDER BY t.deadline, t.id " limit,				\
	"SELECT count(*) FROM (SELECT t.id " from "WHERE " pred " "	\
	    res limit ") n",						\
}

/*
 * The drivers, in enum ticket_query_driver order, for one engine: FROM
 * names the table and the index that leads (SQLite's INDEXED BY; the
 * PostgreSQL planner picks its own for the values of each run, held to
 * it by the plan tests), SEARCH the full-text predicate (SQLite: the FTS5
 * table; PostgreSQL: the tsvector column and its GIN index), JSON the
 * ticket object.
 */
#define TQ_DRIVERS(FROM, SEARCH, JSON, RES, LIMIT) {					\
	[TQ_BY_OPEN] = TQ_SQL(FROM("tickets_open_deadline"),		\
	    "t.status <> 'resolved'", JSON, RES, LIMIT),				\
	[TQ_BY_DEADLINE] = TQ_SQL(FROM("tickets_deadline"), "1 = 1",	\
	    JSON, RES, LIMIT),							\
	[TQ_BY_STATUS] = TQ_SQL(FROM("tickets_status"),			\
	    "t.status = :status", JSON, RES, LIMIT),				\
	[TQ_BY_PRIORITY] = TQ_SQL(FROM("tickets_priority_deadline"),	\
	    "t.priority = :priority", JSON, RES, LIMIT),				\
	[TQ_BY_ASSIGNEE] = TQ_SQL(FROM("tickets_assignee"),		\
	    "t.assignee_id = :assignee_id", JSON, RES, LIMIT),			\
	[TQ_BY_UNASSIGNED] = TQ_SQL(FROM("tickets_unassigned"),		\
	    "t.assignee_id IS NULL", JSON, RES, LIMIT),				\
	[TQ_BY_OWNER] = TQ_SQL(FROM("tickets_owner"),			\
	    "t.owner_id = :owner_id", JSON, RES, LIMIT),				\
	[TQ_BY_OPEN_PRIORITY] = TQ_SQL(					\
	    FROM("tickets_open_priority_deadline"),			\
	    "t.status <> 'resolved' AND t.priority = :priority", JSON, RES, LIMIT),	\
	[TQ_BY_OPEN_ASSIGNEE] = TQ_SQL(					\
	    FROM("tickets_open_assignee_deadline"),			\
	    "t.status <> 'resolved' AND t.assignee_id = :assignee_id",	\
	    JSON, RES, LIMIT),							\
	[TQ_BY_OPEN_UNASSIGNED] = TQ_SQL(				\
	    FROM("tickets_open_unassigned"),				\
	    "t.status <> 'resolved' AND t.assignee_id IS NULL", JSON, RES, LIMIT),	\
	[TQ_BY_OPEN_OWNER] = TQ_SQL(FROM("tickets_open_owner_deadline"), \
	    "t.status <> 'resolved' AND t.owner_id = :owner_id", JSON, RES, LIMIT),	\
	/* The open queue in order, with the people to test in the index. */ \
	[TQ_BY_MINE] = TQ_SQL(FROM("tickets_open_deadline"),		\
	    "t.status <> 'resolved' AND (t.owner_id = :me OR "		\
	    "t.assignee_id = :me)", JSON, RES, LIMIT),				\
	/*								\
	 * The tickets in order, keeping the matches of the full-text	\
	 * index: a page of a common word costs a page, a rare word at	\
	 * most one pass over the index of the deadlines (never the	\
	 * table).							\
	 */								\
	[TQ_BY_SEARCH] = TQ_SQL(FROM("tickets_deadline"), SEARCH, JSON, RES, LIMIT), \
	[TQ_BY_OPEN_SEARCH] = TQ_SQL(FROM("tickets_open_deadline"),	\
	    "t.status <> 'resolved' AND " SEARCH, JSON, RES, LIMIT),		\
}
#define TQ_FROM_SQLITE(index)	"FROM tickets t INDEXED BY " index " "
#define TQ_FROM_PG(index)	"FROM tickets t "
#define TQ_SEARCH_SQLITE						\
	"t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search "	\
	"MATCH :match)"
#define TQ_SEARCH_PG	"t.search @@ to_tsquery('simple', wd_fold(:match))"

/* [engine][driver][output] */
static const char *const tq_sql[2][TQ_NDRIVERS][TQ_NOUTPUTS] = {
	[DB_SQLITE] = TQ_DRIVERS(TQ_FROM_SQLITE, TQ_SEARCH_SQLITE,
	    TICKET_JSON, TQ_RESIDUAL, TQ_LIMIT),
	[DB_POSTGRESQL] = TQ_DRIVERS(TQ_FROM_PG, TQ_SEARCH_PG,
	    TICKET_JSON_PG, TQ_RESIDUAL_PG, TQ_LIMIT_PG),
};

/* The drivers that read open tickets only (their SQL says so). */
static const bool tq_driver_open[TQ_NDRIVERS] = {
	[TQ_BY_OPEN] = true,
	[TQ_BY_OPEN_PRIORITY] = true,
	[TQ_BY_OPEN_ASSIGNEE] = true,
	[TQ_BY_OPEN_UNASSIGNED] = true,
	[TQ_BY_OPEN_OWNER] = true,
	[TQ_BY_MINE] = true,
	[TQ_BY_OPEN_SEARCH] = true,
};

static const char sql_after[] =
    "SELECT deadline FROM tickets WHERE id = :id";

/* The SQL of a listing; see ticket_query.h. */
const char *
ticket_query_sql(enum ticket_query_driver driver, enum ticket_query_output out)
{
	return tq_sql[DB_SQLITE][driver][out];
}

/* Free what PLAN holds. */
void
ticket_plan_clear(struct ticket_plan *plan)
{
	free(plan->statuses);
	free(plan->priorities);
	free(plan->slas);
	free(plan->match);
	memset(plan, 0, sizeof *plan);
}

/*
 * Check the comma-separated LIST against the NULL-terminated NAMES (for
 * option WHAT): *OUT gets ",a,b," (new) and *ONE the name when there is
 * exactly one. WD_EDATA with *CAUSE for an unknown or empty name.
 */
static enum wd_status
tq_names(const char *what, const char *list, const char *const *names,
    const char *choices, char **out, const char **one, char **cause)
{
	struct strbuf	 sb;
	const char	*p, *end;
	size_t		 len, i, n = 0;

	memset(&sb, 0, sizeof sb);
	strbuf_add(&sb, ",", 1);
	for (p = list; ; p = end + 1) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		for (i = 0; names[i] != NULL; i++) {
			if (strlen(names[i]) == len &&
			    strncmp(names[i], p, len) == 0)
				break;
		}
		if (names[i] == NULL) {
			strbuf_free(&sb);
			return status_set(cause, WD_EDATA, "--%s: bad value "
			    "'%.*s': use %s (a comma-separated list)", what,
			    (int)len, p, choices);
		}
		*one = n++ == 0 ? names[i] : NULL;
		strbuf_add(&sb, names[i], strlen(names[i]));
		strbuf_add(&sb, ",", 1);
		if (end == NULL)
			break;
	}
	*out = strbuf_detach(&sb);
	return WD_OK;
}

/*
 * The names --sla takes: the states of sla.c. "paused" has no deadline
 * range: wd_sla_state() finds the open tickets whose clock stands still.
 */
static const char *const tq_sla_names[] = {
	"ok", "warning", "missed", "paused", "met", "breached", NULL
};

/*
 * Narrow PLAN's deadline range to the open tickets in the states of
 * PLAN->slas, and say whether they take resolved tickets in.
 */
static bool
tq_sla_range(struct ticket_plan *plan, int64_t now)
{
	enum sla_state	 s;
	int64_t		 lo = INT64_MAX, hi = INT64_MIN, l, h;
	bool		 resolved = false, unranged = false;
	char		 key[16];

	for (s = SLA_OK; s <= SLA_BREACHED; s++) {
		snprintf(key, sizeof key, ",%s,", sla_state_name(s));
		if (strstr(plan->slas, key) == NULL)
			continue;
		if (!sla_state_deadlines(s, plan->warn, now, &l, &h)) {
			resolved = true;
			continue;
		}
		lo = l < lo ? l : lo;
		hi = h > hi ? h : hi;
	}
	/* Paused tickets keep any deadline. */
	if (strstr(plan->slas, ",paused,") != NULL)
		unranged = true;
	if (!resolved && !unranged && lo <= hi) {
		plan->lo = lo > plan->lo ? lo : plan->lo;
		plan->hi = hi < plan->hi ? hi : plan->hi;
	}
	return resolved;
}

/*
 * The id of account NAME ("me": ME) for option WHAT. WD_EDATA when there
 * is no such account.
 */
static enum wd_status
tq_account(struct db *db, const char *what, const char *name,
    const struct user *me, int64_t *id, char **cause)
{
	struct user	u;
	enum wd_status	status;

	if (strcmp(name, "me") == 0) {
		*id = me->id;
		return WD_OK;
	}
	status = user_find(db, name, &u, NULL);
	if (status == WD_ENOTFOUND)
		return status_set(cause, WD_EDATA, "--%s: no account named "
		    "'%s'", what, name);
	if (status != WD_OK)
		return status_set(cause, status, "cannot look up accounts");
	*id = u.id;
	user_clear(&u);
	return WD_OK;
}

/* Where --after AFTER continues: its deadline. */
static enum wd_status
tq_after(struct db *db, int64_t after, struct ticket_plan *plan,
    char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	st = db_prepare(db, sql_after);
	db_bind_int(st, ":id", after);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		return status_set(cause, WD_EDATA, "--after: no ticket #%lld "
		    "(deleted since?): list again from the start",
		    (long long)after);
	if (status != WD_OK)
		return status;
	plan->after_deadline = db_column_int(st, 0);
	plan->after_id = after;
	db_reset(st);
	return WD_OK;
}

/*
 * Pick the index that leads PLAN: the most selective filter given, over
 * the open tickets alone when only they are listed.
 */
static enum ticket_query_driver
tq_driver(const struct ticket_plan *plan)
{
	bool	open = plan->open_only;

	if (plan->match != NULL)
		return open ? TQ_BY_OPEN_SEARCH : TQ_BY_SEARCH;
	if (plan->unassigned)
		return open ? TQ_BY_OPEN_UNASSIGNED : TQ_BY_UNASSIGNED;
	if (plan->assignee_id != 0)
		return open ? TQ_BY_OPEN_ASSIGNEE : TQ_BY_ASSIGNEE;
	if (plan->owner_id != 0)
		return open ? TQ_BY_OPEN_OWNER : TQ_BY_OWNER;
	if (plan->me != 0)
		return TQ_BY_MINE;
	if (plan->status != NULL)
		return TQ_BY_STATUS;
	if (plan->priority != NULL)
		return open ? TQ_BY_OPEN_PRIORITY : TQ_BY_PRIORITY;
	return open ? TQ_BY_OPEN : TQ_BY_DEADLINE;
}

/* Check and resolve the filters given as names; see ticket_query.h. */
static enum wd_status
tq_resolve(struct db *db, const struct ticket_query *q, const struct user *me,
    struct ticket_plan *plan, char **cause)
{
	enum wd_status	 status;
	const char	*one;

	if (q->statuses != NULL && (status = tq_names("status", q->statuses,
	    ticket_statuses, "open, in_progress, on_hold or resolved",
	    &plan->statuses, &plan->status, cause)) != WD_OK)
		return status;
	if (q->priorities != NULL && (status = tq_names("priority",
	    q->priorities, ticket_priorities, "low, normal, high or urgent",
	    &plan->priorities, &plan->priority, cause)) != WD_OK)
		return status;
	if (q->slas != NULL && (status = tq_names("sla", q->slas,
	    tq_sla_names, "ok, warning, missed, paused, met or breached",
	    &plan->slas, &one, cause)) != WD_OK)
		return status;
	if (q->assignee != NULL) {
		if (strcmp(q->assignee, "none") == 0)
			plan->unassigned = true;
		else if ((status = tq_account(db, "assignee", q->assignee, me,
		    &plan->assignee_id, cause)) != WD_OK)
			return status;
	}
	if (q->owner != NULL && (status = tq_account(db, "owner", q->owner, me,
	    &plan->owner_id, cause)) != WD_OK)
		return status;
	/* Either engine would find nothing (SQLite) or fail (PostgreSQL). */
	if (q->search != NULL && !utf8_valid(q->search, strlen(q->search)))
		return status_set(cause, WD_EDATA, "--search: not valid UTF-8");
	if (q->search != NULL && (plan->match =
	    ticket_query_match(q->search)) == NULL)
		return status_set(cause, WD_EDATA, "--search: give at least "
		    "one word to look for");
	return WD_OK;
}

/* Prepare a listing; see ticket_query.h. */
enum wd_status
ticket_query_prepare(struct db *db, const struct sla_policy *pol,
    const struct ticket_query *q, const struct user *me, int64_t now,
    struct ticket_plan *plan, char **cause)
{
	enum wd_status	status;
	bool		resolved = false;
	int64_t		due;

	memset(plan, 0, sizeof *plan);
	plan->warn = sla_policy_warn_secs(pol);
	plan->lo = INT64_MIN;
	plan->hi = INT64_MAX;
	plan->after_deadline = INT64_MIN;
	plan->limit = q->limit > 0 ? q->limit : -1;
	if ((status = tq_resolve(db, q, me, plan, cause)) != WD_OK)
		goto fail;
	if (plan->slas != NULL)
		resolved = tq_sla_range(plan, now);
	if (q->has_due) {
		if (__builtin_add_overflow(now, q->due_within, &due))
			due = INT64_MAX;
		plan->hi = due < plan->hi ? due : plan->hi;
	}
	if (q->overdue)
		plan->hi = now < plan->hi ? now : plan->hi;
	if (q->mine)
		plan->me = me->id;
	/* Open tickets unless asked for all, or for resolved ones by name. */
	plan->open_only = q->overdue || q->mine || (!q->all &&
	    q->statuses == NULL && !resolved);
	if (q->after != 0 && (status = tq_after(db, q->after, plan,
	    cause)) != WD_OK)
		goto fail;
	plan->driver = tq_driver(plan);
	return WD_OK;

fail:
	ticket_plan_clear(plan);
	return status;
}

/* The words of TEXT as an FTS5 query; see ticket_query.h. */
char *
ticket_query_match(const char *text)
{
	struct strbuf	 sb;
	const char	*p;
	size_t		 len, i;

	memset(&sb, 0, sizeof sb);
	for (p = text; *p != '\0'; p += len) {
		p += strspn(p, " \t\n\r\f\v");
		if ((len = strcspn(p, " \t\n\r\f\v")) == 0)
			break;
		if (sb.len > 0)
			strbuf_add(&sb, " ", 1);
		/* A quoted string, its quotes doubled, as a prefix. */
		strbuf_add(&sb, "\"", 1);
		for (i = 0; i < len; i++) {
			if (p[i] == '"')
				strbuf_add(&sb, "\"", 1);
			strbuf_add(&sb, p + i, 1);
		}
		strbuf_add(&sb, "\"*", 2);
	}
	if (sb.len == 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* The FTS5 query MATCH as a PostgreSQL tsquery; see ticket_query.h. */
char *
ticket_query_tsquery(const char *match)
{
	struct strbuf	 sb;
	const char	*p;

	memset(&sb, 0, sizeof sb);
	strbuf_addstr(&sb, "");
	for (p = match; *p != '\0'; p++) {
		if (*p != '"')
			continue;
		if (sb.len > 0)
			strbuf_addstr(&sb, " & ");
		strbuf_addstr(&sb, "'");
		for (p++; *p != '\0'; p++) {
			if (*p == '"' && p[1] == '"')
				p++;
			else if (*p == '"')
				break;
			if (*p == '\'' || *p == '\\')
				strbuf_add(&sb, p, 1);
			strbuf_add(&sb, p, 1);
		}
		strbuf_addstr(&sb, "':*");
		if (*p == '\0')
			break;
		if (p[1] == '*')
			p++;
	}
	return strbuf_detach(&sb);
}

/* Prepare and bind the statement of PLAN for OUT. */
static struct db_stmt *
tq_statement(struct db *db, const struct ticket_plan *plan,
    enum ticket_query_output out, int64_t now)
{
	struct db_stmt	*st;
	char		*tsq;

	st = db_prepare(db, tq_sql[db_engine(db)][plan->driver][out]);
	/*
	 * Which index is right depends on the values: the optional filters
	 * given, how many rows the leading one keeps, the limit. PostgreSQL's
	 * generic plan of the statement knows none of them, and a session
	 * that lists again and again (the API's) would come to use it: a
	 * bitmap of every ticket of the status and a sort, for a page.
	 */
	db_plan_each_run(st);
	db_bind_int(st, ":warn", plan->warn);
	db_bind_int(st, ":now", now);
	/* An open driver reads only open tickets: no need to look. */
	db_bind_int(st, ":open_only", plan->open_only &&
	    !tq_driver_open[plan->driver]);
	db_bind_text_or_null(st, ":statuses", plan->statuses);
	db_bind_text_or_null(st, ":priorities", plan->priorities);
	db_bind_text_or_null(st, ":slas", plan->slas);
	/* Each driver's own parameter. */
	if (plan->driver == TQ_BY_STATUS)
		db_bind_text(st, ":status", plan->status);
	else if (plan->driver == TQ_BY_PRIORITY ||
	    plan->driver == TQ_BY_OPEN_PRIORITY)
		db_bind_text(st, ":priority", plan->priority);
	else if (plan->driver == TQ_BY_MINE)
		db_bind_int(st, ":me", plan->me);
	else if ((plan->driver == TQ_BY_SEARCH ||
	    plan->driver == TQ_BY_OPEN_SEARCH) &&
	    db_engine(db) == DB_POSTGRESQL) {
		tsq = ticket_query_tsquery(plan->match);
		db_bind_text(st, ":match", tsq);
		free(tsq);
	} else if (plan->driver == TQ_BY_SEARCH ||
	    plan->driver == TQ_BY_OPEN_SEARCH)
		db_bind_text(st, ":match", plan->match);
	if (plan->assignee_id != 0)
		db_bind_int(st, ":assignee_id", plan->assignee_id);
	else
		db_bind_null(st, ":assignee_id");
	db_bind_int(st, ":unassigned", plan->unassigned);
	if (plan->owner_id != 0)
		db_bind_int(st, ":owner_id", plan->owner_id);
	else
		db_bind_null(st, ":owner_id");
	db_bind_int(st, ":lo", plan->lo);
	db_bind_int(st, ":hi", plan->hi);
	db_bind_int(st, ":after_deadline", plan->after_deadline);
	db_bind_int(st, ":after_id", plan->after_id);
	db_bind_int(st, ":limit", plan->limit);
	return st;
}

/* The bound statement of a plan; see ticket_query.h. */
struct db_stmt *
ticket_query_statement(struct db *db, const struct ticket_plan *plan,
    enum ticket_query_output out, int64_t now)
{
	return tq_statement(db, plan, out, now);
}

/* The tickets of a plan; see ticket_query.h. */
enum wd_status
ticket_query_rows(struct db *db, const struct ticket_plan *plan,
    enum ticket_query_output out, int64_t now,
    int (*fn)(const struct ticket *, void *), void *arg, char **cause)
{
	struct db_stmt	*st;
	struct ticket	 t;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = tq_statement(db, plan, out, now);
	while ((rc = db_step(st, &status, cause)) == 1) {
		memset(&t, 0, sizeof t);
		ticket_from_row(st, &t, false);
		if (fn(&t, arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* The JSON of the tickets of a plan; see ticket_query.h. */
enum wd_status
ticket_query_json(struct db *db, const struct ticket_plan *plan, int64_t now,
    int (*fn)(const char *, void *), void *arg, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = tq_statement(db, plan, TQ_OUT_JSON, now);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (fn(db_column_text(st, 0), arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* The ids of the tickets of a plan; see ticket_query.h. */
enum wd_status
ticket_query_ids(struct db *db, const struct ticket_plan *plan, int64_t now,
    int (*fn)(int64_t, void *), void *arg, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = tq_statement(db, plan, TQ_OUT_IDS, now);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (fn(db_column_int(st, 0), arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* The number of tickets of a plan; see ticket_query.h. */
enum wd_status
ticket_query_count(struct db *db, const struct ticket_plan *plan, int64_t now,
    int64_t *n, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	st = tq_statement(db, plan, TQ_OUT_COUNT, now);
	if ((status = db_step_one(st, cause)) != WD_OK)
		return status;
	*n = db_column_int(st, 0);
	db_reset(st);
	return WD_OK;
}
