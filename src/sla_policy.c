/*
 * sla_policy.c: the SLA policy value, built once from the configuration
 * (watchdog.conf(5)); see sla.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "watchdog/config.h"
#include "watchdog/sla.h"

/* Fill *POL from CFG; see sla.h. */
void
sla_policy_from_config(const struct config *cfg, struct sla_policy *pol)
{
	memset(pol, 0, sizeof *pol);
	if (cfg->sla_warning_minutes > 0) {
		pol->warn[0].secs = (int64_t)cfg->sla_warning_minutes * 60;
		pol->nwarn = 1;
	}
	if (cfg->escalation_emails != NULL &&
	    cfg->escalation_emails[0] != NULL) {
		pol->ladder[0].delay = 0;
		pol->ladder[0].emails = cfg->escalation_emails;
		pol->nsteps = 1;
	}
}
