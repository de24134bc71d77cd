-- The search box: at most $2 episodes matching the words $1, best first, each with a snippet.
SELECT episode_id, podcast_title, episode_title, published_at, rank, snippet
FROM search_episodes($1, $2);
