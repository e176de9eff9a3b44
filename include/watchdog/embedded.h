/* embedded.h: data files compiled into the binary (see tools/embed.c). */
#ifndef WATCHDOG_EMBEDDED_H
#define WATCHDOG_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char	*path;	/* as given to the build, e.g. "data/migrations/0001-initial.sql" */
	const char	*data;	/* NUL-terminated */
	size_t		 len;
};

/* Ended by an entry whose path is NULL. */
extern const struct embedded_file embedded_files[];

/* The file at exactly PATH, or NULL. */
const struct embedded_file *embedded_find(const char *path);

#endif
