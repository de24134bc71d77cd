# Chapter 10: back one revision, and what the log keeps of it.
clipdex-migrate upgrade
$ clipdex-migrate downgrade -1
$ clipdex-migrate current
$ clipdex-migrate history --log
