CREATE TABLE accounts (email text, deleted_at timestamptz);
CREATE UNIQUE INDEX accounts_email_idx ON accounts (email) WHERE deleted_at IS NULL;
