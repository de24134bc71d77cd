CREATE TYPE status AS ENUM ('live', 'draft');
CREATE TABLE posts (id bigint, state status CHECK (state <> 'draft'));
