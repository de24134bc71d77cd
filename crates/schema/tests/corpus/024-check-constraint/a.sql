CREATE TABLE ratings (stars integer CONSTRAINT stars_range CHECK (stars BETWEEN 1 AND 5));
