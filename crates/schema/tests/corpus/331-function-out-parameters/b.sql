CREATE FUNCTION split_pair(p text, OUT l text, OUT r text) LANGUAGE sql AS $$SELECT split_part(p, ',', 1), split_part(p, ',', 2)$$;
