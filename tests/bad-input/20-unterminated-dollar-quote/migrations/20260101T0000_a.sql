-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
BEGIN
  RETURN 1;
END;
$bdy$;
CREATE TABLE after_it (id int);
