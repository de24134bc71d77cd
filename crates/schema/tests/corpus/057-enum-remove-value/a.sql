CREATE TYPE status AS ENUM ('draft', 'scheduled', 'published');
CREATE TABLE episodes (status status DEFAULT 'draft' NOT NULL);
INSERT INTO episodes VALUES ('draft'), ('published');
