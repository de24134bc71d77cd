CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
REVOKE USAGE ON TYPE mood FROM PUBLIC;
GRANT USAGE ON TYPE mood TO corpus_reader;
