CREATE TABLE t (id integer, amount numeric(12,2));
CREATE VIEW totals AS SELECT id, sum(amount) AS total FROM t GROUP BY id;
CREATE MATERIALIZED VIEW top AS SELECT id FROM totals WHERE total > 10;
