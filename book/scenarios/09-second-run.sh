# Chapter 9: the loop, run a second time over the four numbered files.
bash scripts/psql-loop.sh migrations/legacy
$ bash scripts/psql-loop.sh migrations/legacy
