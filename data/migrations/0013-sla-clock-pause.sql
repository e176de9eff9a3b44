-- 0013-sla-clock-pause: which clock a ticket's notices count in, and
-- where its paused clock stands (watchdog(1), SLA POLICIES).
--
-- sla_business is 1 when the deadline comes from a business-time policy:
-- its warning thresholds (SLA_WARNINGS) count business time back from the
-- deadline, or a share of the business time from creation. A deadline set
-- by hand, or on a calendar policy, counts wall-clock time (0).
ALTER TABLE tickets ADD COLUMN sla_business INTEGER NOT NULL DEFAULT 0
	CHECK (sla_business IN (0, 1));
UPDATE tickets SET sla_business = 1 WHERE sla_policy LIKE '% business';
-- paused_at is when the clock stopped (the ticket entered a status of
-- SLA_PAUSE_STATUSES), NULL while it runs; paused_seconds (0011) adds up
-- the pauses that ended.
ALTER TABLE tickets ADD COLUMN paused_at INTEGER;

-- The pass reads the clock with the rest of the facts, from the index.
DROP INDEX tickets_sla_next;
CREATE INDEX tickets_sla_next ON tickets(sla_next_at, id, sla_notified,
	sla_warned, deadline, created_at, status, sla_business)
	WHERE sla_next_at IS NOT NULL;
-- The next times are computed afresh by the first pass.
INSERT OR REPLACE INTO meta (key, value) SELECT 'sla_rule', '-1'
	WHERE EXISTS (SELECT 1 FROM tickets WHERE sla_next_at IS NOT NULL);
