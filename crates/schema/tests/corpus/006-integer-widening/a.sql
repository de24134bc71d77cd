CREATE TABLE counters (id integer PRIMARY KEY, hits integer, small smallint);
