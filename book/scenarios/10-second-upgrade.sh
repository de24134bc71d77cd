# Chapter 10: the second upgrade finds nothing to do.
only_revisions 20261126T0900_baseline.sql
clipdex-migrate upgrade
$ clipdex-migrate upgrade
