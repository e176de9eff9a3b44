-- 0018-statement-triggers on PostgreSQL: the open-ticket count
-- (ticket_counts, data/pg/0010) and the comments' words kept on their
-- ticket for --search (comment_words, data/pg/0012) keep what they kept,
-- but an INSERT or DELETE of many rows now writes each once per statement
-- instead of once per row: the triggers read the statement's rows as a
-- transition table. Row by row, a statement of 50,000 comments
-- aggregated every comment of its ticket again for each one, and wrote
-- the ticket's row (its search column and every index) as many times;
-- the count's one row was written once per ticket, and in one
-- transaction each of those writes walked the row's growing chain of
-- versions. A transition table cannot go with a column list (UPDATE OF
-- status, UPDATE OF text), and a statement trigger on every UPDATE would
-- make each single-row write of a ticket pay for it: the updates keep
-- their row triggers, which write only when the column changed.

CREATE OR REPLACE FUNCTION wd_open_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (old.status = 'resolved') <> (new.status = 'resolved') THEN
		UPDATE ticket_counts SET n = n + CASE WHEN
		    new.status = 'resolved' THEN -1 ELSE 1 END
		    WHERE what = 'open';
	END IF;
	RETURN NULL;
END
$$;
CREATE FUNCTION wd_open_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	d bigint;
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT count(*) INTO d FROM wd_added WHERE status <> 'resolved';
	ELSE
		SELECT -count(*) INTO d FROM wd_removed
		    WHERE status <> 'resolved';
	END IF;
	IF d <> 0 THEN
		UPDATE ticket_counts SET n = n + d WHERE what = 'open';
	END IF;
	RETURN NULL;
END
$$;
DROP TRIGGER tickets_open_count ON tickets;
CREATE TRIGGER tickets_open_count_insert AFTER INSERT ON tickets
	REFERENCING NEW TABLE AS wd_added
	FOR EACH STATEMENT EXECUTE FUNCTION wd_open_count_rows();
CREATE TRIGGER tickets_open_count_delete AFTER DELETE ON tickets
	REFERENCING OLD TABLE AS wd_removed
	FOR EACH STATEMENT EXECUTE FUNCTION wd_open_count_rows();
CREATE TRIGGER tickets_open_count_update AFTER UPDATE OF status ON tickets
	FOR EACH ROW EXECUTE FUNCTION wd_open_count();

-- The words of the tickets the statement's comments belong to, each
-- ticket aggregated and written once.
CREATE FUNCTION wd_comment_words_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE tickets t SET comment_words = coalesce((SELECT
		    string_agg(c.text, ' ' ORDER BY c.id) FROM comments c
		    WHERE c.ticket_id = t.id), '')
		    WHERE t.id IN (SELECT ticket_id FROM wd_added);
	ELSE
		UPDATE tickets t SET comment_words = coalesce((SELECT
		    string_agg(c.text, ' ' ORDER BY c.id) FROM comments c
		    WHERE c.ticket_id = t.id), '')
		    WHERE t.id IN (SELECT ticket_id FROM wd_removed);
	END IF;
	RETURN NULL;
END
$$;
DROP TRIGGER comments_words ON comments;
CREATE TRIGGER comments_words_insert AFTER INSERT ON comments
	REFERENCING NEW TABLE AS wd_added
	FOR EACH STATEMENT EXECUTE FUNCTION wd_comment_words_rows();
CREATE TRIGGER comments_words_delete AFTER DELETE ON comments
	REFERENCING OLD TABLE AS wd_removed
	FOR EACH STATEMENT EXECUTE FUNCTION wd_comment_words_rows();
CREATE TRIGGER comments_words_update AFTER UPDATE OF text ON comments
	FOR EACH ROW EXECUTE FUNCTION wd_comment_words();
