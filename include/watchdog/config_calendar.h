/*
 * config_calendar.h: the business calendar of a loaded configuration
 * (BUSINESS_HOURS, HOLIDAYS, HOLIDAYS_FILE and TIME_ZONE of
 * watchdog.conf(5)).
 */
#ifndef WATCHDOG_CONFIG_CALENDAR_H
#define WATCHDOG_CONFIG_CALENDAR_H

#include "watchdog/calendar.h"
#include "watchdog/config.h"
#include "watchdog/status.h"

/*
 * Build the calendar of CFG, reading HOLIDAYS_FILE when it is set (on a
 * setgid install the path comes from the administrator's file only: the
 * environment is ignored there, and --config drops the privilege first).
 * WD_OK and *CALP, which the caller frees with calendar_free(); or
 * WD_ECONFIG with *CAUSE naming the file, line and key.
 */
enum wd_status	 config_calendar(const struct config *cfg,
		     struct calendar **calp, char **cause);

#endif
