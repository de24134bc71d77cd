-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
DO $$ BEGIN PERFORM * FROM nowhere; END $$;
