/*
 * cli_serve.c: --serve [--listen ADDR:PORT], the HTTP API (src/api/).
 */
#include "watchdog/api.h"
#include "watchdog/cli.h"

/* --serve: run the HTTP API until SIGTERM or SIGINT. */
int
cli_serve(struct cli *cli)
{
	return api_serve(&cli->cfg, cli->listen);
}
