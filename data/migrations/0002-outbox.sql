-- 0002-outbox: SLA notifications. Each notice is queued in the outbox in
-- the same transaction as the change that causes it, then delivered.

-- Facts about this database: "instance", a random name that keeps our
-- Message-IDs apart from another installation's.
CREATE TABLE meta (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(6))));

-- Which notice is queued for the ticket's current deadline: 0 none,
-- 1 the warning, 2 the missed notice. Moving the deadline or reopening
-- sets it back to 0.
ALTER TABLE tickets ADD COLUMN sla_notified INTEGER NOT NULL DEFAULT 0;
-- The tickets an SLA pass must look at: open, missed notice not yet
-- queued. A pass reads the front of it, up to now + SLA_WARNING_MINUTES,
-- so its cost follows the tickets that are due, not all tickets.
CREATE INDEX tickets_sla_due ON tickets(deadline)
	WHERE status <> 'resolved' AND sla_notified < 2;

-- One row per notice and recipient: the finished message, its delivery
-- state and the attempts. ticket_id has no foreign key: a notice outlives
-- a deleted ticket.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	ticket_id	INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('created', 'warning', 'missed')),
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
	UNIQUE (ticket_id, kind, deadline, recipient)
);
-- What delivery claims next: queued messages, and claims whose lease
-- (next_attempt_at while sending) ran out.
CREATE INDEX outbox_due ON outbox(next_attempt_at, id)
	WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_state ON outbox(state, id) WHERE state <> 'sent';
