-- 001_init: the core of clipdex. Podcasts and their episodes, each episode's
-- transcript as timed segments, and a log of every play.

CREATE TABLE IF NOT EXISTS podcasts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_url    text NOT NULL UNIQUE,
    title       text NOT NULL,
    author      text,
    language    text NOT NULL DEFAULT 'en',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS episodes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    podcast_id    bigint NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
    -- The feed's own identifier: re-importing a feed must not duplicate episodes.
    guid          text NOT NULL,
    title         text NOT NULL,
    description   text,
    published_at  timestamptz NOT NULL,
    duration      interval CHECK (duration >= interval '0'),
    audio_url     text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (podcast_id, guid)
);

-- The home page lists the newest episodes first.
CREATE INDEX IF NOT EXISTS episodes_published_at_idx
    ON episodes (published_at DESC);

CREATE TABLE IF NOT EXISTS transcript_segments (
    episode_id  bigint NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position >= 0),
    starts_at   interval NOT NULL,
    ends_at     interval NOT NULL,
    speaker     text,
    body        text NOT NULL,
    PRIMARY KEY (episode_id, position),
    CHECK (ends_at >= starts_at)
);

-- One row per play, appended by the player; counts are derived from it.
CREATE TABLE IF NOT EXISTS episode_plays (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    episode_id  bigint NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    played_at   timestamptz NOT NULL DEFAULT now(),
    client      text NOT NULL CHECK (client <> '')
);

CREATE INDEX IF NOT EXISTS episode_plays_episode_id_played_at_idx
    ON episode_plays (episode_id, played_at);
