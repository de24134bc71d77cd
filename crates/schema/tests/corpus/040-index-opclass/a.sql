CREATE TABLE paths (path text);
CREATE INDEX paths_path_idx ON paths (path);
