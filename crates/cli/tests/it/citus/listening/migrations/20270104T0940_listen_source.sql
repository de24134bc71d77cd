-- revision: 7746126ce803
-- parents: ccfd481d419b
-- message: where a listen came from, after normalising listeners' country codes
-- citus: sequential

-- The UPDATE touches every shard of listeners, which Citus does over several connections per
-- worker. A type must then be created over one connection per worker, which Citus refuses in
-- the same transaction ("cannot run type command because there was a parallel operation on a
-- distributed table in the transaction"). `citus: sequential` runs the whole revision over
-- one connection per worker.

-- +up
UPDATE listeners SET country = upper(country) WHERE country <> upper(country);

CREATE TYPE listen_source AS ENUM ('app', 'web', 'smart-speaker');

ALTER TABLE listens ADD COLUMN source listen_source NOT NULL DEFAULT 'app';

-- +down
ALTER TABLE listens DROP COLUMN source;
DROP TYPE listen_source;
