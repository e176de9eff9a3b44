/*
 * ticket.c: tickets, their validation, history and JSON; see ticket.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/calendar.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/notify.h"
#include "watchdog/ratelimit.h"
#include "watchdog/sla.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_row.h"
#include "watchdog/ticket_search.h"
#include "watchdog/ticket_vocab.h"
#include "watchdog/timeutil.h"
#include "watchdog/user.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

const char *const ticket_statuses[] = {
	"open", "in_progress", "on_hold", "resolved", NULL
};
const char *const ticket_priorities[] = {
	"low", "normal", "high", "urgent", NULL
};

/* The filters, in enum ticket_filter order; each has its own index. */
#define WHERE_OPEN	"WHERE t.status <> 'resolved' "
#define WHERE_MINE	"WHERE t.status <> 'resolved' AND "		\
			"(t.owner_id = :me OR t.assignee_id = :me) "
#define WHERE_OVERDUE	"WHERE t.status <> 'resolved' AND t.deadline <= :now "
#define WHERE_ALL	""
#define ORDER_URGENT	"ORDER BY t.deadline, t.id"

static const char *const sql_list[] = {
	"SELECT " TICKET_LIST_COLUMNS TICKET_FROM WHERE_OPEN ORDER_URGENT,
	"SELECT " TICKET_LIST_COLUMNS TICKET_FROM WHERE_MINE ORDER_URGENT,
	"SELECT " TICKET_LIST_COLUMNS TICKET_FROM WHERE_OVERDUE ORDER_URGENT,
	"SELECT " TICKET_LIST_COLUMNS TICKET_FROM WHERE_ALL ORDER_URGENT,
};
static const char *const sql_list_json[] = {
	"SELECT " TICKET_JSON TICKET_FROM WHERE_OPEN ORDER_URGENT,
	"SELECT " TICKET_JSON TICKET_FROM WHERE_MINE ORDER_URGENT,
	"SELECT " TICKET_JSON TICKET_FROM WHERE_OVERDUE ORDER_URGENT,
	"SELECT " TICKET_JSON TICKET_FROM WHERE_ALL ORDER_URGENT,
};

static const char *const sql_list_json_pg[] = {
	"SELECT " TICKET_JSON_PG TICKET_FROM WHERE_OPEN ORDER_URGENT,
	"SELECT " TICKET_JSON_PG TICKET_FROM WHERE_MINE ORDER_URGENT,
	"SELECT " TICKET_JSON_PG TICKET_FROM WHERE_OVERDUE ORDER_URGENT,
	"SELECT " TICKET_JSON_PG TICKET_FROM WHERE_ALL ORDER_URGENT,
};

static const char sql_ticket_get[] =
    "SELECT " TICKET_COLUMNS TICKET_FROM "WHERE t.id = :id";
static const char sql_ticket_json[] =
    "SELECT " TICKET_JSON TICKET_FROM "WHERE t.id = :id";
static const char sql_ticket_json_history[] =
    "SELECT json_set(" TICKET_JSON ", '$.history', json(("
    "SELECT json_group_array(json_object('at', " DB_ISO_TIME("h.at") ", "
    "'user', h.name, 'field', h.field, 'old', h.old_value, "
    "'new', h.new_value)) FROM (SELECT h.at, u.name, h.field, h.old_value, "
    "h.new_value FROM ticket_history h LEFT JOIN users u "
    "ON u.id = h.user_id WHERE h.ticket_id = :id ORDER BY h.id) h)), "
    "'$.comments', json((SELECT json_group_array(json_object('id', c.id, "
    "'author', c.name, 'created_at', " DB_ISO_TIME("c.created_at") ", "
    "'text', c.text)) FROM (SELECT c.id, u.name, c.created_at, c.text "
    "FROM comments c LEFT JOIN users u ON u.id = c.author_id "
    "WHERE c.ticket_id = :id ORDER BY c.id) c))) "
    TICKET_FROM "WHERE t.id = :id";
/* The same two on PostgreSQL (see TICKET_JSON_PG). */
static const char sql_ticket_json_pg[] =
    "SELECT " TICKET_JSON_PG TICKET_FROM "WHERE t.id = :id";
static const char sql_ticket_json_history_pg[] =
    "SELECT " TICKET_JSON_PG_FIELDS "|| ',\"history\":[' || coalesce(("
    "SELECT string_agg('{\"at\":' || "
    TICKET_JSON_VALUE(DB_ISO_TIME("h.at")) " || ',\"user\":' || "
    TICKET_JSON_VALUE("u.name::text") " || ',\"field\":' || "
    TICKET_JSON_VALUE("h.field") " || ',\"old\":' || "
    TICKET_JSON_VALUE("h.old_value") " || ',\"new\":' || "
    TICKET_JSON_VALUE("h.new_value") " || '}', ',' ORDER BY h.id) "
    "FROM ticket_history h LEFT JOIN users u ON u.id = h.user_id "
    "WHERE h.ticket_id = :id), '') || '],\"comments\":[' || coalesce(("
    "SELECT string_agg('{\"id\":' || c.id || ',\"author\":' || "
    TICKET_JSON_VALUE("u.name::text") " || ',\"created_at\":' || "
    TICKET_JSON_VALUE(DB_ISO_TIME("c.created_at")) " || ',\"text\":' || "
    TICKET_JSON_VALUE("c.text") " || '}', ',' ORDER BY c.id) "
    "FROM comments c LEFT JOIN users u ON u.id = c.author_id "
    "WHERE c.ticket_id = :id), '') || ']}' "
    TICKET_FROM "WHERE t.id = :id";
static const char sql_ticket_insert[] =
    "INSERT INTO tickets (title, description, status, priority, owner_id, "
    "assignee_id, deadline, created_at, updated_at, resolved_at, version, "
    "sla_next_at, sla_policy, sla_notified, sla_warned, sla_clock, "
    "paused_at, sla_steps, sla_repeats) "
    "VALUES (:title, :description, :status, :priority, :owner_id, "
    ":assignee_id, :deadline, :now, :now, :resolved_at, 1, :sla_next_at, "
    ":sla_policy, :sla_notified, :sla_warned, :sla_clock, :paused_at, "
    ":sla_steps, :sla_repeats)";
static const char sql_ticket_import[] =
    "INSERT INTO tickets (title, description, status, priority, owner_id, "
    "deadline, created_at, updated_at, version, sla_next_at, sla_policy, "
    "sla_notified, sla_warned, sla_clock, paused_at, sla_steps, "
    "sla_repeats) "
    "VALUES (:title, :description, 'open', 'normal', :owner_id, :deadline, "
    ":created_at, :now, 1, :sla_next_at, :sla_policy, :sla_notified, "
    ":sla_warned, :sla_clock, :paused_at, :sla_steps, :sla_repeats)";
static const char sql_ticket_update[] =
    "UPDATE tickets SET title = :title, description = :description, "
    "status = :status, priority = :priority, assignee_id = :assignee_id, "
    "deadline = :deadline, resolved_at = :resolved_at, updated_at = :now, "
    "version = version + 1, "
    "sla_notified = :sla_notified, sla_warned = :sla_warned, "
    "sla_next_at = :sla_next_at, "
    "sla_policy = :sla_policy, sla_clock = :sla_clock, "
    "sla_steps = :sla_steps, sla_repeats = :sla_repeats, "
    "paused_at = :paused_at, paused_seconds = :paused_seconds "
    "WHERE id = :id AND version = :version";
static const char sql_ticket_delete[] = "DELETE FROM tickets WHERE id = :id";
static const char sql_history_insert[] =
    "INSERT INTO ticket_history (ticket_id, at, user_id, field, old_value, "
    "new_value) VALUES (:ticket_id, :at, :user_id, :field, :old, :new)";
static const char sql_history_list[] =
    "SELECT h.at, u.name, h.field, h.old_value, h.new_value "
    "FROM ticket_history h LEFT JOIN users u ON u.id = h.user_id "
    "WHERE h.ticket_id = :id ORDER BY h.id";

/* Free the strings of T (not T itself). */
void
ticket_clear(struct ticket *t)
{
	free(t->title);
	free(t->description);
	free(t->status);
	free(t->priority);
	free(t->owner);
	free(t->assignee);
	free(t->sla_policy);
	memset(t, 0, sizeof *t);
}

/*
 * Fill *T from the current row of a TICKET_COLUMNS query; strings are
 * copies when COPY, else borrowed from the statement (valid until the
 * next step).
 */
void
ticket_from_row(struct db_stmt *st, struct ticket *t, bool copy)
{
	char	*(*dup)(struct db_stmt *, int) = db_column_strdup;

	t->id = db_column_int(st, 0);
	if (copy) {
		t->title = dup(st, 1);
		t->description = dup(st, 2);
		t->status = dup(st, 3);
		t->priority = dup(st, 4);
		t->owner = dup(st, 6);
		t->assignee = dup(st, 8);
		t->sla_policy = dup(st, 16);
	} else {
		/* Borrowed: the list callback must not keep or free them. */
		t->title = (char *)(uintptr_t)db_column_text(st, 1);
		t->description = (char *)(uintptr_t)db_column_text(st, 2);
		t->status = (char *)(uintptr_t)db_column_text(st, 3);
		t->priority = (char *)(uintptr_t)db_column_text(st, 4);
		t->owner = (char *)(uintptr_t)db_column_text(st, 6);
		t->assignee = (char *)(uintptr_t)db_column_text(st, 8);
		t->sla_policy = (char *)(uintptr_t)db_column_text(st, 16);
	}
	t->owner_id = db_column_int(st, 5);
	t->assignee_id = db_column_int(st, 7);
	t->deadline = db_column_int(st, 9);
	t->created_at = db_column_int(st, 10);
	t->updated_at = db_column_int(st, 11);
	t->resolved_at = db_column_int(st, 12);
	t->version = db_column_int(st, 13);
	t->sla = sla_state_from_name(db_column_text(st, 14));
	t->sla_notified = (int)db_column_int(st, 15);
	t->paused_seconds = db_column_int(st, 17);
	t->sla_warned = (int)db_column_int(st, 18);
	t->paused_at = db_column_int(st, 19);
	t->sla_steps = (int)db_column_int(st, 20);
	t->sla_repeats = (int)db_column_int(st, 21);
}

/*
 * Check that S is UTF-8 with no control characters (newline and tab pass
 * when LAYOUT). Returns NULL or a static reason.
 */
static const char *
ticket_check_text(const char *s, bool layout)
{
	size_t		len, n;
	uint32_t	cp;

	len = strlen(s);
	if (!utf8_valid(s, len))
		return "is not valid UTF-8";
	while (len > 0) {
		n = utf8_decode(s, len, &cp);
		if (layout && (cp == '\n' || cp == '\t'))
			;
		else if (cp == '\n' || cp == '\r' || cp == 0x2028 ||
		    cp == 0x2029)
			return layout ? "contains a carriage return (use LF "
			    "line ends)" : "must be one line";
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return "contains control characters (such as "
			    "terminal escape sequences)";
		s += n;
		len -= n;
	}
	return NULL;
}

/*
 * Check a title: one line of UTF-8 without control or invisible format
 * characters (such as U+202E, which shows "Invoice\u202Etxt.exe" as
 * "Invoiceexe.txt"), with something visible, at most TICKET_TITLE_MAX
 * characters. WD_OK or WD_EDATA with *cause.
 */
enum wd_status
ticket_check_title(const char *title, char **cause)
{
	const char	*why, *p;
	size_t		 chars = 0, len, n;
	uint32_t	 cp;
	bool		 blank = true;

	if ((why = ticket_check_text(title, false)) != NULL)
		return status_set(cause, WD_EDATA, "title %s", why);
	for (p = title; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80)
			chars++;
		if (*p != ' ')
			blank = false;
	}
	if (blank)
		return status_set(cause, WD_EDATA, "title is empty");
	for (p = title, len = strlen(title); len > 0; p += n, len -= n) {
		n = utf8_decode(p, len, &cp);
		if (utf8_is_format(cp))
			return status_set(cause, WD_EDATA, "title contains an "
			    "invisible format character (U+%04X), which can "
			    "make it read other than it is", (unsigned int)cp);
	}
	if (!utf8_has_visible(title))
		return status_set(cause, WD_EDATA, "title has no visible "
		    "character");
	if (chars > TICKET_TITLE_MAX)
		return status_set(cause, WD_EDATA, "title is longer than %d "
		    "characters (%zu)", TICKET_TITLE_MAX, chars);
	return WD_OK;
}

/* Check a text of several lines; see ticket.h. */
enum wd_status
ticket_check_long_text(const char *what, const char *text, char **cause)
{
	const char	*why;
	size_t		 len;

	if ((len = strlen(text)) > TICKET_DESCRIPTION_MAX)
		return status_set(cause, WD_EDATA, "%s is longer than "
		    "%d bytes (%zu)", what, TICKET_DESCRIPTION_MAX, len);
	if ((why = ticket_check_text(text, true)) != NULL)
		return status_set(cause, WD_EDATA, "%s %s", what, why);
	return WD_OK;
}

enum wd_status
ticket_check_description(const char *text, char **cause)
{
	return ticket_check_long_text("description", text, cause);
}

/* Is S one of the NULL-terminated LIST? */
static bool
ticket_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0)
			return true;
	}
	return false;
}

enum wd_status
ticket_check_status(const char *status, char **cause)
{
	if (!ticket_in(ticket_statuses, status))
		return status_set(cause, WD_EDATA, "bad status: use open, "
		    "in_progress, on_hold or resolved");
	return WD_OK;
}

enum wd_status
ticket_check_priority(const char *priority, char **cause)
{
	if (!ticket_in(ticket_priorities, priority))
		return status_set(cause, WD_EDATA, "bad priority: use low, "
		    "normal, high or urgent");
	return WD_OK;
}

/* Check every field F gives. */
static enum wd_status
ticket_check_fields(const struct ticket_fields *f, char **cause)
{
	enum wd_status	status = WD_OK;

	if (f->title != NULL &&
	    (status = ticket_check_title(f->title, cause)) != WD_OK)
		return status;
	if (f->description != NULL &&
	    (status = ticket_check_description(f->description, cause)) != WD_OK)
		return status;
	if (f->status != NULL &&
	    (status = ticket_check_status(f->status, cause)) != WD_OK)
		return status;
	if (f->priority != NULL &&
	    (status = ticket_check_priority(f->priority, cause)) != WD_OK)
		return status;
	return WD_OK;
}

/*
 * The id and name (as stored) of assignee NAME; "" means none (0, NULL).
 * WD_EDATA when there is no such account. *CANON is new or NULL.
 */
static enum wd_status
ticket_assignee_id(struct db *db, const char *name, int64_t *id,
    char **canon, char **cause)
{
	struct user	u;
	enum wd_status	status;

	*id = 0;
	*canon = NULL;
	if (name[0] == '\0')
		return WD_OK;
	status = user_find(db, name, &u, NULL);
	if (status == WD_ENOTFOUND)
		return status_set(cause, WD_EDATA, "assignee: no account "
		    "named '%s'", name);
	if (status != WD_OK)
		return status_set(cause, status, "cannot look up accounts");
	*id = u.id;
	*canon = u.name;
	u.name = NULL;
	user_clear(&u);
	return WD_OK;
}

/* Add one history row. */
static enum wd_status
ticket_history_add(struct db *db, int64_t ticket_id, int64_t user_id,
    int64_t now, const char *field, const char *old_value,
    const char *new_value, char **cause)
{
	struct db_stmt	*st;

	st = db_prepare(db, sql_history_insert);
	db_bind_int(st, ":ticket_id", ticket_id);
	db_bind_int(st, ":at", now);
	db_bind_int(st, ":user_id", user_id);
	db_bind_text(st, ":field", field);
	db_bind_text_or_null(st, ":old", old_value);
	db_bind_text_or_null(st, ":new", new_value);
	return db_exec(st, cause);
}

/*
 * Bind the SLA columns of a ticket with facts *F (:sla_clock, :sla_steps,
 * :sla_repeats, :paused_at, :sla_notified, :sla_warned) and its next
 * notice time by the rule of POL (:sla_next_at).
 */
static void
ticket_bind_facts(struct db_stmt *st, const struct sla_policy *pol,
    const struct sla_facts *f)
{
	int64_t	next;

	db_bind_int(st, ":sla_clock", f->business ? SLA_CLOCK_BUSINESS :
	    f->calendar ? SLA_CLOCK_CALENDAR : SLA_CLOCK_DEFAULT);
	db_bind_int(st, ":sla_steps", f->steps);
	db_bind_int(st, ":sla_repeats", f->repeats);
	if (f->paused)
		db_bind_int(st, ":paused_at", f->paused_at);
	else
		db_bind_null(st, ":paused_at");
	db_bind_int(st, ":sla_notified", f->notified);
	db_bind_int(st, ":sla_warned", f->warned);
	if ((next = sla_next_at(pol, f)) == SLA_NEVER)
		db_bind_null(st, ":sla_next_at");
	else
		db_bind_int(st, ":sla_next_at", next);
}

/*
 * Bind the SLA columns of a ticket with facts *F after a change at NOW
 * (see sla_rearm(): OLD_DEADLINE, REOPENED, NEW), by the rule of POL.
 */
static void
ticket_bind_sla(struct db_stmt *st, const struct sla_policy *pol,
    struct sla_facts *f, int64_t old_deadline, bool reopened, bool new,
    int64_t now)
{
	sla_rearm(pol, f, old_deadline, reopened, new, now);
	ticket_bind_facts(st, pol, f);
}

/*
 * The facts of the SLA rule about a ticket in STATUS whose deadline comes
 * from POLICY (NULL: set by hand).
 */
static void
ticket_facts(struct sla_facts *f, const char *status, int64_t created_at,
    int64_t deadline, int notified, int warned, const char *policy)
{
	memset(f, 0, sizeof *f);
	f->business = sla_describes_clock(policy) == SLA_CLOCK_BUSINESS;
	f->calendar = sla_describes_clock(policy) == SLA_CLOCK_CALENDAR;
	f->paused_at = 0;
	if (!ticket_status_from_name(status, &f->status))
		f->status = TICKET_OPEN;
	f->created_at = created_at;
	f->deadline = deadline;
	f->notified = notified;
	f->warned = warned;
}

/*
 * The deadline of a ticket of PRIORITY created at CREATED from POL into
 * *DEADLINE, and its description into POLICY (at least 64 bytes).
 * WD_EDATA when POL has no target for the priority.
 */
static enum wd_status
ticket_policy_deadline(const struct sla_policy *pol, const char *priority,
    int64_t created, int64_t *deadline, char *policy, size_t len,
    char **cause)
{
	enum ticket_priority	p;

	if (!ticket_priority_from_name(priority, &p) ||
	    !sla_policy_deadline(pol, p, created, deadline))
		return status_set(cause, WD_EDATA, "no deadline given and no "
		    "SLA policy for %s tickets: give --deadline, or set "
		    "SLA_POLICY_%s (watchdog.conf(5))", priority,
		    p == TICKET_URGENT ? "URGENT" : p == TICKET_HIGH ? "HIGH" :
		    p == TICKET_NORMAL ? "NORMAL" : "LOW");
	sla_policy_describe(pol, p, policy, len);
	return WD_OK;
}

/* One try of ticket_create() (below). */
static enum wd_status
ticket_create_once(struct db *db, const struct config *cfg,
    const struct user *by, const struct ticket_fields *f, int64_t now,
    int64_t *id, char **cause)
{
	struct db_stmt	*st;
	struct ticket	 t;
	enum wd_status	 status;
	struct sla_facts facts;
	const char	*tstatus, *priority;
	char		*canon = NULL, policy[64];
	int64_t		 assignee = 0, deadline;

	if (f->title == NULL)
		return status_set(cause, WD_EDATA, "a ticket needs a title");
	if ((status = ticket_check_fields(f, cause)) != WD_OK)
		return status;
	tstatus = f->status != NULL ? f->status : "open";
	priority = f->priority != NULL ? f->priority : "normal";
	policy[0] = '\0';
	deadline = f->deadline;
	if ((!f->has_deadline || f->deadline_auto) &&
	    (status = ticket_policy_deadline(&cfg->sla, priority, now,
	    &deadline, policy, sizeof policy, cause)) != WD_OK)
		return status;

	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = ratelimit_take(db, &cfg->rate_limit_create, by->id,
	    "create", now, cause)) != WD_OK)
		goto fail;
	if (f->read_limit != NULL && (status = ratelimit_take(db,
	    f->read_limit, by->id, "read", now, cause)) != WD_OK)
		goto fail;
	if (f->assignee != NULL && (status = ticket_assignee_id(db,
	    f->assignee, &assignee, &canon, cause)) != WD_OK)
		goto fail;
	free(canon);
	st = db_prepare(db, sql_ticket_insert);
	db_bind_text(st, ":title", f->title);
	db_bind_text(st, ":description",
	    f->description != NULL ? f->description : "");
	db_bind_text(st, ":status", tstatus);
	db_bind_text(st, ":priority", priority);
	db_bind_int(st, ":owner_id", by->id);
	if (assignee != 0)
		db_bind_int(st, ":assignee_id", assignee);
	else
		db_bind_null(st, ":assignee_id");
	db_bind_int(st, ":deadline", deadline);
	db_bind_text_or_null(st, ":sla_policy", policy[0] != '\0' ? policy :
	    NULL);
	db_bind_int(st, ":now", now);
	if (strcmp(tstatus, "resolved") == 0)
		db_bind_int(st, ":resolved_at", now);
	else
		db_bind_null(st, ":resolved_at");
	ticket_facts(&facts, tstatus, now, deadline, 0, 0,
	    policy[0] != '\0' ? policy : NULL);
	/* Created in a pause status: the clock stands still from now. */
	facts.paused = cfg->sla.pause[facts.status];
	facts.paused_at = now;
	ticket_bind_sla(st, &cfg->sla, &facts, deadline, false, true, now);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	*id = db_last_insert_id(db);
	if ((status = ticket_search_remember(db, *id, cause)) != WD_OK)
		goto fail;
	if ((status = ticket_history_add(db, *id, by->id, now, "created",
	    NULL, f->title, cause)) != WD_OK)
		goto fail;
	/* The confirmation to the owner, in the same transaction. */
	if ((status = ticket_get(db, &cfg->sla, *id, now, &t, cause)) != WD_OK)
		goto fail;
	status = notify_queue(db, cfg, MAIL_CREATED, 0, &t, now, NULL, cause);
	ticket_clear(&t);
	if (status != WD_OK)
		goto fail;
	return db_commit(db, cause);

fail:
	db_rollback(db);
	return status;
}

/* Create a ticket; see ticket.h. */
enum wd_status
ticket_create(struct db *db, const struct config *cfg, const struct user *by,
    const struct ticket_fields *f, int64_t now, int64_t *id, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = ticket_create_once(db, cfg, by, f, now, id,
		    cause);
	return status;
}

/* Read ticket ID; see ticket.h. */
enum wd_status
ticket_get(struct db *db, const struct sla_policy *pol, int64_t id,
    int64_t now, struct ticket *t, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	memset(t, 0, sizeof *t);
	st = db_prepare(db, sql_ticket_get);
	db_bind_int(st, ":id", id);
	db_bind_int(st, ":warn", sla_policy_warn_secs(pol));
	db_bind_int(st, ":now", now);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		return status_set(cause, WD_ENOTFOUND, "no ticket #%lld",
		    (long long)id);
	if (status != WD_OK)
		return status;
	ticket_from_row(st, t, true);
	db_reset(st);
	return WD_OK;
}

/*
 * Compare a text field: when NEW_VALUE is given and differs from *CUR,
 * record it and make *CUR point at it. *CHANGED is set on a difference.
 */
static enum wd_status
ticket_diff(struct db *db, int64_t id, int64_t user_id, int64_t now,
    const char *field, const char **cur, const char *new_value,
    bool *changed, char **cause)
{
	enum wd_status	status;

	if (new_value == NULL || strcmp(*cur != NULL ? *cur : "",
	    new_value) == 0)
		return WD_OK;
	status = ticket_history_add(db, id, user_id, now, field, *cur,
	    new_value[0] != '\0' ? new_value : NULL, cause);
	*cur = new_value;
	*changed = true;
	return status;
}

/*
 * Queue the assigned notice when the update of ticket ID by BY (OLD as it
 * was) gave it to ASSIGNEE_ID, someone other than BY, and F asks for
 * notices. Inside the update's transaction.
 */
static enum wd_status
ticket_notify_assigned(struct db *db, const struct user *by,
    const struct ticket_fields *f, int64_t id, const struct ticket *old,
    int64_t assignee_id, int64_t now, char **cause)
{
	struct notify_event	 ev;
	struct ticket		 t;
	enum wd_status		 status;

	if (f->notify_cfg == NULL || assignee_id == 0 ||
	    assignee_id == old->assignee_id || assignee_id == by->id)
		return WD_OK;
	if ((status = ticket_get(db, &f->notify_cfg->sla, id, now, &t, cause)) !=
	    WD_OK)
		return status;
	memset(&ev, 0, sizeof ev);
	ev.kind = MAIL_ASSIGNED;
	ev.event = t.version;
	ev.author_id = by->id;
	ev.author = by->name;
	status = notify_event_queue(db, f->notify_cfg, &ev, &t, now, NULL,
	    cause);
	ticket_clear(&t);
	return status;
}

/*
 * The pause of ticket *T (as stored) when its status becomes STATUS and
 * its policy NEWPOLICY, by BY at NOW: entering a status of
 * SLA_PAUSE_STATUSES stops the clock (*PAUSED_AT = NOW); leaving them
 * moves *DEADLINE out by the time it stood still, in the ticket's clock
 * (not when HAND gives a new deadline in the same change), adds it to
 * *PAUSED_SECONDS and records who, from, to and how long in the history.
 * From one pause status to another the pause goes on. A policy deadline
 * computed afresh (*DEADLINE differs from T's) is moved out by the pauses
 * that came before.
 */
static enum wd_status
ticket_pause(struct db *db, const struct sla_policy *pol,
    const struct user *by, const struct ticket *t, const char *status,
    const char *newpolicy, bool hand, int64_t now, int64_t *deadline,
    int64_t *paused_at, int64_t *paused_seconds, char **cause)
{
	enum ticket_status	 st;
	bool			 business, pause;
	char			 from[32], to[48], len[32];
	int64_t			 secs;

	business = sla_describes_business(newpolicy);
	*paused_at = t->paused_at;
	*paused_seconds = t->paused_seconds;
	if (!hand && newpolicy != NULL && *deadline != t->deadline)
		*deadline = sla_pause_move(pol, business, *deadline,
		    t->paused_seconds);
	pause = ticket_status_from_name(status, &st) && pol != NULL &&
	    pol->pause[st];
	if (pause && t->paused_at == 0)
		*paused_at = now;
	if (pause || t->paused_at == 0)
		return WD_OK;
	/* The clock runs again. */
	*paused_at = 0;
	secs = sla_pause_length(pol, business, t->paused_at, now);
	*paused_seconds += secs;
	if (!hand)
		*deadline = sla_pause_move(pol, business, *deadline, secs);
	time_format_iso(t->paused_at, from, sizeof from);
	time_format_iso(now, to, sizeof to);
	time_format_duration(secs, len, sizeof len);
	snprintf(to + strlen(to), sizeof to - strlen(to), ", %s%s", len,
	    business && pol->cal != NULL && !calendar_always_open(pol->cal) ?
	    " business" : "");
	return ticket_history_add(db, t->id, by->id, now, "paused", from, to,
	    cause);
}

/* One try of ticket_update() (below). */
static enum wd_status
ticket_update_once(struct db *db, const struct sla_policy *pol,
    const struct user *by, int64_t id,
    const struct ticket_fields *f, int64_t now, bool *changed, char **cause)
{
	struct db_stmt	*st;
	struct ticket	 t;
	enum wd_status	 status;
	const char	*title, *description, *tstatus, *priority, *assignee;
	char		 oldd[32], newd[32], *canon = NULL, policy[64];
	const char	*newpolicy;
	int64_t		 assignee_id = 0, deadline, newdeadline, resolved_at;
	int64_t		 paused_at, paused_seconds;
	struct sla_facts facts;
	bool		 any = false;

	if (changed != NULL)
		*changed = false;
	if ((status = ticket_check_fields(f, cause)) != WD_OK)
		return status;

	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = ticket_get(db, pol, id, now, &t, cause)) != WD_OK)
		goto fail;
	if (f->read_limit != NULL && (status = ratelimit_take(db,
	    f->read_limit, by->id, "read", now, cause)) != WD_OK)
		goto fail;
	if (f->expect_version != 0 && f->expect_version != t.version) {
		status = status_set(cause, WD_ECONFLICT, "ticket #%lld was "
		    "changed by someone else (now version %lld, yours was "
		    "%lld): reload it and apply your change again",
		    (long long)id, (long long)t.version,
		    (long long)f->expect_version);
		goto fail;
	}
	title = t.title;
	description = t.description;
	tstatus = t.status;
	priority = t.priority;
	assignee = t.assignee;
	deadline = t.deadline;
	resolved_at = t.resolved_at;
	assignee_id = t.assignee_id;

	if ((status = ticket_diff(db, id, by->id, now, "title", &title,
	    f->title, &any, cause)) != WD_OK ||
	    (status = ticket_diff(db, id, by->id, now, "description",
	    &description, f->description, &any, cause)) != WD_OK ||
	    (status = ticket_diff(db, id, by->id, now, "status", &tstatus,
	    f->status, &any, cause)) != WD_OK ||
	    (status = ticket_diff(db, id, by->id, now, "priority", &priority,
	    f->priority, &any, cause)) != WD_OK)
		goto fail;
	if (f->assignee != NULL) {
		if ((status = ticket_assignee_id(db, f->assignee,
		    &assignee_id, &canon, cause)) != WD_OK)
			goto fail;
		if (assignee_id != t.assignee_id && (status = ticket_diff(db,
		    id, by->id, now, "assignee", &assignee,
		    canon != NULL ? canon : "", &any, cause)) != WD_OK)
			goto fail;
	}
	/*
	 * A deadline by hand leaves the policy; --deadline auto returns to
	 * it, and a policy deadline follows a new priority, both counted
	 * from the creation.
	 */
	newdeadline = deadline;
	newpolicy = t.sla_policy;
	if (f->has_deadline && !f->deadline_auto) {
		newdeadline = f->deadline;
		newpolicy = NULL;
	} else if (f->deadline_auto || (t.sla_policy != NULL &&
	    strcmp(priority, t.priority) != 0)) {
		if ((status = ticket_policy_deadline(pol, priority,
		    t.created_at, &newdeadline, policy, sizeof policy,
		    cause)) != WD_OK)
			goto fail;
		newpolicy = policy;
	}
	if ((status = ticket_pause(db, pol, by, &t, tstatus, newpolicy,
	    f->has_deadline && !f->deadline_auto, now, &newdeadline,
	    &paused_at, &paused_seconds, cause)) != WD_OK)
		goto fail;
	if (newdeadline != deadline) {
		time_format_iso(deadline, oldd, sizeof oldd);
		time_format_iso(newdeadline, newd, sizeof newd);
		if ((status = ticket_history_add(db, id, by->id, now,
		    "deadline", oldd, newd, cause)) != WD_OK)
			goto fail;
		deadline = newdeadline;
		any = true;
	}
	if (paused_at != t.paused_at)
		any = true;
	if ((newpolicy == NULL) != (t.sla_policy == NULL) ||
	    (newpolicy != NULL && strcmp(newpolicy, t.sla_policy) != 0)) {
		if ((status = ticket_history_add(db, id, by->id, now,
		    "sla_policy", t.sla_policy, newpolicy, cause)) != WD_OK)
			goto fail;
		any = true;
	}
	if (!any) {
		/* Nothing to save; a read shown back still counts. */
		if (f->read_limit != NULL)
			status = db_commit(db, cause);
		else
			db_rollback(db);
		goto out;
	}
	/* Resolving records when; reopening clears it. */
	if (strcmp(tstatus, "resolved") != 0)
		resolved_at = 0;
	else if (resolved_at == 0)
		resolved_at = now;
	/* The search index needs the old words to take them out. */
	if ((f->title != NULL || f->description != NULL) &&
	    (status = ticket_search_forget(db, id, cause)) != WD_OK)
		goto fail;
	st = db_prepare(db, sql_ticket_update);
	db_bind_text(st, ":title", title);
	db_bind_text(st, ":description", description);
	db_bind_text(st, ":status", tstatus);
	db_bind_text(st, ":priority", priority);
	if (assignee_id != 0)
		db_bind_int(st, ":assignee_id", assignee_id);
	else
		db_bind_null(st, ":assignee_id");
	db_bind_int(st, ":deadline", deadline);
	if (resolved_at != 0)
		db_bind_int(st, ":resolved_at", resolved_at);
	else
		db_bind_null(st, ":resolved_at");
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":id", id);
	db_bind_int(st, ":version", t.version);
	/* A new deadline, or a reopened ticket, is measured afresh. */
	ticket_facts(&facts, tstatus, t.created_at, deadline, t.sla_notified,
	    t.sla_warned, newpolicy);
	facts.paused = paused_at != 0;
	facts.paused_at = paused_at;
	facts.steps = t.sla_steps;
	facts.repeats = t.sla_repeats;
	db_bind_int(st, ":paused_seconds", paused_seconds);
	ticket_bind_sla(st, pol, &facts, t.deadline, t.resolved_at != 0 &&
	    resolved_at == 0, false, now);
	db_bind_text_or_null(st, ":sla_policy", newpolicy);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	if (db_changes(db) != 1) {
		status = status_set(cause, WD_ECONFLICT, "ticket #%lld changed "
		    "while it was being saved; try again", (long long)id);
		goto fail;
	}
	if ((f->title != NULL || f->description != NULL) &&
	    (status = ticket_search_remember(db, id, cause)) != WD_OK)
		goto fail;
	if ((status = ticket_notify_assigned(db, by, f, id, &t, assignee_id,
	    now, cause)) != WD_OK)
		goto fail;
	if ((status = db_commit(db, cause)) != WD_OK)
		goto out;
	if (changed != NULL)
		*changed = true;
	goto out;

fail:
	db_rollback(db);
out:
	ticket_clear(&t);
	free(canon);
	return status;
}

/* Update a ticket; see ticket.h. */
enum wd_status
ticket_update(struct db *db, const struct sla_policy *pol,
    const struct user *by, int64_t id,
    const struct ticket_fields *f, int64_t now, bool *changed, char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = ticket_update_once(db, pol, by, id, f, now,
		    changed, cause);
	return status;
}

/* One try of ticket_delete() (below). */
static enum wd_status
ticket_delete_once(struct db *db, const struct user *by, int64_t id,
    int64_t now, char **cause)
{
	struct db_stmt	*st;
	struct ticket	 t;
	enum wd_status	 status;
	char		*detail;

	if ((status = db_begin_write(db, cause)) != WD_OK)
		return status;
	if ((status = ticket_get(db, NULL, id, now, &t, cause)) != WD_OK)
		goto fail;
	if (t.owner_id != by->id && !by->admin) {
		status = status_set(cause, WD_EAUTH, "only the owner of ticket "
		    "#%lld (%s) or an administrator may delete it",
		    (long long)id, t.owner);
		goto fail;
	}
	if ((status = ticket_search_forget(db, id, cause)) != WD_OK)
		goto fail;
	st = db_prepare(db, sql_ticket_delete);
	db_bind_int(st, ":id", id);
	if ((status = db_exec(st, cause)) != WD_OK)
		goto fail;
	detail = xasprintf("ticket #%lld: %s", (long long)id, t.title);
	status = user_audit(db, now, by->id, by->name, -1, "ticket_deleted",
	    detail, cause);
	free(detail);
	if (status != WD_OK)
		goto fail;
	status = db_commit(db, cause);
	ticket_clear(&t);
	return status;

fail:
	db_rollback(db);
	ticket_clear(&t);
	return status;
}

/* Delete a ticket; see ticket.h. */
enum wd_status
ticket_delete(struct db *db, const struct user *by, int64_t id, int64_t now,
    char **cause)
{
	struct db_retry	r;
	enum wd_status	status = WD_OK;

	DB_RETRY(db, r, &status, cause)
		status = ticket_delete_once(db, by, id, now, cause);
	return status;
}

/* Bind the parameters of a list query. */
static void
ticket_bind_list(struct db_stmt *st, const struct sla_policy *pol,
    enum ticket_filter filter, const struct user *me, int64_t now)
{
	db_bind_int(st, ":warn", sla_policy_warn_secs(pol));
	db_bind_int(st, ":now", now);
	if (filter == TICKET_FILTER_MINE)
		db_bind_int(st, ":me", me != NULL ? me->id : 0);
}

/* List tickets; see ticket.h. */
enum wd_status
ticket_list(struct db *db, const struct sla_policy *pol,
    enum ticket_filter filter, const struct user *me, int64_t now,
    int (*fn)(const struct ticket *, void *), void *arg, char **cause)
{
	struct db_stmt	*st;
	struct ticket	 t;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = db_prepare(db, sql_list[filter]);
	ticket_bind_list(st, pol, filter, me, now);
	while ((rc = db_step(st, &status, cause)) == 1) {
		memset(&t, 0, sizeof t);
		ticket_from_row(st, &t, false);
		if (fn(&t, arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* The history of ticket ID; see ticket.h. */
enum wd_status
ticket_history(struct db *db, int64_t id,
    int (*fn)(const struct ticket_change *, void *), void *arg, char **cause)
{
	struct db_stmt		*st;
	struct ticket_change	 c;
	enum wd_status		 status = WD_EFAIL;
	int			 rc;

	st = db_prepare(db, sql_history_list);
	db_bind_int(st, ":id", id);
	while ((rc = db_step(st, &status, cause)) == 1) {
		c.at = db_column_int(st, 0);
		c.user = db_column_text(st, 1);
		c.field = db_column_text(st, 2);
		c.old_value = db_column_text(st, 3);
		c.new_value = db_column_text(st, 4);
		if (fn(&c, arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* The JSON of one ticket; see ticket.h. */
enum wd_status
ticket_json(struct db *db, const struct sla_policy *pol, int64_t id,
    int64_t now, bool with_history, char **json, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;

	*json = NULL;
	if (db_engine(db) == DB_POSTGRESQL)
		st = db_prepare(db, with_history ? sql_ticket_json_history_pg :
		    sql_ticket_json_pg);
	else
		st = db_prepare(db, with_history ? sql_ticket_json_history :
		    sql_ticket_json);
	db_bind_int(st, ":id", id);
	db_bind_int(st, ":warn", sla_policy_warn_secs(pol));
	db_bind_int(st, ":now", now);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		return status_set(cause, WD_ENOTFOUND, "no ticket #%lld",
		    (long long)id);
	if (status != WD_OK)
		return status;
	*json = db_column_strdup(st, 0);
	db_reset(st);
	return WD_OK;
}

/* The JSON of each listed ticket; see ticket.h. */
enum wd_status
ticket_list_json(struct db *db, const struct sla_policy *pol,
    enum ticket_filter filter, const struct user *me, int64_t now,
    int (*fn)(const char *, void *), void *arg, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status = WD_EFAIL;
	int		 rc;

	st = db_prepare(db, db_engine(db) == DB_POSTGRESQL ?
	    sql_list_json_pg[filter] : sql_list_json[filter]);
	ticket_bind_list(st, pol, filter, me, now);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (fn(db_column_text(st, 0), arg) != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? status : WD_OK;
}

/* The list query of FILTER; see ticket.h. */
const char *
ticket_list_sql(enum ticket_filter filter)
{
	return sql_list[filter];
}

/* Bring over a ticket of the Django version; see ticket.h. */
enum wd_status
ticket_import(struct db *db, const struct sla_policy *pol,
    const struct ticket_import *ti, int64_t now, int64_t *id, char **cause)
{
	struct ticket_fields	 f;
	struct db_stmt		*st;
	struct sla_facts	 facts;
	enum wd_status		 status;
	char			 policy[64], *note;
	int64_t			 deadline;

	memset(&f, 0, sizeof f);
	f.title = ti->title;
	f.description = ti->description;
	if ((status = ticket_check_fields(&f, cause)) != WD_OK)
		return status;
	policy[0] = '\0';
	deadline = ti->deadline;
	if (!ti->has_deadline && (status = ticket_policy_deadline(pol,
	    "normal", ti->created_at, &deadline, policy, sizeof policy,
	    cause)) != WD_OK)
		return status;
	/*
	 * The notices Django sent count as sent: missed is the last one
	 * (level 2); a warning is level 1 with every threshold done, so that
	 * none goes again for this deadline.
	 */
	ticket_facts(&facts, "open", ti->created_at, deadline, 0, 0,
	    policy[0] != '\0' ? policy : NULL);
	if (ti->missed_sent) {
		facts.notified = 2;
		facts.warned = (int)pol->nwarn;
		/* Django mailed SLA_ESCALATION_EMAILS with it: the 0m steps. */
		while ((size_t)facts.steps < pol->nsteps &&
		    pol->ladder[facts.steps].delay == 0)
			facts.steps++;
	} else if (ti->warning_sent) {
		facts.notified = 1;
		facts.warned = (int)pol->nwarn;
	}
	st = db_prepare(db, sql_ticket_import);
	db_bind_text(st, ":title", ti->title);
	db_bind_text(st, ":description",
	    ti->description != NULL ? ti->description : "");
	db_bind_int(st, ":owner_id", ti->owner_id);
	db_bind_int(st, ":deadline", deadline);
	db_bind_int(st, ":created_at", ti->created_at);
	db_bind_int(st, ":now", now);
	db_bind_text_or_null(st, ":sla_policy", policy[0] != '\0' ? policy :
	    NULL);
	ticket_bind_facts(st, pol, &facts);
	if ((status = db_exec(st, cause)) != WD_OK)
		return status;
	*id = db_last_insert_id(db);
	if ((status = ticket_search_remember(db, *id, cause)) != WD_OK)
		return status;
	note = xasprintf("imported from Django ticket #%lld",
	    (long long)ti->django_id);
	status = ticket_history_add(db, *id, ti->by_id > 0 ? ti->by_id :
	    ti->owner_id, now, "created", NULL, note, cause);
	free(note);
	return status;
}
