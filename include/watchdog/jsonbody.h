/*
 * jsonbody.h: the JSON object of an HTTP request body (watchdog --serve),
 * read with the database's JSON parser (SQLite's json_valid, json_each;
 * PostgreSQL's json type): strictly one object, its members at the top
 * level, each name once.
 */
#ifndef WATCHDOG_JSONBODY_H
#define WATCHDOG_JSONBODY_H

#include <stdbool.h>
#include <stddef.h>

#include "watchdog/status.h"

struct db;

/* The JSON type of a member. */
enum jsonbody_type {
	JSONBODY_NULL,
	JSONBODY_TRUE,
	JSONBODY_FALSE,
	JSONBODY_INTEGER,
	JSONBODY_REAL,
	JSONBODY_TEXT,
	JSONBODY_ARRAY,
	JSONBODY_OBJECT,
	JSONBODY_NTYPES
};

/* The names of the types, in their order ("null", "true", ...). */
extern const char *const jsonbody_type_names[JSONBODY_NTYPES];

struct jsonbody_member {
	char			*name;
	enum jsonbody_type	 type;
	char			*value;	/* text of a scalar, NULL otherwise */
};

struct jsonbody {
	struct jsonbody_member	*members;
	size_t			 n;
};

/*
 * Parse TEXT (LEN bytes) into *OUT (cleared with jsonbody_clear). WD_OK,
 * or WD_EDATA with *CAUSE for text that is not one JSON object, is not
 * UTF-8, contains a NUL byte or names a member twice.
 */
enum wd_status	jsonbody_parse(struct db *db, const char *text, size_t len,
		    struct jsonbody *out, char **cause);
void		jsonbody_clear(struct jsonbody *body);

/* The member NAME, or NULL. */
const struct jsonbody_member *jsonbody_get(const struct jsonbody *body,
		    const char *name);

#endif
