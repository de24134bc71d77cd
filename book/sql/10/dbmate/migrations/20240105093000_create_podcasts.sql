-- migrate:up
CREATE TABLE podcasts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    feed_url text NOT NULL UNIQUE
);

CREATE TABLE episodes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    podcast_id bigint NOT NULL REFERENCES podcasts,
    title text NOT NULL,
    published_at timestamptz NOT NULL
);

-- migrate:down
DROP TABLE episodes, podcasts;
