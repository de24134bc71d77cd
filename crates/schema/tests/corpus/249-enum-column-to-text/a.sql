CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TABLE posts (id bigint, state status NOT NULL DEFAULT 'draft');
