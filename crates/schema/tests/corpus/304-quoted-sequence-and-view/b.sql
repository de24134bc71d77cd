CREATE SEQUENCE "Ticket Numbers";
CREATE TABLE tickets (n bigint DEFAULT nextval('"Ticket Numbers"'));
CREATE VIEW "Open Tickets" AS SELECT n AS "Number" FROM tickets;
