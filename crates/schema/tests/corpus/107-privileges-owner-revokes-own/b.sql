CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
REVOKE DELETE, TRUNCATE ON episodes FROM CURRENT_USER;
