CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TYPE phase AS ENUM ('draft', 'live');
CREATE TABLE posts (id bigint, history phase[]);
