CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
GRANT SELECT, TRUNCATE, REFERENCES, TRIGGER ON episodes TO "Corpus Admin";
