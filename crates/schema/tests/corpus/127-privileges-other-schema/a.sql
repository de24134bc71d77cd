CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint);
