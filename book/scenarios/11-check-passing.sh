# Chapter 11: check on the repository as it is.
$ clipdex-migrate check
