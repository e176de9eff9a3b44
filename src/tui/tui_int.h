/*
 * tui_int.h: what the files of the terminal UI share. Only src/tui/
 * includes it (and curses.h). The UI is a stack of screens (tmux, tig):
 * each draws itself and takes keys; the top one has the keyboard, and
 * overlays (forms, dialogs, the search prompt) draw over the one below.
 * A modal screen runs its own loop (tui_loop) until it is done.
 */
#ifndef WATCHDOG_TUI_INT_H
#define WATCHDOG_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include <curses.h>

#include "watchdog/formkeys.h"
#include "watchdog/keymap.h"
#include "watchdog/queue.h"
#include "watchdog/status.h"
#include "watchdog/textedit.h"
#include "watchdog/ticket.h"
#include "watchdog/user.h"

struct config;
struct db;

/* The smallest terminal the UI draws in. */
#define TUI_MIN_COLS	60
#define TUI_MIN_LINES	16

/* One key press. */
struct tui_event {
	int	key;	/* keymap.h code: KEYMAP_*, ASCII, control; -1 */
	wint_t	ch;	/* the printable character typed, or 0 */
};

struct tui;
struct tui_screen;

/* What a screen does; NULL members are skipped. */
struct tui_screen_ops {
	/* Draw onto stdscr (erased first unless an overlay). */
	void	(*draw)(struct tui *, struct tui_screen *);
	/* Take a key (never KEYMAP_RESIZE). */
	void	(*key)(struct tui *, struct tui_screen *,
		    const struct tui_event *);
	/* The database changed (another connection, or our own save). */
	void	(*changed)(struct tui *, struct tui_screen *);
	/* A second went by (after any changed()). */
	void	(*tick)(struct tui *, struct tui_screen *);
	/* The terminal changed size. */
	void	(*resize)(struct tui *, struct tui_screen *);
};

struct tui_screen {
	const struct tui_screen_ops	*ops;
	void				*data;
	bool				 overlay;	/* over the one below */
	bool				 done;		/* leave its loop */
	struct tui_screen		*below;
};

struct tui_queue;

/* The whole UI. */
struct tui {
	struct config		*cfg;
	const char		*db_path;
	struct db		*db;
	int64_t			 uid;
	struct user		 me;		/* once logged in */
	bool			 logged_in;

	int64_t			 now;		/* the second being shown */
	int64_t			 data_version;	/* PRAGMA data_version seen */
	bool			 db_lost;	/* the server's connection */
	bool			 colour;
	bool			 utf8;		/* the terminal's locale is */
	bool			 quit;		/* leave every loop */
	int			 exit_status;

	struct tui_screen	*top;		/* the stack */
	struct tui_queue	*queue;		/* the list, once logged in */
	char			*message;	/* status line, or NULL */

	bool			 cursor;	/* cursor shown at cy, cx */
	int			 cy, cx;

	/*
	 * Timings for make bench, written to the descriptor named by
	 * WATCHDOG_TRACE_FD when it is open (-1: none): see tui_trace().
	 */
	int			 trace_fd;
	bool			 trace_first_frame; /* pending after login */
	const char		*trace_key_event; /* timed key being handled */
	int64_t			 trace_key_ns;	/* when it was read */
};

/* tui.c */
void	tui_loop(struct tui *, struct tui_screen *);
bool	tui_clock(struct tui *);
void	tui_draw_all(struct tui *);
void	tui_redraw(struct tui *);
bool	tui_too_small(void);
void	tui_data_changed(struct tui *);
void	tui_message(struct tui *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	tui_message_cause(struct tui *, enum wd_status, char *);
char	*tui_cause_text(struct tui *, enum wd_status, const char *);
void	tui_clear_message(struct tui *);
bool	tui_action_keeps_message(enum key_action);
bool	tui_db_reopen(struct tui *);
/* Set up a connection the interface just opened (see tui.c). */
void	tui_db_opened(struct tui *);
bool	tui_deliver(struct tui *, int64_t, const char *);
void	tui_show_cursor(struct tui *, int, int);

/* tui_trace.c */
int64_t	tui_clock_ns(void);
int	tui_trace_open(void);
void	tui_trace(struct tui *, const char *, int64_t);
void	tui_trace_key(struct tui *, const char *);

/* tui_draw.c */
enum tui_pair {
	TUI_PAIR_OK = 1,
	TUI_PAIR_WARNING,
	TUI_PAIR_MISSED,
	TUI_PAIR_RESOLVED,
};
void	tui_colours_init(struct tui *);
attr_t	tui_sla_attr(const struct tui *, enum sla_state);
int	tui_text(int, int, const char *, int, attr_t);
void	tui_text_centre(int, const char *, attr_t);
void	tui_fill(int, int, int, attr_t);
void	tui_box(int, int, int, int, const char *);
size_t	tui_wrap(const char *, int, void (*)(const char *, size_t, void *),
	    void *);
size_t	tui_wrap_count(const char *, int);
void	tui_bar(int, const char *, const char *, attr_t);
void	tui_hint(int, const char *);
void	tui_hint_keys(int, enum key_context);
void	tui_zone(int64_t, char *, size_t);

/* tui_line.c: a one-line editor (readline habits, UTF-8 aware). */
struct tui_line {
	char	*buf;		/* NUL-terminated UTF-8, MAX + 1 bytes */
	size_t	 len;
	size_t	 max;		/* bytes */
	size_t	 cur;		/* cursor, a byte offset on a character */
	size_t	 scroll;	/* first byte shown */
	bool	 hidden;	/* a password: shows nothing */
};
void	 tui_line_init(struct tui_line *, size_t, bool);
void	 tui_line_free(struct tui_line *);
void	 tui_line_set(struct tui_line *, const char *);
void	 tui_line_clear(struct tui_line *);
bool	 tui_line_key(struct tui_line *, const struct tui_event *);
void	 tui_line_draw(struct tui *, struct tui_line *, int, int, int, attr_t,
	     bool);

/* tui_textarea.c: the multi-line description field. */
void	 tui_textarea_draw(struct tui *, struct textedit *, int, int, int,
	     int, bool);
bool	 tui_textarea_key(struct textedit *, const struct tui_event *,
	     enum formkey_action, int);

/* tui_form.c: boxed forms of labelled fields. */
struct tui_form;
enum tui_field_kind {
	TUI_FIELD_LINE,		/* one line of text */
	TUI_FIELD_CHOICE,	/* one of a list: "< normal >" */
	TUI_FIELD_TEXT,		/* lines of text */
};
struct tui_field {
	const char		*label;		/* "Title: " */
	const char		*hint;		/* a line below it, or NULL */
	enum tui_field_kind	 kind;
	struct tui_line		 line;		/* LINE */
	const char *const	*choices;	/* CHOICE: NULL-terminated */
	size_t			 choice;
	struct textedit		 text;		/* TEXT */
};
enum tui_form_result {
	TUI_FORM_OPEN,
	TUI_FORM_SAVED,
	TUI_FORM_CANCELLED,
	TUI_FORM_CONFLICT,
	TUI_FORM_OTHER,
};
struct tui_form {
	struct tui_screen	 screen;
	const char		*title;
	const char		*intro;		/* text above the fields */
	enum formkey_context	 context;	/* its key table */
	bool			 field_keys;	/* each kind of field has its
						    own keys (the ticket form) */
	bool			 keys_at_bottom; /* on the screen's last line */
	struct tui_field	*fields;
	size_t			 nfields;
	size_t			 focus;
	char			*message;
	/* Save (or Enter on the last field): true when the form is done. */
	bool			(*submit)(struct tui *, struct tui_form *);
	/* Actions the form does not take itself: true when taken. */
	bool			(*other_action)(struct tui *, struct tui_form *,
				    enum formkey_action);
	/* Before each draw: bring the hints up to date. */
	void			(*prepare)(struct tui *, struct tui_form *);
	void			*arg;
	struct tui		*tui;		/* while it runs */
	enum tui_form_result	 result;
	int			 text_width;	/* of a TEXT field, drawn */
};
void	tui_form_run(struct tui *, struct tui_form *);
void	tui_form_message(struct tui_form *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	tui_form_cause(struct tui_form *, enum wd_status, char *);

/* tui_ticket_form.c: the new and edit ticket forms. */
void	tui_form_ticket_new(struct tui *);
void	tui_form_ticket_edit(struct tui *, int64_t);

/* tui_login.c */
int	tui_login(struct tui *, const char *);

/* tui_queue.c */
struct tui_queue	*tui_queue_new(struct tui *);
void			 tui_queue_free(struct tui_queue *);
void			 tui_queue_run(struct tui *, struct tui_queue *);

/* tui_view.c */
bool	tui_view_run(struct tui *, int64_t);
void	tui_help_run(struct tui *);

/* tui_action.c: what the queue and the ticket view both do. */
void	tui_action_resolve(struct tui *, const struct ticket *);
bool	tui_action_delete(struct tui *, const struct ticket *);

/* tui_conflict.c: an edit refused because the ticket moved on. */
bool	tui_conflict_ask(struct tui *, int64_t, const struct ticket *,
	    struct ticket *);

/* tui_dialog.c */
bool	tui_dialog_confirm(struct tui *, enum formkey_context, const char *,
	    const char *);
bool	tui_dialog_conflict(struct tui *, int64_t, char **, size_t);
int	tui_prompt(struct tui *, const char *, const char *, char **);

/* tui_editor.c */
void	tui_editor_run(struct tui *, int64_t);
void	tui_editor_comment(struct tui *, int64_t);
/* tui_accounts.c */
void	tui_accounts_run(struct tui *);
/* tui_comment.c */
void	tui_comment_run(struct tui *, int64_t);
bool	tui_comment_save(struct tui *, int64_t, const char *, enum wd_status *,
	    char **);

#endif
