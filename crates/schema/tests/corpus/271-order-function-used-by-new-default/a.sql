CREATE TABLE codes (code text);
