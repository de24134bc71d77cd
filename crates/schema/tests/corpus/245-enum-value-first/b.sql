CREATE TYPE status AS ENUM ('idea', 'draft', 'live');
