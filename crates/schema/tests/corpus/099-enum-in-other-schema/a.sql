CREATE SCHEMA media;
CREATE TYPE media.kind AS ENUM ('audio');
CREATE TABLE episodes (kind media.kind NOT NULL DEFAULT 'audio');
