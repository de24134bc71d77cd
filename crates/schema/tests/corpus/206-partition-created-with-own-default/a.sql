CREATE TABLE payments (id bigint NOT NULL, paid_at date NOT NULL, amount numeric(8,2)) PARTITION BY RANGE (paid_at);
