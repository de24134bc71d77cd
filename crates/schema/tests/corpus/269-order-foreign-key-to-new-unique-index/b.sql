CREATE TABLE shows (id bigint PRIMARY KEY, slug text);
CREATE UNIQUE INDEX shows_slug_idx ON shows (slug);
CREATE TABLE clips (id bigint, show_slug text, CONSTRAINT clips_show_fk FOREIGN KEY (show_slug) REFERENCES shows (slug));
