CREATE TABLE bags (items integer[]);
