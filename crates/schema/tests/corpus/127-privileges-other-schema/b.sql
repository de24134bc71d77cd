CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint);
GRANT USAGE ON SCHEMA billing TO corpus_reader;
GRANT SELECT ON billing.invoices TO corpus_reader;
