CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
ALTER TABLE episodes OWNER TO corpus_owner;
