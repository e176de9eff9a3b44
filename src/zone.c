/*
 * zone.c: IANA time zones by name; see zone.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "watchdog/util.h"
#include "watchdog/zone.h"

#define ZONE_ETC_TIMEZONE	"/etc/timezone"
#define ZONE_ETC_LOCALTIME	"/etc/localtime"

/* Check the spelling of NAME; NULL or what is wrong. */
static const char *
zone_name_check(const char *name)
{
	const char	*p;
	size_t		 len;

	len = strlen(name);
	if (len == 0)
		return "empty";
	if (len > ZONE_NAME_MAX)
		return "too long for a time zone name";
	if (name[0] == '/' || name[0] == '.' || name[len - 1] == '/' ||
	    strstr(name, "..") != NULL || strstr(name, "//") != NULL)
		return "not an IANA time zone name such as Europe/Berlin";
	for (p = name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+')
			continue;
		return "not an IANA time zone name such as Europe/Berlin";
	}
	return NULL;
}

/* Is NAME a zone; see zone.h. */
bool
zone_valid(const char *name, const char **why)
{
	struct stat	 sb;
	const char	*bad;
	char		 path[PATH_MAX], magic[4];
	ssize_t		 n;
	int		 fd;

	if ((bad = zone_name_check(name)) != NULL)
		goto fail;
	bad = "no such time zone (see the names under " WATCHDOG_ZONEINFO ")";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", WATCHDOG_ZONEINFO,
	    name) >= sizeof path)
		goto fail;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) ==
	    -1)
		goto fail;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		goto fail;
	}
	n = read(fd, magic, sizeof magic);
	close(fd);
	if (n != (ssize_t)sizeof magic || memcmp(magic, "TZif", 4) != 0)
		goto fail;
	return true;

fail:
	if (why != NULL)
		*why = bad;
	return false;
}

/* The first line of /etc/timezone when it names a zone; new or NULL. */
static char *
zone_from_etc_timezone(void)
{
	char	 buf[ZONE_NAME_MAX + 2];
	FILE	*f;
	size_t	 len;

	if ((f = fopen(ZONE_ETC_TIMEZONE, "re")) == NULL)
		return NULL;
	if (fgets(buf, sizeof buf, f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	len = strcspn(buf, " \t\r\n");
	buf[len] = '\0';
	return zone_valid(buf, NULL) ? xstrdup(buf) : NULL;
}

/* The zone /etc/localtime links to ("../zoneinfo/X"); new or NULL. */
static char *
zone_from_etc_localtime(void)
{
	char		 buf[PATH_MAX];
	const char	*p;
	ssize_t		 n;

	if ((n = readlink(ZONE_ETC_LOCALTIME, buf, sizeof buf - 1)) <= 0)
		return NULL;
	buf[n] = '\0';
	if ((p = strstr(buf, "zoneinfo/")) == NULL)
		return NULL;
	p += strlen("zoneinfo/");
	return zone_valid(p, NULL) ? xstrdup(p) : NULL;
}

/* The system's zone; see zone.h. */
char *
zone_system(void)
{
	char	*z;

	if ((z = zone_from_etc_timezone()) != NULL ||
	    (z = zone_from_etc_localtime()) != NULL)
		return z;
	return xstrdup("UTC");
}

/* Whether the process's TZ is ":ZONE" already. */
static bool
zone_is_current(const char *zone)
{
	const char	*tz;

	return (tz = getenv("TZ")) != NULL && tz[0] == ':' &&
	    strcmp(tz + 1, zone) == 0;
}

/* Work in ZONE; see zone.h. */
void
zone_enter(const char *zone, struct zone_scope *s)
{
	const char	*old;
	char		*tz;

	memset(s, 0, sizeof *s);
	if (zone_is_current(zone))
		return;
	if ((old = getenv("TZ")) != NULL)
		s->saved = xstrdup(old);
	tz = xasprintf(":%s", zone);
	setenv("TZ", tz, 1);
	free(tz);
	tzset();
	s->switched = true;
}

/* Put back the process's TZ; see zone.h. */
void
zone_leave(struct zone_scope *s)
{
	if (!s->switched)
		return;
	if (s->saved != NULL)
		setenv("TZ", s->saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(s->saved);
	memset(s, 0, sizeof *s);
}

/* Local time of T in ZONE; see zone.h. */
bool
zone_localtime(int64_t t, const char *zone, struct tm *tm, char *abbr,
    size_t len)
{
	struct zone_scope	 s;
	time_t			 tt = (time_t)t;
	bool			 ok;

	if ((int64_t)tt != t)
		return false;
	zone_enter(zone, &s);
	ok = localtime_r(&tt, tm) != NULL &&
	    strftime(abbr, len, "%Z", tm) != 0;
	zone_leave(&s);
	return ok;
}
