CREATE TABLE transcripts (id bigint PRIMARY KEY, body text);
