CREATE TABLE "say ""hi""" ("it""s" text);
