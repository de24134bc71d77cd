# Chapter 11: autogenerate writes the draft revisions on post 10's head.
only_revisions 20261126T0900_baseline.sql
$ clipdex-migrate revision --autogenerate -m "count plays per episode, index the guest page"
redact_new_revisions 2
