-- migrate:up
INSERT INTO podcasts (title, feed_url)
VALUES ('Clipdex Weekly', 'https://clipdex.example/feed.xml');

-- migrate:down
DELETE FROM podcasts WHERE feed_url = 'https://clipdex.example/feed.xml';
