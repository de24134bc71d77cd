CREATE TYPE status AS ENUM ('draft', 'live');
CREATE DOMAIN public_status AS status CHECK (VALUE <> 'draft');
