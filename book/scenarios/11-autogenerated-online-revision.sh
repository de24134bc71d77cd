# Chapter 11: the second draft autogenerate wrote, for the indexes built online.
only_revisions 20261126T0900_baseline.sql
clipdex-migrate revision --autogenerate -m "count plays per episode, index the guest page"
redact_new_revisions 2
$ cat migrations/*_online_count_plays_per_episode_index_the_guest.sql
