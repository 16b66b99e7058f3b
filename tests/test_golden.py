"""Golden trees: each example spec in specs/ generates exactly the files under tests/golden/<spec>/.

Refresh after an intended change with:
    SFAUTHGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff like any other code change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, SPECS, tree

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted(p.stem for p in SPECS.glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_matches_golden_tree(example, cli, tmp_path):
    out = tmp_path / "out"
    result = cli("generate", SPECS / f"{example}.yaml", "-d", out, "--quiet")
    assert result.code == 0, result.err
    expected_dir = GOLDEN / example
    if os.environ.get("SFAUTHGEN_UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    assert tree(out) == tree(expected_dir)


def test_every_example_has_a_golden_tree():
    assert EXAMPLES, "specs/ holds no example"
    assert sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()) == EXAMPLES


def test_committed_output_is_current(cli):
    result = cli("generate", REPO / "specs", "-d", REPO / "output", "--check")
    assert result.code == 0, result.out + result.err


def test_generate_twice_is_byte_identical(cli, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli("generate", SPECS, "-d", first, "-q").code == 0
    assert cli("generate", SPECS, "-d", second, "-q").code == 0
    assert tree(first) == tree(second)
    again = cli("generate", SPECS, "-d", first)
    assert again.code == 0
    assert "0 created, 0 updated, 0 deleted" in again.out
