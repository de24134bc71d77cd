# Chapter 10: a statement fails; the revision leaves nothing behind, and the error names its line.
# Suppose the backfill had been written with a typo: p.episode for p.episode_id.
$ sed -i 's/p.episode_id = e.id/p.episode = e.id/' migrations/20261126T1000_episode_view_count.sql
$ clipdex-migrate sum
$ clipdex-migrate upgrade
$ clipdex-migrate current
