-- 0017-json-body: nothing on SQLite, whose JSON functions read the bodies
-- of watchdog --serve's requests (jsonbody.c). On PostgreSQL
-- (data/pg/0017) the function wd_json_is_object() does the same check.
SELECT 1;
