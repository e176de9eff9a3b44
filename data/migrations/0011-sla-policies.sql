-- 0011-sla-policies: the one thing of the SLA rule (sla.c) that must be
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

INSERT INTO meta (key, value) SELECT 'sla_rule', '-1'
	WHERE EXISTS (SELECT 1 FROM tickets WHERE sla_next_at IS NOT NULL);

-- How many warning thresholds of the current deadline are done (sent, or
-- already past when the deadline was set): they go in order, each once.
ALTER TABLE tickets ADD COLUMN sla_warned INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET sla_warned = 1 WHERE sla_notified = 1;
CREATE INDEX tickets_sla_next ON tickets(sla_next_at, id, sla_notified,
	sla_warned, deadline, created_at, status)
	WHERE sla_next_at IS NOT NULL;

-- The outbox key gains seq, which notice of a kind it is for one
-- deadline (the warning threshold), so that each goes exactly once. SQLite
-- changes a table's UNIQUE constraint only by making the table anew.
CREATE TABLE outbox_new (
	id		INTEGER PRIMARY KEY,
	ticket_id	INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('created', 'warning', 'missed')),
	seq		INTEGER NOT NULL DEFAULT 0,
	deadline	INTEGER NOT NULL,
	recipient	TEXT NOT NULL,
	sender		TEXT NOT NULL,
	message_id	TEXT NOT NULL,
	message		TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL,
	next_attempt_at	INTEGER NOT NULL,
	last_error	TEXT,
	sent_at		INTEGER,
	reported	INTEGER NOT NULL DEFAULT 1 CHECK (reported IN (0, 1)),
	UNIQUE (ticket_id, kind, seq, deadline, recipient)
);
INSERT INTO outbox_new (id, ticket_id, kind, seq, deadline, recipient,
	sender, message_id, message, state, attempts, created_at,
	next_attempt_at, last_error, sent_at, reported)
	SELECT id, ticket_id, kind, 0, deadline, recipient, sender,
	message_id, message, state, attempts, created_at, next_attempt_at,
	last_error, sent_at, reported FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at, id)
	WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_state ON outbox(state, id) WHERE state <> 'sent';
CREATE INDEX outbox_unreported ON outbox(id) WHERE reported = 0;
