/*
 * meta.h: facts about the database itself, kept in its meta table as
 * (key, value) rows: "instance" (the random name in Message-IDs, made by
 * the schema) and "last_check_sla" (when a --check-sla pass last ran to
 * its end, for --doctor).
 */
#ifndef WATCHDOG_META_H
#define WATCHDOG_META_H

#include <stdbool.h>
#include <stdint.h>

#include "watchdog/status.h"

struct db;

/* UTC seconds at which the last --check-sla pass ran to its end. */
#define META_LAST_CHECK_SLA	"last_check_sla"
/*
 * The fingerprint of the SLA rule the stored next notice times
 * (tickets.sla_next_at) were computed by (sla_policy_fingerprint()).
 */
#define META_SLA_RULE		"sla_rule"
/* The random name of this database in Message-IDs (made by 0002). */
#define META_INSTANCE		"instance"

/*
 * Read the text stored under KEY into *VALUE (new, or NULL when there is
 * none). Returns WD_OK or a database failure with *CAUSE.
 */
enum wd_status	meta_get_text(struct db *db, const char *key, char **value,
		    char **cause);

/*
 * Read the whole number stored under KEY into *VALUE; *FOUND says whether
 * there is one (a row that is not a number counts as none). Returns WD_OK
 * or a database failure with *CAUSE.
 */
enum wd_status	meta_get_int(struct db *db, const char *key, int64_t *value,
		    bool *found, char **cause);

/*
 * Store VALUE under KEY, replacing what was there, in a write transaction
 * of its own (or a savepoint of the caller's). Returns WD_OK or a database
 * failure with *CAUSE; nothing is changed then.
 */
enum wd_status	meta_set_int(struct db *db, const char *key, int64_t value,
		    char **cause);

#endif
