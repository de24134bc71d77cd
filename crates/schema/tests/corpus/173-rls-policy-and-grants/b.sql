CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text, body text, published boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
GRANT SELECT, UPDATE ON documents TO corpus_writer;
CREATE POLICY writers ON documents FOR UPDATE TO corpus_writer USING (true);
