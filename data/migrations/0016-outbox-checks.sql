-- 0016-outbox-checks: the outbox's CHECK constraints written as comparisons.
-- SQLite evaluates "x IN ('a', 'b', 'c')" (a list of more than two
-- constants) by building a temporary b-tree of the list each time a
-- statement runs: every INSERT into the outbox built two (kind, state) and
-- every change of state one, about a tenth of an SLA pass's work. The same
-- constraints as ORs of equalities cost a few comparisons. Nothing else
-- changes: the table is rebuilt with every row and index kept.
CREATE TABLE outbox_new (
	id		INTEGER PRIMARY KEY,
	ticket_id	INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind = 'created' OR
			kind = 'warning' OR kind = 'missed' OR
			kind = 'assigned' OR kind = 'commented'),
	seq		INTEGER NOT NULL DEFAULT 0,
	deadline	INTEGER NOT NULL,
	recipient	TEXT NOT NULL,
	sender		TEXT NOT NULL,
	message_id	TEXT NOT NULL,
	message		TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state = 'queued' OR state = 'sending' OR
			state = 'sent' OR state = 'failed'),
	attempts	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL,
	next_attempt_at	INTEGER NOT NULL,
	last_error	TEXT,
	sent_at		INTEGER,
	reported	INTEGER NOT NULL DEFAULT 1 CHECK (reported IN (0, 1)),
	event		INTEGER NOT NULL DEFAULT 0,
	UNIQUE (ticket_id, kind, seq, deadline, recipient, event)
);
INSERT INTO outbox_new (id, ticket_id, kind, seq, deadline, recipient,
	sender, message_id, message, state, attempts, created_at,
	next_attempt_at, last_error, sent_at, reported, event)
	SELECT id, ticket_id, kind, seq, deadline, recipient, sender,
	message_id, message, state, attempts, created_at, next_attempt_at,
	last_error, sent_at, reported, event FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at, id)
	WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_state ON outbox(state, id) WHERE state <> 'sent';
CREATE INDEX outbox_unreported ON outbox(id) WHERE reported = 0;
