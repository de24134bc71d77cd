CREATE TABLE readings (at date, v numeric) PARTITION BY RANGE (at);
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE readings OWNER TO corpus_owner;
ALTER TABLE readings_2026 OWNER TO corpus_owner;
