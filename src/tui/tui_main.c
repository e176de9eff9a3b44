/*
 * tui_main.c: the terminal UI's entry point: it checks the terminal,
 * opens the database, starts curses, then runs the screens in turn (the
 * login, then the queue) and puts the terminal back. The screens never
 * call back into it: they run on the stack of tui.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui_int.h"

#include "watchdog/config.h"
#include "watchdog/db.h"
#include "watchdog/tui.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* How long to wait for the second half of an escape sequence (ms). */
#define TUI_ESCDELAY	25

/*
 * Start curses on the terminal. Returns its screen, or NULL (with a
 * message) when it cannot.
 */
static SCREEN *
tui_start(struct tui *tui)
{
	SCREEN		*sp;
	const char	*term;
	char		*cup;

	term = getenv("TERM");
	if ((sp = newterm(NULL, stdout, stdin)) == NULL) {
		fprintf(stderr, "watchdog: cannot use the terminal (TERM=%s); "
		    "set TERM to your terminal's type\n",
		    term != NULL ? term : "unset");
		return NULL;
	}
	/* A terminal that cannot move the cursor would show garbage. */
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		endwin();
		delscreen(sp);
		fprintf(stderr, "watchdog: the terminal (TERM=%s) cannot move "
		    "the cursor; the terminal UI needs one that can\n",
		    term != NULL ? term : "unset");
		return NULL;
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	meta(stdscr, TRUE);
	set_escdelay(TUI_ESCDELAY);
	curs_set(0);
	tui_colours_init(tui);
	return sp;
}

/* Say MESSAGE (made visible) on standard error, outside curses. */
static void
tui_say(const char *message)
{
	char	*shown;

	shown = utf8_visible(message, false);
	fprintf(stderr, "watchdog: %s\n", shown);
	free(shown);
}

/*
 * Is the user's locale UTF-8? The first of LC_ALL, LC_CTYPE and LANG that
 * is set decides, as in the C library (the program itself always runs
 * with a UTF-8 LC_CTYPE to measure the data).
 */
static bool
tui_locale_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		if ((v = getenv(vars[i])) == NULL || *v == '\0')
			continue;
		return strcasestr(v, "UTF-8") != NULL ||
		    strcasestr(v, "utf8") != NULL;
	}
	return false;
}

/* The terminal UI; see tui.h. */
int
tui_run(struct config *cfg, const char *db_path, const char *user,
    int64_t uid)
{
	struct tui	 tui;
	SCREEN		*sp = NULL;
	enum wd_status	 status;
	char		*cause = NULL;

	memset(&tui, 0, sizeof tui);
	tui.trace_fd = tui_trace_open();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		tui_say("the terminal UI needs a terminal; see watchdog --help "
		    "for the scripting modes");
		tui.exit_status = status_exit_code(WD_EUSAGE);
		goto out;
	}
	tui.cfg = cfg;
	tui.utf8 = tui_locale_utf8();
	tui.db_path = db_path;
	tui.uid = uid;
	(void)tui_clock(&tui);

	/* Open the database first: its errors go to stderr as usual. */
	status = db_open(db_path, &tui.db, &cause);
	if (status != WD_OK) {
		tui_message_cause(&tui, status, cause);
		tui.exit_status = status_exit_code(status);
		goto out;
	}
	tui_db_opened(&tui);
	fflush(NULL);
	if ((sp = tui_start(&tui)) == NULL) {
		tui.exit_status = status_exit_code(WD_EFAIL);
		goto out;
	}

	if (tui_login(&tui, user) == 0 && !tui.quit) {
		tui_trace(&tui, "login_accepted", tui_clock_ns());
		tui.trace_first_frame = tui.trace_fd >= 0;
		tui.logged_in = true;
		tui.queue = tui_queue_new(&tui);
		tui_queue_run(&tui, tui.queue);
		tui_queue_free(tui.queue);
		tui.queue = NULL;
	}
	endwin();
	delscreen(sp);

out:
	/* A fatal message (such as the database lost) once curses is gone. */
	if (tui.exit_status != 0 && tui.message != NULL)
		tui_say(tui.message);
	free(tui.message);
	user_clear(&tui.me);
	db_close(tui.db);
	return tui.exit_status;
}
