-- 0006-priority-open-first: under the filter "all" the priority order puts
-- the open tickets of a priority before its resolved ones (queue.c), so
-- its index carries is_resolved between the rank and the deadline. Read
-- backwards it serves the reversed order too.
DROP INDEX tickets_priority;
CREATE INDEX tickets_priority ON tickets(priority_rank, is_resolved,
	deadline);
