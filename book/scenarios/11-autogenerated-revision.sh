# Chapter 11: the draft autogenerate wrote, whole.
only_revisions 20261126T0900_baseline.sql
clipdex-migrate revision --autogenerate -m "count plays per episode, index the guest page"
redact_new_revisions 2
$ cat migrations/*_count_plays_per_episode_index_the_guest_page.sql
