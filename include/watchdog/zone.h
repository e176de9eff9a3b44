/*
 * zone.h: IANA time zones by name (watchdog.conf(5), TIME_ZONE). The
 * notices show every time in the team's zone, whatever the TZ of the
 * process that builds them; the zone is passed in, never read from the
 * environment.
 */
#ifndef WATCHDOG_ZONE_H
#define WATCHDOG_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Where the zone files are; a TIME_ZONE must name one under it. */
#ifndef WATCHDOG_ZONEINFO
#define WATCHDOG_ZONEINFO	"/usr/share/zoneinfo"
#endif

/* The longest zone name accepted, in bytes. */
#define ZONE_NAME_MAX		64

/*
 * True when NAME is an IANA zone name ("Europe/Berlin", "UTC") whose file
 * exists under WATCHDOG_ZONEINFO and is a compiled zone (TZif). Else false
 * with *WHY (static text) saying what is wrong, when WHY is not NULL.
 */
bool		zone_valid(const char *name, const char **why);

/*
 * The system's zone: /etc/timezone, else the zone /etc/localtime links
 * to, else "UTC"; always a name zone_valid() accepts. New string.
 */
char	       *zone_system(void);

/*
 * The local time of T in ZONE (a name zone_valid() accepted) into *TM and
 * its abbreviation ("CET", "CEST", "+0530") into ABBR (LEN bytes). The
 * process's TZ is set to ZONE for the conversion and put back after.
 * False when T cannot be shown.
 */
bool		zone_localtime(int64_t t, const char *zone, struct tm *tm,
		    char *abbr, size_t len);

/* The process's TZ, kept while a piece of work runs in another zone. */
struct zone_scope {
	char	*saved;		/* the TZ before, or NULL when unset */
	bool	 switched;	/* whether zone_enter() changed it */
};

/*
 * Work in ZONE (a name zone_valid() accepted) until zone_leave(S): the
 * process's TZ is set to it once, so that zone_localtime() in ZONE and the
 * calendars of ZONE convert times without switching (glibc reads the zone
 * file again at each switch). Nothing between the two may show a time in
 * the process's own zone. When TZ already names ZONE, nothing changes.
 */
void		zone_enter(const char *zone, struct zone_scope *s);

/* Put back the TZ that zone_enter() kept in S. */
void		zone_leave(struct zone_scope *s);

#endif
