CREATE TABLE "User" ("order" integer, "Mixed Case" text);
