/*
 * smtp.c: the SMTP transport, on libcurl (the only file that includes
 * curl), in the manner of curl's smtp-tls.c and smtp-mime.c examples.
 *
 * One easy handle lives as long as the struct smtp: libcurl keeps the
 * connection it opened in the handle's cache and reuses it for the next
 * transfer to the same URL, so all the messages of a pass go over one
 * connection (EHLO, STARTTLS and AUTH once, then MAIL/RCPT/DATA per
 * message). After a failed send the next one asks for a fresh connection.
 *
 * Certificates and host names are always verified, proxies from the
 * environment are ignored, only smtp:// and smtps:// are allowed, and
 * nothing is ever printed (no CURLOPT_VERBOSE): what went wrong comes back
 * as a one-line cause that names the server and never the password.
 */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The calls go through pointers (lcurl below): no macros in their way. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <sodium.h>

#include "watchdog/address.h"
#include "watchdog/config.h"
#include "watchdog/smtp.h"
#include "watchdog/status.h"
#include "watchdog/util.h"

#define SMTP_REPLY_MAX	200	/* bytes of a server reply kept for a cause */

struct smtp {
	CURL		*curl;		/* NULL until the first send */
	char		*url;		/* the settings of the handle: */
	bool		 tls;		/* EMAIL_USE_TLS or EMAIL_USE_SSL */
	char		*cafile;	/* EMAIL_SSL_CAFILE */
	char		*user;		/* EMAIL_HOST_USER */
	char		*where;		/* "host:port", for causes */
	char		*password;	/* EMAIL_HOST_PASSWORD, wiped at close */
	int		 timeout;	/* EMAIL_TIMEOUT, seconds */
	bool		 fresh;		/* next send on a new connection */

	/* The message being uploaded by smtp_read(). */
	const char	*data;
	size_t		 len;
	size_t		 off;

	char		 reply[SMTP_REPLY_MAX + 1]; /* first 4xx/5xx line */
	char		 errbuf[CURL_ERROR_SIZE];

	smtp_tick_fn	*tick;		/* called while a send goes on */
	void		*tick_arg;
};

/*
 * libcurl is loaded at its first use, by smtp_send() or smtp_probe():
 * linked in, it and the thirty libraries it brings cost every command
 * (an idle --check-sla, a --list) several milliseconds of dynamic loading
 * at start, though only the smtp backend needs it. The soname is looked
 * up in the system's library path only (the loader ignores
 * LD_LIBRARY_PATH in a setgid process).
 */
#define SMTP_LIBCURL	"libcurl.so.4"

static struct {
	CURLcode		 (*global_init)(long);
	CURL			*(*easy_init)(void);
	CURLcode		 (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode		 (*easy_perform)(CURL *);
	void			 (*easy_cleanup)(CURL *);
	CURLcode		 (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char		*(*easy_strerror)(CURLcode);
	CURLcode		 (*easy_send)(CURL *, const void *, size_t,
				    size_t *);
	CURLcode		 (*easy_recv)(CURL *, void *, size_t, size_t *);
	struct curl_slist	*(*slist_append)(struct curl_slist *,
				    const char *);
	void			 (*slist_free_all)(struct curl_slist *);
} lcurl;

static bool	smtp_global_done;

/*
 * Load and initialise libcurl once per process. Returns 0, or -1 with
 * *WHY (static text) when libcurl cannot start.
 */
static int
smtp_global_init(const char **why)
{
	void	*h;

	if (smtp_global_done)
		return 0;
	*why = "cannot load " SMTP_LIBCURL;
	if ((h = dlopen(SMTP_LIBCURL, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return -1;
	if (lib_sym(h, "curl_global_init", &lcurl.global_init) != 0 ||
	    lib_sym(h, "curl_easy_init", &lcurl.easy_init) != 0 ||
	    lib_sym(h, "curl_easy_setopt", &lcurl.easy_setopt) != 0 ||
	    lib_sym(h, "curl_easy_perform", &lcurl.easy_perform) != 0 ||
	    lib_sym(h, "curl_easy_cleanup", &lcurl.easy_cleanup) != 0 ||
	    lib_sym(h, "curl_easy_getinfo", &lcurl.easy_getinfo) != 0 ||
	    lib_sym(h, "curl_easy_strerror", &lcurl.easy_strerror) != 0 ||
	    lib_sym(h, "curl_easy_send", &lcurl.easy_send) != 0 ||
	    lib_sym(h, "curl_easy_recv", &lcurl.easy_recv) != 0 ||
	    lib_sym(h, "curl_slist_append", &lcurl.slist_append) != 0 ||
	    lib_sym(h, "curl_slist_free_all", &lcurl.slist_free_all) != 0) {
		*why = SMTP_LIBCURL " lacks a function this program calls";
		dlclose(h);
		return -1;
	}
	*why = "cannot start libcurl";
	if (lcurl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		dlclose(h);
		return -1;
	}
	smtp_global_done = true;	/* and H stays loaded */
	return 0;
}

/*
 * Copy the N bytes at SRC into DST (SIZE bytes, NUL-terminated) as one
 * printable line: line breaks end it, other control bytes and non-ASCII
 * become '?', trailing blanks go.
 */
static void
smtp_oneline(char *dst, size_t size, const char *src, size_t n)
{
	size_t	i, j = 0;

	for (i = 0; i < n && j + 1 < size; i++) {
		if (src[i] == '\r' || src[i] == '\n')
			break;
		if ((unsigned char)src[i] < 0x20 ||
		    (unsigned char)src[i] >= 0x7f)
			dst[j++] = '?';
		else
			dst[j++] = src[i];
	}
	while (j > 0 && dst[j - 1] == ' ')
		j--;
	dst[j] = '\0';
}

/*
 * libcurl read callback: hand over the next part of the message being
 * sent. Returns the number of bytes copied into BUF, 0 at the end.
 */
static size_t
smtp_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct smtp	*s = arg;
	size_t		 n, left;

	n = size * nitems;
	left = s->len - s->off;
	if (n > left)
		n = left;
	memcpy(buf, s->data + s->off, n);
	s->off += n;
	return n;
}

/*
 * libcurl progress callback, called about once a second while a transfer
 * goes on, however slowly: tell the tick function. Returns 0 (go on).
 */
static int
smtp_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct smtp	*s = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (s->tick != NULL)
		s->tick(s->tick_arg);
	return 0;
}

/* Call FN (ARG) while a send goes on; see smtp.h. */
void
smtp_set_tick(struct smtp *s, smtp_tick_fn *fn, void *arg)
{
	s->tick = fn;
	s->tick_arg = arg;
}

/*
 * libcurl header callback: for SMTP it gets every line the server
 * answers. Keep the first failure reply (4xx or 5xx) of the transfer, to
 * quote it in the cause; what follows it (the "221 Bye" to the QUIT that
 * libcurl sends when it gives up the connection) says nothing new.
 */
static size_t
smtp_header(char *buf, size_t size, size_t nitems, void *arg)
{
	struct smtp	*s = arg;
	size_t		 n;

	n = size * nitems;
	if (s->reply[0] == '\0' && n >= 3 && (buf[0] == '4' || buf[0] == '5') &&
	    buf[1] >= '0' && buf[1] <= '9' && buf[2] >= '0' && buf[2] <= '9')
		smtp_oneline(s->reply, sizeof s->reply, buf, n);
	return n;
}

/*
 * The host of CFG as it goes into a URL: an IPv6 address in brackets.
 * Returns a new string, or NULL when HOST holds a character that has no
 * business in a URL (the configuration should have refused it).
 */
static char *
smtp_url_host(const char *host)
{
	if (host[0] == '\0' || host[strspn(host,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-:[]")] != '\0')
		return NULL;
	if (host[0] != '[' && strchr(host, ':') != NULL)
		return xasprintf("[%s]", host);
	return xstrdup(host);
}

/*
 * Set the options that stay the same for every message of S. Returns
 * CURLE_OK or the first failure.
 */
static CURLcode
smtp_setup(struct smtp *s)
{
	CURL		*c = s->curl;
	CURLcode	 rc;
	long		 timeout = s->timeout;

#define SET(opt, val) do {						\
	if ((rc = lcurl.easy_setopt(c, opt, val)) != CURLE_OK)		\
		return rc;						\
} while (0)
	SET(CURLOPT_ERRORBUFFER, s->errbuf);
	SET(CURLOPT_URL, s->url);
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SET(CURLOPT_PROXY, "");
	SET(CURLOPT_NOPROXY, "*");
	SET(CURLOPT_CONNECTTIMEOUT, timeout);
	SET(CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
	SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
	SET(CURLOPT_LOW_SPEED_TIME, timeout);
	SET(CURLOPT_MAXCONNECTS, 1L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (s->tls)
		SET(CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (s->cafile != NULL)
		SET(CURLOPT_CAINFO, s->cafile);
	if (s->user != NULL) {
		SET(CURLOPT_USERNAME, s->user);
		SET(CURLOPT_PASSWORD, s->password != NULL ? s->password : "");
	}
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, smtp_read);
	SET(CURLOPT_READDATA, s);
	SET(CURLOPT_XFERINFOFUNCTION, smtp_progress);
	SET(CURLOPT_XFERINFODATA, s);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_HEADERFUNCTION, smtp_header);
	SET(CURLOPT_HEADERDATA, s);
#undef SET
	return CURLE_OK;
}

/*
 * Prepare a transport with the settings of CFG (copied). Nothing is
 * loaded or connects yet. Returns WD_OK and *OUT (closed with
 * smtp_close()), or WD_ECONFIG with *CAUSE.
 */
enum wd_status
smtp_open(const struct config *cfg, struct smtp **out, char **cause)
{
	struct smtp	*s;
	char		*host;

	*out = NULL;
	if (cfg->email_host == NULL || cfg->email_host[0] == '\0')
		return status_set(cause, WD_ECONFIG,
		    "EMAIL_BACKEND is smtp but EMAIL_HOST is not set");
	if ((host = smtp_url_host(cfg->email_host)) == NULL)
		return status_set(cause, WD_ECONFIG,
		    "EMAIL_HOST is not a host name or IP address");

	s = xcalloc(1, sizeof *s);
	s->tls = cfg->email_use_tls || cfg->email_use_ssl;
	if (cfg->email_ssl_cafile != NULL)
		s->cafile = xstrdup(cfg->email_ssl_cafile);
	if (cfg->email_host_user != NULL && cfg->email_host_user[0] != '\0')
		s->user = xstrdup(cfg->email_host_user);
	s->where = xasprintf("%s:%d", host, cfg->email_port);
	s->timeout = cfg->email_timeout > 0 ? cfg->email_timeout : 30;
	if (cfg->email_host_password != NULL)
		s->password = xstrdup(cfg->email_host_password);
	s->url = xasprintf("%s://%s:%d", cfg->email_use_ssl ? "smtps" :
	    "smtp", host, cfg->email_port);
	*out = s;
	free(host);
	return WD_OK;
}

/*
 * Make the easy handle of S at its first use, loading libcurl first: a
 * pass with nothing to send never loads it. Returns WD_OK, or FAILURE
 * with *CAUSE.
 */
static enum wd_status
smtp_ready(struct smtp *s, enum wd_status failure, char **cause)
{
	const char	*why;
	CURLcode	 rc;

	if (s->curl != NULL)
		return WD_OK;
	if (smtp_global_init(&why) != 0)
		return status_set(cause, failure, "%s: %s", s->where, why);
	if ((s->curl = lcurl.easy_init()) == NULL)
		return status_set(cause, failure, "%s: cannot start libcurl",
		    s->where);
	if ((rc = smtp_setup(s)) != CURLE_OK) {
		lcurl.easy_cleanup(s->curl);
		s->curl = NULL;
		return status_set(cause, failure, "%s: libcurl refused a "
		    "setting: %s", s->where, lcurl.easy_strerror(rc));
	}
	return WD_OK;
}

/*
 * The one-line text of what the server refused with ("550 5.1.1 no such
 * user"), or of CODE when no reply line was kept. Returns a new string.
 */
static char *
smtp_said(const struct smtp *s, long code)
{
	if (s->reply[0] != '\0')
		return xasprintf("server said %s", s->reply);
	return xasprintf("server said %ld", code);
}

/*
 * Why the connection failed, from the errno libcurl saw. Returns a static
 * string.
 */
static const char *
smtp_connect_error(long os_errno)
{
	switch (os_errno) {
	case ECONNREFUSED:
		return "connection refused";
	case ETIMEDOUT:
		return "connection timed out";
	case EHOSTUNREACH:
		return "host unreachable";
	case ENETUNREACH:
		return "network unreachable";
	case EADDRNOTAVAIL:
		return "address not available";
	default:
		return "cannot connect";
	}
}

/*
 * Turn the outcome RC of a transfer into a status and, on failure, a cause
 * in *CAUSE: "HOST:PORT: what happened". TLS failures come first (a
 * refused STARTTLS is a 5xx answer but worth retrying), then the server's
 * own answer (5xx permanent, 4xx temporary), then lost connections and
 * timeouts (temporary).
 */
static enum wd_status
smtp_result(struct smtp *s, CURLcode rc, char **cause)
{
	enum wd_status	 st = WD_ETEMP;
	long		 code = 0, os_errno = 0;
	char		*text = NULL, *said = NULL, err[CURL_ERROR_SIZE];

	if (rc == CURLE_OK)
		return WD_OK;
	lcurl.easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	lcurl.easy_getinfo(s->curl, CURLINFO_OS_ERRNO, &os_errno);
	smtp_oneline(err, sizeof err, s->errbuf, strlen(s->errbuf));
	if (err[0] == '\0')
		smtp_oneline(err, sizeof err, lcurl.easy_strerror(rc),
		    strlen(lcurl.easy_strerror(rc)));
	said = smtp_said(s, code);

	switch (rc) {
	case CURLE_USE_SSL_FAILED:
		if (s->reply[0] != '\0')
			text = xasprintf("STARTTLS is required (EMAIL_USE_TLS) "
			    "but the server refused it: %s", said);
		else
			text = xstrdup("STARTTLS is required (EMAIL_USE_TLS) "
			    "but the server does not offer it");
		goto out;
	case CURLE_PEER_FAILED_VERIFICATION:
		text = xasprintf("server certificate not trusted: %s", err);
		goto out;
	case CURLE_SSL_CACERT_BADFILE:
		text = xasprintf("cannot use EMAIL_SSL_CAFILE: %s", err);
		goto out;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		text = xasprintf("TLS failed: %s", err);
		goto out;
	default:
		break;
	}

	/*
	 * A refused login (530, 534, 535, 538) is our configuration, not the
	 * message: keep the mail queued until the administrator mends
	 * EMAIL_HOST_USER or EMAIL_HOST_PASSWORD.
	 */
	if (rc == CURLE_LOGIN_DENIED || code == 530 || code == 534 ||
	    code == 535 || code == 538) {
		text = xasprintf("authentication failed, %s (check "
		    "EMAIL_HOST_USER and EMAIL_HOST_PASSWORD)", said);
		goto out;
	}
	if (code >= 500 && code <= 599) {
		st = WD_EFAIL;
		text = xstrdup(said);
		goto out;
	}
	if (code >= 400 && code <= 499) {
		text = xstrdup(said);
		goto out;
	}

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		text = xstrdup("cannot resolve the host name");
		break;
	case CURLE_COULDNT_CONNECT:
		text = xstrdup(smtp_connect_error(os_errno));
		break;
	case CURLE_OPERATION_TIMEDOUT:
		text = xasprintf("timed out after %d second%s (EMAIL_TIMEOUT)",
		    s->timeout, s->timeout == 1 ? "" : "s");
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		text = xasprintf("connection lost before the server accepted "
		    "the message (%s)", lcurl.easy_strerror(rc));
		break;
	case CURLE_WEIRD_SERVER_REPLY:
		text = xasprintf("unexpected answer from the server (%s)", err);
		break;
	default:
		text = xstrdup(err);
		break;
	}

out:
	/* A server might echo what it was sent: never pass the password on. */
	if (s->password != NULL && s->password[0] != '\0' &&
	    strstr(text, s->password) != NULL) {
		free(text);
		text = xstrdup(status_text(st));
	}
	status_set(cause, st, "%s: %s", s->where, text);
	free(text);
	free(said);
	return st;
}

/*
 * Send MESSAGE (LEN bytes, CRLF lines) from FROM to RCPT over the
 * connection of S, opening one when there is none. Returns WD_OK,
 * WD_ETEMP or WD_EFAIL with *CAUSE.
 */
enum wd_status
smtp_send(struct smtp *s, const char *from, const char *rcpt,
    const char *message, size_t len, char **cause)
{
	struct curl_slist	*rcpts = NULL;
	const char		*why;
	char			*env_from = NULL, *env_rcpt = NULL;
	CURLcode		 rc;
	enum wd_status		 st;

	/* libcurl would pass a CR or LF in an address on to the server. */
	if (!address_valid(from, &why))
		return status_set(cause, WD_EFAIL, "bad sender address: %s",
		    why);
	if (!address_valid(rcpt, &why))
		return status_set(cause, WD_EFAIL, "bad recipient address: %s",
		    why);
	/* Worth a retry: libcurl missing is the installation's to mend. */
	if ((st = smtp_ready(s, WD_ETEMP, cause)) != WD_OK)
		return st;

	env_from = xasprintf("<%s>", from);
	env_rcpt = xasprintf("<%s>", rcpt);
	if ((rcpts = lcurl.slist_append(NULL, env_rcpt)) == NULL) {
		st = status_set(cause, WD_ETEMP, "%s: out of memory",
		    s->where);
		goto out;
	}
	s->data = message;
	s->len = len;
	s->off = 0;
	s->reply[0] = '\0';
	s->errbuf[0] = '\0';
	if ((rc = lcurl.easy_setopt(s->curl, CURLOPT_MAIL_FROM, env_from)) !=
	    CURLE_OK ||
	    (rc = lcurl.easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpts)) !=
	    CURLE_OK ||
	    (rc = lcurl.easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)len)) != CURLE_OK ||
	    (rc = lcurl.easy_setopt(s->curl, CURLOPT_FRESH_CONNECT,
	    s->fresh ? 1L : 0L)) != CURLE_OK)
		st = status_set(cause, WD_ETEMP, "%s: libcurl refused a "
		    "setting: %s", s->where, lcurl.easy_strerror(rc));
	else {
		rc = lcurl.easy_perform(s->curl);
		st = smtp_result(s, rc, cause);
		/* Whatever state the old connection is in, do not reuse it. */
		s->fresh = rc != CURLE_OK;
	}
	lcurl.easy_setopt(s->curl, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
	s->data = NULL;
	s->len = s->off = 0;

out:
	lcurl.slist_free_all(rcpts);
	free(env_rcpt);
	free(env_from);
	return st;
}

/*
 * Say QUIT on the connection that S made with CURLOPT_CONNECT_ONLY, and
 * wait up to the timeout for the answer: libcurl does not say it when it
 * closes such a connection. Best effort: a failure changes nothing.
 */
static void
smtp_quit(struct smtp *s)
{
	static const char	 quit[] = "QUIT\r\n";
	struct pollfd		 pfd;
	curl_socket_t		 sock;
	char			 buf[512];
	size_t			 off = 0, n;
	CURLcode		 rc;

	if (lcurl.easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &sock) !=
	    CURLE_OK || sock == CURL_SOCKET_BAD)
		return;
	pfd.fd = sock;
	while (off < sizeof quit - 1) {
		rc = lcurl.easy_send(s->curl, quit + off, sizeof quit - 1 - off,
		    &n);
		if (rc == CURLE_AGAIN) {
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, s->timeout * 1000) <= 0)
				return;
			continue;
		}
		if (rc != CURLE_OK)
			return;
		off += n;
	}
	for (;;) {
		rc = lcurl.easy_recv(s->curl, buf, sizeof buf, &n);
		if (rc != CURLE_AGAIN)
			return;		/* the answer, the end, or an error */
		pfd.events = POLLIN;
		if (poll(&pfd, 1, s->timeout * 1000) <= 0)
			return;
	}
}

/*
 * Connect to the server of CFG as a send would (TLS and AUTH included,
 * when set), then say QUIT: libcurl stops after the greeting, EHLO,
 * STARTTLS and AUTH when asked to connect only. Returns WD_OK, or the
 * status and cause smtp_send() would give.
 */
enum wd_status
smtp_probe(const struct config *cfg, char **cause)
{
	struct smtp	*s = NULL;
	CURLcode	 rc;
	enum wd_status	 st;

	if ((st = smtp_open(cfg, &s, cause)) != WD_OK)
		return st;
	if ((st = smtp_ready(s, WD_EFAIL, cause)) != WD_OK) {
		smtp_close(s);
		return st;
	}
	s->reply[0] = '\0';
	s->errbuf[0] = '\0';
	if ((rc = lcurl.easy_setopt(s->curl, CURLOPT_UPLOAD, 0L)) != CURLE_OK ||
	    (rc = lcurl.easy_setopt(s->curl, CURLOPT_CONNECT_ONLY, 1L)) !=
	    CURLE_OK)
		st = status_set(cause, WD_EFAIL, "%s: libcurl refused a "
		    "setting: %s", s->where, lcurl.easy_strerror(rc));
	else if ((st = smtp_result(s, lcurl.easy_perform(s->curl), cause)) ==
	    WD_OK)
		smtp_quit(s);
	smtp_close(s);
	return st;
}

/*
 * Close the connection (libcurl says QUIT on one that is still open) and
 * free S, wiping the copy of the password. NULL is allowed.
 */
void
smtp_close(struct smtp *s)
{
	if (s == NULL)
		return;
	if (s->curl != NULL)
		lcurl.easy_cleanup(s->curl);
	if (s->password != NULL) {
		sodium_memzero(s->password, strlen(s->password));
		free(s->password);
	}
	free(s->url);
	free(s->cafile);
	free(s->user);
	free(s->where);
	free(s);
}
