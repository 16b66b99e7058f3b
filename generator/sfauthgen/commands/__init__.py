"""The commands as plain functions: each takes parsed options, prints its result and returns an exit code.

`cli.py` wraps each in a thin click command; tests call them directly. Errors are raised as
`SfauthgenError`s and turned into exit codes in one place, `cli.run`.
"""
