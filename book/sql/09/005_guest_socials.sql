-- 005_guest_socials: where to find a guest online, by network.
ALTER TABLE guests ADD COLUMN IF NOT EXISTS socials jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(socials) = 'object');
