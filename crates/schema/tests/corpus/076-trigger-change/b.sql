CREATE TABLE episodes (id bigint, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
CREATE TRIGGER episodes_touch BEFORE INSERT OR UPDATE ON episodes FOR EACH ROW WHEN (NEW.id IS NOT NULL) EXECUTE FUNCTION touch();
