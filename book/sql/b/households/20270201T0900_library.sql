-- revision: 3a9e51c7d2b0
-- parents:
-- message: a household's library: its subscriptions, and where it left each episode

-- Hosted clipdex keeps the catalog (podcasts, episodes, transcripts) once, in public, and
-- each household's own data in a schema of its own. The fleet runs these revisions with the
-- household's schema as the whole search_path: the tables below land there and nowhere else.

-- +up
CREATE TABLE subscriptions (
    podcast_id     bigint PRIMARY KEY,
    subscribed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE progress (
    episode_id  bigint PRIMARY KEY,
    position    interval NOT NULL DEFAULT interval '0',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- +down
DROP TABLE progress;
DROP TABLE subscriptions;
