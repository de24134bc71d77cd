CREATE TABLE settings (a integer, b text DEFAULT 'x', c timestamptz DEFAULT now());
