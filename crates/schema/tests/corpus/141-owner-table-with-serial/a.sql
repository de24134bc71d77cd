CREATE TABLE notes (id serial PRIMARY KEY, body text);
