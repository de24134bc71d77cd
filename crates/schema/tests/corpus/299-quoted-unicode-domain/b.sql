CREATE DOMAIN "bıgınt" AS bigint;
CREATE TABLE counts (n "bıgınt");
