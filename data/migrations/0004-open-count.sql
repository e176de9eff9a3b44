-- 0004-open-count: the number of unresolved tickets, kept by triggers, so
-- that the UI's status line costs the same on a million tickets as on ten
-- (counting the open-queue index grows with the open tickets).
CREATE TABLE ticket_counts (
	what		TEXT PRIMARY KEY,
	n		INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO ticket_counts (what, n)
	SELECT 'open', count(*) FROM tickets WHERE status <> 'resolved';

CREATE TRIGGER tickets_open_count_insert AFTER INSERT ON tickets
	WHEN new.status <> 'resolved'
BEGIN
	UPDATE ticket_counts SET n = n + 1 WHERE what = 'open';
END;
CREATE TRIGGER tickets_open_count_delete AFTER DELETE ON tickets
	WHEN old.status <> 'resolved'
BEGIN
	UPDATE ticket_counts SET n = n - 1 WHERE what = 'open';
END;
CREATE TRIGGER tickets_open_count_update AFTER UPDATE OF status ON tickets
	WHEN (old.status = 'resolved') <> (new.status = 'resolved')
BEGIN
	UPDATE ticket_counts SET n = n +
	    CASE WHEN new.status = 'resolved' THEN -1 ELSE 1 END
	    WHERE what = 'open';
END;
