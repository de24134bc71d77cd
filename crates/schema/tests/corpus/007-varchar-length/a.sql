CREATE TABLE titles (code varchar(10), label character(4));
