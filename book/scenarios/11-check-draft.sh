# Chapter 11: check on the drafts: the schema, the queries and the locks they take all pass.
only_revisions 20261126T0900_baseline.sql
clipdex-migrate revision --autogenerate -m "count plays per episode, index the guest page"
redact_new_revisions 2
$ clipdex-migrate check
