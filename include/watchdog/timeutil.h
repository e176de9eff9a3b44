/*
 * timeutil.h: parsing deadlines and formatting times. Pure functions: the
 * current time is always passed in. Local time follows TZ.
 */
#ifndef WATCHDOG_TIMEUTIL_H
#define WATCHDOG_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watchdog/status.h"

/*
 * Parse a deadline (watchdog(1)): "YYYY-MM-DD HH:MM[:SS]" (local time),
 * ISO 8601 "YYYY-MM-DDTHH:MM[:SS]" with "Z" or an offset "+HH:MM"/"+HHMM"
 * (without one: local time), relative "+90m", "+4h", "+2d", "+1w", "+30s"
 * or combined "+1h30m" (from NOW), and "@EPOCH". Returns WD_OK with UTC
 * seconds in *OUT, or WD_EDATA with *cause saying what is wrong.
 */
enum wd_status	time_parse_deadline(const char *s, int64_t now, int64_t *out,
		    char **cause);

/* "2026-11-27T14:00:00Z" into BUF (at least 21 bytes). */
void		time_format_iso(int64_t t, char *buf, size_t len);

/* "2026-11-27 15:00" in local time into BUF (at least 17 bytes). */
void		time_format_local(int64_t t, char *buf, size_t len);

/* "15:00" in local time into BUF (at least 6 bytes). */
void		time_format_hhmm(int64_t t, char *buf, size_t len);

/*
 * T in ZONE, an IANA name that zone_valid() accepted, with the zone's
 * abbreviation, whatever the process's TZ: "2026-12-03 14:00 CET" into
 * FULL (FULLLEN bytes) and "14:00 CET" into HHMM, each unless NULL. "?"
 * when T cannot be shown or a buffer is too small. One zone switch serves
 * both.
 */
void		time_format_zone(int64_t t, const char *zone, char *full,
		    size_t fulllen, char *hhmm, size_t hhmmlen);

/*
 * The countdown text for a deadline LEFT seconds away (negative: past):
 * "2d 4h left", "2h 13m left", "4m 10s left" (in the last hour), "45s left";
 * at or past the deadline "overdue 0s", "overdue 5m", "overdue 2h 5m",
 * "overdue 3d 1h".
 */
void		time_format_left(int64_t left, char *buf, size_t len);

/*
 * A length of time: "2d 4h 0m", "2h 10m", "45m", "30s" (0 and less:
 * "0s").
 */
void		time_format_duration(int64_t secs, char *buf, size_t len);

/*
 * The countdown of a ticket: time_format_left(), frozen and marked when
 * its clock is PAUSED ("paused, 2h 10m left").
 */
void		time_format_sla_left(int64_t left, bool paused, char *buf,
		    size_t len);

#endif
