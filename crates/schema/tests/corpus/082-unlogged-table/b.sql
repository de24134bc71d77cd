CREATE TABLE imports (line text);
