CREATE TABLE shows (id bigint PRIMARY KEY, slug text CONSTRAINT shows_slug_key UNIQUE);
CREATE TABLE clips (id bigint, show_slug text REFERENCES shows (slug));
