CREATE TABLE transcripts (
    id bigint PRIMARY KEY,
    body text,
    search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(body, ''))) STORED
);
CREATE INDEX transcripts_search_idx ON transcripts USING gin (search);
