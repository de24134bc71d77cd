CREATE TABLE aliases (alias text);
