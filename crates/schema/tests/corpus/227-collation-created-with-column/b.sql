CREATE COLLATION byte_order (provider = libc, locale = 'C');
CREATE TABLE orders (id bigint PRIMARY KEY, code text COLLATE byte_order NOT NULL, note text);
