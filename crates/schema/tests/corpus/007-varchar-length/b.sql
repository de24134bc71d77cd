CREATE TABLE titles (code varchar(20), label character(8));
