-- 0014-paused-counts on PostgreSQL: as data/migrations/0014, the small
-- index of the paused open tickets that the queue's counts subtract.
CREATE INDEX tickets_open_paused ON tickets(deadline)
	WHERE paused_at IS NOT NULL AND status <> 'resolved';
