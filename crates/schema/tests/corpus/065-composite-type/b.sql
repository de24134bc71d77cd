CREATE TYPE time_span AS (starts_at interval, ends_at interval, label text);
