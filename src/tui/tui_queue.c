/*
 * tui_queue.c: the ticket list. Only the visible window of rows is held:
 * queue_fetch() pages through the database with keyset queries (FIRST,
 * LAST, AFTER and BEFORE the window's edge rows, FROM its first row to
 * fetch it again in place), so that a million tickets cost what one
 * screen costs. The countdowns and SLA states are worked out again every
 * second from the rows held; the counts of the status line come from
 * queue_counts().
 *
 *	line 1		title bar: filter, sort, search
 *	line 2		column header
 *	...		one row a ticket, the cursor row in reverse video
 *	line N-1	status line: user, counts, the latest message
 *	line N		key hint
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui_int.h"

#include "watchdog/columns.h"
#include "watchdog/config.h"
#include "watchdog/sla.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Counts that took longer than this (ms) are taken every few seconds. */
#define QUEUE_COUNTS_SLOW_MS	20
#define QUEUE_COUNTS_SLOW_EVERY	10

struct tui_queue {
	struct tui_screen	 screen;
	struct queue_view	 view;
	char			*search;

	struct ticket		*rows;		/* the visible window */
	size_t			 nrows;
	size_t			 cursor;	/* index into rows */
	size_t			 page;		/* rows that fit */

	struct columns		 cols;		/* laid out on resize */
	int			 id_width;	/* the widest id seen */

	struct queue_counts	 counts;
	bool			 have_counts;
	int64_t			 counts_at;	/* when they were taken */
	int64_t			 counts_ms;	/* what they cost */
};

/* "low", "norm", "high", "URG": the PRI column. */
static const char *
queue_priority_short(const char *priority)
{
	if (strcmp(priority, "normal") == 0)
		return "norm";
	if (strcmp(priority, "urgent") == 0)
		return "URG";
	return priority;
}

/* The SLA state of T at NOW (it moves with the clock). */
static enum sla_state
queue_sla(const struct tui *tui, const struct ticket *t)
{
	return sla_state_at(&tui->cfg->sla, strcmp(t->status, "resolved") ==
	    0, t->paused_at, t->deadline, t->resolved_at, tui->now);
}

/*
 * The LEFT cell of T: the countdown (frozen while paused), or
 * met/breached once resolved.
 */
static void
queue_left(const struct tui *tui, const struct ticket *t, char *buf,
    size_t len)
{
	enum sla_state	state;

	state = queue_sla(tui, t);
	if (state == SLA_MET || state == SLA_BREACHED)
		snprintf(buf, len, "%s", sla_state_name(state));
	else	/* Paused: frozen; the SLA column says paused. */
		time_format_left(sla_left(t->deadline, t->paused_at,
		    tui->now), buf, len);
}

/* Free the rows of Q. */
static void
queue_drop_rows(struct tui_queue *q)
{
	queue_rows_free(q->rows, q->nrows);
	q->rows = NULL;
	q->nrows = 0;
}

/* Lay the columns out for the terminal's width. */
static void
queue_relayout(struct tui_queue *q)
{
	columns_layout(COLS, q->id_width, &q->cols);
}

/*
 * Widen the id column when one of ROWS (N) needs it: the only change of
 * layout the rows cause, and it only grows (ticket 1000, ticket 10000).
 */
static void
queue_note_ids(struct tui_queue *q, const struct ticket *rows, size_t n)
{
	size_t	i;
	int	w;

	for (i = 0; i < n; i++) {
		w = columns_id_width(rows[i].id);
		if (w > q->id_width) {
			q->id_width = w;
			queue_relayout(q);
		}
	}
}

/*
 * Fetch LIMIT rows in direction DIR from ANCHOR. False, with the message
 * in the status line, when the database said no.
 */
static bool
queue_get(struct tui *tui, struct tui_queue *q, enum queue_dir dir,
    const struct ticket *anchor, size_t limit, struct ticket **rows,
    size_t *n)
{
	enum wd_status	 status;
	char		*cause = NULL;

	*rows = NULL;
	*n = 0;
	q->view.search = q->search;
	q->view.me = &tui->me;
	status = queue_fetch(tui->db, &tui->cfg->sla, &q->view, dir, anchor,
	    limit, tui->now, rows, n, &cause);
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		*rows = NULL;
		*n = 0;
		return false;
	}
	queue_note_ids(q, *rows, *n);
	return true;
}

/*
 * Make the window ALL[START..] (at most a page of it) out of TOTAL rows
 * whose strings ALL owns; the rows outside are freed, and ALL with them.
 */
static void
queue_window(struct tui_queue *q, struct ticket *all, size_t total,
    size_t start)
{
	size_t	i, n;

	n = total - start;
	if (n > q->page)
		n = q->page;
	for (i = 0; i < total; i++) {
		if (i < start || i >= start + n)
			ticket_clear(&all[i]);
	}
	queue_drop_rows(q);
	q->rows = xcalloc(n > 0 ? n : 1, sizeof *q->rows);
	memcpy(q->rows, all + start, n * sizeof *q->rows);
	q->nrows = n;
	free(all);
}

/*
 * Join A (NA rows) then B (NB rows) into one new array; the strings move
 * with the rows, and A and B are freed.
 */
static struct ticket *
queue_join(struct ticket *a, size_t na, struct ticket *b, size_t nb)
{
	struct ticket	*all;

	all = xcalloc(na + nb > 0 ? na + nb : 1, sizeof *all);
	if (na > 0)
		memcpy(all, a, na * sizeof *all);
	if (nb > 0)
		memcpy(all + na, b, nb * sizeof *all);
	free(a);
	free(b);
	return all;
}

/* The first page: after a start, a new filter, sort or search, or g. */
static void
queue_first(struct tui *tui, struct tui_queue *q)
{
	struct ticket	*rows;
	size_t		 n;

	if (!queue_get(tui, q, QUEUE_FIRST, NULL, q->page, &rows, &n))
		return;
	queue_drop_rows(q);
	q->rows = rows;
	q->nrows = n;
	q->cursor = 0;
}

/* G: the last page, the cursor on the last row. */
static void
queue_last(struct tui *tui, struct tui_queue *q)
{
	struct ticket	*rows;
	size_t		 n;

	if (!queue_get(tui, q, QUEUE_LAST, NULL, q->page, &rows, &n))
		return;
	queue_drop_rows(q);
	q->rows = rows;
	q->nrows = n;
	q->cursor = n > 0 ? n - 1 : 0;
}

/*
 * Fetch the window again in place, from its first row (or from row FROM
 * of it, to keep the cursor in view after a resize): what changed shows,
 * and the cursor stays on its ticket when that is still there. A window
 * that came back short is topped up from above.
 */
static void
queue_refetch(struct tui *tui, struct tui_queue *q, size_t from)
{
	struct ticket	*rows, *before;
	size_t		 n, nb, i;
	int64_t		 cursor_id;

	if (q->nrows == 0) {
		queue_first(tui, q);
		return;
	}
	if (from >= q->nrows)
		from = q->nrows - 1;
	cursor_id = q->cursor < q->nrows ? q->rows[q->cursor].id : 0;
	if (!queue_get(tui, q, QUEUE_FROM, &q->rows[from], q->page, &rows,
	    &n))
		return;
	if (n < q->page) {
		if (!queue_get(tui, q, QUEUE_BEFORE, n > 0 ? &rows[0] :
		    &q->rows[from], q->page - n, &before, &nb)) {
			queue_rows_free(rows, n);
			return;
		}
		rows = queue_join(before, nb, rows, n);
		n += nb;
	}
	queue_drop_rows(q);
	q->rows = rows;
	q->nrows = n;
	for (i = 0; i < n; i++) {
		if (rows[i].id == cursor_id) {
			q->cursor = i;
			return;
		}
	}
	if (q->cursor >= n)
		q->cursor = n > 0 ? n - 1 : 0;
}

/* Down: the next row, past the bottom edge one row further. */
static void
queue_down(struct tui *tui, struct tui_queue *q)
{
	struct ticket	*rows;
	size_t		 n;

	if (q->cursor + 1 < q->nrows) {
		q->cursor++;
		return;
	}
	if (q->nrows == 0 || !queue_get(tui, q, QUEUE_AFTER,
	    &q->rows[q->nrows - 1], 1, &rows, &n))
		return;
	if (n == 0) {
		queue_rows_free(rows, 0);
		return;
	}
	rows = queue_join(q->rows, q->nrows, rows, n);
	n += q->nrows;
	q->rows = NULL;
	q->nrows = 0;
	queue_window(q, rows, n, n > q->page ? n - q->page : 0);
	q->cursor = q->nrows - 1;
}

/* Up: the row before, past the top edge one row further. */
static void
queue_up(struct tui *tui, struct tui_queue *q)
{
	struct ticket	*rows;
	size_t		 n;

	if (q->cursor > 0) {
		q->cursor--;
		return;
	}
	if (q->nrows == 0 || !queue_get(tui, q, QUEUE_BEFORE, &q->rows[0], 1,
	    &rows, &n))
		return;
	if (n == 0) {
		queue_rows_free(rows, 0);
		return;
	}
	rows = queue_join(rows, n, q->rows, q->nrows);
	n += q->nrows;
	q->rows = NULL;
	q->nrows = 0;
	queue_window(q, rows, n, 0);
	q->cursor = 0;
}

/* PgDn: a page further; at the end, the cursor goes to the last row. */
static void
queue_page_down(struct tui *tui, struct tui_queue *q)
{
	struct ticket	*rows;
	size_t		 n, total, start, target;

	if (q->nrows == 0)
		return;
	if (!queue_get(tui, q, QUEUE_AFTER, &q->rows[q->nrows - 1], q->page,
	    &rows, &n))
		return;
	if (n == 0) {
		queue_rows_free(rows, 0);
		q->cursor = q->nrows - 1;
		return;
	}
	total = q->nrows + n;
	target = q->cursor + q->page;
	if (target >= total)
		target = total - 1;
	rows = queue_join(q->rows, q->nrows, rows, n);
	q->rows = NULL;
	q->nrows = 0;
	start = total > q->page ? total - q->page : 0;
	queue_window(q, rows, total, start);
	q->cursor = target - start;
	if (q->cursor >= q->nrows)
		q->cursor = q->nrows - 1;
}

/* PgUp: a page back; at the start, the cursor goes to the first row. */
static void
queue_page_up(struct tui *tui, struct tui_queue *q)
{
	struct ticket	*rows;
	size_t		 n, total, target;

	if (q->nrows == 0)
		return;
	if (!queue_get(tui, q, QUEUE_BEFORE, &q->rows[0], q->page, &rows, &n))
		return;
	if (n == 0) {
		queue_rows_free(rows, 0);
		q->cursor = 0;
		return;
	}
	total = q->nrows + n;
	target = q->cursor + n >= q->page ? q->cursor + n - q->page : 0;
	rows = queue_join(rows, n, q->rows, q->nrows);
	q->rows = NULL;
	q->nrows = 0;
	queue_window(q, rows, total, 0);
	q->cursor = target < q->nrows ? target : q->nrows - 1;
}

/*
 * Take the counts of the status line: now when FORCE, else once a second
 * when they are cheap and every few seconds when they are not (the
 * warning and missed counts move with the clock); not while the database
 * server's connection is lost (the tick is making it again).
 */
static void
queue_update_counts(struct tui *tui, struct tui_queue *q, bool force)
{
	struct timespec		 t0, t1;
	struct queue_counts	 counts;
	enum wd_status		 status;
	char			*cause = NULL;
	int64_t			 every;

	every = q->counts_ms > QUEUE_COUNTS_SLOW_MS ?
	    QUEUE_COUNTS_SLOW_EVERY : 1;
	if (!force && tui->db_lost)
		return;
	if (!force && q->have_counts && tui->now - q->counts_at < every)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* A failure keeps the last counts shown. */
	status = queue_counts(tui->db, &tui->cfg->sla, tui->now, &counts,
	    &cause);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	q->counts_ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	q->counts_at = tui->now;
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		return;
	}
	q->counts = counts;
	q->have_counts = true;
}

/* The STATUS cell: "in_progress" is "in_prog" when room is short. */
static const char *
queue_status_text(const struct columns *c, const char *status)
{
	if (c->short_status && strcmp(status, "in_progress") == 0)
		return "in_prog";
	return status;
}

/* Draw the cells of one row (or the header when T is NULL) on line Y. */
static void
queue_draw_row(struct tui *tui, const struct columns *c, int y,
    const struct ticket *t, attr_t attr)
{
	char		 id[24], deadline[32], buf[32], left[32];
	const char	*cells[8];
	int		 widths[8], x = 0, i;

	if (t == NULL) {
		snprintf(id, sizeof id, "%*s", c->id, "ID");
		cells[0] = id;
		cells[1] = "PRI";
		cells[2] = "STATUS";
		cells[3] = "SLA";
		cells[4] = "TITLE";
		cells[5] = "ASSIGNEE";
		cells[6] = "DEADLINE";
		columns_pad_left("LEFT", left, sizeof left);
		cells[7] = left;
	} else {
		snprintf(id, sizeof id, "%*lld", c->id, (long long)t->id);
		time_format_local(t->deadline, deadline, sizeof deadline);
		queue_left(tui, t, buf, sizeof buf);
		columns_pad_left(buf, left, sizeof left);
		cells[0] = id;
		cells[1] = queue_priority_short(t->priority);
		cells[2] = queue_status_text(c, t->status);
		cells[3] = sla_state_name(queue_sla(tui, t));
		cells[4] = t->title;
		cells[5] = t->assignee != NULL ? t->assignee : "-";
		/* "MM-DD HH:MM" below 100 columns. */
		cells[6] = c->year || strlen(deadline) < 16 ? deadline :
		    deadline + 5;
		cells[7] = left;
	}
	widths[0] = c->id;
	widths[1] = c->pri;
	widths[2] = c->status;
	widths[3] = c->sla;
	widths[4] = c->title;
	widths[5] = c->assignee;
	widths[6] = c->deadline;
	widths[7] = c->left;
	tui_fill(y, 0, COLS, attr);
	for (i = 0; i < 8 && x < COLS; i++) {
		if (widths[i] == 0)
			continue;	/* given way on a narrow terminal */
		tui_text(y, x, cells[i], widths[i] < COLS - x ? widths[i] :
		    COLS - x, attr);
		x += widths[i] + 1;
	}
}

/* The order's direction for the title bar: an arrow, or words in ASCII. */
static const char *
queue_direction(const struct tui *tui, const struct tui_queue *q)
{
	if (queue_sort_descending(q->view.sort, q->view.reverse))
		return tui->utf8 ? "\xe2\x86\x93" : "desc";
	return tui->utf8 ? "\xe2\x86\x91" : "asc";
}

/* Draw the queue. */
static void
queue_draw(struct tui *tui, struct tui_screen *s)
{
	struct tui_queue	*q = s->data;
	char			*title, *status, *msg, zone[48];
	size_t			 i;
	attr_t			 attr;

	title = xasprintf("SLA Watchdog  filter: %s  sort: %s %s%s%s",
	    queue_filter_name(q->view.filter), queue_sort_name(q->view.sort),
	    queue_direction(tui, q), q->search != NULL ? "  search: " : "",
	    q->search != NULL ? q->search : "");
	tui_zone(tui->now, zone, sizeof zone);
	tui_bar(0, title, zone, A_REVERSE | A_BOLD);
	free(title);

	queue_draw_row(tui, &q->cols, 1, NULL, A_BOLD | A_UNDERLINE);
	for (i = 0; i < q->nrows && i < q->page; i++) {
		attr = tui_sla_attr(tui, queue_sla(tui, &q->rows[i]));
		if (i == q->cursor)
			attr |= A_REVERSE;
		queue_draw_row(tui, &q->cols, 2 + (int)i, &q->rows[i], attr);
	}
	if (q->nrows == 0) {
		if (q->search != NULL)
			msg = xasprintf("no tickets match \xe2\x80\x9c%s"
			    "\xe2\x80\x9d", q->search);
		else
			msg = xasprintf("no tickets (filter: %s)",
			    queue_filter_name(q->view.filter));
		tui_text(3, 2, msg, COLS - 4, A_NORMAL);
		free(msg);
	}

	if (q->have_counts)
		status = xasprintf("%s  %lld open  %lld warning  %lld missed",
		    tui->me.name, (long long)q->counts.open,
		    (long long)q->counts.warning, (long long)q->counts.missed);
	else
		status = xasprintf("%s", tui->me.name);
	tui_bar(LINES - 2, status, tui->message, A_REVERSE);
	free(status);
	tui_hint_keys(LINES - 1, KEYCTX_QUEUE);
}

/* The ticket under the cursor, or NULL (with a message) when none. */
static const struct ticket *
queue_current(struct tui *tui, struct tui_queue *q)
{
	if (q->cursor < q->nrows)
		return &q->rows[q->cursor];
	tui_message(tui, "no ticket here");
	return NULL;
}

/* /: prompt for a search; Enter applies it, Esc clears it. */
static void
queue_search(struct tui *tui, struct tui_queue *q)
{
	char	*text = NULL;
	int	 answer;

	answer = tui_prompt(tui, "Search: ", q->search, &text);
	if (answer < 0)
		return;
	free(q->search);
	q->search = NULL;
	if (answer == 1 && text != NULL && *text != '\0')
		q->search = text;
	else
		free(text);
	queue_first(tui, q);
	queue_update_counts(tui, q, true);
}

/*
 * # or :, then N and Enter: open ticket N, whatever the filter shows
 * (the notices name it so: "watchdog, then #N").
 */
static void
queue_jump(struct tui *tui)
{
	char	*text = NULL;
	int64_t	 id;

	if (tui_prompt(tui, "Open ticket #", NULL, &text) != 1)
		goto out;
	if (!queue_search_id(text, &id))
		tui_message(tui, "not a ticket number: %s", text);
	else if (!tui_view_run(tui, id))
		tui_message(tui, "no ticket #%lld", (long long)id);
out:
	free(text);
}

/* A key for the queue, dispatched through the key table. */
static void
queue_key(struct tui *tui, struct tui_screen *s, const struct tui_event *ev)
{
	struct tui_queue	*q = s->data;
	const struct ticket	*t;
	enum key_action		 action;
	int64_t			 id;

	action = keymap_lookup(KEYCTX_QUEUE, ev->key);
	if (action == ACTION_NONE) {
		if (ev->key == KEYMAP_CTRL('c'))
			tui->quit = true;
		return;
	}
	if (!tui_action_keeps_message(action))
		tui_clear_message(tui);
	switch (action) {
	case ACTION_UP:
		queue_up(tui, q);
		break;
	case ACTION_DOWN:
		queue_down(tui, q);
		break;
	case ACTION_PAGE_UP:
		tui_trace_key(tui, "page_move");
		queue_page_up(tui, q);
		break;
	case ACTION_PAGE_DOWN:
		tui_trace_key(tui, "page_move");
		queue_page_down(tui, q);
		break;
	case ACTION_FIRST:
		queue_first(tui, q);
		break;
	case ACTION_LAST:
		queue_last(tui, q);
		break;
	case ACTION_OPEN:
		if ((t = queue_current(tui, q)) == NULL)
			break;
		/* The rows may be fetched again while the view is up. */
		id = t->id;
		if (!tui_view_run(tui, id))
			tui_message(tui, "ticket #%lld was deleted",
			    (long long)id);
		break;
	case ACTION_JUMP:
		queue_jump(tui);
		break;
	case ACTION_NEW:
		tui_form_ticket_new(tui);
		break;
	case ACTION_ACCOUNTS:
		tui_accounts_run(tui);
		break;
	case ACTION_EDIT:
		if ((t = queue_current(tui, q)) != NULL)
			tui_form_ticket_edit(tui, t->id);
		break;
	case ACTION_EDITOR:
		if ((t = queue_current(tui, q)) != NULL)
			tui_editor_run(tui, t->id);
		break;
	case ACTION_RESOLVE:
		if ((t = queue_current(tui, q)) != NULL)
			tui_action_resolve(tui, t);
		break;
	case ACTION_DELETE:
		if ((t = queue_current(tui, q)) != NULL)
			tui_action_delete(tui, t);
		break;
	case ACTION_SEARCH:
		queue_search(tui, q);
		break;
	case ACTION_FILTER:
		q->view.filter = (enum ticket_filter)((q->view.filter + 1) %
		    (TICKET_FILTER_ALL + 1));
		queue_first(tui, q);
		break;
	case ACTION_SORT:
		q->view.sort = (enum queue_sort)((q->view.sort + 1) %
		    QUEUE_NSORTS);
		q->view.reverse = false;
		queue_first(tui, q);
		break;
	case ACTION_REVERSE:
		q->view.reverse = !q->view.reverse;
		queue_first(tui, q);
		break;
	case ACTION_REDRAW:
		tui_redraw(tui);
		break;
	case ACTION_HELP:
		tui_help_run(tui);
		break;
	case ACTION_QUIT:
		tui->quit = true;
		tui->exit_status = 0;
		break;
	default:
		break;
	}
}

/* The database changed: the window and the counts again. */
static void
queue_changed(struct tui *tui, struct tui_screen *s)
{
	struct tui_queue	*q = s->data;

	queue_refetch(tui, q, 0);
	queue_update_counts(tui, q, true);
}

/*
 * Each second: the counts when due, and under the overdue filter the
 * window (tickets join it as their deadlines pass).
 */
static void
queue_tick(struct tui *tui, struct tui_screen *s)
{
	struct tui_queue	*q = s->data;

	if (q->view.filter == TICKET_FILTER_OVERDUE)
		queue_refetch(tui, q, 0);
	queue_update_counts(tui, q, false);
}

/* The terminal changed size: as many rows as fit, the cursor in view. */
static void
queue_resize(struct tui *tui, struct tui_screen *s)
{
	struct tui_queue	*q = s->data;
	size_t			 page, from = 0;

	queue_relayout(q);
	page = LINES > 5 ? (size_t)LINES - 4 : 1;
	if (page == q->page && q->rows != NULL)
		return;
	if (q->cursor >= page)
		from = q->cursor - page + 1;
	q->page = page;
	/* The counts come with the first tick, once the rows are shown. */
	if (q->rows == NULL)
		queue_first(tui, q);
	else
		queue_refetch(tui, q, from);
}

static const struct tui_screen_ops queue_ops = {
	.draw = queue_draw,
	.key = queue_key,
	.changed = queue_changed,
	.tick = queue_tick,
	.resize = queue_resize,
};

/* A new queue: open tickets, most urgent first. Free with tui_queue_free. */
struct tui_queue *
tui_queue_new(struct tui *tui)
{
	struct tui_queue	*q;

	q = xcalloc(1, sizeof *q);
	q->view.filter = TICKET_FILTER_OPEN;
	q->view.sort = QUEUE_SORT_URGENCY;
	q->view.me = &tui->me;
	q->screen.ops = &queue_ops;
	q->screen.data = q;
	return q;
}

/* Free Q and the rows it holds. */
void
tui_queue_free(struct tui_queue *q)
{
	if (q == NULL)
		return;
	queue_drop_rows(q);
	free(q->search);
	free(q);
}

/* Run the queue until the user quits. */
void
tui_queue_run(struct tui *tui, struct tui_queue *q)
{
	tui_loop(tui, &q->screen);
}
