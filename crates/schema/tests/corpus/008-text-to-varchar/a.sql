CREATE TABLE slugs (slug text, note varchar(50));
INSERT INTO slugs VALUES ('short', 'fits');
