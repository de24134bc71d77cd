CREATE SEQUENCE small_numbers;
