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
