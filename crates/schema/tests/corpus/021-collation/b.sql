CREATE TABLE handles (handle text COLLATE "C", label text);
