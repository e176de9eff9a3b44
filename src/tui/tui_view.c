/*
 * tui_view.c: one ticket on the whole screen (every field, the whole
 * description, the comments, the history), and the help screen drawn from the key
 * table. Both scroll; the ticket view follows changes made elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#include "watchdog/comment.h"
#include "watchdog/config.h"
#include "watchdog/sla.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* Width of the field labels of the ticket view. */
#define VIEW_LABEL	11

/* What a body line holds. */
enum view_kind {
	VIEW_TEXT,		/* plain text */
	VIEW_HEADING,		/* a section heading, bold */
	VIEW_SLA,		/* the SLA state, worked out at each draw */
	VIEW_LEFT,		/* the countdown, worked out at each draw */
};

struct view_line {
	enum view_kind	 kind;
	char		*text;		/* visible, fits the width */
};

/* A scrolling page of lines: the ticket view or the help. */
struct view {
	struct tui_screen	 screen;
	enum key_context	 context;
	int64_t			 id;		/* the ticket; 0 for help */
	struct ticket		 t;
	bool			 loaded;
	char			**history;	/* visible lines */
	size_t			 nhistory;
	char			**comments;	/* heading, text; visible */
	size_t			 ncomments;	/* strings: two a comment */

	struct view_line	*lines;
	size_t			 nlines;
	size_t			 top;		/* first line shown */
	int			 width;		/* laid out for */
};

/* Free the laid-out lines of V. */
static void
view_free_lines(struct view *v)
{
	size_t	i;

	for (i = 0; i < v->nlines; i++)
		free(v->lines[i].text);
	free(v->lines);
	v->lines = NULL;
	v->nlines = 0;
}

/* Add a line of KIND holding TEXT (copied). */
static void
view_add(struct view *v, enum view_kind kind, const char *text, size_t len)
{
	v->lines = xreallocarray(v->lines, v->nlines + 1, sizeof *v->lines);
	v->lines[v->nlines].kind = kind;
	v->lines[v->nlines].text = xstrndup(text, len);
	v->nlines++;
}

/* Add a wrapped line (a tui_wrap callback), indented by two. */
static void
view_add_wrapped(const char *s, size_t len, void *arg)
{
	struct view	*v = arg;
	char		*line;

	line = xasprintf("  %.*s", (int)len, s);
	view_add(v, VIEW_TEXT, line, strlen(line));
	free(line);
}

/* Add one line of a field's value (a tui_wrap callback). */
static void
view_field_part(const char *s, size_t len, void *arg)
{
	struct view	*v = ((void **)arg)[0];
	const char	**label = ((void **)arg)[1];
	char		*line;

	line = xasprintf("%-*s%.*s", VIEW_LABEL, *label, (int)len, s);
	view_add(v, VIEW_TEXT, line, strlen(line));
	free(line);
	*label = "";
}

/* Add "LABEL  VALUE", VALUE made visible and wrapped under the label. */
static void
view_field(struct view *v, const char *label, const char *value)
{
	void	*arg[2];
	char	*shown;

	shown = utf8_visible(value, false);
	arg[0] = v;
	arg[1] = &label;
	tui_wrap(shown, COLS - VIEW_LABEL - 1, view_field_part, arg);
	free(shown);
}

/* Add a time field in local time (the zone is in the title bar), or "-". */
static void
view_time(struct view *v, const char *label, int64_t t)
{
	char	local[32];

	if (t == 0) {
		view_field(v, label, "-");
		return;
	}
	time_format_local(t, local, sizeof local);
	view_field(v, label, local);
}

/*
 * A history value for the view: a time kept as ISO 8601 UTC (a deadline,
 * "2026-12-03T09:28:19Z") in local time, as every other time on the
 * screen; anything else as it is, "-" for none. Returns VALUE or BUF.
 */
static const char *
view_history_value(const char *value, char *buf, size_t len)
{
	int64_t	t;

	if (value == NULL)
		return "-";
	if (strlen(value) == 20 && value[4] == '-' && value[10] == 'T' &&
	    value[19] == 'Z' && time_parse_deadline(value, 0, &t, NULL) ==
	    WD_OK) {
		time_format_local(t, buf, len);
		return buf;
	}
	return value;
}

/* Keep one history row as a visible line (a ticket_history callback). */
static int
view_history_row(const struct ticket_change *c, void *arg)
{
	struct view	*v = arg;
	struct strbuf	 sb;
	char		 when[32], ob[32], nb[32], *line;

	time_format_local(c->at, when, sizeof when);
	memset(&sb, 0, sizeof sb);
	strbuf_addf(&sb, "%s  %s  %s", when, c->user != NULL ? c->user :
	    "(gone)", c->field);
	if (strcmp(c->field, "description") == 0)
		strbuf_addstr(&sb, " changed");
	else if (strcmp(c->field, "created") == 0)
		strbuf_addf(&sb, ": %s", c->new_value != NULL ?
		    c->new_value : "");
	else
		strbuf_addf(&sb, ": %s -> %s",
		    view_history_value(c->old_value, ob, sizeof ob),
		    view_history_value(c->new_value, nb, sizeof nb));
	line = utf8_visible(sb.buf, false);
	strbuf_free(&sb);
	v->history = xreallocarray(v->history, v->nhistory + 1,
	    sizeof *v->history);
	v->history[v->nhistory++] = line;
	return 0;
}

/* Keep one comment as its heading and its text (a comment_list callback). */
static int
view_comment_row(const struct comment *c, void *arg)
{
	struct view	*v = arg;
	char		 when[32], *head;

	time_format_local(c->created_at, when, sizeof when);
	head = xasprintf("%s  %s", when, c->author != NULL ? c->author :
	    "(gone)");
	v->comments = xreallocarray(v->comments, v->ncomments + 2,
	    sizeof *v->comments);
	v->comments[v->ncomments++] = utf8_visible(head, false);
	v->comments[v->ncomments++] = utf8_visible(c->text, true);
	free(head);
	return 0;
}

/* Free the ticket and history V holds. */
static void
view_clear_ticket(struct view *v)
{
	size_t	i;

	ticket_clear(&v->t);
	for (i = 0; i < v->nhistory; i++)
		free(v->history[i]);
	free(v->history);
	v->history = NULL;
	v->nhistory = 0;
	for (i = 0; i < v->ncomments; i++)
		free(v->comments[i]);
	free(v->comments);
	v->comments = NULL;
	v->ncomments = 0;
	v->loaded = false;
}

/* Add a wrapped line of a comment's text, indented by four. */
static void
view_add_comment_line(const char *s, size_t len, void *arg)
{
	struct view	*v = arg;
	char		*line;

	line = xasprintf("    %.*s", (int)len, s);
	view_add(v, VIEW_TEXT, line, strlen(line));
	free(line);
}

/* Add the text of a comment, wrapped in W columns under its heading. */
static void
view_comment_text(struct view *v, const char *text, int w)
{
	tui_wrap(text, w > 8 ? w : 8, view_add_comment_line, v);
}

/* Lay the ticket out in lines for the current width. */
static void
view_layout_ticket(struct view *v)
{
	char	*shown, ver[24];
	int	 w = COLS - 2;
	size_t	 i;

	view_field(v, "Title:", v->t.title);
	view_field(v, "Status:", v->t.status);
	view_field(v, "Priority:", v->t.priority);
	view_add(v, VIEW_SLA, "", 0);
	view_add(v, VIEW_LEFT, "", 0);
	view_field(v, "Owner:", v->t.owner);
	view_field(v, "Assignee:", v->t.assignee != NULL ? v->t.assignee :
	    "-");
	view_time(v, "Deadline:", v->t.deadline);
	view_time(v, "Created:", v->t.created_at);
	view_time(v, "Updated:", v->t.updated_at);
	view_time(v, "Resolved:", v->t.resolved_at);
	snprintf(ver, sizeof ver, "%lld", (long long)v->t.version);
	view_field(v, "Version:", ver);
	view_add(v, VIEW_TEXT, "", 0);
	view_add(v, VIEW_HEADING, "Description", 11);
	if (v->t.description == NULL || v->t.description[0] == '\0')
		view_add(v, VIEW_TEXT, "  (none)", 8);
	else {
		shown = utf8_visible(v->t.description, true);
		tui_wrap(shown, w - 2, view_add_wrapped, v);
		free(shown);
	}
	view_add(v, VIEW_TEXT, "", 0);
	view_add(v, VIEW_HEADING, "Comments", 8);
	if (v->ncomments == 0)
		view_add(v, VIEW_TEXT, "  (none: c adds one)", 20);
	for (i = 0; i + 1 < v->ncomments; i += 2) {
		tui_wrap(v->comments[i], w - 2, view_add_wrapped, v);
		view_comment_text(v, v->comments[i + 1], w - 4);
	}
	view_add(v, VIEW_TEXT, "", 0);
	view_add(v, VIEW_HEADING, "History", 7);
	for (i = 0; i < v->nhistory; i++)
		tui_wrap(v->history[i], w - 2, view_add_wrapped, v);
}

/* Lay the help out: each context of the key table, then the fields. */
static void
view_layout_help(struct view *v)
{
	static const char *const editing[] = {
		"Tab, Shift-Tab       next, previous field",
		"Enter                save (log in, create)",
		"Esc                  cancel (login: clear the field)",
		"Left, Right          move; Home/Ctrl-A, End/Ctrl-E: the ends",
		"Backspace, Delete    delete a character",
		"Ctrl-U, Ctrl-K       delete to the start, to the end",
		"Ctrl-W               delete the word before the cursor",
	};
	const struct key_binding	*b, *n;
	struct strbuf			 keys;
	enum key_context		 ctx;
	char				*line;
	size_t				 i;

	for (ctx = KEYCTX_QUEUE; ctx <= KEYCTX_HELP; ctx++) {
		if (ctx != KEYCTX_QUEUE)
			view_add(v, VIEW_TEXT, "", 0);
		view_add(v, VIEW_HEADING, keymap_context_name(ctx),
		    strlen(keymap_context_name(ctx)));
		for (b = keymap; b->key_name != NULL; b++) {
			if (b->context != ctx || b->help == NULL)
				continue;
			/* The entries after it without help share its line. */
			memset(&keys, 0, sizeof keys);
			strbuf_addstr(&keys, b->key_name);
			for (n = b + 1; n->key_name != NULL && n->help == NULL;
			    n++) {
				if (n->context == ctx)
					strbuf_addf(&keys, ", %s", n->key_name);
			}
			line = xasprintf("  %-20s %s", keys.buf, b->help);
			view_add(v, VIEW_TEXT, line, strlen(line));
			free(line);
			strbuf_free(&keys);
		}
	}
	view_add(v, VIEW_TEXT, "", 0);
	view_add(v, VIEW_HEADING, "Forms", 5);
	for (i = 0; i < sizeof editing / sizeof editing[0]; i++) {
		line = xasprintf("  %s", editing[i]);
		view_add(v, VIEW_TEXT, line, strlen(line));
		free(line);
	}
}

/* Lay V out again (new data or a new width). */
static void
view_layout(struct view *v)
{
	view_free_lines(v);
	v->width = COLS;
	if (v->context == KEYCTX_HELP)
		view_layout_help(v);
	else if (v->loaded)
		view_layout_ticket(v);
}

/*
 * Read the ticket and its history again. False, with the message in the
 * status line, when that failed; *GONE when the ticket no longer exists.
 */
static bool
view_load(struct tui *tui, struct view *v, bool *gone)
{
	struct ticket	 t;
	enum wd_status	 status;
	char		*cause = NULL;

	*gone = false;
	status = ticket_get(tui->db, &tui->cfg->sla, v->id, tui->now, &t,
	    &cause);
	if (status == WD_ENOTFOUND) {
		free(cause);
		*gone = true;
		return false;
	}
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		return false;
	}
	view_clear_ticket(v);
	v->t = t;
	v->loaded = true;
	status = comment_list(tui->db, v->id, view_comment_row, v, &cause);
	if (status == WD_OK)
		status = ticket_history(tui->db, v->id, view_history_row, v,
		    &cause);
	if (status != WD_OK)
		tui_message_cause(tui, status, cause);
	view_layout(v);
	return true;
}

/* The rows of text that fit between the bars. */
static size_t
view_rows(void)
{
	return LINES > 4 ? (size_t)LINES - 3 : 1;
}

/* Draw the ticket view or the help. */
static void
view_draw(struct tui *tui, struct tui_screen *s)
{
	struct view		*v = s->data;
	struct view_line	*l;
	enum sla_state		 state;
	char			*bar, left[32], *text, zone[48];
	size_t			 i, rows = view_rows();
	int			 y;

	if (v->width != COLS)
		view_layout(v);
	if (v->context == KEYCTX_HELP)
		bar = xstrdup("SLA Watchdog  help");
	else
		bar = xasprintf("Ticket #%lld: %s", (long long)v->id,
		    v->loaded ? v->t.title : "");
	tui_zone(tui->now, zone, sizeof zone);
	tui_bar(0, bar, v->context == KEYCTX_HELP ? NULL : zone,
	    A_REVERSE | A_BOLD);
	free(bar);

	for (i = 0; i < rows && v->top + i < v->nlines; i++) {
		l = &v->lines[v->top + i];
		y = 1 + (int)i;
		switch (l->kind) {
		case VIEW_HEADING:
			tui_text(y, 0, l->text, COLS, A_BOLD);
			break;
		case VIEW_SLA:
			state = sla_state_at(&tui->cfg->sla,
			    strcmp(v->t.status, "resolved") == 0,
			    v->t.deadline, v->t.resolved_at, tui->now);
			text = xasprintf("%-*s%s", VIEW_LABEL, "SLA:",
			    sla_state_name(state));
			tui_text(y, 0, text, COLS, tui_sla_attr(tui, state));
			free(text);
			break;
		case VIEW_LEFT:
			if (strcmp(v->t.status, "resolved") == 0)
				snprintf(left, sizeof left, "-");
			else
				time_format_left(v->t.deadline - tui->now,
				    left, sizeof left);
			text = xasprintf("%-*s%s", VIEW_LABEL, "Left:", left);
			tui_text(y, 0, text, COLS, A_NORMAL);
			free(text);
			break;
		default:
			tui_text(y, 0, l->text, COLS, A_NORMAL);
			break;
		}
	}

	if (v->context == KEYCTX_HELP)
		text = xasprintf("%s  help  line %zu/%zu%s", tui->me.name,
		    v->nlines > 0 ? v->top + 1 : 0, v->nlines,
		    v->top + rows < v->nlines ? "  --More--" : "");
	else
		text = xasprintf("%s  ticket #%lld  version %lld  line %zu/%zu",
		    tui->me.name, (long long)v->id, (long long)v->t.version,
		    v->nlines > 0 ? v->top + 1 : 0, v->nlines);
	tui_bar(LINES - 2, text, tui->message, A_REVERSE);
	free(text);
	tui_hint_keys(LINES - 1, v->context);
}

/* Scroll V by DELTA lines, within its text. */
static void
view_scroll(struct view *v, long delta)
{
	size_t	rows = view_rows(), max;

	max = v->nlines > rows ? v->nlines - rows : 0;
	if (delta < 0 && (size_t)-delta > v->top)
		v->top = 0;
	else if (delta < 0)
		v->top -= (size_t)-delta;
	else
		v->top += (size_t)delta;
	if (v->top > max)
		v->top = max;
}

/* A key for the view or the help, dispatched through the key table. */
static void
view_key(struct tui *tui, struct tui_screen *s, const struct tui_event *ev)
{
	struct view	*v = s->data;
	enum key_action	 action;
	long		 page = (long)view_rows() - 1;

	action = keymap_lookup(v->context, ev->key);
	if (action == ACTION_NONE) {
		if (ev->key == KEYMAP_CTRL('c'))
			tui->quit = true;
		return;
	}
	if (!tui_action_keeps_message(action))
		tui_clear_message(tui);
	switch (action) {
	case ACTION_UP:
		view_scroll(v, -1);
		break;
	case ACTION_DOWN:
		view_scroll(v, 1);
		break;
	case ACTION_PAGE_UP:
		view_scroll(v, -page);
		break;
	case ACTION_PAGE_DOWN:
		view_scroll(v, page);
		break;
	case ACTION_FIRST:
		v->top = 0;
		break;
	case ACTION_LAST:
		view_scroll(v, (long)v->nlines);
		break;
	case ACTION_REDRAW:
		tui_redraw(tui);
		break;
	case ACTION_HELP:
		if (v->context != KEYCTX_HELP)
			tui_help_run(tui);
		break;
	case ACTION_BACK:
		s->done = true;
		break;
	case ACTION_QUIT:
		tui->quit = true;
		break;
	case ACTION_EDIT:
		if (v->loaded)
			tui_form_ticket_edit(tui, v->id);
		break;
	case ACTION_EDITOR:
		if (v->loaded)
			tui_editor_run(tui, v->id);
		break;
	case ACTION_RESOLVE:
		if (v->loaded)
			tui_action_resolve(tui, &v->t);
		break;
	case ACTION_COMMENT:
		if (v->loaded)
			tui_comment_run(tui, v->id);
		break;
	case ACTION_COMMENT_EDITOR:
		if (v->loaded)
			tui_editor_comment(tui, v->id);
		break;
	case ACTION_DELETE:
		if (v->loaded && tui_action_delete(tui, &v->t))
			s->done = true;
		break;
	default:
		break;
	}
}

/* The database changed: read the ticket again; leave if it is gone. */
static void
view_changed(struct tui *tui, struct tui_screen *s)
{
	struct view	*v = s->data;
	bool		 gone;

	if (v->context == KEYCTX_HELP)
		return;
	if (!view_load(tui, v, &gone) && gone) {
		tui_message(tui, "ticket #%lld was deleted", (long long)v->id);
		s->done = true;
	}
	view_scroll(v, 0);
}

/* The terminal changed size: lay out again. */
static void
view_resize(struct tui *tui, struct tui_screen *s)
{
	struct view	*v = s->data;

	(void)tui;
	view_layout(v);
	view_scroll(v, 0);
}

static const struct tui_screen_ops view_ops = {
	.draw = view_draw,
	.key = view_key,
	.changed = view_changed,
	.resize = view_resize,
};

/* Run V until q. */
static void
view_run(struct tui *tui, struct view *v)
{
	v->screen.ops = &view_ops;
	v->screen.data = v;
	tui_loop(tui, &v->screen);
	view_free_lines(v);
	view_clear_ticket(v);
}

/*
 * Enter, #N: ticket ID on the whole screen. False when there is no such
 * ticket (the caller says so); a failure to read it is in the status line.
 */
bool
tui_view_run(struct tui *tui, int64_t id)
{
	struct view	v;
	bool		gone;

	memset(&v, 0, sizeof v);
	v.context = KEYCTX_VIEW;
	v.id = id;
	if (!view_load(tui, &v, &gone)) {
		view_clear_ticket(&v);
		view_free_lines(&v);
		return !gone;
	}
	view_run(tui, &v);
	return true;
}

/* ?: the keys, from the key table. */
void
tui_help_run(struct tui *tui)
{
	struct view	v;

	memset(&v, 0, sizeof v);
	v.context = KEYCTX_HELP;
	view_run(tui, &v);
}
