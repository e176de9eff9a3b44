-- 0010-scripting: what the filters of --list need (watchdog(1), FILTERS
-- AND FORMATS): an index for each filter that can lead a listing, each
-- ending in the deadline (and the rowid, the ticket id), so that the rows
-- come out in list order (deadline, id) and a page of --limit rows costs
-- what its rows cost; and a full-text index for --search.

-- --status S: one status, by deadline.
CREATE INDEX tickets_status ON tickets(status, deadline);
-- --priority P (tickets_priority puts is_resolved between the rank and
-- the deadline).
CREATE INDEX tickets_priority_deadline ON tickets(priority, deadline);
-- --assignee none.
CREATE INDEX tickets_unassigned ON tickets(deadline)
	WHERE assignee_id IS NULL;
-- The same over the open tickets, the default listing: most tickets are
-- resolved, and read from the indexes above a page of open ones would
-- step over them (tickets_open_owner and tickets_open_assignee of 0003
-- put the priority and the update time between the deadline and the id).
CREATE INDEX tickets_open_priority_deadline ON tickets(priority, deadline)
	WHERE status <> 'resolved';
CREATE INDEX tickets_open_unassigned ON tickets(deadline)
	WHERE status <> 'resolved' AND assignee_id IS NULL;
CREATE INDEX tickets_open_owner_deadline ON tickets(owner_id, deadline)
	WHERE status <> 'resolved';
CREATE INDEX tickets_open_assignee_deadline ON tickets(assignee_id, deadline)
	WHERE status <> 'resolved';
-- --mine: the open queue's index in list order (0001) also carries the
-- owner and the assignee, to test without visiting the table (the id
-- written out, so that it still comes before them).
DROP INDEX tickets_open_deadline;
CREATE INDEX tickets_open_deadline ON tickets(deadline, id, owner_id,
	assignee_id) WHERE status <> 'resolved';

-- --search: words of the title, the description and the comments. The
-- index reads its text from the view ticket_search_source (an external
-- content table), so the text is not stored twice. The storage code that
-- writes tickets keeps it in step (ticket_search.c), in the writer's own
-- transaction: not triggers, which may not write to a virtual table while
-- the schema is untrusted (db.c). unicode61 folds case for all of
-- Unicode ("é" finds "É") and, with remove_diacritics 2, accents too
-- ("cafe" finds "café").
--
-- The comments column is empty until comments exist: the migration that
-- adds them redefines the view to join them (group_concat of the
-- ticket's comments), and the code that adds a comment calls
-- ticket_search_forget() before and ticket_search_remember() after.
CREATE VIEW ticket_search_source AS
	SELECT id, title, description, '' AS comments FROM tickets;
CREATE VIRTUAL TABLE ticket_search USING fts5(title, description,
	comments, content='ticket_search_source', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2');
INSERT INTO ticket_search(ticket_search) VALUES ('rebuild');
