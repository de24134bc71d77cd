CREATE TABLE t (id integer, created date DEFAULT CURRENT_DATE, updated timestamptz DEFAULT (now() AT TIME ZONE 'utc'));
