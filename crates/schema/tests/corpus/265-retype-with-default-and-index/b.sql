CREATE TABLE counters (n bigint NOT NULL DEFAULT 1);
CREATE INDEX counters_n ON counters (n);
