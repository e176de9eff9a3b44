-- 0008-sla-policies: the one thing of the SLA rule (sla.c) that must be
-- indexed: sla_next_at, when the next notice of a ticket is due (NULL:
-- none will be), written by the same code on every ticket write and by
-- the SLA pass, so that a pass reads only the tickets due. It replaces
-- the predicate of tickets_sla_due, which copied the rule.
--
-- The times written here for existing tickets are a first guess (the
-- deadline): the marker sla_rule -1 tells the pass that they come from no
-- rule of its own, and it recomputes every pending ticket once.
ALTER TABLE tickets ADD COLUMN sla_next_at INTEGER;
-- The SLA policy a ticket's deadline comes from ("urgent 4h calendar"),
-- NULL for a deadline set by hand; the seconds its clock has stood still.
ALTER TABLE tickets ADD COLUMN sla_policy TEXT;
ALTER TABLE tickets ADD COLUMN paused_seconds INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET sla_next_at = CASE
	WHEN status = 'resolved' OR sla_notified >= 2 THEN NULL
	ELSE deadline END;
DROP INDEX tickets_sla_due;
CREATE INDEX tickets_sla_next ON tickets(sla_next_at, id, sla_notified,
	deadline, status) WHERE sla_next_at IS NOT NULL;
INSERT INTO meta (key, value) SELECT 'sla_rule', '-1'
	WHERE EXISTS (SELECT 1 FROM tickets WHERE sla_next_at IS NOT NULL);
