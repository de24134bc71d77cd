CREATE TABLE members (name text PRIMARY KEY, team varchar(40));
CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text, body text, published boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_teams ON documents USING (team IN (SELECT m.team FROM members m));
