CREATE TABLE durations (seconds integer, minutes numeric GENERATED ALWAYS AS (seconds / 60.0) STORED);
