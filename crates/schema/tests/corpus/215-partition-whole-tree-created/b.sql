CREATE TABLE payments (id bigint NOT NULL, paid_at date NOT NULL, amount numeric(8,2)) PARTITION BY RANGE (paid_at);
ALTER TABLE payments ADD PRIMARY KEY (id, paid_at);
CREATE INDEX payments_amount_idx ON payments (amount);
CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE payments_2026 PARTITION OF payments FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE payments_other PARTITION OF payments DEFAULT;
