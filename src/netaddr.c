/*
 * netaddr.c: the listening address of watchdog --serve; see netaddr.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <string.h>

#include "watchdog/netaddr.h"
#include "watchdog/util.h"

#define NETADDR_HOST_MAX	64

/* Parse the port after the last colon. 0 or -1. */
static int
netaddr_port(const char *s, in_port_t *port)
{
	long long	v;

	if (parse_int64(s, 1, 65535, &v) != 0)
		return -1;
	*port = htons((uint16_t)v);
	return 0;
}

/* Parse an address; see netaddr.h. */
enum wd_status
netaddr_parse(const char *text, struct netaddr *out, char **cause)
{
	struct sockaddr_in	*in4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)&out->ss;
	char			 host[NETADDR_HOST_MAX];
	const char		*colon, *start = text, *end;
	in_port_t		 port;

	memset(out, 0, sizeof *out);
	if ((colon = strrchr(text, ':')) == NULL)
		goto bad;
	end = colon;
	if (text[0] == '[') {
		if (colon == text || colon[-1] != ']')
			goto bad;
		start = text + 1;
		end = colon - 1;
	}
	if (end <= start || (size_t)(end - start) >= sizeof host ||
	    netaddr_port(colon + 1, &port) != 0)
		goto bad;
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	if (text[0] != '[' && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = port;
		out->len = sizeof *in4;
		out->family = AF_INET;
		return WD_OK;
	}
	if (text[0] == '[' && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = port;
		out->len = sizeof *in6;
		out->family = AF_INET6;
		return WD_OK;
	}
bad:
	return status_set(cause, WD_EDATA, "not a listening address: use "
	    "ADDR:PORT such as 127.0.0.1:8000, or [IPv6]:PORT such as "
	    "[::1]:8000");
}
