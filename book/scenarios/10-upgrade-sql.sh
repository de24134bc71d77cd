# Chapter 10: the script an upgrade from the baseline would send, written out instead of run.
$ clipdex-migrate upgrade --sql --from af9a37e3eebf
