CREATE TABLE slots (day date, slot integer, PRIMARY KEY (day, slot));
CREATE TABLE bookings (day date, slot integer);
