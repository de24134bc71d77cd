CREATE FUNCTION next_code() RETURNS character varying LANGUAGE sql AS $$SELECT md5(random()::text)$$;
CREATE TABLE codes (code text DEFAULT next_code());
