CREATE TABLE names (first text, last text, full_name text);
