# Chapter 10: a transaction-none revision stops part way, and says how far it got.
# The migrations as post 10 shipped them, plus a branch's revision, copied in.
only_revisions 20261126T0900_baseline.sql
$ cp book/sql/10/20261202T0900_plays_by_day.sql migrations/
$ clipdex-migrate sum
$ clipdex-migrate upgrade
$ clipdex-migrate current
