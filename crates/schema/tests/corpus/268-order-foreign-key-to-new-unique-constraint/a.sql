CREATE TABLE shows (id bigint PRIMARY KEY, slug text);
CREATE TABLE clips (id bigint, show_slug text);
