CREATE TYPE guest_role AS ENUM ('producer', 'host', 'cohost', 'guest', 'caller');
CREATE TABLE appearances (role guest_role DEFAULT 'cohost');
