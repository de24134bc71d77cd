CREATE TABLE appearances (episode_id bigint, guest_id bigint, CONSTRAINT appearances_once UNIQUE (episode_id, guest_id));
