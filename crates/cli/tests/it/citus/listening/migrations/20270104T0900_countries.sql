-- revision: cad7ebfcfb8d
-- parents:
-- message: countries: a reference table, whole on every node

-- Listening statistics live on a Citus cluster: a listener belongs to a podcast, and every
-- query asks about one podcast, so the podcast is what spreads the data over the workers.
-- Countries are few and joined with everything: a reference table keeps a copy on every node,
-- so a join with it never leaves the node the podcast's shard is on.

-- +up
CREATE TABLE countries (
    code  text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name  text NOT NULL
);
SELECT create_reference_table('countries');

INSERT INTO countries (code, name)
VALUES ('DE', 'Germany'), ('FR', 'France'), ('JP', 'Japan'), ('US', 'United States');

-- +down
DROP TABLE countries;
