-- revision: 78df97f27f43
-- parents: cad7ebfcfb8d
-- message: listeners and their listens, distributed by podcast and colocated

-- Both tables are distributed by podcast_id and colocated: a podcast's listeners and its
-- listens are on the same worker, so the foreign key between them and a join on
-- (podcast_id, listener_id) stay on one node. Citus wants the distribution column in every
-- primary key and unique constraint, hence the composite keys.

-- +up
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
    PRIMARY KEY (podcast_id, listener_id, listened_at),
    FOREIGN KEY (podcast_id, listener_id) REFERENCES listeners (podcast_id, id)
);
SELECT create_distributed_table('listens', 'podcast_id', colocate_with => 'listeners');

-- +down
DROP TABLE listens;
DROP TABLE listeners;
