CREATE DOMAIN slug AS text CHECK (VALUE ~ '^[a-z-]+$');
CREATE TABLE podcasts (slug slug);
