/*
 * netaddr.h: the listening address of watchdog --serve (API_LISTEN,
 * --listen): a numeric IPv4 ADDR:PORT or [IPv6]:PORT, never a host name
 * to look up.
 */
#ifndef WATCHDOG_NETADDR_H
#define WATCHDOG_NETADDR_H

#include <sys/socket.h>

#include "watchdog/status.h"

/* What API_LISTEN is when it is not set. */
#define NETADDR_DEFAULT	"127.0.0.1:8000"

struct netaddr {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 family;	/* AF_INET or AF_INET6 */
};

/*
 * Parse TEXT ("127.0.0.1:8000", "[::1]:8000", port 1..65535) into *OUT.
 * WD_OK, or WD_EDATA with *CAUSE saying what is expected.
 */
enum wd_status	netaddr_parse(const char *text, struct netaddr *out,
		    char **cause);

#endif
