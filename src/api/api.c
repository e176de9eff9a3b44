/*
 * api.c: watchdog --serve: checks, then libmicrohttpd's thread pool until
 * SIGTERM or SIGINT; see api.h and api_int.h.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_int.h"
#include "watchdog/api.h"
#include "watchdog/db.h"
#include "watchdog/netaddr.h"
#include "watchdog/utf8.h"

/* Worker threads of the pool. */
#define API_THREADS	4

/* Largest TLS certificate chain or key file read. */
#define API_TLS_FILE_MAX	(256 * 1024)

/* Print "watchdog: MESSAGE" and return EXIT. */
static int
api_fail(int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int
api_fail(int exit_code, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *shown;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	shown = utf8_visible(msg, false);
	fprintf(stderr, "watchdog: %s\n", shown);
	free(shown);
	free(msg);
	return exit_code;
}

/* Read the PEM file PATH (KEY names it) into *OUT (new). 0 or exit 78. */
static int
api_read_pem(const char *key, const char *path, char **out)
{
	struct strbuf	 sb;
	char		 buf[4096];
	ssize_t		 n;
	int		 fd, rc = 0;

	memset(&sb, 0, sizeof sb);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return api_fail(78, "%s: cannot read %s: %s", key, path,
		    strerror(errno));
	while ((n = read(fd, buf, sizeof buf)) > 0 && sb.len <=
	    API_TLS_FILE_MAX)
		strbuf_add(&sb, buf, (size_t)n);
	if (n == -1 || sb.len == 0 || sb.len > API_TLS_FILE_MAX ||
	    strstr(sb.buf, "-----BEGIN ") == NULL)
		rc = api_fail(78, "%s: %s is not a readable PEM file", key,
		    path);
	close(fd);
	if (rc != 0) {
		explicit_bzero(sb.buf, sb.len);
		strbuf_free(&sb);
	} else
		*out = strbuf_detach(&sb);
	return rc;
}

/* The checks before anything starts. 0 or the exit code (reported). */
static int
api_prepare(const struct config *cfg, const char *listen, struct netaddr *na,
    char **cert, char **key)
{
	enum wd_status	 status;
	struct db	*db = NULL;
	char		*cause = NULL;
	int		 rc;

	if (geteuid() == 0)
		return api_fail(77, "--serve refuses to run as root: start it "
		    "as an unprivileged user (see watchdog(1), THE HTTP API)");
	if ((cfg->api_tls_cert == NULL) != (cfg->api_tls_key == NULL))
		return api_fail(78, "API_TLS_CERT and API_TLS_KEY go together: "
		    "set both, or neither");
	if (cfg->api_tls_cert != NULL &&
	    ((rc = api_read_pem("API_TLS_CERT", cfg->api_tls_cert, cert)) != 0 ||
	    (rc = api_read_pem("API_TLS_KEY", cfg->api_tls_key, key)) != 0))
		return rc;
	if (netaddr_parse(listen, na, &cause) != WD_OK) {
		rc = api_fail(listen == cfg->api_listen ? 78 : 64, "%s: %s",
		    listen == cfg->api_listen ? "API_LISTEN" : "--listen",
		    cause);
		free(cause);
		return rc;
	}
	/* The schema is brought up to date once, before the threads. */
	if ((status = db_open(cfg->database_path, &db, &cause)) != WD_OK) {
		rc = api_fail(status_exit_code(status), "%s", cause);
		free(cause);
		return rc;
	}
	db_close(db);
	return 0;
}

/* Start libmicrohttpd on NA; NULL after reporting. */
static struct MHD_Daemon *
api_start(struct api_server *srv, const struct netaddr *na, const char *cert,
    const char *key)
{
	const struct config	*cfg = srv->cfg;
	struct MHD_Daemon	*d;
	unsigned int		 flags;

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
	    MHD_USE_ERROR_LOG;
	if (na->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert != NULL)
		flags |= MHD_USE_TLS;
	d = mhd.start_daemon(flags, 0, NULL, NULL, api_route_access, srv,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&na->ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)API_THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->api_max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)cfg->api_max_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->api_timeout,
	    MHD_OPTION_NOTIFY_COMPLETED, api_route_completed, srv,
	    cert != NULL ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_END);
	if (d == NULL)
		api_fail(75, "cannot listen on the address of API_LISTEN or "
		    "--listen: %s (in use, or not this host's)",
		    strerror(errno));
	return d;
}

/* Wait for SIGTERM or SIGINT (blocked in every thread). */
static void
api_wait(const sigset_t *set)
{
	int	sig;

	while (sigwait(set, &sig) != 0)
		;
}

/*
 * Stop: accept no more connections, give the requests in flight up to
 * API_TIMEOUT seconds to finish, then close every connection.
 */
static void
api_stop(struct MHD_Daemon *d, const struct config *cfg)
{
	struct timespec	ts = { 0, 20 * 1000 * 1000 };
	int64_t		waited = 0;

	(void)mhd.quiesce_daemon(d);
	while (api_route_in_flight() > 0 &&
	    waited < (int64_t)cfg->api_timeout * 50) {
		nanosleep(&ts, NULL);
		waited++;
	}
	mhd.stop_daemon(d);
}

/* Serve; see api.h. */
int
api_serve(const struct config *cfg, const char *listen)
{
	struct api_server	 srv;
	struct MHD_Daemon	*d;
	struct netaddr		 na;
	sigset_t		 set;
	enum wd_status		 status;
	char			*cert = NULL, *key = NULL, *cause = NULL;
	int			 rc, st;
	pid_t			 courier;

	if (listen == NULL)
		listen = cfg->api_listen != NULL ? cfg->api_listen :
		    NETADDR_DEFAULT;
	if ((rc = api_prepare(cfg, listen, &na, &cert, &key)) != 0)
		goto out;
	if ((status = api_mhd_load(&cause)) != WD_OK) {
		rc = api_fail(status_exit_code(status), "%s", cause);
		free(cause);
		goto out;
	}
	memset(&srv, 0, sizeof srv);
	srv.cfg = cfg;
	srv.uid = (int64_t)getuid();
	signal(SIGPIPE, SIG_IGN);
	fflush(NULL);
	srv.courier_fd = api_courier_start(cfg, &courier);
	/* The threads inherit the mask: only sigwait() sees these. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	api_route_thread_init();
	if ((d = api_start(&srv, &na, cert, key)) == NULL)
		rc = 75;
	else {
		fprintf(stderr, "watchdog: serving on %s%s\n",
		    cert != NULL ? "https://" : "http://", listen);
		api_wait(&set);
		api_stop(d, cfg);
	}
	if (srv.courier_fd != -1) {
		close(srv.courier_fd);
		while (waitpid(courier, &st, 0) == -1 && errno == EINTR)
			;
	}
out:
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	free(cert);
	return rc;
}
