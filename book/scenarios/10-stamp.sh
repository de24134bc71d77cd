# Chapter 10: a database the post-9 loop built is adopted with stamp, then upgraded.
bash scripts/psql-loop.sh migrations/legacy
$ clipdex-migrate upgrade
$ clipdex-migrate stamp af9a37e3eebf
$ clipdex-migrate upgrade
