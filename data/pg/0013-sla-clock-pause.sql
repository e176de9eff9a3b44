-- 0013-sla-clock-pause on PostgreSQL: what data/migrations/0013 brings on
-- SQLite (watchdog(1), SLA POLICIES): the clock a ticket's notices count
-- in (sla_clock: 0 by hand, 1 business policy, 2 calendar policy), where
-- its paused clock stands (paused_at), and how far its notices after a
-- miss have gone (sla_steps, sla_repeats).
ALTER TABLE tickets ADD COLUMN sla_clock integer NOT NULL DEFAULT 0
	CHECK (sla_clock IN (0, 1, 2));
UPDATE tickets SET sla_clock = CASE
	WHEN sla_policy LIKE '% business' THEN 1
	WHEN sla_policy LIKE '% calendar' THEN 2
	ELSE 0 END;
ALTER TABLE tickets ADD COLUMN paused_at bigint;
ALTER TABLE tickets ADD COLUMN sla_steps integer NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_repeats integer NOT NULL DEFAULT 0;

-- The pass reads all the facts of the rule from the index.
DROP INDEX tickets_sla_next;
CREATE INDEX tickets_sla_next ON tickets(sla_next_at, id, sla_notified,
	sla_warned, deadline, created_at, status, sla_clock, sla_steps,
	sla_repeats)
	WHERE sla_next_at IS NOT NULL;
-- The next times are computed afresh by the first pass.
INSERT INTO meta (key, value) SELECT 'sla_rule', '-1'
	WHERE EXISTS (SELECT 1 FROM tickets WHERE sla_next_at IS NOT NULL)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- The SLA state takes paused_at: an open ticket whose clock stands still
-- is paused (db_sqlite.c's wd_sla_state; keep the two in step).
DROP FUNCTION wd_sla_state(text, bigint, bigint, bigint, bigint);
CREATE FUNCTION wd_sla_state(status text, deadline bigint,
    resolved_at bigint, paused_at bigint, warn_secs bigint, now bigint)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE
	    WHEN status = 'resolved' THEN
		CASE WHEN resolved_at <= deadline THEN 'met' ELSE 'breached' END
	    WHEN paused_at IS NOT NULL THEN 'paused'
	    WHEN now >= deadline THEN 'missed'
	    WHEN warn_secs > 0 AND now >= deadline - warn_secs THEN 'warning'
	    ELSE 'ok' END;
