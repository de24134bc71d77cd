CREATE TYPE guest_role AS ENUM ('host', 'guest');
CREATE TABLE appearances (role guest_role DEFAULT 'guest');
