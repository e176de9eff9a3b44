/*
 * api_auth.c: who is asking (Authorization: Token KEY), and the two
 * endpoints without a token: POST /api-token-auth/ and POST /register/.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api_int.h"
#include "watchdog/token.h"

/* Parse the body of R into *B; false after replying 400. */
bool
api_body(struct api_req *r, struct jsonbody *b)
{
	enum wd_status	 status;
	char		*cause = NULL;

	status = jsonbody_parse(r->db, r->body.buf != NULL ? r->body.buf : "",
	    r->body.len, b, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		return false;
	}
	return true;
}

/*
 * The text member NAME of B in *OUT, NULL when absent (or null, when
 * NULLABLE: then ""). False after replying 400 for another type.
 */
bool
api_text(struct api_req *r, const struct jsonbody *b, const char *name,
    bool nullable, const char **out)
{
	const struct jsonbody_member	*m;
	char				*msg;

	*out = NULL;
	if ((m = jsonbody_get(b, name)) == NULL)
		return true;
	if (m->type == JSONBODY_TEXT) {
		*out = m->value;
		return true;
	}
	if (m->type == JSONBODY_NULL && nullable) {
		*out = "";
		return true;
	}
	msg = xasprintf("%s: expected a string, got %s", name,
	    jsonbody_type_names[m->type]);
	api_reply_detail(r, MHD_HTTP_BAD_REQUEST, msg);
	free(msg);
	return false;
}

/*
 * Authenticate R by its "Authorization: Token KEY" header into R->me.
 * False after replying 401.
 */
bool
api_auth(struct api_req *r)
{
	const char	*h;
	enum wd_status	 status;
	char		*cause = NULL;

	h = mhd.lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL || strncmp(h, "Token ", 6) != 0 || h[6] == '\0') {
		api_reply_detail(r, MHD_HTTP_UNAUTHORIZED,
		    "Authentication credentials were not provided.");
		return false;
	}
	status = token_authenticate(r->db, h + 6, r->now, &r->me, &cause);
	if (status == WD_EAUTH) {
		free(cause);
		api_reply_detail(r, MHD_HTTP_UNAUTHORIZED, "Invalid token.");
		return false;
	}
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		return false;
	}
	return true;
}

/* The two text members every login and registration needs. */
static bool
api_credentials(struct api_req *r, const struct jsonbody *b,
    const char **name, const char **password)
{
	if (!api_text(r, b, "username", false, name) ||
	    !api_text(r, b, "password", false, password))
		return false;
	if (*name == NULL || *password == NULL) {
		api_reply_detail(r, MHD_HTTP_BAD_REQUEST,
		    "username and password are required.");
		return false;
	}
	return true;
}

/* POST /api-token-auth/ {"username", "password"} -> {"token"}. */
void
api_token_auth(struct api_req *r)
{
	struct jsonbody	 b;
	struct user	 u;
	enum wd_status	 status;
	const char	*name, *password;
	char		*token = NULL, *cause = NULL, *json;

	memset(&u, 0, sizeof u);
	if (!api_body(r, &b))
		return;
	if (!api_credentials(r, &b, &name, &password))
		goto out;
	status = user_login(r->db, r->srv->cfg, name, password, r->srv->uid,
	    r->now, &u, &cause);
	if (status == WD_EAUTH) {
		/* As Django REST framework answers a failed login. */
		api_reply_detail(r, MHD_HTTP_BAD_REQUEST, cause);
		free(cause);
		goto out;
	}
	if (status == WD_OK)
		status = token_create(r->db, u.id, r->now, &token, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		goto out;
	}
	r->me.name = xstrdup(u.name);
	json = xasprintf("{\"token\": \"%s\"}", token);
	api_reply(r, MHD_HTTP_OK, json, NULL, NULL, NULL, NULL);
	sodium_memzero(json, strlen(json));
	free(json);
	sodium_memzero(token, strlen(token));
	free(token);
out:
	for (size_t i = 0; i < b.n; i++) {
		if (b.members[i].value != NULL)
			sodium_memzero(b.members[i].value,
			    strlen(b.members[i].value));
	}
	jsonbody_clear(&b);
	user_clear(&u);
}

/* The checks of a new account's fields; false after replying 400. */
static bool
api_register_check(struct api_req *r, const char *name, const char *email,
    const char *password)
{
	enum wd_status	 status;
	char		*cause = NULL;

	if ((status = user_check_name(name, &cause)) == WD_OK &&
	    (status = user_check_email(email, &cause)) == WD_OK)
		status = user_check_password(r->srv->cfg, name, password,
		    &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		return false;
	}
	return true;
}

/*
 * POST /register/ {"username", "email", "password"} -> 201 {"id",
 * "username", "email"}, when ALLOW_REGISTRATION is on and the first
 * administrator exists (as watchdog --register).
 */
void
api_register(struct api_req *r)
{
	struct jsonbody	 b;
	enum wd_status	 status;
	const char	*name, *password, *email;
	struct strbuf	 sb;
	char		*cause = NULL;
	int64_t		 n = 0, id = 0;

	if (!r->srv->cfg->allow_registration) {
		api_reply_detail(r, MHD_HTTP_FORBIDDEN, "registration is "
		    "turned off (ALLOW_REGISTRATION)");
		return;
	}
	if (!api_body(r, &b))
		return;
	if (!api_credentials(r, &b, &name, &password) ||
	    !api_text(r, &b, "email", false, &email))
		goto out;
	if (email == NULL) {
		api_reply_detail(r, MHD_HTTP_BAD_REQUEST, "email is required.");
		goto out;
	}
	if (!api_register_check(r, name, email, password))
		goto out;
	if ((status = user_count(r->db, &n, &cause)) == WD_OK && n == 0)
		status = status_set(&cause, WD_EAUTH, "the database has no "
		    "accounts yet: create the first administrator with "
		    "watchdog --add-user");
	if (status == WD_OK)
		status = user_create(r->db, r->srv->cfg, name, email, password,
		    false, false, NULL, r->now, &id, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		goto out;
	}
	memset(&sb, 0, sizeof sb);
	strbuf_addf(&sb, "{\"id\": %lld, \"username\": ", (long long)id);
	api_json_string(&sb, name);
	strbuf_addstr(&sb, ", \"email\": ");
	api_json_string(&sb, email);
	strbuf_addstr(&sb, "}");
	api_reply(r, MHD_HTTP_CREATED, sb.buf, NULL, NULL, NULL, NULL);
	strbuf_free(&sb);
out:
	for (size_t i = 0; i < b.n; i++) {
		if (b.members[i].value != NULL)
			sodium_memzero(b.members[i].value,
			    strlen(b.members[i].value));
	}
	jsonbody_clear(&b);
}
