CREATE TYPE "Status" AS ENUM ('On', 'Off');
CREATE TABLE "Lights" (s "Status" NOT NULL, CONSTRAINT "Lights On Only" CHECK (s = 'On'));
