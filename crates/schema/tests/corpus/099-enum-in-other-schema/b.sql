CREATE SCHEMA media;
CREATE TYPE media.kind AS ENUM ('audio', 'video');
CREATE TABLE episodes (kind media.kind NOT NULL DEFAULT 'video');
CREATE INDEX episodes_video_idx ON episodes (kind) WHERE kind = 'video';
