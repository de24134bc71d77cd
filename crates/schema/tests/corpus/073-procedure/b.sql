CREATE TABLE audit (note text);
CREATE PROCEDURE record(note text) LANGUAGE sql AS $$ INSERT INTO audit VALUES (note) $$;
COMMENT ON PROCEDURE record(text) IS 'writes an audit row';
