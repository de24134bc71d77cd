CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TABLE posts (id bigint, state status);
CREATE INDEX live_posts ON posts (id) WHERE state = 'live';
