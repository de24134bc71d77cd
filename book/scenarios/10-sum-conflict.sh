# Chapter 10: two branches each add a revision; git merges the files and stops at the sum file.
two_branches_in_git
$ git merge guest-socials
$ clipdex-migrate heads
