-- 0015-django-import: what watchdog --import-django brought over from a
-- Django watchdog database, so that a second run adds nothing twice.
-- KIND is 'account', 'token' or 'ticket'; DJANGO_ID the row's key over
-- there (auth_user.id, authtoken_token.key's selector, tickets_ticket.id);
-- OUR_ID the row made here (users.id, tokens.id, tickets.id).
CREATE TABLE django_import (
	kind		TEXT NOT NULL CHECK (kind IN ('account', 'token',
			'ticket')),
	django_id	TEXT NOT NULL,
	our_id		INTEGER NOT NULL,
	PRIMARY KEY (kind, django_id)
) WITHOUT ROWID;
