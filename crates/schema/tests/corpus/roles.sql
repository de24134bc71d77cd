-- Roles the corpus pairs name. Roles belong to the cluster, not to a database, so they are
-- made once per cluster, before any pair runs; a diff never creates them.
DO $$
DECLARE
    role text;
BEGIN
    FOREACH role IN ARRAY ARRAY['corpus_owner', 'corpus_reader', 'corpus_writer', 'Corpus Admin'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', role);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
END
$$;
