CREATE TABLE flags (on_off boolean);
