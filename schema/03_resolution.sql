-- Guest entity resolution: every name a guest is known by, as an alias that transcripts'
-- speaker labels and feeds' credits are matched against, even when spelled a little
-- differently.

CREATE EXTENSION pg_trgm;

CREATE TABLE guest_aliases (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guest_id          bigint NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    alias             text NOT NULL CHECK (btrim(alias) <> ''),
    alias_normalized  text NOT NULL GENERATED ALWAYS AS (lower(btrim(alias))) STORED,
    source            text NOT NULL CHECK (source IN ('feed', 'transcript', 'manual')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (guest_id, alias_normalized)
);

-- Fuzzy matching of speaker names: alias_normalized % 'sam lee'.
CREATE INDEX guest_aliases_normalized_trgm_idx
    ON guest_aliases USING gin (alias_normalized gin_trgm_ops);
