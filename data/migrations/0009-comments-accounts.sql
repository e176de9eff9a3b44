-- 0009-comments-accounts: comments on tickets.

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
