-- requires: PostgreSQL 14 (BEGIN ATOMIC)

