CREATE TYPE search_hit AS (episode_id bigint, rank real);
CREATE FUNCTION best_hit(hits search_hit[]) RETURNS search_hit LANGUAGE sql IMMUTABLE AS $$ SELECT h FROM unnest(hits) h ORDER BY h.rank DESC LIMIT 1 $$;
