CREATE TABLE codes (code text DEFAULT 'none');
