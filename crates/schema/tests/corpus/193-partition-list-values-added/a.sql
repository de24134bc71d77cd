CREATE TABLE accounts (id bigint NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE accounts_eu PARTITION OF accounts FOR VALUES IN ('de', 'fr');
