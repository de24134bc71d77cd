CREATE TABLE readings (value integer DEFAULT 0);
