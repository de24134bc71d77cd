CREATE TABLE accounts (email text);
CREATE UNIQUE INDEX accounts_email_lower_idx ON accounts (lower(email));
