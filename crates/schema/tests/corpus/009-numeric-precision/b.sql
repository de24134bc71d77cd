CREATE TABLE prices (amount numeric(12,4), ratio double precision);
