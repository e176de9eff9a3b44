-- 0013-sla-clock-pause: which clock a ticket's notices count in, where
-- its paused clock stands, and how far its notices after a miss have gone
-- (watchdog(1), SLA POLICIES).
--
-- sla_clock is where the deadline comes from: 0 set by hand, 1 a
-- business-time policy, 2 a calendar (wall-clock) policy. On a business
-- policy the warning thresholds (SLA_WARNINGS) count business time;
-- QUIET_OUTSIDE_BUSINESS_HOURS never holds the notices of a calendar
-- policy.
ALTER TABLE tickets ADD COLUMN sla_clock INTEGER NOT NULL DEFAULT 0
	CHECK (sla_clock IN (0, 1, 2));
UPDATE tickets SET sla_clock = CASE
	WHEN sla_policy LIKE '% business' THEN 1
	WHEN sla_policy LIKE '% calendar' THEN 2
	ELSE 0 END;
-- paused_at is when the clock stopped (the ticket entered a status of
-- SLA_PAUSE_STATUSES), NULL while it runs; paused_seconds (0011) adds up
-- the pauses that ended.
ALTER TABLE tickets ADD COLUMN paused_at INTEGER;
-- After the missed notice: how many steps of the escalation ladder
-- (SLA_ESCALATION, in the order of their delays) have gone, and the
-- number of the last repeat of the missed notice (SLA_MISSED_REPEAT).
-- A new deadline sets both back to 0.
ALTER TABLE tickets ADD COLUMN sla_steps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_repeats INTEGER NOT NULL DEFAULT 0;

-- The pass reads all the facts of the rule from the index.
DROP INDEX tickets_sla_next;
CREATE INDEX tickets_sla_next ON tickets(sla_next_at, id, sla_notified,
	sla_warned, deadline, created_at, status, sla_clock, sla_steps,
	sla_repeats)
	WHERE sla_next_at IS NOT NULL;
-- The next times are computed afresh by the first pass.
INSERT OR REPLACE INTO meta (key, value) SELECT 'sla_rule', '-1'
	WHERE EXISTS (SELECT 1 FROM tickets WHERE sla_next_at IS NOT NULL);
