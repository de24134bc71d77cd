CREATE TABLE orders (id bigint PRIMARY KEY, code text COLLATE "C" NOT NULL, note text);
