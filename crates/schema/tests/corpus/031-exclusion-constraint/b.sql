CREATE TABLE recordings (room text, during tsrange, CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&));
