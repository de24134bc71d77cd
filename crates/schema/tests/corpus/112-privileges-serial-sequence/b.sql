CREATE TABLE notes (id serial PRIMARY KEY, body text);
GRANT INSERT ON notes TO corpus_writer;
GRANT USAGE ON SEQUENCE notes_id_seq TO corpus_writer;
