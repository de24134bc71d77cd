CREATE TABLE orders (id bigint PRIMARY KEY, code text NOT NULL, note text);
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_pkey;
