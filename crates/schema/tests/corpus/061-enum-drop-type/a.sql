CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE moods (mood mood);
