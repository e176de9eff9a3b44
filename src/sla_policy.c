/*
 * sla_policy.c: the SLA policy value, built once from the configuration
 * (watchdog.conf(5)); see sla.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "watchdog/calendar.h"
#include "watchdog/config.h"
#include "watchdog/sla.h"

/* Count POL's business targets in CAL; see sla.h. */
void
sla_policy_use_calendar(struct sla_policy *pol, const struct config *cfg,
    const struct calendar *cal)
{
	size_t	p;

	pol->cal = cal;
	for (p = 0; p < TICKET_NPRIORITIES; p++) {
		pol->target[p] = cfg->sla_targets[p];
		if (pol->target[p].clock == SLA_CLOCK_DEFAULT)
			pol->target[p].clock = cal != NULL &&
			    !calendar_always_open(cal) ?
			    SLA_CLOCK_BUSINESS : SLA_CLOCK_CALENDAR;
	}
}

/* Fill *POL from CFG; see sla.h. */
void
sla_policy_from_config(const struct config *cfg, struct sla_policy *pol)
{
	size_t	p;

	memset(pol, 0, sizeof *pol);
	/*
	 * A target without a clock counts business time when the calendar
	 * has hours (BUSINESS_HOURS), else wall-clock time.
	 */
	sla_policy_use_calendar(pol, cfg, NULL);
	/* SLA_WARNINGS, else SLA_WARNING_MINUTES as the one threshold. */
	if (cfg->sla_warnings.set) {
		for (p = 0; p < cfg->sla_warnings.n; p++)
			pol->warn[p] = cfg->sla_warnings.t[p];
		pol->nwarn = cfg->sla_warnings.n;
	} else if (cfg->sla_warning_minutes > 0) {
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
