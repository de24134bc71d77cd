CREATE TABLE episodes (id bigint PRIMARY KEY, title text, view_count bigint DEFAULT 0 NOT NULL);
