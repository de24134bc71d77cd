CREATE TYPE topic AS ENUM ('tech', 'music', 'news');
CREATE TABLE episodes (topics topic[]);
