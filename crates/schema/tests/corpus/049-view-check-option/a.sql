CREATE TABLE episodes (id bigint, published boolean);
CREATE VIEW published AS SELECT id, published FROM episodes WHERE published;
