CREATE TYPE status AS ENUM ('draft', 'published');
CREATE TABLE episodes (status status DEFAULT 'draft' NOT NULL);
