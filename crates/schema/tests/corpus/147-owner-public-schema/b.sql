ALTER SCHEMA public OWNER TO corpus_owner;
