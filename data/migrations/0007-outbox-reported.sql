-- 0006-outbox-reported: whether a --check-sla has reported a failed
-- message on standard error. A message refused while a --create or the
-- terminal interface sent it in the background, or one whose template
-- could not be used, is kept as failed with reported = 0 until the next
-- pass reports it once. Every message before this migration counts as
-- reported.
ALTER TABLE outbox ADD COLUMN reported INTEGER NOT NULL DEFAULT 1
	CHECK (reported IN (0, 1));
CREATE INDEX outbox_unreported ON outbox(id) WHERE reported = 0;
