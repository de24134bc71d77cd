CREATE TABLE episodes (id bigint, published boolean);
CREATE VIEW published WITH (security_barrier) AS SELECT id, published FROM episodes WHERE published WITH LOCAL CHECK OPTION;
