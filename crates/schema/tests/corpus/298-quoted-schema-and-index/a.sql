CREATE SCHEMA "Media Library";
CREATE TABLE "Media Library".clips (id bigint, "Title" text);
