CREATE SEQUENCE small_numbers AS smallint;
