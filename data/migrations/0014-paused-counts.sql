-- 0014-paused-counts: the queue's missed and warning counts leave out the
-- tickets whose SLA clock stands still (paused_at, 0013), as the SLA
-- column and --list do. They are counted from this small index of the
-- paused open tickets and taken from the ranges of the open queue's
-- deadline index, so that the counts still read no ticket row.
CREATE INDEX tickets_open_paused ON tickets(deadline)
	WHERE paused_at IS NOT NULL AND status <> 'resolved';
