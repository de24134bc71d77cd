# Chapter 10: an applied revision is edited; the sum file notices, then the history table does.
clipdex-migrate upgrade
$ sed -i 's/SET DEFAULT 0;/SET DEFAULT 0, ADD CHECK (view_count >= 0);/' migrations/20261126T1000_episode_view_count.sql
$ clipdex-migrate upgrade
$ clipdex-migrate sum
$ clipdex-migrate upgrade
