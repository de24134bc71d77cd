CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text, body text, published boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON documents USING (owner_name = current_user);
COMMENT ON POLICY own_rows ON documents IS 'each writer sees their own';
