-- 0012-comments-accounts: comments on tickets, the assigned and commented
-- notices, and account administration.

-- A comment is never edited: written once, read in id order, deleted with
-- its ticket. author_id is kept when the account is disabled (accounts are
-- never deleted).
CREATE TABLE comments (
	id		INTEGER PRIMARY KEY,
	ticket_id	INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	author_id	INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at	INTEGER NOT NULL,
	text		TEXT NOT NULL
);
-- A ticket's comments in order (the view, --show, the cascade on delete).
CREATE INDEX comments_ticket ON comments(ticket_id, id);

-- The outbox learns two notices caused by an event rather than by a
-- deadline: "assigned" (to the new assignee) and "commented" (to the owner
-- and the assignee). "event" tells one event from another in the key: the
-- ticket's version after the assignment, the comment's id; 0 for the
-- deadline notices, whose key stays (ticket, kind, seq, deadline,
-- recipient).
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt,
-- every row and index kept.
CREATE TABLE outbox_new (
	id		INTEGER PRIMARY KEY,
	ticket_id	INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('created', 'warning',
			'missed', 'assigned', 'commented')),
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
	event		INTEGER NOT NULL DEFAULT 0,
	UNIQUE (ticket_id, kind, seq, deadline, recipient, event)
);
INSERT INTO outbox_new (id, ticket_id, kind, seq, deadline, recipient,
	sender, message_id, message, state, attempts, created_at,
	next_attempt_at, last_error, sent_at, reported)
	SELECT id, ticket_id, kind, seq, deadline, recipient, sender,
	message_id, message, state, attempts, created_at, next_attempt_at,
	last_error, sent_at, reported FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at, id)
	WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_state ON outbox(state, id) WHERE state <> 'sent';
CREATE INDEX outbox_unreported ON outbox(id) WHERE reported = 0;

-- Account administration. A disabled account (disabled_at set) cannot log
-- in and its tokens are refused; its tickets stay. must_change_password
-- is set by a reset: the one-time password works once, to choose a new
-- one. last_login_at is the last accepted password login.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
	CHECK (must_change_password IN (0, 1));
ALTER TABLE users ADD COLUMN last_login_at INTEGER;

-- --search finds the words of the comments too: the view the full-text
-- index reads (0010) gets them, all of a ticket's comments in one column,
-- and the index is built again from it. comment.c keeps it in step, as
-- ticket.c does for titles and descriptions.
DROP VIEW ticket_search_source;
CREATE VIEW ticket_search_source AS
	SELECT t.id, t.title, t.description,
	coalesce((SELECT group_concat(c.text, ' ') FROM comments c
	WHERE c.ticket_id = t.id), '') AS comments FROM tickets t;
INSERT INTO ticket_search(ticket_search) VALUES ('rebuild');
