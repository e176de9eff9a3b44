/* main.c: SLA Watchdog. Everything happens in the CLI module. */
#include "watchdog/cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
