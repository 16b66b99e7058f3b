from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sfauthgen.cli import run

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SFAUTHGEN_SHARED", REPO.parent / "shared"))
SPECS = REPO / "specs"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test: the tests must run without it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is read at test time only)")
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def invoke(*args: str | Path) -> Result:
        code = run([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by '/'-separated relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    """A scratch folder holding a copy of the example specs (with their certificates)."""
    target = tmp_path / "specs"
    shutil.copytree(SPECS, target)
    return target


def write_spec(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def merge_documents(documents: list[dict]) -> dict:
    """Several spec documents as one, the way a folder of specs merges (lists appended, mappings joined)."""
    merged: dict = {}
    for document in documents:
        for key, value in document.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged


MINIMAL_APP = """\
version: 1
connected_apps:
  - name: Minimal
    label: Minimal
    contact_email: team@example.com
"""
