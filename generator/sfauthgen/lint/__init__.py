"""`sfauthgen lint`: the security checklist as rules, one module per rule family under `rules/`."""
