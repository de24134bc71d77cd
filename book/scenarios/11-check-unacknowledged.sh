# Chapter 11: the view_count revision without its acknowledgment of SET NOT NULL.
$ sed -i '/^-- check: allow/d' migrations/20261126T1000_episode_view_count.sql
$ clipdex-migrate check --only lint
