CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text, body text, published boolean NOT NULL DEFAULT false, tenant integer);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_tenant ON documents USING (tenant = 1);
