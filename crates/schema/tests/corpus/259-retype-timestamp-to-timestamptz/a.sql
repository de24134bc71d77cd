CREATE TABLE logs (at timestamp without time zone DEFAULT now());
