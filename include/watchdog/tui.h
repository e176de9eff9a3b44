/*
 * tui.h: the full-screen terminal UI (watchdog(1) KEY BINDINGS). Everything that
 * touches curses lives in src/tui/; this is its one entry point, called by
 * the command line when no mode is given.
 */
#ifndef WATCHDOG_TUI_H
#define WATCHDOG_TUI_H

#include <stdint.h>

struct config;

/*
 * Run the terminal UI on the database at DB_PATH with configuration CFG,
 * as Unix user UID; USER (or NULL) prefills the account name of the login
 * screen. Refuses to start without a terminal (exit 64). Returns the exit
 * status: 0 after q, else the sysexits.h code of what stopped it. CFG and
 * the strings stay the caller's.
 */
int	tui_run(struct config *cfg, const char *db_path, const char *user,
	    int64_t uid);

#endif
