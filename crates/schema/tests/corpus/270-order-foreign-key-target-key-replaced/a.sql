CREATE TABLE shows (id bigint, slug text UNIQUE);
CREATE TABLE clips (id bigint, show_slug text REFERENCES shows (slug));
