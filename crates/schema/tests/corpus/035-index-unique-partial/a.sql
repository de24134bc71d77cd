CREATE TABLE accounts (email text, deleted_at timestamptz);
CREATE INDEX accounts_email_idx ON accounts (email);
