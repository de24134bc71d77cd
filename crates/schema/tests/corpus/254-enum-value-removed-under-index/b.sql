CREATE TYPE status AS ENUM ('live', 'draft');
CREATE TABLE posts (id bigint, state status);
CREATE INDEX live_posts ON posts (id) WHERE state = 'live';
