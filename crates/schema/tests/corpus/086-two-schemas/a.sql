CREATE SCHEMA catalog;
CREATE TABLE catalog.podcasts (id bigint PRIMARY KEY);
