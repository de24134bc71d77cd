CREATE FUNCTION is_even(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT v % 2 = 0';
CREATE DOMAIN even AS integer CHECK (is_even(VALUE));
