/* test_queue.c: the queue: keyset paging, orders, filters, search, counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/queue.h"
#include "watchdog/ticket.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

#define NOW	1795000000
#define HOUR	3600
#define NROWS	300

static struct config	 cfg;
static struct db	*db;
static char		*dir, *path;
static struct user	 alice, bob;

/* What the expected orders are computed from. */
struct row {
	int64_t	id;
	int	resolved;
	int	rank;
	int64_t	deadline;
	int64_t	updated_at;
	int64_t	owner_id;
	int64_t	assignee_id;
};

struct rows {
	struct row	*r;
	size_t		 n;
};

static void
setup(void)
{
	db = unit_db(&cfg, &dir);
	path = unit_db_path(dir);
	unit_user(db, &cfg, "alice", NOW, &alice);
	unit_user(db, &cfg, "bob", NOW, &bob);
}

static void
teardown(void)
{
	user_clear(&alice);
	user_clear(&bob);
	db_close(db);
	unit_tmpdir_remove(dir);
	free(dir);
	free(path);
	config_free(&cfg);
}

static int64_t
create(const struct user *by, const char *title, const char *description,
    const char *priority, const char *assignee, int64_t deadline)
{
	struct ticket_fields	 f;
	int64_t			 id = 0;
	char			*cause = NULL;

	memset(&f, 0, sizeof f);
	f.title = title;
	f.description = description;
	f.priority = priority;
	f.assignee = assignee;
	f.has_deadline = true;
	f.deadline = deadline;
	if (ticket_create(db, &cfg, by, &f, NOW, &id, &cause) != WD_OK)
		ck_abort_msg("ticket_create: %s", cause);
	return id;
}

/*
 * NROWS tickets with many equal deadlines and update times (the ties the
 * id must break), every priority, some resolved, some of them bob's.
 */
static void
populate(void)
{
	char	title[32];
	int	i;

	ck_assert_int_eq(db_begin_write(db, NULL), WD_OK);
	for (i = 0; i < NROWS; i++) {
		snprintf(title, sizeof title, "ticket %d", i);
		create(i % 3 == 0 ? &bob : &alice, title, "",
		    ticket_priorities[(i * 7) % 4], i % 4 == 1 ? "bob" : NULL,
		    NOW + ((i * 37) % 41 - 20) * HOUR);
	}
	ck_assert_int_eq(db_commit(db, NULL), WD_OK);
	unit_sql_int(path, "UPDATE tickets SET updated_at = updated_at + "
	    "(id * 13) % 23");
	unit_sql_int(path, "UPDATE tickets SET status = 'resolved', "
	    "resolved_at = updated_at WHERE id % 5 = 0");
	unit_sql_int(path, "UPDATE tickets SET status = 'in_progress' "
	    "WHERE id % 7 = 0 AND id % 5 <> 0");
}

static int
rank_of(const char *p)
{
	static const char *const order[] = {
		"urgent", "high", "normal", "low"
	};
	int	i;

	for (i = 0; i < 4; i++) {
		if (strcmp(order[i], p) == 0)
			return i;
	}
	ck_abort_msg("priority %s", p);
	return -1;
}

static int
load_row(const struct ticket *t, void *arg)
{
	struct rows	*rs = arg;
	struct row	*r;

	rs->r = xreallocarray(rs->r, rs->n + 1, sizeof *rs->r);
	r = &rs->r[rs->n++];
	r->id = t->id;
	r->resolved = strcmp(t->status, "resolved") == 0;
	r->rank = rank_of(t->priority);
	r->deadline = t->deadline;
	r->updated_at = t->updated_at;
	r->owner_id = t->owner_id;
	r->assignee_id = t->assignee_id;
	return 0;
}

static enum queue_sort	cmp_sort;
static int		cmp_reverse;

#define CMP(a, b)	do {						\
	if ((a) != (b))							\
		return (a) < (b) ? -1 : 1;				\
} while (0)

/* The display orders of queue.h, written out independently. */
static int
cmp_rows(const void *va, const void *vb)
{
	const struct row	*a = va, *b = vb;

	if (cmp_reverse) {
		a = vb;
		b = va;
	}
	switch (cmp_sort) {
	case QUEUE_SORT_URGENCY:
		CMP(a->resolved, b->resolved);
		CMP(a->deadline, b->deadline);
		CMP(a->id, b->id);
		break;
	case QUEUE_SORT_ID:
		CMP(b->id, a->id);
		break;
	case QUEUE_SORT_PRIORITY:
		CMP(a->rank, b->rank);
		CMP(a->resolved, b->resolved);
		CMP(a->deadline, b->deadline);
		CMP(a->id, b->id);
		break;
	case QUEUE_SORT_UPDATED:
		CMP(b->updated_at, a->updated_at);
		CMP(b->id, a->id);
		break;
	default:
		break;
	}
	return 0;
}

static int
row_in(const struct row *r, enum ticket_filter filter, int64_t me,
    int64_t now)
{
	switch (filter) {
	case TICKET_FILTER_OPEN:
		return !r->resolved;
	case TICKET_FILTER_MINE:
		return !r->resolved && (r->owner_id == me ||
		    r->assignee_id == me);
	case TICKET_FILTER_OVERDUE:
		return !r->resolved && r->deadline <= now;
	case TICKET_FILTER_ALL:
		return 1;
	}
	return 0;
}

/* The ids of view V at NOW in display order, into IDS; returns how many. */
static size_t
expected(const struct queue_view *v, int64_t now, int64_t *ids)
{
	struct rows	rs;
	size_t		i, n = 0;

	memset(&rs, 0, sizeof rs);
	ck_assert_int_eq(ticket_list(db, &cfg.sla, TICKET_FILTER_ALL, NULL, now,
	    load_row, &rs, NULL), WD_OK);
	cmp_sort = v->sort;
	cmp_reverse = v->reverse;
	qsort(rs.r, rs.n, sizeof *rs.r, cmp_rows);
	for (i = 0; i < rs.n; i++) {
		if (row_in(&rs.r[i], v->filter, v->me != NULL ? v->me->id : 0,
		    now))
			ids[n++] = rs.r[i].id;
	}
	free(rs.r);
	return n;
}

/* Fetch, failing the test on error. */
static struct ticket *
fetch(const struct queue_view *v, enum queue_dir qd,
    const struct ticket *anchor, size_t limit, size_t *n)
{
	struct ticket	*rows = NULL;
	char		*cause = NULL;

	if (queue_fetch(db, &cfg.sla, v, qd, anchor, limit, NOW, &rows, n,
	    &cause) != WD_OK)
		ck_abort_msg("queue_fetch: %s", cause);
	return rows;
}

/*
 * Page through V forwards (FIRST, then AFTER the last row) and backwards
 * (LAST, then BEFORE the first row) in pages of LIMIT, and compare both
 * with the expected order.
 */
static void
check_paging(const struct queue_view *v, size_t limit)
{
	int64_t		 want[NROWS + 16], got[NROWS + 16];
	struct ticket	*rows, anchor;
	size_t		 nwant, ngot, n, i, pages;

	nwant = expected(v, NOW, want);
	ck_assert_msg(nwant > 0, "filter %s is empty",
	    queue_filter_name(v->filter));

	/* Forwards. */
	ngot = 0;
	rows = fetch(v, QUEUE_FIRST, NULL, limit, &n);
	for (pages = 0; n > 0; pages++) {
		ck_assert_uint_le(n, limit);
		ck_assert_uint_le(ngot + n, nwant);
		for (i = 0; i < n; i++) {
			ck_assert_ptr_null(rows[i].description);
			ck_assert_ptr_nonnull(rows[i].title);
			got[ngot++] = rows[i].id;
		}
		anchor = rows[n - 1];
		rows[n - 1].title = rows[n - 1].status = NULL;
		rows[n - 1].priority = rows[n - 1].owner = NULL;
		rows[n - 1].assignee = NULL;
		queue_rows_free(rows, n);
		rows = fetch(v, QUEUE_AFTER, &anchor, limit, &n);
		ticket_clear(&anchor);
		ck_assert_uint_le(pages, nwant);
	}
	queue_rows_free(rows, n);
	ck_assert_msg(ngot == nwant, "%s/%s forwards: %zu rows, want %zu",
	    queue_filter_name(v->filter), queue_sort_name(v->sort), ngot,
	    nwant);
	for (i = 0; i < nwant; i++)
		ck_assert_msg(got[i] == want[i], "%s/%s forwards: row %zu is "
		    "#%lld, want #%lld", queue_filter_name(v->filter),
		    queue_sort_name(v->sort), i, (long long)got[i],
		    (long long)want[i]);

	/* Backwards: pages come in display order, last page first. */
	ngot = nwant;
	rows = fetch(v, QUEUE_LAST, NULL, limit, &n);
	for (pages = 0; n > 0; pages++) {
		ck_assert_uint_le(n, limit);
		ck_assert_uint_le(n, ngot);
		ngot -= n;
		for (i = 0; i < n; i++)
			got[ngot + i] = rows[i].id;
		anchor = rows[0];
		rows[0].title = rows[0].status = rows[0].priority = NULL;
		rows[0].owner = rows[0].assignee = NULL;
		queue_rows_free(rows, n);
		rows = fetch(v, QUEUE_BEFORE, &anchor, limit, &n);
		ticket_clear(&anchor);
		ck_assert_uint_le(pages, nwant);
	}
	queue_rows_free(rows, n);
	ck_assert_msg(ngot == 0, "%s/%s backwards: %zu rows missing",
	    queue_filter_name(v->filter), queue_sort_name(v->sort), ngot);
	for (i = 0; i < nwant; i++)
		ck_assert_msg(got[i] == want[i], "%s/%s backwards: row %zu is "
		    "#%lld, want #%lld", queue_filter_name(v->filter),
		    queue_sort_name(v->sort), i, (long long)got[i],
		    (long long)want[i]);
}

START_TEST(test_names)
{
	ck_assert_str_eq(queue_sort_name(QUEUE_SORT_URGENCY), "urgency");
	ck_assert_str_eq(queue_sort_name(QUEUE_SORT_ID), "id");
	ck_assert_str_eq(queue_sort_name(QUEUE_SORT_PRIORITY), "priority");
	ck_assert_str_eq(queue_sort_name(QUEUE_SORT_UPDATED), "updated");
	ck_assert_str_eq(queue_filter_name(TICKET_FILTER_OPEN), "open");
	ck_assert_str_eq(queue_filter_name(TICKET_FILTER_MINE), "mine");
	ck_assert_str_eq(queue_filter_name(TICKET_FILTER_OVERDUE), "overdue");
	ck_assert_str_eq(queue_filter_name(TICKET_FILTER_ALL), "all");
}
END_TEST

/* Every (filter, sort), forwards and back, in pages of 7 and of 64. */
START_TEST(test_paging)
{
	struct queue_view	v;
	enum ticket_filter	f;
	enum queue_sort		s;

	populate();
	memset(&v, 0, sizeof v);
	v.me = &bob;
	for (f = TICKET_FILTER_OPEN; f <= TICKET_FILTER_ALL; f++) {
		for (s = 0; s < QUEUE_NSORTS; s++) {
			v.filter = f;
			v.sort = s;
			v.reverse = false;
			check_paging(&v, 7);
			check_paging(&v, 64);
			v.reverse = true;
			check_paging(&v, 7);
			check_paging(&v, 64);
		}
	}
}
END_TEST

/* The edges: nothing after the last row or before the first; FROM. */
START_TEST(test_edges)
{
	struct queue_view	 v;
	struct ticket		*first, *last, *rows;
	size_t			 n, nf, nl;
	char			*cause = NULL;

	populate();
	memset(&v, 0, sizeof v);
	v.filter = TICKET_FILTER_ALL;
	v.sort = QUEUE_SORT_PRIORITY;
	first = fetch(&v, QUEUE_FIRST, NULL, 3, &nf);
	last = fetch(&v, QUEUE_LAST, NULL, 3, &nl);
	ck_assert_uint_eq(nf, 3);
	ck_assert_uint_eq(nl, 3);
	rows = fetch(&v, QUEUE_BEFORE, &first[0], 10, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(rows);
	rows = fetch(&v, QUEUE_AFTER, &last[2], 10, &n);
	ck_assert_uint_eq(n, 0);
	/* FROM includes the anchor. */
	rows = fetch(&v, QUEUE_FROM, &first[1], 2, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(rows[0].id, first[1].id);
	ck_assert_int_eq(rows[1].id, first[2].id);
	queue_rows_free(rows, n);
	/* The rows carry the ticket and its SLA state. */
	ck_assert_str_eq(first[0].priority, "urgent");
	ck_assert_ptr_nonnull(first[0].owner);
	ck_assert_int_ne(first[0].created_at, 0);
	ck_assert_int_ne(first[0].version, 0);
	/* Limit 0, and no anchor where one is needed. */
	rows = fetch(&v, QUEUE_FIRST, NULL, 0, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(queue_fetch(db, &cfg.sla, &v, QUEUE_AFTER, NULL, 5,
	    NOW, &rows, &n, &cause), WD_EUSAGE);
	free(cause);
	queue_rows_free(first, nf);
	queue_rows_free(last, nl);
}
END_TEST

/* FROM a deleted anchor goes on with the row after it, in every order. */
START_TEST(test_from_deleted)
{
	struct queue_view	 v;
	struct ticket		*rows, *from;
	int64_t			 want[NROWS + 16];
	size_t			 n, nfrom, nwant;

	populate();
	memset(&v, 0, sizeof v);
	v.filter = TICKET_FILTER_ALL;
	for (v.sort = 0; v.sort < QUEUE_NSORTS; v.sort++) {
		rows = fetch(&v, QUEUE_FIRST, NULL, 40, &n);
		ck_assert_uint_eq(n, 40);
		ck_assert_int_eq(ticket_delete(db, &alice, rows[20].id, NOW,
		    NULL) == WD_OK || ticket_delete(db, &bob, rows[20].id, NOW,
		    NULL) == WD_OK, 1);
		from = fetch(&v, QUEUE_FROM, &rows[20], 5, &nfrom);
		ck_assert_uint_eq(nfrom, 5);
		ck_assert_int_eq(from[0].id, rows[21].id);
		nwant = expected(&v, NOW, want);
		ck_assert_uint_eq(nwant, NROWS - 1 - (size_t)v.sort);
		ck_assert_int_eq(want[20], rows[21].id);
		queue_rows_free(from, nfrom);
		/* And BEFORE it ends with the row before it. */
		from = fetch(&v, QUEUE_BEFORE, &rows[20], 5, &nfrom);
		ck_assert_uint_eq(nfrom, 5);
		ck_assert_int_eq(from[4].id, rows[19].id);
		ck_assert_int_eq(from[0].id, rows[15].id);
		queue_rows_free(from, nfrom);
		queue_rows_free(rows, n);
	}
}
END_TEST

/* The ids of a whole view, in order, into IDS; returns how many. */
static size_t
fetch_ids(const struct queue_view *v, int64_t *ids, size_t max)
{
	struct ticket	*rows;
	size_t		 n, i;

	rows = fetch(v, QUEUE_FIRST, NULL, max, &n);
	for (i = 0; i < n; i++)
		ids[i] = rows[i].id;
	queue_rows_free(rows, n);
	return n;
}

/* A search matches title or description; % _ and \ are themselves. */
START_TEST(test_search)
{
	struct queue_view	 v;
	struct ticket		*rows, *more;
	int64_t			 ids[8], pct, und, notund, slash, desc, res;
	size_t			 n, nmore;

	populate();
	pct = create(&alice, "Printer 100% broken", "", NULL, NULL, NOW);
	und = create(&alice, "disk_full on db1", "", NULL, NULL, NOW + 1);
	notund = create(&alice, "diskXfull on db2", "", NULL, NULL, NOW + 2);
	slash = create(&alice, "path C:\\temp", "", NULL, NULL, NOW + 3);
	desc = create(&bob, "quiet title", "a NeedLe in the text", NULL,
	    NULL, NOW + 4);
	res = create(&bob, "resolved needle", "", NULL, NULL, NOW + 5);
	unit_sql_int(path, "UPDATE tickets SET status = 'resolved', "
	    "resolved_at = updated_at WHERE title = 'resolved needle'");

	memset(&v, 0, sizeof v);
	v.filter = TICKET_FILTER_OPEN;
	v.search = "100%";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
	ck_assert_int_eq(ids[0], pct);
	v.search = "%";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
	ck_assert_int_eq(ids[0], pct);
	v.search = "disk_full";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
	ck_assert_int_eq(ids[0], und);
	v.search = "DISK";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 2);
	ck_assert_int_eq(ids[0], und);
	ck_assert_int_eq(ids[1], notund);
	v.search = "c:\\t";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
	ck_assert_int_eq(ids[0], slash);
	v.search = "_";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
	v.search = "'; DROP TABLE tickets; --";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 0);
	/* Descriptions, any case; the filter still applies. */
	v.search = "needle";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
	ck_assert_int_eq(ids[0], desc);
	v.filter = TICKET_FILTER_ALL;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 2);
	ck_assert_int_eq(ids[0], desc);
	ck_assert_int_eq(ids[1], res);
	v.filter = TICKET_FILTER_MINE;
	v.me = &alice;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 0);
	v.me = &bob;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
	/* Paging within a search. */
	v.filter = TICKET_FILTER_ALL;
	v.sort = QUEUE_SORT_ID;
	v.search = "ticket 1";		/* ticket 1, 10..19, 100..199 */
	rows = fetch(&v, QUEUE_FIRST, NULL, 100, &n);
	ck_assert_uint_eq(n, 100);
	more = fetch(&v, QUEUE_AFTER, &rows[99], 100, &nmore);
	ck_assert_uint_eq(nmore, 11);
	ck_assert_int_lt(more[0].id, rows[99].id);
	queue_rows_free(rows, n);
	queue_rows_free(more, nmore);
	/* "#N" and N find ticket N, as well as the words. */
	v.search = NULL;
	v.filter = TICKET_FILTER_ALL;
	v.sort = QUEUE_SORT_URGENCY;
	{
		char	q[32];

		snprintf(q, sizeof q, "#%lld", (long long)res);
		v.search = q;
		ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
		ck_assert_int_eq(ids[0], res);
		snprintf(q, sizeof q, " %lld ", (long long)desc);
		ck_assert_uint_eq(fetch_ids(&v, ids, 8), 1);
		ck_assert_int_eq(ids[0], desc);
		v.search = "#999999";
		ck_assert_uint_eq(fetch_ids(&v, ids, 8), 0);
	}
	v.sort = QUEUE_SORT_ID;
	/* An empty search is none. */
	v.search = "";
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 8);
	ck_assert_ptr_eq(queue_sql(DB_SQLITE, &v, QUEUE_FIRST),
	    queue_sql(DB_SQLITE, &(struct queue_view){
	    .filter = TICKET_FILTER_ALL, .sort = QUEUE_SORT_ID }, QUEUE_FIRST));
}
END_TEST

/* Priority: the open tickets of a priority before its resolved ones. */
START_TEST(test_priority_open_first)
{
	struct queue_view	 v;
	int64_t			 ids[8], done, open;

	done = create(&alice, "done", "", "high", NULL, NOW - HOUR);
	open = create(&alice, "open", "", "high", NULL, NOW + HOUR);
	unit_sql_int(path, "UPDATE tickets SET status = 'resolved', "
	    "resolved_at = updated_at WHERE title = 'done'");
	memset(&v, 0, sizeof v);
	v.filter = TICKET_FILTER_ALL;
	v.sort = QUEUE_SORT_PRIORITY;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 2);
	ck_assert_int_eq(ids[0], open);
	ck_assert_int_eq(ids[1], done);
	/* S: the other way round. */
	v.reverse = true;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 2);
	ck_assert_int_eq(ids[0], done);
	ck_assert_int_eq(ids[1], open);
	v.sort = QUEUE_SORT_ID;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 2);
	ck_assert_int_eq(ids[0], done);
	ck_assert(queue_sort_descending(QUEUE_SORT_ID, false));
	ck_assert(!queue_sort_descending(QUEUE_SORT_ID, true));
	ck_assert(!queue_sort_descending(QUEUE_SORT_URGENCY, false));
	ck_assert(queue_sort_descending(QUEUE_SORT_UPDATED, false));
}
END_TEST

/* Which searches name a ticket by id. */
START_TEST(test_search_id)
{
	int64_t	id;

	ck_assert(queue_search_id("#6", &id));
	ck_assert_int_eq(id, 6);
	ck_assert(queue_search_id(":42", &id));
	ck_assert_int_eq(id, 42);
	ck_assert(queue_search_id(" 7 ", &id));
	ck_assert_int_eq(id, 7);
	ck_assert(!queue_search_id("#", &id));
	ck_assert_int_eq(id, 0);
	ck_assert(!queue_search_id("6a", &id));
	ck_assert(!queue_search_id("#0", &id));
	ck_assert(!queue_search_id("-3", &id));
	ck_assert(!queue_search_id("printer", &id));
	ck_assert(!queue_search_id("99999999999999999999", &id));
	ck_assert(!queue_search_id(NULL, &id));
}
END_TEST

/* "Mine": owned by me or assigned to me, not resolved. */
START_TEST(test_mine)
{
	struct queue_view	 v;
	int64_t			 ids[8], a, b, c;

	a = create(&alice, "alice's", "", NULL, NULL, NOW + 3);
	b = create(&alice, "alice's, bob's to do", "", NULL, "bob", NOW + 1);
	c = create(&bob, "bob's", "", NULL, "alice", NOW + 2);
	create(&bob, "bob's, done", "", NULL, NULL, NOW);
	unit_sql_int(path, "UPDATE tickets SET status = 'resolved', "
	    "resolved_at = updated_at WHERE title = 'bob''s, done'");
	memset(&v, 0, sizeof v);
	v.filter = TICKET_FILTER_MINE;
	v.me = &alice;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 3);
	ck_assert_int_eq(ids[0], b);
	ck_assert_int_eq(ids[1], c);
	ck_assert_int_eq(ids[2], a);
	v.me = &bob;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 2);
	ck_assert_int_eq(ids[0], b);
	ck_assert_int_eq(ids[1], c);
	v.me = NULL;
	ck_assert_uint_eq(fetch_ids(&v, ids, 8), 0);
}
END_TEST

/* The counts agree with the SLA state of every ticket, at several times. */
START_TEST(test_counts)
{
	struct queue_counts	 c;
	struct ticket		*rows;
	int64_t			 now, open, warning, missed;
	size_t			 n, i;
	int			 step;

	populate();
	for (step = -25; step <= 25; step += 5) {
		now = NOW + step * HOUR + (step % 2) * 1800;
		ck_assert_int_eq(queue_counts(db, &cfg.sla, now, &c, NULL),
		    WD_OK);
		/* The rows' own SLA states, read at the same time. */
		rows = NULL;
		ck_assert_int_eq(queue_fetch(db, &cfg.sla, &(struct queue_view){
		    .filter = TICKET_FILTER_OPEN }, QUEUE_FIRST, NULL,
		    NROWS, now, &rows, &n, NULL), WD_OK);
		open = warning = missed = 0;
		for (i = 0; i < n; i++) {
			open++;
			if (rows[i].sla == SLA_WARNING)
				warning++;
			else if (rows[i].sla == SLA_MISSED)
				missed++;
		}
		queue_rows_free(rows, n);
		ck_assert_int_eq(c.open, open);
		ck_assert_int_eq(c.warning, warning);
		ck_assert_int_eq(c.missed, missed);
		ck_assert_int_eq(c.open, unit_sql_int(path, "SELECT count(*) "
		    "FROM tickets WHERE resolved_at IS NULL"));
	}
	ck_assert_int_gt(c.missed, 0);
	/* The edges of the warning window, on one ticket. */
	unit_sql_int(path, "DELETE FROM tickets");
	create(&alice, "one", "", NULL, NULL, NOW);
	cfg.sla_warning_minutes = 60;
	sla_policy_from_config(&cfg, &cfg.sla);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW - HOUR - 1, &c, NULL),
	    WD_OK);
	ck_assert_int_eq(c.open, 1);
	ck_assert_int_eq(c.warning + c.missed, 0);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW - HOUR, &c, NULL),
	    WD_OK);
	ck_assert_int_eq(c.warning, 1);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW - 1, &c, NULL), WD_OK);
	ck_assert_int_eq(c.warning, 1);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW, &c, NULL), WD_OK);
	ck_assert_int_eq(c.warning, 0);
	ck_assert_int_eq(c.missed, 1);
	cfg.sla_warning_minutes = 0;
	sla_policy_from_config(&cfg, &cfg.sla);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW - 1, &c, NULL), WD_OK);
	ck_assert_int_eq(c.warning + c.missed, 0);
}
END_TEST

/* Does PLAN read table t through an index (or its rowid, when ROWID)? */
static int
plan_uses_index(const char *plan, int rowid)
{
	if (strstr(plan, "TEMP B-TREE") != NULL)
		return 0;
	if (strstr(plan, " t USING INDEX tickets_") != NULL ||
	    strstr(plan, " t USING COVERING INDEX tickets_") != NULL)
		return 1;
	/* Newest first over all tickets: the table is the id index. */
	return rowid && (strstr(plan, "SCAN t\n") != NULL ||
	    strstr(plan, "SEARCH t USING INTEGER PRIMARY KEY") != NULL);
}

/*
 * Every fetch but "mine" reads an index in display order: no temporary
 * sort, no table scan, with or without a search, on a few thousand rows
 * and no ANALYZE.
 */
START_TEST(test_query_plans)
{
	struct queue_view	 v;
	enum queue_dir		 d;
	const char		*sql;
	char			*plan = NULL, *cause = NULL;
	int			 search, reverse;

	unit_sql_int(path, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL "
	    "SELECT x + 1 FROM n WHERE x < 5000) INSERT INTO tickets (title, "
	    "status, priority, owner_id, deadline, created_at, updated_at, "
	    "resolved_at) SELECT 'bulk ' || x, CASE WHEN x % 4 = 0 THEN "
	    "'resolved' ELSE 'open' END, CASE x % 4 WHEN 0 THEN 'low' "
	    "WHEN 1 THEN 'normal' WHEN 2 THEN 'high' ELSE 'urgent' END, "
	    "1, 1795000000 + x * 60, 1795000000, 1795000000 + x % 977, "
	    "CASE WHEN x % 4 = 0 THEN 1795000000 END FROM n");
	memset(&v, 0, sizeof v);
	for (v.filter = TICKET_FILTER_OPEN; v.filter <= TICKET_FILTER_ALL;
	    v.filter++) {
		if (v.filter == TICKET_FILTER_MINE)
			continue;
		for (v.sort = 0; v.sort < QUEUE_NSORTS; v.sort++)
		for (reverse = 0; reverse < 2; reverse++)
		for (d = QUEUE_FIRST; d <= QUEUE_FROM; d++)
		for (search = 0; search < 2; search++) {
			v.reverse = reverse;
			v.search = search ? "needle" : NULL;
			sql = queue_sql(DB_SQLITE, &v, d);
			ck_assert_ptr_nonnull(sql);
			ck_assert_ptr_eq(sql, queue_sql(DB_SQLITE, &v, d));
			if (db_query_plan(db, sql, &plan, &cause) != WD_OK)
				ck_abort_msg("plan: %s", cause);
			ck_assert_msg(plan_uses_index(plan,
			    v.filter == TICKET_FILTER_ALL &&
			    v.sort == QUEUE_SORT_ID),
			    "%s/%s%s dir %d search %d:\n%s\n%s",
			    queue_filter_name(v.filter),
			    queue_sort_name(v.sort), reverse ? " reversed" : "",
			    (int)d, search, sql, plan);
			free(plan);
		}
	}
	/*
	 * "Mine" sorts, but only two windows read from the partial indexes
	 * of my open tickets.
	 */
	v.filter = TICKET_FILTER_MINE;
	v.search = NULL;
	for (v.sort = 0; v.sort < QUEUE_NSORTS; v.sort++)
	for (reverse = 0; reverse < 2; reverse++)
	for (d = QUEUE_FIRST; d <= QUEUE_FROM; d++) {
		v.reverse = reverse;
		sql = queue_sql(DB_SQLITE, &v, d);
		ck_assert_ptr_null(strstr(sql, "OFFSET"));
		if (db_query_plan(db, sql, &plan, &cause) != WD_OK)
			ck_abort_msg("plan: %s", cause);
		ck_assert_msg(strstr(plan, "INDEX tickets_open_owner") &&
		    strstr(plan, "INDEX tickets_open_assignee") &&
		    strstr(plan, "SCAN t\n") == NULL,
		    "mine/%s dir %d:\n%s\n%s", queue_sort_name(v.sort), (int)d,
		    sql, plan);
		free(plan);
	}
	/*
	 * The counts: ranges of the open queue's deadline index, and the
	 * open total kept by triggers.
	 */
	ck_assert_int_eq(db_query_plan(db, queue_counts_sql(), &plan, NULL),
	    WD_OK);
	ck_assert_msg(strstr(plan, "SCAN tickets") == NULL &&
	    strstr(plan, "SEARCH tickets USING INDEX tickets_open_deadline "
	    "(deadline<?)") != NULL &&
	    strstr(plan, "SEARCH tickets USING INDEX tickets_open_deadline "
	    "(deadline>? AND deadline<?)") != NULL &&
	    strstr(plan, "SEARCH ticket_counts USING PRIMARY KEY") != NULL &&
	    strstr(plan, "SEARCH tickets USING INDEX "
	    "tickets_open_paused (deadline<?)") != NULL &&
	    strstr(plan, "SEARCH tickets USING INDEX "
	    "tickets_open_paused (deadline>? AND deadline<?)") != NULL,
	    "counts:\n%s", plan);
	free(plan);
}
END_TEST

/* The open total kept by triggers follows creates, resolves and deletes. */
START_TEST(test_open_counter)
{
	struct ticket_fields	 f;
	struct queue_counts	 c;
	int64_t			 a, b;

	a = create(&alice, "a", NULL, NULL, NULL, NOW + HOUR);
	b = create(&alice, "b", NULL, NULL, NULL, NOW + HOUR);
	create(&alice, "c", NULL, NULL, NULL, NOW - HOUR);
	memset(&f, 0, sizeof f);
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, a, &f, NOW, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW, &c, NULL), WD_OK);
	ck_assert_int_eq(c.open, 2);
	f.status = "on_hold";		/* reopened */
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, a, &f, NOW, NULL,
	    NULL), WD_OK);
	f.status = "in_progress";	/* open to open: no change */
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, a, &f, NOW, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW, &c, NULL), WD_OK);
	ck_assert_int_eq(c.open, 3);
	ck_assert_int_eq(ticket_delete(db, &alice, b, NOW, NULL), WD_OK);
	f.status = "resolved";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, a, &f, NOW, NULL,
	    NULL), WD_OK);
	ck_assert_int_eq(ticket_delete(db, &alice, a, NOW, NULL), WD_OK);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW, &c, NULL), WD_OK);
	ck_assert_int_eq(c.open, 1);
	ck_assert_int_eq(c.missed, 1);
	ck_assert_int_eq(unit_sql_int(path, "SELECT count(*) FROM tickets "
	    "WHERE status <> 'resolved'"), 1);
}
END_TEST

/*
 * A paused ticket (a status of SLA_PAUSE_STATUSES) is neither missed nor
 * in warning in the queue's counts, as in its SLA column, though its
 * deadline stays where it was until the pause ends.
 */
START_TEST(test_paused_counts)
{
	struct ticket_fields	 f;
	struct queue_counts	 c;
	int64_t			 late, soon;

	cfg.sla_warning_minutes = 60;
	sla_policy_from_config(&cfg, &cfg.sla);
	ck_assert(cfg.sla.pause[TICKET_ON_HOLD]);
	late = create(&alice, "late", NULL, NULL, NULL, NOW + HOUR);
	soon = create(&alice, "soon", NULL, NULL, NULL, NOW + 2 * HOUR);
	create(&alice, "missed", NULL, NULL, NULL, NOW + HOUR);
	create(&alice, "warning", NULL, NULL, NULL, NOW + 2 * HOUR);
	memset(&f, 0, sizeof f);
	f.status = "on_hold";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, late, &f, NOW,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, soon, &f, NOW,
	    NULL, NULL), WD_OK);
	/* Ninety minutes on: two deadlines past, two within the hour. */
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW + 90 * 60, &c, NULL),
	    WD_OK);
	ck_assert_int_eq(c.open, 4);
	ck_assert_int_eq(c.missed, 1);
	ck_assert_int_eq(c.warning, 1);
	/* Taken back into work: counted again (its deadline moved out). */
	f.status = "in_progress";
	ck_assert_int_eq(ticket_update(db, &cfg.sla, &bob, late, &f, NOW,
	    NULL, NULL), WD_OK);
	ck_assert_int_eq(queue_counts(db, &cfg.sla, NOW + 90 * 60, &c, NULL),
	    WD_OK);
	ck_assert_int_eq(c.missed, 2);
}
END_TEST

static Suite *
queue_suite(void)
{
	Suite	*s = suite_create("queue");
	TCase	*tc = tcase_create("queue");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_paused_counts);
	tcase_add_test(tc, test_paging);
	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_from_deleted);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_search_id);
	tcase_add_test(tc, test_priority_open_first);
	tcase_add_test(tc, test_mine);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_open_counter);
	tcase_add_test(tc, test_query_plans);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(queue_suite)
