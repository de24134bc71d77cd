CREATE TABLE bags (items bigint[]);
