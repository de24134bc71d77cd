CREATE SEQUENCE ticket_numbers;
GRANT USAGE, SELECT ON SEQUENCE ticket_numbers TO corpus_writer;
GRANT UPDATE ON SEQUENCE ticket_numbers TO "Corpus Admin";
