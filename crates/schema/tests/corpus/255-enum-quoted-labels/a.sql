CREATE TYPE mark AS ENUM ('it''s', 'a b');
