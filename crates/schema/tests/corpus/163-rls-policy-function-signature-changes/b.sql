CREATE FUNCTION can_see(team text) RETURNS integer LANGUAGE sql STABLE AS $$SELECT 1$$;
CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text, body text, published boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_team ON documents USING (can_see(team) = 1);
