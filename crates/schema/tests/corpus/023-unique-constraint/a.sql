CREATE TABLE appearances (episode_id bigint, guest_id bigint);
