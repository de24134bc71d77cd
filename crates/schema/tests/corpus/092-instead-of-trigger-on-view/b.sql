CREATE TABLE guests (id bigint, name text);
CREATE VIEW guest_names AS SELECT id, name FROM guests;
CREATE FUNCTION guest_names_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO guests VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
CREATE TRIGGER guest_names_insert INSTEAD OF INSERT ON guest_names FOR EACH ROW EXECUTE FUNCTION guest_names_insert();
