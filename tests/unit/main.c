/* main.c: runs every registered Check suite; exit 0 when all pass. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "unit.h"
#include "watchdog/util.h"

static Suite	*(*suites[64])(void);
static int	 nsuites;

void
unit_register(Suite *(*make)(void))
{
	if (nsuites == (int)(sizeof suites / sizeof suites[0]))
		abort();
	suites[nsuites++] = make;
}

char *
unit_tmpdir(void)
{
	char	*dir;

	dir = xstrdup("/tmp/watchdog-unit.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	return dir;
}

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
unit_tmpdir_remove(const char *dir)
{
	if (strncmp(dir, "/tmp/watchdog-unit.", 19) != 0)
		return;
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
	SRunner	*sr;
	int	 i, failed, run;

	if (nsuites == 0) {
		fprintf(stderr, "unit: no suites registered\n");
		return 1;
	}
	sr = srunner_create(suites[0]());
	for (i = 1; i < nsuites; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("unit: %d passed, %d failed\n", run - failed, failed);
	return failed == 0 && run > 0 ? 0 : 1;
}
