CREATE TABLE orders (id bigint PRIMARY KEY, code text COLLATE "C" NOT NULL, note text);
CREATE INDEX orders_code ON orders (code);
