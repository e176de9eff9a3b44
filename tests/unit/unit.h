/*
 * unit.h: the unit test runner. Each tests/unit/test_*.c file registers
 * its Check suite with UNIT_SUITE(name), so no central list needs editing:
 *
 *	static Suite *config_suite(void) { ... }
 *	UNIT_SUITE(config_suite)
 */
#ifndef WATCHDOG_TESTS_UNIT_H
#define WATCHDOG_TESTS_UNIT_H

#include <check.h>

void	unit_register(Suite *(*make)(void));

#define UNIT_SUITE(fn)							\
	static void fn##_register(void) __attribute__((constructor));	\
	static void fn##_register(void) { unit_register(fn); }

/*
 * A fresh temporary directory for one test (removed by unit_tmpdir_remove).
 * Returns a path the caller frees.
 */
char	*unit_tmpdir(void);
void	 unit_tmpdir_remove(const char *dir);

#endif
