CREATE TABLE shows (id bigint, slug text, CONSTRAINT shows_slug_unique UNIQUE (slug));
CREATE TABLE clips (id bigint, show_slug text REFERENCES shows (slug));
