CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TYPE lifecycle AS ENUM ('draft', 'live', 'retired');
CREATE TABLE posts (id bigint, state lifecycle);
