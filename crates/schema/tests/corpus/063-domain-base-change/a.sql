CREATE DOMAIN slug AS varchar(20) CHECK (VALUE ~ '^[a-z-]+$');
CREATE TABLE podcasts (slug slug);
