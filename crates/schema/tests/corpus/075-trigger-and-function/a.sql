CREATE TABLE episodes (id bigint, updated_at timestamptz);
