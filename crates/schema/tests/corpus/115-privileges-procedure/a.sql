CREATE PROCEDURE touch(n integer) LANGUAGE sql AS 'SELECT n';
