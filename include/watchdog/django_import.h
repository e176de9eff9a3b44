/*
 * django_import.h: --import-django, bringing a Django watchdog database's
 * accounts, API tokens and tickets over into ours in one transaction
 * (watchdog(1) --import-django). The core: it never prints; the report's
 * lines come back in struct django_result.
 */
#ifndef WATCHDOG_DJANGO_IMPORT_H
#define WATCHDOG_DJANGO_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "watchdog/status.h"

struct db;
struct sla_policy;
struct user;

/* What one run brought over, and one line for each thing it did not. */
struct django_result {
	int	 accounts;	/* brought over this run */
	int	 tokens;
	int	 tickets;
	int	 already;	/* rows an earlier run brought over */
	char	**notes;	/* "account bob: ..." lines, in order */
	size_t	 nnotes;
};

/*
 * Bring over what DJ (a Django database opened with db_open_foreign())
 * holds into DB, in one write transaction, as the administrator BY at
 * NOW, with the tickets' notices by the SLA rule of POL. PROGRESS, when
 * not NULL, is told each stage ("accounts", "tokens", "tickets") with
 * ARG. WD_EDATA when DJ is not a Django watchdog database, WD_ETEMP when
 * a database stays busy; on any error nothing is written. The caller
 * frees *RES with django_result_clear().
 */
enum wd_status	django_import(struct db *db, struct db *dj,
		    const struct sla_policy *pol, const struct user *by,
		    int64_t now, void (*progress)(const char *, void *),
		    void *arg, struct django_result *res, char **cause);
void		django_result_clear(struct django_result *res);

#endif
