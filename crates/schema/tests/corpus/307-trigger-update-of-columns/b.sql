CREATE TABLE items (id bigint PRIMARY KEY, name text, qty integer, price numeric);
CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER items_changed AFTER UPDATE OF qty, price ON items FOR EACH ROW EXECUTE FUNCTION note_change();
