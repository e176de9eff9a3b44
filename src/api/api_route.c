/*
 * api_route.c: one request of watchdog --serve: its body (at most
 * API_BODY_MAX, refused unread beyond), its route, its log line.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "api_int.h"
#include "watchdog/db.h"

static pthread_key_t	api_db_key;
static atomic_int	api_in_flight;
/*
 * The ticket writes of the worker threads take turns here rather than in
 * SQLite's busy handler, whose sleeps (up to 100 ms) would make the
 * latency of concurrent writers jump; other processes still meet the
 * database's own lock.
 */
static pthread_mutex_t	api_write_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t	api_db_once = PTHREAD_ONCE_INIT;

/* Close a worker thread's connection when the thread ends. */
static void
api_db_destroy(void *p)
{
	db_close(p);
}

/* Make the key of the threads' connections (once). */
static void
api_db_key_make(void)
{
	if (pthread_key_create(&api_db_key, api_db_destroy) != 0)
		abort();
}

/* Ready the per-thread connections; called before the threads start. */
void
api_route_thread_init(void)
{
	pthread_once(&api_db_once, api_db_key_make);
}

/* The calling thread's connection, opened on first use; NULL on error. */
static struct db *
api_db(struct api_req *r, char **cause)
{
	struct db	*db;

	if ((db = pthread_getspecific(api_db_key)) != NULL)
		return db;
	if (db_open(r->srv->cfg->database_path, &db, cause) != WD_OK)
		return NULL;
	pthread_setspecific(api_db_key, db);
	return db;
}

/* The requests begun and not yet completed. */
int
api_route_in_flight(void)
{
	return atomic_load(&api_in_flight);
}

/* Microseconds of the monotonic clock. */
static int64_t
api_clock_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The ticket id of "/api/tickets/ID/" + REST in *ID: 0 or -1. */
static int
api_route_id(const char *path, const char *rest, int64_t *id)
{
	const char	*p = path + strlen("/api/tickets/");
	char		 num[24];
	size_t		 n;
	long long	 v;

	n = strspn(p, "0123456789");
	if (n == 0 || n >= sizeof num || strcmp(p + n, rest) != 0)
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	if (parse_int64(num, 1, INT64_MAX, &v) != 0)
		return -1;
	*id = v;
	return 0;
}

/* Reply 405 unless R's method is one of ALLOWED ("GET POST"). */
static bool
api_route_method(struct api_req *r, const char *allowed)
{
	const char	*p;
	size_t		 n = strlen(r->method);

	for (p = allowed; (p = strstr(p, r->method)) != NULL; p += n) {
		if ((p == allowed || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return true;
	}
	api_reply(r, MHD_HTTP_METHOD_NOT_ALLOWED,
	    "{\"detail\": \"Method not allowed.\"}", "Allow", allowed, NULL,
	    NULL);
	return false;
}

/*
 * Run a ticket endpoint: FN, or FN_ID with ID; a write (any method but
 * GET) holding api_write_lock.
 */
static void
api_route_ticket_op(struct api_req *r, int64_t id,
    void (*fn)(struct api_req *), void (*fn_id)(struct api_req *, int64_t))
{
	bool	write = strcmp(r->method, "GET") != 0;

	if (write)
		pthread_mutex_lock(&api_write_lock);
	if (fn != NULL)
		fn(r);
	else
		fn_id(r, id);
	if (write)
		pthread_mutex_unlock(&api_write_lock);
}

/* Send R to its endpoint (the body is all there). */
static void
api_route(struct api_req *r)
{
	const char	*path = r->url;
	int64_t		 id;

	if (strcmp(path, "/register/") == 0) {
		if (api_route_method(r, "POST"))
			api_register(r);
	} else if (strcmp(path, "/api-token-auth/") == 0) {
		if (api_route_method(r, "POST"))
			api_token_auth(r);
	} else if (strcmp(path, "/api/tickets/") == 0) {
		if (api_route_method(r, "GET POST") && api_auth(r))
			api_route_ticket_op(r, 0, api_tickets, NULL);
	} else if (strncmp(path, "/api/tickets/", 13) == 0 &&
	    api_route_id(path, "/", &id) == 0) {
		if (api_route_method(r, "GET PUT PATCH DELETE") && api_auth(r))
			api_route_ticket_op(r, id, NULL, api_ticket);
	} else if (strncmp(path, "/api/tickets/", 13) == 0 &&
	    api_route_id(path, "/comments/", &id) == 0) {
		if (api_route_method(r, "POST") && api_auth(r))
			api_route_ticket_op(r, id, NULL, api_comment);
	} else
		api_reply_detail(r, MHD_HTTP_NOT_FOUND, "Not found.");
}

/* The Content-Length of R, or -1 when absent or unreadable. */
static long long
api_content_length(struct api_req *r)
{
	const char	*v;
	long long	 n;

	v = mhd.lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (v == NULL || parse_int64(v, 0, INT64_MAX, &n) != 0)
		return -1;
	return n;
}

/* libmicrohttpd's access handler: see api_int.h. */
enum MHD_Result
api_route_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct api_req	*r = *con_cls;
	char		*cause = NULL;

	(void)version;
	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		r->srv = cls;
		r->conn = conn;
		r->method = method;
		r->url = url;
		r->start_us = api_clock_us();
		*con_cls = r;
		atomic_fetch_add(&api_in_flight, 1);
		/* Refused before a byte of the body is read. */
		if (api_content_length(r) > API_BODY_MAX)
			api_reply_detail(r, MHD_HTTP_CONTENT_TOO_LARGE,
			    "Request body larger than 1 MiB.");
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!r->replied && r->body.len + *upload_data_size >
		    API_BODY_MAX)
			api_reply_detail(r, MHD_HTTP_CONTENT_TOO_LARGE,
			    "Request body larger than 1 MiB.");
		if (!r->replied)
			strbuf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->replied)
		return MHD_YES;
	r->now = (int64_t)time(NULL);
	if ((r->db = api_db(r, &cause)) == NULL)
		api_reply_status(r, WD_ETEMP, cause);
	else
		api_route(r);
	if (!r->replied)
		api_reply_detail(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "Internal error.");
	return MHD_YES;
}

/* The remote address of CONN as text in BUF. */
static void
api_remote(struct MHD_Connection *conn, char *buf, size_t len)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	snprintf(buf, len, "-");
	ci = mhd.get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, buf, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, (socklen_t)len);
}

/*
 * The log line, then free the request. The path is logged without its
 * query (nothing secret travels in our paths; a query might carry one),
 * and no header or body is ever logged.
 */
void
api_route_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct api_req	*r = *con_cls;
	char		 addr[64];
	char		*path;

	(void)cls;
	(void)toe;
	if (r == NULL)
		return;
	api_remote(conn, addr, sizeof addr);
	path = xstrndup(r->url, strcspn(r->url, "?"));
	fprintf(stderr, "%s %s %s %s %u %zu %lld\n", addr,
	    r->me.name != NULL ? r->me.name : "-", r->method, path, r->http,
	    r->bytes, (long long)(api_clock_us() - r->start_us));
	free(path);
	user_clear(&r->me);
	strbuf_free(&r->body);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&api_in_flight, 1);
}
