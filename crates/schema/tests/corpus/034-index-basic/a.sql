CREATE TABLE episodes (id bigint, published_at timestamptz);
