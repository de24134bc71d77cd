CREATE COLLATION byte_order (provider = libc, locale = 'C');
