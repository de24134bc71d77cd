CREATE SCHEMA media;
ALTER SCHEMA media OWNER TO corpus_owner;
