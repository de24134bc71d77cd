# Chapter 11: stamp --verify adopts an untouched legacy database; the upgrade runs post 11's two.
bash scripts/psql-loop.sh migrations/legacy
$ clipdex-migrate stamp af9a37e3eebf --verify
$ clipdex-migrate upgrade
$ clipdex-migrate drift
