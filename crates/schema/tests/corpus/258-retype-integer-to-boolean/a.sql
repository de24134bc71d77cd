CREATE TABLE flags (on_off integer);
