/*
 * api_tickets.c: GET and POST /api/tickets/, and GET, PUT, PATCH and
 * DELETE /api/tickets/{id}/, through the same ticket functions as
 * --list, --create, --show, --update and --delete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "watchdog/comment.h"
#include "watchdog/ratelimit.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_django.h"
#include "watchdog/ticket_query.h"
#include "watchdog/timeutil.h"

/* The request fields of a ticket: the Django ones, then ours. */
static const char *const api_fields_text[] = {
	"title", "description", "deadline", "priority", "status", NULL
};

/*
 * Fill F from B (DEADLINE_TEXT gets the deadline as sent). False after
 * replying 400.
 */
static bool
api_fields(struct api_req *r, const struct jsonbody *b,
    struct ticket_fields *f)
{
	const char	*v[5], *deadline;
	enum wd_status	 status;
	char		*cause = NULL;
	size_t		 i;

	memset(f, 0, sizeof *f);
	for (i = 0; api_fields_text[i] != NULL; i++) {
		if (!api_text(r, b, api_fields_text[i], false, &v[i]))
			return false;
	}
	f->title = v[0];
	f->description = v[1];
	deadline = v[2];
	f->priority = v[3];
	f->status = v[4];
	if (!api_text(r, b, "assignee", true, &f->assignee))
		return false;
	/* An assigned notice is queued with the change, as --update does. */
	f->notify_cfg = r->srv->cfg;
	if (deadline != NULL && strcmp(deadline, "auto") == 0)
		f->deadline_auto = true;
	else if (deadline != NULL) {
		status = time_parse_deadline(deadline, r->now, &f->deadline,
		    &cause);
		if (status != WD_OK) {
			api_reply_status(r, status, cause);
			return false;
		}
		f->has_deadline = true;
	}
	return true;
}

/* Take one read from RATE_LIMIT_READ; false after replying 429. */
static bool
api_read_limit(struct api_req *r)
{
	enum wd_status	 status;
	char		*cause = NULL;

	status = ratelimit_take(r->db, &r->srv->cfg->rate_limit_read,
	    r->me.id, "read", r->now, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		return false;
	}
	return true;
}

/* Reply ticket ID (with the Django fields) with status HTTP. */
static void
api_send_ticket(struct api_req *r, int64_t id, unsigned int http)
{
	enum wd_status	 status;
	char		*json = NULL, *out = NULL, *cause = NULL, etag[32],
			*loc = NULL;
	const char	*v;
	long long	 version = 0;

	status = ticket_json(r->db, &r->srv->cfg->sla, id, r->now, false, &json,
	    &cause);
	if (status == WD_OK)
		status = ticket_django_json(r->db, json, &out, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		goto out;
	}
	/* ETag: the version, which If-Match sends back. */
	/* The last "version": the ticket's own, after every text field. */
	for (v = out; (v = strstr(v, "\"version\":")) != NULL; v++)
		version = strtoll(v + strlen("\"version\":"), NULL, 10);
	snprintf(etag, sizeof etag, "\"%lld\"", version);
	if (http == MHD_HTTP_CREATED)
		loc = xasprintf("/api/tickets/%lld/", (long long)id);
	api_reply(r, http, out, "ETag", etag, loc != NULL ? "Location" : NULL,
	    loc);
out:
	free(loc);
	free(json);
	free(out);
}

/* The version an If-Match header names ("3", 3 or W/"3"); 0: none. */
static bool
api_if_match(struct api_req *r, int64_t *version)
{
	const char	*h;
	char		 num[24];
	size_t		 n;
	long long	 v;

	*version = 0;
	h = mhd.lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_MATCH);
	if (h == NULL)
		return true;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (*h == '"')
		h++;
	n = strspn(h, "0123456789");
	if (n == 0 || n >= sizeof num || (h[n] != '\0' && h[n] != '"'))
		goto bad;
	memcpy(num, h, n);
	num[n] = '\0';
	if (parse_int64(num, 1, INT64_MAX, &v) != 0)
		goto bad;
	*version = v;
	return true;
bad:
	api_reply_detail(r, MHD_HTTP_BAD_REQUEST, "If-Match: send the "
	    "ticket's version, as its ETag gives it (\"3\")");
	return false;
}

/* POST /api/tickets/. */
static void
api_create(struct api_req *r)
{
	struct ticket_fields	 f;
	struct jsonbody		 b;
	enum wd_status		 status;
	char			*cause = NULL;
	int64_t			 id = 0;

	if (!api_body(r, &b))
		return;
	if (!api_fields(r, &b, &f))
		goto out;
	/* The deadline may come from an SLA policy (ticket_create). */
	if (f.title == NULL) {
		api_reply_detail(r, MHD_HTTP_BAD_REQUEST, "title is required.");
		goto out;
	}
	status = ticket_create(r->db, r->srv->cfg, &r->me, &f, r->now, &id,
	    &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		goto out;
	}
	api_send_ticket(r, id, MHD_HTTP_CREATED);
	/* The confirmation goes out now, as after --create. */
	api_courier_send(r->srv->courier_fd, id, API_NOTICE_CREATED);
out:
	jsonbody_clear(&b);
}

/* The query of GET /api/tickets/ in *Q; false after replying 400. */
static bool
api_query(struct api_req *r, struct ticket_query *q)
{
	const char	*v;
	long long	 n;

	memset(q, 0, sizeof *q);
	q->limit = API_PAGE_DEFAULT;
	q->statuses = mhd.lookup_connection_value(r->conn,
	    MHD_GET_ARGUMENT_KIND, "status");
	if (q->statuses != NULL)
		q->all = true;
	if ((v = mhd.lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    "overdue")) != NULL)
		q->overdue = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	if ((v = mhd.lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    "mine")) != NULL)
		q->mine = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	if ((v = mhd.lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    "limit")) != NULL) {
		if (parse_int64(v, 1, API_PAGE_MAX, &n) != 0)
			goto bad;
		q->limit = n;
	}
	if ((v = mhd.lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    "after")) != NULL) {
		if (parse_int64(v, 1, INT64_MAX, &n) != 0)
			goto bad;
		q->after = n;
	}
	return true;
bad:
	api_reply_detail(r, MHD_HTTP_BAD_REQUEST, "limit must be 1 to 1000 "
	    "and after a ticket id");
	return false;
}

/* What the listing gathers. */
struct api_page {
	struct api_req	*r;
	struct strbuf	 sb;
	int64_t		 n;
	int64_t		 last_id;
	enum wd_status	 status;
	char		*cause;
};

/* Add one ticket's JSON to the page (a ticket_query_json callback). */
static int
api_page_add(const char *json, void *arg)
{
	struct api_page	*p = arg;
	const char	*v;
	char		*out = NULL;

	p->status = ticket_django_json(p->r->db, json, &out, &p->cause);
	if (p->status != WD_OK)
		return 1;
	strbuf_addstr(&p->sb, p->n == 0 ? "[" : ", ");
	strbuf_addstr(&p->sb, out);
	if ((v = strstr(out, "\"id\":")) != NULL)
		p->last_id = strtoll(v + strlen("\"id\":"), NULL, 10);
	p->n++;
	free(out);
	return 0;
}

/* The Link header of the page after P, or NULL when P is the last. */
static char *
api_page_link(struct api_req *r, const struct ticket_query *q,
    const struct api_page *p)
{
	if (p->n < q->limit)
		return NULL;
	return xasprintf("</api/tickets/?%s%s%s%s%slimit=%lld&after=%lld>; "
	    "rel=\"next\"", q->statuses != NULL ? "status=" : "",
	    q->statuses != NULL ? q->statuses : "",
	    q->statuses != NULL ? "&" : "", q->overdue ? "overdue=1&" : "",
	    q->mine ? "mine=1&" : "", (long long)q->limit,
	    (long long)p->last_id);
	(void)r;
}

/* GET /api/tickets/. */
static void
api_list(struct api_req *r)
{
	struct ticket_query	 q;
	struct ticket_plan	 plan;
	struct api_page		 p;
	enum wd_status		 status;
	char			*cause = NULL, *link = NULL;

	memset(&p, 0, sizeof p);
	p.r = r;
	if (!api_query(r, &q) || !api_read_limit(r))
		return;
	if (q.statuses != NULL && strspn(q.statuses,
	    "abcdefghijklmnopqrstuvwxyz_,") != strlen(q.statuses)) {
		api_reply_detail(r, MHD_HTTP_BAD_REQUEST, "status: open, "
		    "in_progress, on_hold or resolved, comma-separated");
		return;
	}
	status = ticket_query_prepare(r->db, &r->srv->cfg->sla, &q, &r->me, r->now,
	    &plan, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		return;
	}
	status = ticket_query_json(r->db, &plan, r->now, api_page_add, &p,
	    &cause);
	ticket_plan_clear(&plan);
	if (status == WD_OK && p.status != WD_OK) {
		status = p.status;
		cause = p.cause;
		p.cause = NULL;
	}
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		goto out;
	}
	strbuf_addstr(&p.sb, p.n == 0 ? "[]" : "]");
	link = api_page_link(r, &q, &p);
	api_reply(r, MHD_HTTP_OK, p.sb.buf, link != NULL ? "Link" : NULL,
	    link, NULL, NULL);
out:
	free(link);
	free(p.cause);
	strbuf_free(&p.sb);
}

/* GET or POST /api/tickets/. */
void
api_tickets(struct api_req *r)
{
	if (strcmp(r->method, "POST") == 0)
		api_create(r);
	else
		api_list(r);
}

/* PUT or PATCH /api/tickets/ID/ (PUT needs title and deadline). */
static void
api_update(struct api_req *r, int64_t id, bool put)
{
	struct ticket_fields	 f;
	struct jsonbody		 b;
	enum wd_status		 status;
	char			*cause = NULL;
	int64_t			 version;

	if (!api_if_match(r, &version) || !api_body(r, &b))
		return;
	if (!api_fields(r, &b, &f))
		goto out;
	if (put && (f.title == NULL || (!f.has_deadline &&
	    !f.deadline_auto))) {
		api_reply_detail(r, MHD_HTTP_BAD_REQUEST,
		    "PUT replaces the ticket: title and deadline are "
		    "required (PATCH changes some fields).");
		goto out;
	}
	f.expect_version = version;
	status = ticket_update(r->db, &r->srv->cfg->sla, &r->me, id, &f,
	    r->now, NULL, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		goto out;
	}
	api_send_ticket(r, id, MHD_HTTP_OK);
	/* An assigned notice, if the update queued one, goes out now. */
	if (f.assignee != NULL && *f.assignee != '\0')
		api_courier_send(r->srv->courier_fd, id, API_NOTICE_ASSIGNED);
out:
	jsonbody_clear(&b);
}

/* POST /api/tickets/ID/comments/ {"text"} -> 201 {"id", "ticket", ...}. */
void
api_comment(struct api_req *r, int64_t id)
{
	struct jsonbody	 b;
	enum wd_status	 status;
	const char	*text;
	char		*cause = NULL, *json;
	int64_t		 cid = 0;

	if (!api_body(r, &b))
		return;
	if (!api_text(r, &b, "text", false, &text))
		goto out;
	if (text == NULL) {
		api_reply_detail(r, MHD_HTTP_BAD_REQUEST, "text is required.");
		goto out;
	}
	if ((status = comment_check(text, &cause)) == WD_OK)
		status = comment_add(r->db, r->srv->cfg, &r->me, id, text,
		    r->now, &cid, &cause);
	if (status != WD_OK) {
		api_reply_status(r, status, cause);
		goto out;
	}
	json = xasprintf("{\"id\": %lld, \"ticket\": %lld}", (long long)cid,
	    (long long)id);
	api_reply(r, MHD_HTTP_CREATED, json, NULL, NULL, NULL, NULL);
	free(json);
	api_courier_send(r->srv->courier_fd, id, API_NOTICE_COMMENTED);
out:
	jsonbody_clear(&b);
}

/* GET, PUT, PATCH or DELETE /api/tickets/ID/. */
void
api_ticket(struct api_req *r, int64_t id)
{
	enum wd_status	 status;
	char		*cause = NULL;

	if (strcmp(r->method, "GET") == 0) {
		if (api_read_limit(r))
			api_send_ticket(r, id, MHD_HTTP_OK);
	} else if (strcmp(r->method, "PUT") == 0)
		api_update(r, id, true);
	else if (strcmp(r->method, "PATCH") == 0)
		api_update(r, id, false);
	else {
		status = ticket_delete(r->db, &r->me, id, r->now, &cause);
		if (status != WD_OK)
			api_reply_status(r, status, cause);
		else
			api_reply(r, MHD_HTTP_NO_CONTENT, NULL, NULL, NULL,
			    NULL, NULL);
	}
}
