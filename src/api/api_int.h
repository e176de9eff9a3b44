/*
 * api_int.h: the inside of watchdog --serve (watchdog(1), THE HTTP API).
 * libmicrohttpd parses HTTP and runs a pool of threads; each thread keeps
 * its own database connection (SQLite connections and db.c's statement
 * cache are not shared between threads). Every endpoint goes through the
 * same domain functions as the command line.
 *
 *	api.c		the server: start, signals, stop
 *	api_route.c	one request: body, routing, the log line
 *	api_reply.c	responses and errors ({"detail": ...})
 *	api_auth.c	Authorization: Token, /api-token-auth/, /register/
 *	api_tickets.c	/api/tickets/ and /api/tickets/{id}/
 *	api_courier.c	the background mail delivery process
 *	api_mhd.c	libmicrohttpd, loaded when the server starts
 */
#ifndef WATCHDOG_API_INT_H
#define WATCHDOG_API_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <microhttpd.h>

#include "watchdog/config.h"
#include "watchdog/jsonbody.h"
#include "watchdog/status.h"
#include "watchdog/user.h"
#include "watchdog/util.h"

/* Request bodies larger than this are refused (413) unread. */
#define API_BODY_MAX	(1024 * 1024)

/* GET /api/tickets/: the page size without ?limit=, and the largest. */
#define API_PAGE_DEFAULT	100
#define API_PAGE_MAX		1000

struct db;

/*
 * The functions of libmicrohttpd this program calls, with their own
 * prototypes: api_mhd_load() fills them in when --serve starts.
 */
struct api_mhd {
	__typeof__(MHD_start_daemon)		*start_daemon;
	__typeof__(MHD_quiesce_daemon)		*quiesce_daemon;
	__typeof__(MHD_stop_daemon)		*stop_daemon;
	__typeof__(MHD_lookup_connection_value)	*lookup_connection_value;
	__typeof__(MHD_get_connection_info)	*get_connection_info;
	__typeof__(MHD_create_response_from_buffer)
						*create_response_from_buffer;
	__typeof__(MHD_add_response_header)	*add_response_header;
	__typeof__(MHD_queue_response)		*queue_response;
	__typeof__(MHD_destroy_response)	*destroy_response;
};
extern struct api_mhd	mhd;

/*
 * Load libmicrohttpd once (see api_mhd.c). Returns WD_OK, or WD_EFAIL
 * with *CAUSE when it is missing or lacks a function.
 */
enum wd_status	 api_mhd_load(char **cause);

struct api_server {
	const struct config	*cfg;
	int			 courier_fd;	/* -1: none */
	int64_t			 uid;		/* the server's Unix user */
};

/* One request, from its first byte to the log line. */
struct api_req {
	struct api_server	*srv;
	struct MHD_Connection	*conn;
	const char		*method;
	const char		*url;
	struct strbuf		 body;
	bool			 too_large;
	bool			 replied;
	struct db		*db;		/* the thread's connection */
	struct user		 me;		/* after api_auth() */
	int64_t			 now;
	unsigned int		 http;		/* the status sent */
	size_t			 bytes;		/* the body sent */
	int64_t			 start_us;
};

/* api_route.c: libmicrohttpd's callbacks. */
enum MHD_Result	api_route_access(void *cls, struct MHD_Connection *conn,
		    const char *url, const char *method, const char *version,
		    const char *upload_data, size_t *upload_data_size,
		    void **con_cls);
void		api_route_completed(void *cls, struct MHD_Connection *conn,
		    void **con_cls, enum MHD_RequestTerminationCode toe);
/* Ready the threads' database connections (before they start). */
void		api_route_thread_init(void);
/* The requests begun and not yet completed. */
int		api_route_in_flight(void);

/* api_reply.c */
void		api_reply(struct api_req *r, unsigned int http,
		    const char *json, const char *h1, const char *v1,
		    const char *h2, const char *v2);
void		api_reply_detail(struct api_req *r, unsigned int http,
		    const char *detail);
/* Add S to SB as a JSON string, quotes included. */
void		api_json_string(struct strbuf *sb, const char *s);
/* The HTTP status for a domain failure, its detail CAUSE (freed). */
void		api_reply_status(struct api_req *r, enum wd_status status,
		    char *cause);

/* api_auth.c */
bool		api_auth(struct api_req *r);
void		api_token_auth(struct api_req *r);
void		api_register(struct api_req *r);
/* Parse the body into *B; false after replying 400. */
bool		api_body(struct api_req *r, struct jsonbody *b);
/* The text member NAME of B in *OUT (NULL when absent); false after 400. */
bool		api_text(struct api_req *r, const struct jsonbody *b,
		    const char *name, bool nullable, const char **out);

/* api_tickets.c */
void		api_tickets(struct api_req *r);
void		api_ticket(struct api_req *r, int64_t id);
void		api_comment(struct api_req *r, int64_t id);

/* api_courier.c: the notices it delivers, named as the outbox names them. */
enum api_notice {
	API_NOTICE_CREATED,
	API_NOTICE_ASSIGNED,
	API_NOTICE_COMMENTED,
	API_NNOTICES
};
extern const char *const api_notice_names[API_NNOTICES];
int		api_courier_start(const struct config *cfg, pid_t *pid);
void		api_courier_send(int fd, int64_t ticket_id,
		    enum api_notice kind);

#endif
