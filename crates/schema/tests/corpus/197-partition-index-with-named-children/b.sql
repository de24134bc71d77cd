CREATE TABLE payments (id bigint NOT NULL, paid_at date NOT NULL, amount numeric(8,2)) PARTITION BY RANGE (paid_at);
CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE payments_2026 PARTITION OF payments FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX payments_2025_by_amount ON payments_2025 (amount);
CREATE INDEX payments_2026_by_amount ON payments_2026 (amount);
CREATE INDEX payments_amount_idx ON ONLY payments (amount);
ALTER INDEX payments_amount_idx ATTACH PARTITION payments_2025_by_amount;
ALTER INDEX payments_amount_idx ATTACH PARTITION payments_2026_by_amount;
