CREATE TABLE durations (seconds integer, minutes integer GENERATED ALWAYS AS (seconds / 60) STORED);
