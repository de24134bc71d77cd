CREATE SEQUENCE batch_numbers;
