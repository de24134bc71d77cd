CREATE TABLE pages (id bigint, path text);
