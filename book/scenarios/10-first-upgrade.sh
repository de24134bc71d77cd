# Chapter 10: the first upgrade, on a fresh database.
# The migrations as post 10 shipped them: the baseline alone.
only_revisions 20261126T0900_baseline.sql
$ clipdex-migrate upgrade
