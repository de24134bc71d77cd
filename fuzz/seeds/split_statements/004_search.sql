-- 004_search: full-text search over episodes and their transcripts, and the
-- search_episodes function the search box calls.

ALTER TABLE episodes
    ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) STORED;

CREATE INDEX IF NOT EXISTS episodes_search_vector_idx
    ON episodes USING gin (search_vector);

ALTER TABLE transcript_segments
    ADD COLUMN IF NOT EXISTS body_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;

CREATE INDEX IF NOT EXISTS transcript_segments_body_vector_idx
    ON transcript_segments USING gin (body_vector);

-- Episodes matching `query` (web search syntax: "quoted phrases", or, -not),
-- best first, each with a snippet from its best-matching text. A match in
-- the transcript counts half as much as one in the title or description.
CREATE OR REPLACE FUNCTION search_episodes(query text, max_results integer DEFAULT 20)
RETURNS TABLE (
    episode_id     bigint,
    podcast_title  text,
    episode_title  text,
    published_at   timestamptz,
    rank           real,
    snippet        text
)
LANGUAGE sql
STABLE
AS $$
    WITH matches AS (
        SELECT e.id AS episode_id,
               ts_rank(e.search_vector, q.tsquery) AS rank,
               coalesce(e.description, e.title) AS context
        FROM episodes AS e,
             websearch_to_tsquery('english', query) AS q (tsquery)
        WHERE e.search_vector @@ q.tsquery
        UNION ALL
        SELECT s.episode_id,
               ts_rank(s.body_vector, q.tsquery) / 2,
               s.body
        FROM transcript_segments AS s,
             websearch_to_tsquery('english', query) AS q (tsquery)
        WHERE s.body_vector @@ q.tsquery
    ),
    best AS (
        SELECT DISTINCT ON (episode_id) episode_id, rank, context
        FROM matches
        ORDER BY episode_id, rank DESC
    )
    SELECT e.id,
           p.title,
           e.title,
           e.published_at,
           b.rank,
           ts_headline('english', b.context, websearch_to_tsquery('english', query))
    FROM best AS b
    JOIN episodes AS e ON e.id = b.episode_id
    JOIN podcasts AS p ON p.id = e.podcast_id
    ORDER BY b.rank DESC, e.published_at DESC
    LIMIT max_results;
$$;
