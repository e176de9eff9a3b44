/*
 * jsonbody.c: a request body's JSON object, parsed by the database's
 * JSON functions (SQLite's, or PostgreSQL's); see jsonbody.h.
 */
#include <stdlib.h>
#include <string.h>

#include "watchdog/db.h"
#include "watchdog/jsonbody.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

const char *const jsonbody_type_names[JSONBODY_NTYPES] = {
	[JSONBODY_NULL] = "null",
	[JSONBODY_TRUE] = "true",
	[JSONBODY_FALSE] = "false",
	[JSONBODY_INTEGER] = "integer",
	[JSONBODY_REAL] = "real",
	[JSONBODY_TEXT] = "text",
	[JSONBODY_ARRAY] = "array",
	[JSONBODY_OBJECT] = "object",
};

static const char sql_object[] =
    "SELECT CASE WHEN json_valid(:body) THEN json_type(:body) = 'object' "
    "ELSE 0 END";
static const char sql_members[] =
    "SELECT key, type, CASE WHEN type IN ('array', 'object') THEN NULL "
    "ELSE CAST(atom AS TEXT) END FROM json_each(:body)";

/*
 * On PostgreSQL: the check is data/pg/0017's function; the members get
 * the names and texts SQLite's json_each gives them (a string "text", a
 * number "integer" or "real", a boolean "true" or "false", 1 or 0).
 */
static const char sql_object_pg[] =
    "SELECT CASE WHEN wd_json_is_object(:body) THEN 1 ELSE 0 END";
static const char sql_members_pg[] =
    "SELECT key, CASE json_typeof(value) WHEN 'string' THEN 'text' "
    "WHEN 'number' THEN CASE WHEN value::text ~ '^-?[0-9]+$' "
    "THEN 'integer' ELSE 'real' END "
    "WHEN 'boolean' THEN value::text ELSE json_typeof(value) END, "
    "CASE json_typeof(value) WHEN 'string' THEN value #>> '{}' "
    "WHEN 'number' THEN value::text "
    "WHEN 'boolean' THEN CASE WHEN value::text = 'true' THEN '1' "
    "ELSE '0' END END "
    "FROM json_each(CAST(:body AS json))";

/* The type named NAME (as json_each names it); JSONBODY_NTYPES if none. */
static enum jsonbody_type
jsonbody_type(const char *name)
{
	enum jsonbody_type	t;

	for (t = 0; t < JSONBODY_NTYPES; t++) {
		if (strcmp(jsonbody_type_names[t], name) == 0)
			return t;
	}
	return JSONBODY_NTYPES;
}

/* Add the current row of ST to BODY; -1 for a member named twice. */
static int
jsonbody_add(struct jsonbody *body, struct db_stmt *st)
{
	struct jsonbody_member	*m;
	const char		*name, *type;

	name = db_column_text(st, 0);
	type = db_column_text(st, 1);
	if (name == NULL || type == NULL || jsonbody_get(body, name) != NULL)
		return -1;
	body->members = xreallocarray(body->members, body->n + 1,
	    sizeof *body->members);
	m = &body->members[body->n++];
	m->name = xstrdup(name);
	m->type = jsonbody_type(type);
	m->value = db_column_is_null(st, 2) ? NULL : db_column_strdup(st, 2);
	return 0;
}

/* Parse a body; see jsonbody.h. */
enum wd_status
jsonbody_parse(struct db *db, const char *text, size_t len,
    struct jsonbody *out, char **cause)
{
	struct db_stmt	*st;
	enum wd_status	 status;
	char		*copy;
	int64_t		 ok = 0;
	int		 rc;
	bool		 pg;

	memset(out, 0, sizeof *out);
	if (memchr(text, '\0', len) != NULL)
		return status_set(cause, WD_EDATA, "the body contains a NUL "
		    "byte: send one JSON object");
	/* JSON is UTF-8 (RFC 8259); PostgreSQL refuses other bytes. */
	if (!utf8_valid(text, len))
		return status_set(cause, WD_EDATA, "the body is not valid "
		    "UTF-8: send one JSON object");
	copy = xstrndup(text, len);
	pg = db_engine(db) == DB_POSTGRESQL;
	st = db_prepare(db, pg ? sql_object_pg : sql_object);
	db_bind_text(st, ":body", copy);
	status = db_one_int(st, &ok, cause);
	if (status == WD_OK && ok != 1)
		status = status_set(cause, WD_EDATA, "the body is not a JSON "
		    "object");
	if (status != WD_OK)
		goto out;
	st = db_prepare(db, pg ? sql_members_pg : sql_members);
	db_bind_text(st, ":body", copy);
	while ((rc = db_step(st, &status, cause)) == 1) {
		if (jsonbody_add(out, st) != 0) {
			db_reset(st);
			status = status_set(cause, WD_EDATA, "the body names "
			    "a field twice");
			break;
		}
	}
out:
	free(copy);
	if (status != WD_OK)
		jsonbody_clear(out);
	return status;
}

/* Free what BODY holds. */
void
jsonbody_clear(struct jsonbody *body)
{
	size_t	i;

	for (i = 0; i < body->n; i++) {
		free(body->members[i].name);
		free(body->members[i].value);
	}
	free(body->members);
	memset(body, 0, sizeof *body);
}

/* The member NAME of BODY, or NULL. */
const struct jsonbody_member *
jsonbody_get(const struct jsonbody *body, const char *name)
{
	size_t	i;

	for (i = 0; i < body->n; i++) {
		if (strcmp(body->members[i].name, name) == 0)
			return &body->members[i];
	}
	return NULL;
}
