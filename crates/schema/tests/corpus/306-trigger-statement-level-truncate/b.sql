CREATE TABLE items (id bigint PRIMARY KEY, name text, qty integer, price numeric);
CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER items_truncated AFTER TRUNCATE ON items FOR EACH STATEMENT EXECUTE FUNCTION note_change();
