/*
 * status.h: the outcome of every fallible core function.
 *
 * Core functions return an enum wd_status and, on failure, set *cause to a
 * one-line message that the caller frees (tmux's "char **cause"). The front
 * ends print or show the message; the CLI turns the status into an exit
 * code (sysexits.h, watchdog(1) EXIT STATUS).
 */
#ifndef WATCHDOG_STATUS_H
#define WATCHDOG_STATUS_H

/* X(name, exit code, what it means) */
#define WD_STATUS_TABLE(X)						\
	X(WD_OK,	 0,  "success")					\
	X(WD_EFAIL,	 1,  "failure")					\
	X(WD_ENOTFOUND,	 1,  "not found")				\
	X(WD_ECONFLICT,	 1,  "edit conflict")				\
	X(WD_EUSAGE,	 64, "usage error")				\
	X(WD_EDATA,	 65, "invalid input")				\
	X(WD_ENOINPUT,	 66, "cannot open input")			\
	X(WD_ESOFTWARE,	 70, "internal error")				\
	X(WD_ETEMP,	 75, "temporary failure, try again")		\
	X(WD_EAUTH,	 77, "authentication failed or not allowed")	\
	X(WD_ECONFIG,	 78, "configuration error")

enum wd_status {
#define WD_STATUS_ENUM(name, code, text) name,
	WD_STATUS_TABLE(WD_STATUS_ENUM)
#undef WD_STATUS_ENUM
};

/* The exit code (sysexits.h) for STATUS. */
int		 status_exit_code(enum wd_status status);

/* A short static description of STATUS. */
const char	*status_text(enum wd_status status);

/*
 * Set *CAUSE (when CAUSE is not NULL) to a newly allocated message made from
 * FMT and return STATUS, so that a failure is one line:
 *	return status_set(cause, WD_EDATA, "title is empty");
 */
enum wd_status	 status_set(char **cause, enum wd_status status,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
