CREATE TYPE topic AS ENUM ('tech', 'news');
CREATE TABLE episodes (topics topic[]);
