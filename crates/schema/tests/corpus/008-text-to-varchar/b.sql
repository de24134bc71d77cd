CREATE TABLE slugs (slug varchar(10), note text);
