CREATE SEQUENCE ticket_numbers;
