-- 0001-initial: accounts, tokens, login failures, audit, tickets, history,
-- rate limits. Times are UTC seconds since the epoch.

CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	email		TEXT NOT NULL,
	role		TEXT NOT NULL CHECK (role IN ('user', 'admin')),
	password_hash	TEXT NOT NULL,
	created_at	INTEGER NOT NULL
);

-- API tokens: the selector is the public start of the token, used to find
-- the row; only a hash of the whole token is kept.
CREATE TABLE tokens (
	id		INTEGER PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	selector	TEXT NOT NULL UNIQUE,
	hash		BLOB NOT NULL,
	created_at	INTEGER NOT NULL,
	last_used_at	INTEGER,
	revoked_at	INTEGER
);
CREATE INDEX tokens_user ON tokens(user_id);

-- Failed logins, per account and calling Unix user.
CREATE TABLE login_failures (
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	unix_uid	INTEGER NOT NULL,
	failures	INTEGER NOT NULL,
	last_failure_at	INTEGER NOT NULL,
	locked_until	INTEGER,
	PRIMARY KEY (user_id, unix_uid)
) WITHOUT ROWID;

-- Logins, failures, lockouts, accounts and tokens created, tickets deleted.
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	user_id		INTEGER REFERENCES users(id) ON DELETE SET NULL,
	name		TEXT,
	unix_uid	INTEGER,
	event		TEXT NOT NULL,
	detail		TEXT
);
CREATE INDEX audit_at ON audit(at);

-- AUTOINCREMENT: the id of a deleted ticket is never given to another, so
-- scripts and mail threads that hold an id never point at the wrong one.
CREATE TABLE tickets (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	title		TEXT NOT NULL,
	description	TEXT NOT NULL DEFAULT '',
	status		TEXT NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'in_progress', 'on_hold', 'resolved')),
	priority	TEXT NOT NULL DEFAULT 'normal'
			CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
	owner_id	INTEGER NOT NULL REFERENCES users(id),
	assignee_id	INTEGER REFERENCES users(id),
	deadline	INTEGER NOT NULL,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	resolved_at	INTEGER,
	version		INTEGER NOT NULL DEFAULT 1,
	CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
-- The open queue by deadline (default listing, overdue, due tickets).
CREATE INDEX tickets_open_deadline ON tickets(deadline, id)
	WHERE status <> 'resolved';
-- Every ticket by deadline (--all).
CREATE INDEX tickets_deadline ON tickets(deadline, id);
CREATE INDEX tickets_owner ON tickets(owner_id, deadline);
CREATE INDEX tickets_assignee ON tickets(assignee_id, deadline)
	WHERE assignee_id IS NOT NULL;

CREATE TABLE ticket_history (
	id		INTEGER PRIMARY KEY,
	ticket_id	INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	at		INTEGER NOT NULL,
	user_id		INTEGER REFERENCES users(id) ON DELETE SET NULL,
	field		TEXT NOT NULL,
	old_value	TEXT,
	new_value	TEXT
);
CREATE INDEX ticket_history_ticket ON ticket_history(ticket_id, id);

-- Events counted by the rate limits, shared by every process.
CREATE TABLE rate_events (
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind		TEXT NOT NULL,
	at		INTEGER NOT NULL
);
CREATE INDEX rate_events_key ON rate_events(user_id, kind, at);
