CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
ALTER TABLE episodes OWNER TO corpus_owner;
GRANT SELECT ON episodes TO corpus_reader;
REVOKE TRUNCATE ON episodes FROM corpus_owner;
