"""The pre-commit hooks this repository offers run real sfauthgen commands that pass on it."""

from __future__ import annotations

import shlex

import yaml

from sfauthgen.cli import run

from conftest import REPO


def test_pre_commit_hooks_run_and_pass_on_this_repository(monkeypatch, capsys):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"] for hook in hooks} == {"sfauthgen-validate", "sfauthgen-lint", "sfauthgen-check"}
    monkeypatch.chdir(REPO)
    for hook in hooks:
        command = shlex.split(hook["entry"]) + hook.get("args", [])
        if hook["id"] == "sfauthgen-lint":
            command += ["--today", "2026-12-02"]  # the example's dates are fixed; the hook itself uses today
        assert command[0] == "sfauthgen"
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert run(command[1:]) == 0, (hook["id"], capsys.readouterr())
