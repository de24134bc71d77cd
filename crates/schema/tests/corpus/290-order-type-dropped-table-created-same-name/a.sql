CREATE TYPE thing AS ENUM ('a');
