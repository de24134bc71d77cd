CREATE TABLE "User" ("order" bigint, "Mixed Case" text NOT NULL, "select" boolean DEFAULT true);
CREATE INDEX "User lookup" ON "User" ("Mixed Case");
CREATE VIEW "User view" AS SELECT "order", "select" FROM "User";
