CREATE TABLE docs (body json);
