CREATE TABLE counters (n integer NOT NULL DEFAULT 0);
CREATE INDEX counters_n ON counters (n);
