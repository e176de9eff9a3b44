-- 0017-json-body on PostgreSQL: whether a request body of watchdog
-- --serve is one JSON object whose members can be read (jsonbody.c), as
-- SQLite's json_valid() and json_type() tell: false, never an error, for
-- text that is not JSON, not an object, or holds what text cannot (a
-- \u0000 escape). The json type keeps a member named twice, so that the
-- caller can refuse it.
CREATE FUNCTION wd_json_is_object(body text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF json_typeof(body::json) <> 'object' THEN
		RETURN false;
	END IF;
	PERFORM count(value #>> '{}') FROM json_each(body::json);
	RETURN true;
EXCEPTION WHEN data_exception THEN
	RETURN false;
END;
$$;
