# Chapter 10: a merge revision joins the two heads, and the upgrade goes on.
two_branches_in_git
git merge guest-socials || true
clipdex-migrate sum
$ clipdex-migrate merge -m "join view_count and socials"
merge=$(ls migrations/*_join_view_count_and_socials.sql)
redact "$(revision_id "$merge")" '<merge-id>'
redact "${merge#migrations/}" YYYYMMDDThhmm_join_view_count_and_socials.sql
$ clipdex-migrate heads
$ clipdex-migrate upgrade
