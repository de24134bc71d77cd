CREATE TYPE status AS ENUM ('draft', 'live', 'archived');
CREATE TABLE posts (id bigint, state status DEFAULT 'archived');
