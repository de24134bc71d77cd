CREATE TABLE settings (a integer DEFAULT 5, b text DEFAULT 'y', c timestamptz);
