CREATE TABLE moods (mood text);
