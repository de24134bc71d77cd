CREATE TABLE topics (id serial PRIMARY KEY, name text);
