CREATE TABLE counters (id integer PRIMARY KEY, hits bigint, small integer);
