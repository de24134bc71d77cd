CREATE TABLE handles (handle text, label text COLLATE "C");
