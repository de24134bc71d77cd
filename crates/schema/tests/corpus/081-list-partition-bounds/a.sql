CREATE TABLE feeds (region text, url text) PARTITION BY LIST (region);
CREATE TABLE feeds_eu PARTITION OF feeds FOR VALUES IN ('de', 'fr');
