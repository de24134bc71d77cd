CREATE COLLATION byte_order (provider = libc, locale = 'C');
CREATE TABLE orders (id bigint PRIMARY KEY, code text NOT NULL, note text);
