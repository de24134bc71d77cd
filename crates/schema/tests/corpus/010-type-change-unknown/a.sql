CREATE TABLE readings (value text DEFAULT '0');
