/*
 * tui.c: the terminal UI's screen stack and its loop: drawing, keys,
 * resizing, the status line, and the once-a-second tick that reads the
 * clock (the one clock of the UI: screens use tui->now) and polls the
 * database for changes made elsewhere (db_data_version: SQLite's PRAGMA
 * data_version, PostgreSQL's LISTEN/NOTIFY). A database server's
 * connection that is lost is made again from the tick, without waiting,
 * while the screen stays as it was; the status line says so. The entry
 * point is in tui_main.c.
 *
 * No transaction is ever open while the loop waits for a key: the core
 * functions run their own short ones.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui_int.h"

#include "watchdog/db.h"
#include "watchdog/deliver.h"
#include "watchdog/util.h"

/* True when the terminal is below the minimum size. */
bool
tui_too_small(void)
{
	return COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
}

/* Ask for the terminal cursor at (Y, X) after this draw. */
void
tui_show_cursor(struct tui *tui, int y, int x)
{
	tui->cursor = true;
	tui->cy = y;
	tui->cx = x;
}

/*
 * Draw the whole stack onto stdscr, from the topmost screen that is not
 * an overlay up, and send the difference to the terminal. Drawing
 * everything each time is cheap; curses sends only the cells that changed.
 */
void
tui_draw_all(struct tui *tui)
{
	struct tui_screen	*s, *base, *order[16];
	size_t			 n = 0;

	erase();
	tui->cursor = false;
	if (tui_too_small()) {
		tui_text_centre(LINES / 2, "terminal too small (at least "
		    "60x16)", A_NORMAL);
	} else if (tui->top != NULL) {
		base = tui->top;
		while (base->overlay && base->below != NULL)
			base = base->below;
		for (s = tui->top; s != NULL && n < 16; s = s->below) {
			order[n++] = s;
			if (s == base)
				break;
		}
		while (n > 0) {
			s = order[--n];
			if (s->ops->draw != NULL)
				s->ops->draw(tui, s);
		}
	}
	if (tui->cursor) {
		curs_set(1);
		move(tui->cy, tui->cx);
	} else {
		curs_set(0);
		move(LINES - 1, 0);
	}
	refresh();
}

/* Redraw the terminal from scratch (Ctrl-L, after the editor). */
void
tui_redraw(struct tui *tui)
{
	clearok(curscr, TRUE);
	tui_draw_all(tui);
}

/* Tell every screen of the stack, bottom first, that the data changed. */
void
tui_data_changed(struct tui *tui)
{
	struct tui_screen	*s, *order[16];
	size_t			 n = 0;

	if (tui->db != NULL)
		tui->data_version = db_data_version(tui->db);
	for (s = tui->top; s != NULL && n < 16; s = s->below)
		order[n++] = s;
	while (n > 0) {
		s = order[--n];
		if (s->ops->changed != NULL)
			s->ops->changed(tui, s);
	}
}

/* Lay every screen out again for the new size, bottom first. */
static void
tui_resize(struct tui *tui)
{
	struct tui_screen	*s, *order[16];
	size_t			 n = 0;

	for (s = tui->top; s != NULL && n < 16; s = s->below)
		order[n++] = s;
	while (n > 0) {
		s = order[--n];
		if (s->ops->resize != NULL)
			s->ops->resize(tui, s);
	}
	clearok(curscr, TRUE);
}

/* The status line while the database server's connection is lost. */
#define TUI_DB_LOST	"database connection lost, reconnecting..."

/*
 * The text to show for a failure of the core: CAUSE, except that a busy
 * database says only what to do, and so does a lost connection to the
 * database server (nothing was changed: the transaction never
 * committed). A new string the caller frees.
 */
char *
tui_cause_text(struct tui *tui, enum wd_status status, const char *cause)
{
	if (status == WD_ETEMP && tui != NULL && tui->db != NULL &&
	    !db_connected(tui->db))
		return xstrdup(TUI_DB_LOST " (nothing was changed)");
	if (status == WD_ETEMP && (cause == NULL ||
	    strncmp(cause, "database busy", 13) == 0))
		return xstrdup("database busy, try again");
	if (cause == NULL)
		return xstrdup(status_text(status));
	return xstrdup(cause);
}

/* Set the status line message. */
void
tui_message(struct tui *tui, const char *fmt, ...)
{
	va_list	ap;

	free(tui->message);
	va_start(ap, fmt);
	tui->message = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Show a failure of the core in the status line; CAUSE is freed. */
void
tui_message_cause(struct tui *tui, enum wd_status status, char *cause)
{
	free(tui->message);
	tui->message = tui_cause_text(tui, status, cause);
	free(cause);
}

/*
 * Whether the status line message stays through ACTION: it does while
 * the user only moves or redraws; any other action says its own.
 */
bool
tui_action_keeps_message(enum key_action action)
{
	switch (action) {
	case ACTION_UP:
	case ACTION_DOWN:
	case ACTION_PAGE_UP:
	case ACTION_PAGE_DOWN:
	case ACTION_FIRST:
	case ACTION_LAST:
	case ACTION_REDRAW:
		return true;
	default:
		return false;
	}
}

/* Clear the status line message. */
void
tui_clear_message(struct tui *tui)
{
	free(tui->message);
	tui->message = NULL;
}

/*
 * Close and reopen the database (around a fork: SQLite state must not
 * cross one). Returns false, with the UI told to quit, when it cannot be
 * opened again.
 */
bool
tui_db_reopen(struct tui *tui)
{
	enum wd_status	 status;
	char		*cause = NULL;

	if (tui->db != NULL) {
		db_close(tui->db);
		tui->db = NULL;
	}
	status = db_open(tui->db_path, &tui->db, &cause);
	if (status != WD_OK) {
		tui_message_cause(tui, status, cause);
		tui->quit = true;
		tui->exit_status = status_exit_code(status);
		return false;
	}
	tui_db_opened(tui);
	return true;
}

/*
 * After a save that queued ticket ID's notices of KIND: send them in the
 * background (deliver_spawn, which may have closed and opened the
 * connection again) and show the change. False when the connection could
 * not be opened again: the interface then ends, as tui_db_reopen() says.
 */
bool
tui_deliver(struct tui *tui, int64_t id, const char *kind)
{
	if (deliver_spawn(tui->cfg, &tui->db, true, id, kind, NULL) == WD_OK)
		tui_db_opened(tui);
	else if (!tui_db_reopen(tui))
		return false;
	tui_data_changed(tui);
	return true;
}

/*
 * Set a connection the interface just opened up: a unit of work that
 * meets a lost connection is not run again (the retries would hold the
 * screen for seconds: the interface reconnects without waiting, once a
 * second, and says so), and the data version is where polling starts.
 */
void
tui_db_opened(struct tui *tui)
{
	db_set_retry(tui->db, 1, 0, 0);
	tui->data_version = db_data_version(tui->db);
}

/*
 * Milliseconds from now until just after the next whole second, so that
 * the countdowns move when the clock does.
 */
static int
tui_ms_to_second(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 1000;
	return 1000 - (int)(ts.tv_nsec / 1000000) + 5;
}

/*
 * Read the clock into tui->now: the only place the UI reads it, so that
 * every screen and action of one tick sees the same second. Returns true
 * when the second changed.
 */
bool
tui_clock(struct tui *tui)
{
	int64_t	now;

	now = (int64_t)time(NULL);
	if (now == tui->now)
		return false;
	tui->now = now;
	return true;
}

/*
 * Look for changes made elsewhere, and look after the connection to a
 * database server: the tick that finds it lost says so; each later one
 * takes a step of making it again (never waiting), and the one that
 * finds it back says so and lets the screens fetch again.
 */
static void
tui_poll_db(struct tui *tui)
{
	char	*cause = NULL;
	int64_t	 v;

	v = db_data_version(tui->db);
	if (!db_connected(tui->db)) {
		if (tui->db_lost)
			(void)db_reconnect_poll(tui->db, &cause);
		free(cause);
		tui->db_lost = true;
		if (!db_connected(tui->db)) {
			tui_message(tui, "%s", TUI_DB_LOST);
			return;
		}
	}
	if (tui->db_lost) {
		tui->db_lost = false;
		tui_message(tui, "reconnected to the database");
		tui_data_changed(tui);
		return;
	}
	if (v != tui->data_version)
		tui_data_changed(tui);
}

/*
 * Once a second: move the clock on and, when another connection changed
 * the database, let the screens fetch again. Returns true when the screen
 * needs drawing.
 */
static bool
tui_tick(struct tui *tui)
{
	struct tui_screen	*s;

	if (!tui_clock(tui))
		return false;
	if (tui->db != NULL && tui->logged_in)
		tui_poll_db(tui);
	for (s = tui->top; s != NULL; s = s->below) {
		if (s->ops->tick != NULL)
			s->ops->tick(tui, s);
	}
	return true;
}

/* Translate what get_wch() returned (RC, WCH) into EV. */
static void
tui_translate(int rc, wint_t wch, struct tui_event *ev)
{
	ev->key = -1;
	ev->ch = 0;
	if (rc == KEY_CODE_YES) {
		switch (wch) {
		case KEY_UP:		ev->key = KEYMAP_UP; break;
		case KEY_DOWN:		ev->key = KEYMAP_DOWN; break;
		case KEY_LEFT:		ev->key = KEYMAP_LEFT; break;
		case KEY_RIGHT:		ev->key = KEYMAP_RIGHT; break;
		case KEY_PPAGE:		ev->key = KEYMAP_PAGE_UP; break;
		case KEY_NPAGE:		ev->key = KEYMAP_PAGE_DOWN; break;
		case KEY_HOME:		ev->key = KEYMAP_HOME; break;
		case KEY_END:		ev->key = KEYMAP_END; break;
		case KEY_ENTER:		ev->key = KEYMAP_ENTER; break;
		case KEY_BACKSPACE:	ev->key = KEYMAP_BACKSPACE; break;
		case KEY_DC:		ev->key = KEYMAP_DELETE; break;
		case KEY_BTAB:		ev->key = KEYMAP_BACKTAB; break;
		case KEY_RESIZE:	ev->key = KEYMAP_RESIZE; break;
		case KEY_F(2):		ev->key = KEYMAP_F2; break;
		default:		break;
		}
		return;
	}
	switch (wch) {
	case '\r':
	case '\n':
		ev->key = KEYMAP_ENTER;
		return;
	case '\t':
		ev->key = KEYMAP_TAB;
		return;
	case 27:
		ev->key = KEYMAP_ESCAPE;
		return;
	case 8:
	case 127:
		ev->key = KEYMAP_BACKSPACE;
		return;
	default:
		break;
	}
	if (wch < 0x20) {
		ev->key = (int)wch;
		return;
	}
	if (wch >= 0x80 && wch <= 0x9f)
		return;
	if (wch < 0x7f)
		ev->key = (int)wch;
	ev->ch = wch;
}

/* Stop the program on Ctrl-Z as a shell would, then draw again. */
static void
tui_suspend(struct tui *tui)
{
	def_prog_mode();
	endwin();
	raise(SIGTSTP);
	reset_prog_mode();
	tui_redraw(tui);
}

/*
 * Run screen S on top of the stack until it is done (or the UI quits),
 * then take it off. Keys go to S; the clock ticks and changes from
 * elsewhere reach every screen of the stack.
 */
void
tui_loop(struct tui *tui, struct tui_screen *s)
{
	struct tui_event	ev;
	wint_t			wch;
	int			rc;

	s->below = tui->top;
	s->done = false;
	tui->top = s;
	(void)tui_clock(tui);
	if (s->ops->resize != NULL)
		s->ops->resize(tui, s);
	tui_draw_all(tui);
	/* What can wait (the queue's counts) comes after the first screen. */
	if (s->ops->tick != NULL) {
		s->ops->tick(tui, s);
		tui_draw_all(tui);
	}
	if (tui->trace_first_frame) {
		tui_trace(tui, "first_frame", tui_clock_ns());
		tui->trace_first_frame = false;
	}
	while (!s->done && !tui->quit) {
		timeout(tui_ms_to_second());
		rc = get_wch(&wch);
		if (rc == ERR) {
			if (tui_tick(tui))
				tui_draw_all(tui);
			continue;
		}
		if (tui->trace_fd >= 0)
			tui->trace_key_ns = tui_clock_ns();
		tui_translate(rc, wch, &ev);
		tui_tick(tui);
		if (ev.key == KEYMAP_RESIZE) {
			tui_resize(tui);
			tui_draw_all(tui);
			continue;
		}
		if (ev.key == KEYMAP_CTRL('z')) {
			tui_suspend(tui);
			continue;
		}
		if (tui_too_small()) {
			/* Nothing to aim at: only Ctrl-C (quit) and Ctrl-L. */
			if (ev.key == KEYMAP_CTRL('c'))
				tui->quit = true;
			else if (ev.key == KEYMAP_CTRL('l'))
				tui_redraw(tui);
			continue;
		}
		if (s->ops->key != NULL)
			s->ops->key(tui, s, &ev);
		if (!s->done && !tui->quit)
			tui_draw_all(tui);
		if (tui->trace_key_event != NULL) {
			tui_trace(tui, tui->trace_key_event,
			    tui_clock_ns() - tui->trace_key_ns);
			tui->trace_key_event = NULL;
		}
		tui->trace_key_ns = 0;
	}
	tui->top = s->below;
	s->below = NULL;
}
