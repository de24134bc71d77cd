-- Listening statistics on Citus: countries everywhere, listeners and their listens spread
-- over the workers by podcast, colocated.

CREATE TABLE countries (
    code  text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name  text NOT NULL
);
SELECT create_reference_table('countries');

CREATE TYPE listen_source AS ENUM ('app', 'web', 'smart-speaker');

-- countries is a reference table of a few hundred rows that are never deleted: nothing scans
-- listeners for them.
-- check: allow foreign-key-without-index listeners.listeners_country_fkey — countries rows are never deleted
CREATE TABLE listeners (
    podcast_id  bigint NOT NULL,
    id          bigint NOT NULL,
    country     text REFERENCES countries (code),
    joined_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (podcast_id, id)
);
SELECT create_distributed_table('listeners', 'podcast_id');

CREATE TABLE listens (
    podcast_id    bigint NOT NULL,
    listener_id   bigint NOT NULL,
    episode_guid  text NOT NULL,
    listened_at   timestamptz NOT NULL,
    seconds       integer NOT NULL CHECK (seconds >= 0),
    completed     boolean NOT NULL DEFAULT false,
    source        listen_source NOT NULL DEFAULT 'app',
    PRIMARY KEY (podcast_id, listener_id, listened_at),
    FOREIGN KEY (podcast_id, listener_id) REFERENCES listeners (podcast_id, id)
);
SELECT create_distributed_table('listens', 'podcast_id', colocate_with => 'listeners');

CREATE INDEX listens_episode_idx ON listens (podcast_id, episode_guid);
