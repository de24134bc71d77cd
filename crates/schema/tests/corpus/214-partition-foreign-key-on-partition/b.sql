CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE payments (id bigint NOT NULL, paid_at date NOT NULL, amount numeric(8,2)) PARTITION BY RANGE (paid_at);
CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE payments_2025 ADD CONSTRAINT pay25_customer_fk FOREIGN KEY (id) REFERENCES customers (id);
