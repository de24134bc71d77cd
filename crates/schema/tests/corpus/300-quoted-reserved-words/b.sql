CREATE TABLE "user" ("select" text, "from" date, "table" integer CHECK ("table" > 0));
