# Chapter 10: what history and current say once the repository's revisions are applied.
clipdex-migrate upgrade
$ clipdex-migrate history
$ clipdex-migrate current
