CREATE TABLE notes (id serial PRIMARY KEY, body text);
ALTER TABLE notes OWNER TO corpus_owner;
