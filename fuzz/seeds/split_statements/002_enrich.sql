-- 002_enrich: who is on each episode and what it is about. Guests and their
-- roles, topics, and quotes worth keeping.

DO $$
BEGIN
    CREATE TYPE guest_role AS ENUM ('host', 'cohost', 'guest');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS guests (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (name <> ''),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    bio         text,
    website     text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS episode_guests (
    episode_id  bigint NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    guest_id    bigint NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    role        guest_role NOT NULL DEFAULT 'guest',
    PRIMARY KEY (episode_id, guest_id)
);

CREATE TABLE IF NOT EXISTS topics (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug  text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name  text NOT NULL CHECK (name <> '')
);

CREATE TABLE IF NOT EXISTS episode_topics (
    episode_id  bigint NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    topic_id    bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (episode_id, topic_id)
);

CREATE INDEX IF NOT EXISTS episode_topics_topic_id_idx
    ON episode_topics (topic_id);

CREATE TABLE IF NOT EXISTS quotes (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    episode_id        bigint NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    -- A quote outlives the guest it was attributed to.
    guest_id          bigint REFERENCES guests (id) ON DELETE SET NULL,
    -- Transcripts are re-imported wholesale, so a quote keeps the segment's
    -- position rather than a foreign key that a re-import would break.
    segment_position  integer CHECK (segment_position >= 0),
    body              text NOT NULL CHECK (body <> ''),
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS quotes_episode_id_idx ON quotes (episode_id);
CREATE INDEX IF NOT EXISTS quotes_guest_id_idx ON quotes (guest_id);
