CREATE TABLE episodes (id bigint);
CREATE FUNCTION check_episode() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
