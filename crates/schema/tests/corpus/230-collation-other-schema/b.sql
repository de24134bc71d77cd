CREATE SCHEMA text_rules;
CREATE COLLATION text_rules.plain (provider = libc, locale = 'C');
COMMENT ON COLLATION text_rules.plain IS 'byte order';
