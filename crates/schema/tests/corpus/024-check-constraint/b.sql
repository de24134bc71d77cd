CREATE TABLE ratings (stars integer CONSTRAINT stars_range CHECK (stars BETWEEN 0 AND 10), CONSTRAINT stars_even CHECK (stars % 2 = 0));
