# Chapter 11: check on the draft: the schema and the queries agree; the lint has its say.
only_revisions 20261126T0900_baseline.sql
clipdex-migrate revision --autogenerate -m "count plays per episode, index the guest page"
redact_new_revision
$ clipdex-migrate check
