CREATE UNLOGGED TABLE imports (line text);
