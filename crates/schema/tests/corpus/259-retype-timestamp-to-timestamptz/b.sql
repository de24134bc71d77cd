CREATE TABLE logs (at timestamptz DEFAULT now());
