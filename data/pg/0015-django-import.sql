-- 0015-django-import on PostgreSQL: as data/migrations/0015, what
-- watchdog --import-django brought over, so that a second run adds
-- nothing twice.
CREATE TABLE django_import (
	kind		text NOT NULL CHECK (kind IN ('account', 'token',
			'ticket')),
	django_id	text NOT NULL,
	our_id		bigint NOT NULL,
	PRIMARY KEY (kind, django_id)
);
