CREATE TABLE docs (body jsonb);
