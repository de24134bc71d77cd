# Chapter 10: after the sum file is rewritten, two heads, and an upgrade that will not pick one.
two_branches_in_git
git merge guest-socials || true
$ clipdex-migrate sum
$ clipdex-migrate heads
$ clipdex-migrate upgrade
