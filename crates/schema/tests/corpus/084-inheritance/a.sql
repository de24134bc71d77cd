CREATE TABLE media (id bigint, title text);
CREATE TABLE videos (resolution text);
