/*
 * api_reply.c: the responses of watchdog --serve: JSON bodies, and errors
 * as {"detail": "..."} with the status that fits the domain failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "watchdog/utf8.h"

/*
 * Queue HTTP status HTTP with body JSON (NULL: none) and up to two extra
 * headers (NULL names are skipped). One reply a request.
 */
void
api_reply(struct api_req *r, unsigned int http, const char *json,
    const char *h1, const char *v1, const char *h2, const char *v2)
{
	struct MHD_Response	*resp;
	size_t			 len;

	if (r->replied)
		return;
	len = json != NULL ? strlen(json) : 0;
	resp = mhd.create_response_from_buffer(len, (void *)(uintptr_t)
	    (json != NULL ? json : ""), MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return;
	if (json != NULL)
		mhd.add_response_header(resp, "Content-Type",
		    "application/json");
	if (h1 != NULL)
		mhd.add_response_header(resp, h1, v1);
	if (h2 != NULL)
		mhd.add_response_header(resp, h2, v2);
	if (http == MHD_HTTP_UNAUTHORIZED)
		mhd.add_response_header(resp, "WWW-Authenticate", "Token");
	mhd.queue_response(r->conn, http, resp);
	mhd.destroy_response(resp);
	r->replied = true;
	r->http = http;
	r->bytes = len;
}

/* Add S to SB as a JSON string, quotes included. */
void
api_json_string(struct strbuf *sb, const char *s)
{
	const char	*p;

	strbuf_addstr(sb, "\"");
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(sb, "\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			strbuf_addf(sb, "\\u%04x", (unsigned char)*p);
		else
			strbuf_add(sb, p, 1);
	}
	strbuf_addstr(sb, "\"");
}

/* Reply {"detail": DETAIL} with status HTTP and header NAME (or NULL). */
static void
api_reply_detail_h(struct api_req *r, unsigned int http, const char *detail,
    const char *name, const char *value)
{
	struct strbuf	 sb;

	memset(&sb, 0, sizeof sb);
	strbuf_addstr(&sb, "{\"detail\": ");
	api_json_string(&sb, detail);
	strbuf_addstr(&sb, "}");
	api_reply(r, http, sb.buf, name, value, NULL, NULL);
	strbuf_free(&sb);
}

/* Reply {"detail": DETAIL} with status HTTP. */
void
api_reply_detail(struct api_req *r, unsigned int http, const char *detail)
{
	api_reply_detail_h(r, http, detail, NULL, NULL);
}

/*
 * The seconds of "try again in N s" in a rate limit's message, or 0 when
 * CAUSE is another temporary failure (a busy database).
 */
static long long
api_retry_after(const char *cause)
{
	const char	*p;
	long long	 v;
	char		 num[24];
	size_t		 n;

	if (cause == NULL || strncmp(cause, "rate limit", 10) != 0 ||
	    (p = strstr(cause, "try again in ")) == NULL)
		return 0;
	p += strlen("try again in ");
	n = strspn(p, "0123456789");
	if (n == 0 || n >= sizeof num)
		return 0;
	memcpy(num, p, n);
	num[n] = '\0';
	if (parse_int64(num, 1, 86400 * 366, &v) != 0)
		return 0;
	return v;
}

/* Reply for a domain failure; see api_int.h. */
void
api_reply_status(struct api_req *r, enum wd_status status, char *cause)
{
	const char	*detail;
	char		 secs[24];
	long long	 retry;
	unsigned int	 http;

	detail = cause != NULL ? cause : status_text(status);
	switch (status) {
	case WD_EDATA:
	case WD_EUSAGE:
		http = MHD_HTTP_BAD_REQUEST;
		break;
	case WD_EAUTH:
		http = MHD_HTTP_FORBIDDEN;
		break;
	case WD_ENOTFOUND:
		http = MHD_HTTP_NOT_FOUND;
		break;
	case WD_ECONFLICT:
		http = MHD_HTTP_CONFLICT;
		break;
	case WD_ETEMP:
		if ((retry = api_retry_after(cause)) > 0) {
			snprintf(secs, sizeof secs, "%lld", retry);
			http = MHD_HTTP_TOO_MANY_REQUESTS;
			api_reply_detail_h(r, http, detail, "Retry-After",
			    secs);
			free(cause);
			return;
		}
		api_reply_detail_h(r, MHD_HTTP_SERVICE_UNAVAILABLE, detail,
		    "Retry-After", "1");
		free(cause);
		return;
	default:
		http = MHD_HTTP_INTERNAL_SERVER_ERROR;
		break;
	}
	api_reply_detail(r, http, detail);
	free(cause);
}
