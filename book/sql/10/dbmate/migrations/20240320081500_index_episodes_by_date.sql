-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY episodes_published_at_idx ON episodes (published_at DESC);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY episodes_published_at_idx;
