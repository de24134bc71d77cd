CREATE SCHEMA "Media Library";
CREATE TABLE "Media Library".clips (id bigint, "Title" text);
CREATE INDEX "Clips By Title" ON "Media Library".clips ("Title");
