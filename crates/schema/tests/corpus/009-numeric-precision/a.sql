CREATE TABLE prices (amount numeric(10,2), ratio real);
