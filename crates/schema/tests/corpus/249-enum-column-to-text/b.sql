CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TABLE posts (id bigint, state text NOT NULL DEFAULT 'draft');
