CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text, body text, published boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON documents FOR SELECT USING (true);
CREATE POLICY insert_own ON documents FOR INSERT WITH CHECK (owner_name = current_user);
CREATE POLICY update_own ON documents FOR UPDATE USING (owner_name = current_user) WITH CHECK (owner_name = current_user);
CREATE POLICY delete_own ON documents FOR DELETE USING (owner_name = current_user);
