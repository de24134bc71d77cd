-- 003_resolution: guest entity resolution. Every name a guest is known by
-- becomes an alias that transcripts and feeds can be matched against, and the
-- duplicate guests the feed importer created are merged into one.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE IF NOT EXISTS guest_aliases (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guest_id          bigint NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    alias             text NOT NULL CHECK (btrim(alias) <> ''),
    alias_normalized  text NOT NULL GENERATED ALWAYS AS (lower(btrim(alias))) STORED,
    source            text NOT NULL CHECK (source IN ('feed', 'transcript', 'manual')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (guest_id, alias_normalized)
);

-- Fuzzy matching of speaker names: alias_normalized % 'sam lee'.
CREATE INDEX IF NOT EXISTS guest_aliases_normalized_trgm_idx
    ON guest_aliases USING gin (alias_normalized gin_trgm_ops);

-- The feed importer created one guest per appearance. Merge guests that share
-- a name into the oldest of them (the lowest id), keeping the merged rows'
-- names and slugs as aliases so that old links still resolve.
CREATE TEMP TABLE guest_merge AS
SELECT id AS duplicate_id, keeper_id
FROM (
    SELECT id, min(id) OVER (PARTITION BY name) AS keeper_id
    FROM guests
) AS grouped
WHERE id <> keeper_id;

INSERT INTO guest_aliases (guest_id, alias, source)
SELECT m.keeper_id, a.alias, 'feed'
FROM guest_merge AS m
JOIN guests AS g ON g.id = m.duplicate_id
CROSS JOIN LATERAL (VALUES (g.name), (g.slug)) AS a (alias)
ON CONFLICT (guest_id, alias_normalized) DO NOTHING;

-- An episode may list both the keeper and a duplicate: keep one link.
INSERT INTO episode_guests (episode_id, guest_id, role)
SELECT eg.episode_id, m.keeper_id, eg.role
FROM episode_guests AS eg
JOIN guest_merge AS m ON m.duplicate_id = eg.guest_id
ON CONFLICT (episode_id, guest_id) DO NOTHING;

DELETE FROM episode_guests AS eg
USING guest_merge AS m
WHERE eg.guest_id = m.duplicate_id;

UPDATE quotes AS q
SET guest_id = m.keeper_id
FROM guest_merge AS m
WHERE q.guest_id = m.duplicate_id;

DELETE FROM guests AS g
USING guest_merge AS m
WHERE g.id = m.duplicate_id;

DROP TABLE guest_merge;
