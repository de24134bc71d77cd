CREATE TABLE orders (id bigint PRIMARY KEY, code text NOT NULL, note text);
CREATE UNIQUE INDEX orders_code_key ON orders (code);
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_code_key;
