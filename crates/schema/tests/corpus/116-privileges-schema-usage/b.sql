CREATE SCHEMA media;
GRANT USAGE ON SCHEMA media TO corpus_reader;
GRANT USAGE, CREATE ON SCHEMA media TO corpus_writer;
