/*
 * queue.c: the ticket queue of the terminal UI, paged with keyset queries;
 * see queue.h.
 *
 * A fetch never uses OFFSET: it compares the sort key of each row with the
 * key of an anchor row, as a SQLite row value, so that the index of the
 * order (data/migrations/0003-queue.sql) is entered where the anchor was
 * and only the rows of one screen are read. Rows before the anchor are read
 * in the reverse order and flipped into display order.
 *
 * The SQL of each (engine, filter, sort, direction, search or not) is put
 * together once from the constant fragments below and kept for the life of
 * the process, because db_prepare() caches statements by the address of
 * their text. No value is ever pasted into it: the search is bound as :q.
 *
 * The engines differ in how the plan is held to the index of the order:
 * SQLite is told (CROSS JOIN keeps the tickets as the outer loop, INDEXED
 * BY names the partial indexes of "mine"); PostgreSQL's planner, which
 * has the statistics of ANALYZE, picks them itself (the plan tests hold it
 * to them) and takes neither word. Its search is ILIKE: SQLite's LIKE
 * ignores the case of ASCII letters, PostgreSQL's LIKE does not.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/sla.h"
#include "watchdog/db.h"
#include "watchdog/queue.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_row.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define QUEUE_NFILTERS	(TICKET_FILTER_ALL + 1)
#define QUEUE_NDIRS	(QUEUE_FROM + 1)
/* The longest key: priority under "all" (rank, resolved, deadline, id). */
#define QUEUE_MAXKEYS	4

#define QUEUE_NENGINES	(DB_POSTGRESQL + 1)

/* The joins to the owner and the assignee, the tickets first. */
#define QUEUE_JOINS(join)						\
	join " users o ON o.id = t.owner_id "				\
	"LEFT JOIN users a ON a.id = t.assignee_id"
/* CROSS JOIN: on SQLite the tickets drive the loop, whatever it guesses. */
static const char *const queue_from[QUEUE_NENGINES] = {
	[DB_SQLITE] = "FROM tickets t " QUEUE_JOINS("CROSS JOIN"),
	[DB_POSTGRESQL] = "FROM tickets t " QUEUE_JOINS("JOIN"),
};
#define QUEUE_OPEN	"t.status <> 'resolved'"
/* A search pattern: :q has its % _ and \ escaped by queue_like_escape(). */
#define QUEUE_LIKE(col)	col " LIKE '%' || :q || '%' ESCAPE '\\'"
#define QUEUE_ILIKE(col) \
	col " ILIKE '%' || CAST(:q AS text) || '%' ESCAPE '\\'"

/* The filters, in enum ticket_filter order; "mine" is built apart. */
static const char *const queue_where[QUEUE_NFILTERS] = {
	QUEUE_OPEN,
	NULL,
	QUEUE_OPEN " AND t.deadline <= :now",
	NULL,
};
/*
 * A search also finds the ticket it names as "#N" or N (:qid, else 0),
 * and the tickets one of whose comments holds it.
 */
#define QUEUE_SEARCH(like)						\
	"(" like("t.title") " OR " like("t.description")		\
	" OR t.id = :qid OR EXISTS (SELECT 1 FROM comments c "		\
	"WHERE c.ticket_id = t.id AND " like("c.text") "))"
static const char *const queue_where_search[QUEUE_NENGINES] = {
	[DB_SQLITE] = QUEUE_SEARCH(QUEUE_LIKE),
	[DB_POSTGRESQL] = QUEUE_SEARCH(QUEUE_ILIKE),
};

/*
 * "Mine": the two arms, each read from its partial index, and the join
 * of their union to the rows (see queue_build_sql). SQLite takes no
 * parentheses around the arms of a UNION, so each is a subquery there.
 */
static const struct {
	const char	*owner;		/* up to the arm's WHERE */
	const char	*assignee;	/* between the arms */
	const char	*join;		/* after the second arm */
} queue_mine[QUEUE_NENGINES] = {
	[DB_SQLITE] = {
		"SELECT " TICKET_LIST_COLUMNS "FROM (SELECT * FROM (SELECT "
		    "t.id FROM tickets t INDEXED BY tickets_open_owner",
		") UNION SELECT * FROM (SELECT t.id FROM tickets t "
		    "INDEXED BY tickets_open_assignee",
		")) m CROSS JOIN tickets t ON t.id = m.id "
		    "CROSS JOIN users o ON o.id = t.owner_id "
		    "LEFT JOIN users a ON a.id = t.assignee_id",
	},
	[DB_POSTGRESQL] = {
		"SELECT " TICKET_LIST_COLUMNS "FROM ((SELECT t.id "
		    "FROM tickets t",
		") UNION (SELECT t.id FROM tickets t",
		")) m JOIN tickets t ON t.id = m.id "
		    "JOIN users o ON o.id = t.owner_id "
		    "LEFT JOIN users a ON a.id = t.assignee_id",
	},
};

static const char *const queue_sort_names[QUEUE_NSORTS] = {
	"urgency", "id", "priority", "updated"
};
static const char *const queue_filter_names[QUEUE_NFILTERS] = {
	"open", "mine", "overdue", "all"
};

/* The columns a sort key is made of, and the parameter of the anchor's. */
enum queue_key {
	QKEY_RESOLVED,
	QKEY_RANK,
	QKEY_DEADLINE,
	QKEY_UPDATED,
	QKEY_ID,
};
static const struct {
	const char	*column;
	const char	*param;
} queue_keys[] = {
	[QKEY_RESOLVED] = { "t.is_resolved", ":k_resolved" },
	[QKEY_RANK] = { "t.priority_rank", ":k_rank" },
	[QKEY_DEADLINE] = { "t.deadline", ":k_deadline" },
	[QKEY_UPDATED] = { "t.updated_at", ":k_updated" },
	[QKEY_ID] = { "t.id", ":k_id" },
};

/* A sort order: its key columns, all ascending or all descending. */
struct queue_order {
	enum queue_key	 keys[QUEUE_MAXKEYS];
	size_t		 nkeys;
	int		 desc;
};

/* The statements, built on first use; never freed (see above). */
static char	*queue_sqls[QUEUE_NENGINES][QUEUE_NFILTERS][QUEUE_NSORTS][2]
		    [QUEUE_NDIRS][2];

/*
 * The counts: tickets due by now and those due later, each a range of the
 * open-queue index, add up to the open ones, so that the whole index is
 * read once; the warning window is a short range of it.
 */
/*
 * The open total is kept by triggers (migration 0004); the missed and
 * warning counts are ranges at the front of the open-queue index, less
 * the same ranges of the small index of paused tickets (0014): a paused
 * ticket is neither missed nor in warning.
 */
static const char sql_counts[] =
    "SELECT (SELECT count(*) FROM tickets WHERE status <> 'resolved' "
    "AND deadline <= :now) - "
    "(SELECT count(*) FROM tickets WHERE paused_at IS NOT NULL "
    "AND status <> 'resolved' AND deadline <= :now), "
    "(SELECT n FROM ticket_counts WHERE what = 'open'), "
    "(SELECT count(*) FROM tickets WHERE status <> 'resolved' "
    "AND deadline > :now AND deadline <= :soon) - "
    "(SELECT count(*) FROM tickets WHERE paused_at IS NOT NULL "
    "AND status <> 'resolved' AND deadline > :now AND deadline <= :soon)";

/* The name of SORT, a static string ("unknown" when out of range). */
const char *
queue_sort_name(enum queue_sort sort)
{
	if ((size_t)sort >= QUEUE_NSORTS)
		return "unknown";
	return queue_sort_names[sort];
}

/* The name of FILTER, a static string ("unknown" when out of range). */
const char *
queue_filter_name(enum ticket_filter filter)
{
	if ((size_t)filter >= QUEUE_NFILTERS)
		return "unknown";
	return queue_filter_names[filter];
}

/*
 * The display order of SORT under FILTER into *O, the other way round when
 * REVERSE. Under "all" the urgency order puts unresolved tickets first, and
 * the priority order the unresolved ones of each priority; the other
 * filters hold no resolved ones.
 */
static void
queue_order_of(enum ticket_filter filter, enum queue_sort sort, int reverse,
    struct queue_order *o)
{
	memset(o, 0, sizeof *o);
	switch (sort) {
	case QUEUE_SORT_URGENCY:
		if (filter == TICKET_FILTER_ALL)
			o->keys[o->nkeys++] = QKEY_RESOLVED;
		o->keys[o->nkeys++] = QKEY_DEADLINE;
		break;
	case QUEUE_SORT_ID:
		o->desc = 1;
		break;
	case QUEUE_SORT_PRIORITY:
		o->keys[o->nkeys++] = QKEY_RANK;
		if (filter == TICKET_FILTER_ALL)
			o->keys[o->nkeys++] = QKEY_RESOLVED;
		o->keys[o->nkeys++] = QKEY_DEADLINE;
		break;
	case QUEUE_SORT_UPDATED:
		o->keys[o->nkeys++] = QKEY_UPDATED;
		o->desc = 1;
		break;
	case QUEUE_NSORTS:
		break;
	}
	o->keys[o->nkeys++] = QKEY_ID;
	if (reverse)
		o->desc = !o->desc;
}

/*
 * Does SORT, reversed when REVERSE, run descending (as "id" and "updated"
 * do, newest first)? For the title bar's arrow.
 */
bool
queue_sort_descending(enum queue_sort sort, bool reverse)
{
	struct queue_order	o;

	queue_order_of(TICKET_FILTER_OPEN, sort, reverse, &o);
	return o.desc != 0;
}

/* Add the list of O's columns, or (with PARAMS) of their parameters. */
static void
queue_add_keys(struct strbuf *sb, const struct queue_order *o, int params)
{
	size_t	i;

	for (i = 0; i < o->nkeys; i++) {
		if (i > 0)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, params ? queue_keys[o->keys[i]].param :
		    queue_keys[o->keys[i]].column);
	}
}

/*
 * Add to SB the rest of a SELECT: " WHERE " WHERE (may be NULL), the
 * search SEARCH (NULL: none), the keyset comparison OP (NULL: none) with
 * the anchor, then the ORDER BY of O (descending when DESC) and the LIMIT.
 */
static void
queue_add_tail(struct strbuf *sb, const char *where, const char *search,
    const char *op, const struct queue_order *o, int desc)
{
	const char	*sep = " WHERE ";
	size_t		 i;

	if (where != NULL) {
		strbuf_addstr(sb, sep);
		strbuf_addstr(sb, where);
		sep = " AND ";
	}
	if (search != NULL) {
		strbuf_addstr(sb, sep);
		strbuf_addstr(sb, search);
		sep = " AND ";
	}
	if (op != NULL) {
		strbuf_addstr(sb, sep);
		strbuf_addstr(sb, "(");
		queue_add_keys(sb, o, 0);
		strbuf_addstr(sb, ")");
		strbuf_addstr(sb, op);
		strbuf_addstr(sb, "(");
		queue_add_keys(sb, o, 1);
		strbuf_addstr(sb, ")");
	}
	strbuf_addstr(sb, " ORDER BY ");
	for (i = 0; i < o->nkeys; i++) {
		if (i > 0)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, queue_keys[o->keys[i]].column);
		if (desc)
			strbuf_addstr(sb, " DESC");
	}
	strbuf_addstr(sb, " LIMIT :limit");
}

/*
 * Build the SQL of a fetch on ENGINE: FILTER, SORT (reversed when REVERSE),
 * DIR, with a search when SEARCH.
 * Returns a new string (kept by the caller for the life of the process).
 *
 * "Mine" is two arms, the tickets I own and those assigned to me, each
 * read from its own partial index (which holds every sort key, so the
 * arm sorts index entries, not rows) and cut to one window, then merged:
 * only the rows of two windows are read and sorted.
 */
static char *
queue_build_sql(enum db_engine engine, enum ticket_filter filter,
    enum queue_sort sort, int reverse, enum queue_dir dir, int search)
{
	struct queue_order	 o;
	struct strbuf		 sb;
	const char		*op = NULL, *like;
	int			 backwards, desc;

	queue_order_of(filter, sort, reverse, &o);
	/* BEFORE and LAST read the order backwards from their end. */
	backwards = dir == QUEUE_BEFORE || dir == QUEUE_LAST;
	desc = o.desc != backwards;
	switch (dir) {
	case QUEUE_AFTER:
	case QUEUE_BEFORE:
		op = desc ? " < " : " > ";
		break;
	case QUEUE_FROM:
		op = desc ? " <= " : " >= ";
		break;
	case QUEUE_FIRST:
	case QUEUE_LAST:
		break;
	}

	like = search ? queue_where_search[engine] : NULL;
	memset(&sb, 0, sizeof sb);
	if (filter != TICKET_FILTER_MINE) {
		strbuf_addstr(&sb, "SELECT " TICKET_LIST_COLUMNS);
		strbuf_addstr(&sb, queue_from[engine]);
		queue_add_tail(&sb, queue_where[filter], like, op, &o, desc);
	} else {
		strbuf_addstr(&sb, queue_mine[engine].owner);
		queue_add_tail(&sb, QUEUE_OPEN " AND t.owner_id = :me",
		    like, op, &o, desc);
		strbuf_addstr(&sb, queue_mine[engine].assignee);
		queue_add_tail(&sb, QUEUE_OPEN " AND t.assignee_id = :me",
		    like, op, &o, desc);
		strbuf_addstr(&sb, queue_mine[engine].join);
		queue_add_tail(&sb, NULL, NULL, NULL, &o, desc);
	}
	return strbuf_detach(&sb);
}

/*
 * Does S name a ticket by its id: "#N", ":N" or N alone (spaces around
 * allowed)? True with the id in *ID.
 */
bool
queue_search_id(const char *s, int64_t *id)
{
	int64_t	v = 0;
	size_t	digits = 0;

	*id = 0;
	if (s == NULL)
		return false;
	while (*s == ' ')
		s++;
	if (*s == '#' || *s == ':')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ')
		s++;
	if (digits == 0 || *s != '\0' || v == 0)
		return false;
	*id = v;
	return true;
}

/* Is V's search non-empty? */
static int
queue_searching(const struct queue_view *v)
{
	return v->search != NULL && v->search[0] != '\0';
}

/*
 * The SQL of a fetch of V in DIR on ENGINE: a string that lives as long as
 * the process (do not free it), or NULL for an engine, filter, sort or
 * direction out of range.
 */
const char *
queue_sql(enum db_engine engine, const struct queue_view *v,
    enum queue_dir dir)
{
	char	**slot;
	int	  search;

	if ((size_t)engine >= QUEUE_NENGINES ||
	    (size_t)v->filter >= QUEUE_NFILTERS ||
	    (size_t)v->sort >= QUEUE_NSORTS || (size_t)dir >= QUEUE_NDIRS)
		return NULL;
	search = queue_searching(v);
	slot = &queue_sqls[engine][v->filter][v->sort][v->reverse][dir]
	    [search];
	if (*slot == NULL)
		*slot = queue_build_sql(engine, v->filter, v->sort, v->reverse,
		    dir, search);
	return *slot;
}

/*
 * The search text S for LIKE ... ESCAPE '\': %, _ and \ stand for
 * themselves. Returns a new string the caller frees.
 */
static char *
queue_like_escape(const char *s)
{
	struct strbuf	sb;

	memset(&sb, 0, sizeof sb);
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			strbuf_add(&sb, "\\", 1);
		strbuf_add(&sb, s, 1);
	}
	return strbuf_detach(&sb);
}

/* The rank of priority P in the priority order (as priority_rank). */
static int64_t
queue_priority_rank(const char *p)
{
	if (p == NULL)
		return 3;
	if (strcmp(p, "urgent") == 0)
		return 0;
	if (strcmp(p, "high") == 0)
		return 1;
	if (strcmp(p, "normal") == 0)
		return 2;
	return 3;
}

/* Bind the sort key of ANCHOR in order O to the parameters of ST. */
static void
queue_bind_anchor(struct db_stmt *st, const struct queue_order *o,
    const struct ticket *anchor)
{
	int64_t	v = 0;
	size_t	i;

	for (i = 0; i < o->nkeys; i++) {
		switch (o->keys[i]) {
		case QKEY_RESOLVED:
			v = anchor->status != NULL &&
			    strcmp(anchor->status, "resolved") == 0;
			break;
		case QKEY_RANK:
			v = queue_priority_rank(anchor->priority);
			break;
		case QKEY_DEADLINE:
			v = anchor->deadline;
			break;
		case QKEY_UPDATED:
			v = anchor->updated_at;
			break;
		case QKEY_ID:
			v = anchor->id;
			break;
		}
		db_bind_int(st, queue_keys[o->keys[i]].param, v);
	}
}

/*
 * Fetch up to LIMIT rows of view V relative to ANCHOR, in display order;
 * see queue.h. *ROWS is new (NULL when *N is 0): the caller frees it with
 * queue_rows_free().
 */
enum wd_status
queue_fetch(struct db *db, const struct sla_policy *pol,
    const struct queue_view *v, enum queue_dir dir,
    const struct ticket *anchor, size_t limit, int64_t now,
    struct ticket **rows, size_t *n, char **cause)
{
	struct queue_order	 o;
	struct db_stmt		*st;
	struct ticket		*out = NULL, tmp;
	enum wd_status		 status = WD_OK;
	const char		*sql;
	char			*pattern = NULL;
	int64_t			 qid;
	size_t			 count = 0, cap = 0, i;
	int			 rc;

	*rows = NULL;
	*n = 0;
	if ((sql = queue_sql(db_engine(db), v, dir)) == NULL) {
		status = status_set(cause, WD_EUSAGE, "queue: bad view");
		goto out;
	}
	if (anchor == NULL && dir != QUEUE_FIRST && dir != QUEUE_LAST) {
		status = status_set(cause, WD_EUSAGE,
		    "queue: no anchor row to page from");
		goto out;
	}
	if (limit == 0)
		goto out;
	if (limit > INT64_MAX)
		limit = INT64_MAX;

	st = db_prepare(db, sql);
	db_bind_int(st, ":warn", sla_policy_warn_secs(pol));
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":limit", (int64_t)limit);
	if (v->filter == TICKET_FILTER_MINE)
		db_bind_int(st, ":me", v->me != NULL ? v->me->id : 0);
	if (queue_searching(v)) {
		pattern = queue_like_escape(v->search);
		db_bind_text(st, ":q", pattern);
		(void)queue_search_id(v->search, &qid);
		db_bind_int(st, ":qid", qid);
	}
	if (dir != QUEUE_FIRST && dir != QUEUE_LAST) {
		queue_order_of(v->filter, v->sort, v->reverse, &o);
		queue_bind_anchor(st, &o, anchor);
	}
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (count == cap) {
			cap = cap == 0 ? (limit < 64 ? limit : 64) : cap * 2;
			out = xreallocarray(out, cap, sizeof *out);
		}
		ticket_from_row(st, &out[count], true);
		count++;
	}
	db_reset(st);
	if (rc < 0) {
		queue_rows_free(out, count);
		out = NULL;
		count = 0;
		goto out;
	}
	/* Read backwards from the end: put them in display order. */
	if (dir == QUEUE_BEFORE || dir == QUEUE_LAST) {
		for (i = 0; i < count / 2; i++) {
			tmp = out[i];
			out[i] = out[count - 1 - i];
			out[count - 1 - i] = tmp;
		}
	}
	*rows = out;
	*n = count;
	status = WD_OK;
out:
	free(pattern);
	return status;
}

/* Free ROWS, N tickets from queue_fetch(). NULL is allowed. */
void
queue_rows_free(struct ticket *rows, size_t n)
{
	size_t	i;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++)
		ticket_clear(&rows[i]);
	free(rows);
}

/* The SQL of queue_counts(), a constant. */
const char *
queue_counts_sql(void)
{
	return sql_counts;
}

/*
 * Count the unresolved tickets at NOW, and among them those in the warning
 * window and those past their deadline, into *OUT (see sql_counts).
 */
enum wd_status
queue_counts(struct db *db, const struct sla_policy *pol, int64_t now,
    struct queue_counts *out, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	int64_t		 warn, soon;

	memset(out, 0, sizeof *out);
	warn = sla_policy_warn_secs(pol);
	if (__builtin_add_overflow(now, warn, &soon))
		soon = INT64_MAX;
	st = db_prepare(db, sql_counts);
	db_bind_int(st, ":now", now);
	db_bind_int(st, ":soon", soon);
	if ((status = db_step_one(st, cause)) == WD_ENOTFOUND)
		return status_set(cause, WD_EFAIL, "queue: no counts");
	if (status != WD_OK)
		return status;
	out->missed = db_column_int(st, 0);
	out->open = db_column_int(st, 1);
	out->warning = db_column_int(st, 2);
	db_reset(st);
	return WD_OK;
}
