CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team varchar(20), body text, published boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_team ON documents USING (team = 'a');
