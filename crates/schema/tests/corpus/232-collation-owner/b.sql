CREATE COLLATION byte_order (provider = libc, locale = 'C');
ALTER COLLATION byte_order OWNER TO corpus_owner;
