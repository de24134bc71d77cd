CREATE TYPE size AS ENUM ('large', 'small');
CREATE TABLE shirts (size size);
