/* status.c: status codes, their exit codes and messages. */
#include <stdarg.h>
#include <stddef.h>

#include "watchdog/status.h"
#include "watchdog/util.h"

static const struct {
	int		 code;
	const char	*text;
} status_table[] = {
#define WD_STATUS_ROW(name, code, text) { code, text },
	WD_STATUS_TABLE(WD_STATUS_ROW)
#undef WD_STATUS_ROW
};

/* The exit code for STATUS; 1 for anything out of range. */
int
status_exit_code(enum wd_status status)
{
	if ((size_t)status >= sizeof status_table / sizeof status_table[0])
		return 1;
	return status_table[status].code;
}

/* A static description of STATUS. */
const char *
status_text(enum wd_status status)
{
	if ((size_t)status >= sizeof status_table / sizeof status_table[0])
		return "failure";
	return status_table[status].text;
}

/* Format a message into *cause (caller frees) and return STATUS. */
enum wd_status
status_set(char **cause, enum wd_status status, const char *fmt, ...)
{
	va_list	ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		*cause = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return status;
}
