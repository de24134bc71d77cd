CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text, body text, published boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON documents USING (owner_name = current_user);
CREATE POLICY only_published ON documents AS RESTRICTIVE FOR SELECT USING (published);
