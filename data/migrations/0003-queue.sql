-- 0003-queue: what the queue of the terminal UI needs to page through a
-- million tickets in four orders (queue.c) without sorting them: for each
-- (filter, order) an index that holds the rows in display order, so that a
-- screen costs what its rows cost. Keyset paging seeks with row values on
-- these columns; the rowid (the ticket id) ends every index key by itself
-- and breaks ties.
--
-- Reading an index backwards costs the same as forwards, so one index
-- serves an order and its reverse (BEFORE, LAST, newest first). Partial
-- indexes (WHERE status <> 'resolved') hold the open queue, the default
-- view; they also carry the deadline, so that the overdue filter, read
-- from them, tests it without visiting the table. Plain indexes serve the
-- filter "all".

-- The priority order: urgent 0, high 1, normal 2, low 3.
ALTER TABLE tickets ADD COLUMN priority_rank INTEGER GENERATED ALWAYS AS
	(CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1
	WHEN 'normal' THEN 2 ELSE 3 END) VIRTUAL;
-- 1 for a resolved ticket: the first key of the urgency order under the
-- filter "all" (unresolved first). A column, not an expression index,
-- because SQLite seeks with a row value such as (is_resolved, deadline,
-- id) > (...) only on columns.
ALTER TABLE tickets ADD COLUMN is_resolved INTEGER GENERATED ALWAYS AS
	(status = 'resolved') VIRTUAL;

-- Urgency: the open queue reads tickets_open_deadline (0001).
CREATE INDEX tickets_urgency ON tickets(is_resolved, deadline);
-- Newest first: the filter "all" reads the table itself (id is the rowid).
CREATE INDEX tickets_open_id ON tickets(id, deadline)
	WHERE status <> 'resolved';
-- Priority, then deadline.
CREATE INDEX tickets_open_priority ON tickets(priority_rank, deadline)
	WHERE status <> 'resolved';
CREATE INDEX tickets_priority ON tickets(priority_rank, deadline);
-- Most recently updated first.
CREATE INDEX tickets_open_updated ON tickets(updated_at, id, deadline)
	WHERE status <> 'resolved';
CREATE INDEX tickets_updated ON tickets(updated_at);

-- "Mine": my open tickets as owner and as assignee, with every sort key,
-- so that each is sorted from its index entries alone (queue.c reads them
-- with INDEXED BY; tickets_owner and tickets_assignee hold the resolved
-- ones too).
CREATE INDEX tickets_open_owner ON tickets(owner_id, deadline,
	priority_rank, updated_at) WHERE status <> 'resolved';
CREATE INDEX tickets_open_assignee ON tickets(assignee_id, deadline,
	priority_rank, updated_at) WHERE status <> 'resolved';
