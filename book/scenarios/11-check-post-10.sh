# Chapter 11: check on post 10's revisions (the baseline alone), with post 11's schema/ and queries/.
only_revisions 20261126T0900_baseline.sql
$ clipdex-migrate check
