/*
 * config_calendar.c: the business calendar of a configuration; see
 * config_calendar.h.
 */
#include <stdlib.h>
#include <string.h>

#include "watchdog/calendar.h"
#include "watchdog/config.h"
#include "watchdog/config_calendar.h"
#include "watchdog/status.h"
#include "watchdog/util.h"

/* "FILE:LINE" (or "environment") where CFG set the key NAME; new. */
static char *
config_calendar_where(const struct config *cfg, const char *name)
{
	int		 idx;
	unsigned int	 line = 0;

	idx = config_key_index(name);
	if (idx >= 0 && cfg->env != NULL && cfg->env[idx])
		return xstrdup("environment");
	if (idx >= 0 && cfg->lines != NULL)
		line = cfg->lines[idx];
	if (line == 0)
		return xstrdup(cfg->path != NULL ? cfg->path : "configuration");
	return xasprintf("%s:%u", cfg->path != NULL ? cfg->path :
	    "configuration", line);
}

/*
 * The key a calendar_new() message starts with ("BUSINESS_HOURS: ..."),
 * or TIME_ZONE.
 */
static const char *
config_calendar_key(const char *msg)
{
	static const char *const keys[] = { "BUSINESS_HOURS", "HOLIDAYS" };
	size_t			 i, len;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		len = strlen(keys[i]);
		if (strncmp(msg, keys[i], len) == 0 && msg[len] == ':')
			return keys[i];
	}
	return "TIME_ZONE";
}

/* The calendar of CFG; see config_calendar.h. */
enum wd_status
config_calendar(const struct config *cfg, struct calendar **calp,
    char **cause)
{
	struct calendar	*cal = NULL;
	char		*msg = NULL, *where = NULL;
	enum wd_status	 st;

	*calp = NULL;
	if (calendar_new(cfg->business_hours, cfg->holidays, cfg->time_zone,
	    &cal, &msg) != WD_OK) {
		where = config_calendar_where(cfg, config_calendar_key(msg));
		st = status_set(cause, WD_ECONFIG, "%s: %s", where, msg);
		goto out;
	}
	if (cfg->holidays_file != NULL &&
	    calendar_load_ics(cal, cfg->holidays_file, &msg) != WD_OK) {
		where = config_calendar_where(cfg, "HOLIDAYS_FILE");
		st = status_set(cause, WD_ECONFIG, "%s: HOLIDAYS_FILE: %s",
		    where, msg);
		calendar_free(cal);
		goto out;
	}
	*calp = cal;
	return WD_OK;

out:
	free(where);
	free(msg);
	return st;
}
