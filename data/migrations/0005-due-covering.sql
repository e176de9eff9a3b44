-- 0005-due-covering: the SLA pass reads the due tickets' deadline, id,
-- sla_notified and status (which its WHERE names) from the index alone,
-- so that a pass with nothing new to queue does not visit the table for
-- every ticket it already warned about.
DROP INDEX tickets_sla_due;
CREATE INDEX tickets_sla_due ON tickets(deadline, id, sla_notified, status)
	WHERE status <> 'resolved' AND sla_notified < 2;
