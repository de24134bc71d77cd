CREATE TABLE episodes (id bigint, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER episodes_touch BEFORE UPDATE ON episodes FOR EACH ROW EXECUTE FUNCTION touch();
