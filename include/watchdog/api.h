/*
 * api.h: watchdog --serve, the HTTP API (watchdog(1), THE HTTP API). A
 * front end like the terminal UI: it lives in src/api/, outside the core.
 */
#ifndef WATCHDOG_API_H
#define WATCHDOG_API_H

struct config;

/*
 * Serve the API on LISTEN (NULL: API_LISTEN) until SIGTERM or SIGINT,
 * then finish the requests in flight. Errors are printed on stderr as one
 * line. Returns the exit status.
 */
int		api_serve(const struct config *cfg, const char *listen);

#endif
