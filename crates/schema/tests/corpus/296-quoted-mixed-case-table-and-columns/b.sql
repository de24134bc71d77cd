CREATE TABLE "Episodes" ("Id" bigint PRIMARY KEY, "Air Date" date, "order" integer);
