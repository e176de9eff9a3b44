-- 0016-outbox-checks on PostgreSQL: nothing to change. The SQLite twin
-- rewrites the outbox's CHECK constraints because SQLite builds a
-- temporary b-tree for an IN list each time a statement runs; PostgreSQL
-- compares against the list directly. The version moves with SQLite's so
-- that both engines name one schema by one number.
COMMENT ON TABLE outbox IS 'notices to send, each once (watchdog(1))';
