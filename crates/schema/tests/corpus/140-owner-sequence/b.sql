CREATE SEQUENCE ticket_numbers;
ALTER SEQUENCE ticket_numbers OWNER TO corpus_owner;
