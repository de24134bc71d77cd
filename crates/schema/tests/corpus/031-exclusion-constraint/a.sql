CREATE TABLE recordings (room text, during tsrange);
