/* embedded.c: look up data files compiled into the binary. */
#include <string.h>

#include "watchdog/embedded.h"

/* The embedded file at PATH, or NULL. */
const struct embedded_file *
embedded_find(const char *path)
{
	const struct embedded_file	*f;

	for (f = embedded_files; f->path != NULL; f++) {
		if (strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}
