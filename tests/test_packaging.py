"""The built wheel carries its templates and data: sfauthgen works outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, SPECS, tree


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        capture_output=True, text=True,
    )
    if result.returncode != 0 and "No module named" in result.stderr:
        pytest.skip(f"cannot build a wheel here: {result.stderr.strip().splitlines()[-1]}")
    assert result.returncode == 0, result.stderr
    (built,) = dist.glob("sfauthgen-*.whl")
    return built


def test_wheel_contains_templates_schema_and_xsd(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sfauthgen/templates/connectedApp.xml.j2" in names
    assert "sfauthgen/data/spec.schema.json" in names
    assert "sfauthgen/data/metadata-subset.xsd" in names
    assert "sfauthgen/data/registry.json" in names


def test_installed_wheel_generates_outside_the_source_tree(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = ("import sfauthgen, sys; print(sfauthgen.__file__); "
            "from sfauthgen.cli import main; sys.argv=['sfauthgen']+sys.argv[1:]; main()")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", code, "generate", str(SPECS), "-d", str(out), "-q"],
                            cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(site)), "the test ran the source tree, not the wheel"
    assert tree(out) == tree(REPO / "output")


def _other_pythons() -> list[Path]:
    """The oldest and newest supported interpreters other than this one, where the machine has them."""
    found: dict[str, Path] = {}
    roots = [Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"]
    for root in roots:
        for candidate in sorted(root.glob("3.1[0-3].*/bin/python3")) if root.is_dir() else []:
            minor = candidate.parent.parent.name.rsplit(".", 1)[0]
            if minor != f"{sys.version_info.major}.{sys.version_info.minor}":
                found[minor] = candidate
    chosen = [found[m] for m in ("3.10", "3.13") if m in found]
    return chosen


NO_OTHER_PYTHON = pytest.param(None, marks=pytest.mark.skip(
    reason="no Python 3.10 or 3.13 under ~/.pyenv/versions on this machine"))


@pytest.mark.parametrize("python", _other_pythons() or [NO_OTHER_PYTHON], ids=lambda p: p and p.parent.parent.name)
def test_the_wheel_installs_and_runs_on_the_oldest_and_newest_python(wheel, tmp_path, python):
    """The supported range in pyproject's classifiers, checked where the machine allows (README: Development)."""
    venv = tmp_path / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True, capture_output=True)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                              str(wheel)], capture_output=True, text=True)
    if install.returncode != 0 and ("No matching distribution" in install.stderr or "connection" in install.stderr):
        pytest.skip(f"cannot install the dependencies for {python}: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, install.stderr
    out = tmp_path / "out"
    result = subprocess.run([str(venv / "bin" / "sfauthgen"), "generate", str(SPECS), "-d", str(out), "-q"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert tree(out) == tree(REPO / "output")
    lint = subprocess.run([str(venv / "bin" / "sfauthgen"), "lint", str(SPECS), "--today", "2026-12-02"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert lint.returncode == 0, lint.stderr
