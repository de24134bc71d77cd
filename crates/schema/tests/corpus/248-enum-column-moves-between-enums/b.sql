CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TYPE phase AS ENUM ('draft', 'live', 'gone');
CREATE TABLE posts (id bigint, state phase);
