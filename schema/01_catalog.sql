-- The catalog: podcasts, their episodes, each episode's transcript as timed segments, and a
-- log of every play. This directory is the schema clipdex's application expects, written the
-- way a reader would write it; `clipdex-migrate check` proves the revisions build exactly it.

CREATE TABLE podcasts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_url    text NOT NULL UNIQUE,
    title       text NOT NULL,
    author      text,
    language    text NOT NULL DEFAULT 'en',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE episodes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    podcast_id     bigint NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
    -- The feed's own identifier: re-importing a feed must not duplicate episodes.
    guid           text NOT NULL,
    title          text NOT NULL,
    description    text,
    published_at   timestamptz NOT NULL,
    duration       interval CHECK (duration >= interval '0'),
    audio_url      text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- How often the episode was played: episode_plays counted once, then kept up to date by
    -- the player (queries/record_play.sql), so that the most-played list reads one column.
    view_count     bigint NOT NULL DEFAULT 0,
    -- What search matches (04_search.sql indexes it): the title weighs more than the description.
    search_vector  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) STORED,
    UNIQUE (podcast_id, guid)
);

-- The home page lists the newest episodes first.
CREATE INDEX episodes_published_at_idx ON episodes (published_at DESC);

-- The most-played list, in the order queries/episode_list.sql asks for it.
CREATE INDEX episodes_view_count_idx ON episodes (view_count DESC, published_at DESC);

CREATE TABLE transcript_segments (
    episode_id   bigint NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position >= 0),
    starts_at    interval NOT NULL,
    ends_at      interval NOT NULL,
    speaker      text,
    body         text NOT NULL,
    body_vector  tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
    PRIMARY KEY (episode_id, position),
    CHECK (ends_at >= starts_at)
);

-- One row per play, appended by the player.
CREATE TABLE episode_plays (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    episode_id  bigint NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    played_at   timestamptz NOT NULL DEFAULT now(),
    client      text NOT NULL CHECK (client <> '')
);

CREATE INDEX episode_plays_episode_id_played_at_idx ON episode_plays (episode_id, played_at);
