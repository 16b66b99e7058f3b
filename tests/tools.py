"""Real Salesforce tools from npm, installed by .ci/run into a cache folder.

Tests that use them skip, with the reason, where they are not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = Path(os.environ.get("SFAUTHGEN_TOOLS", Path.home() / ".cache" / "sfauthgen-tools"))
SF_ENV = {"SF_DISABLE_TELEMETRY": "true", "SF_SKIP_NEW_VERSION_CHECK": "true", "SF_AUTOUPDATE_DISABLE": "true"}


def _node22_path() -> str:
    node_bin = TOOLS / "node_modules" / "node" / "bin"
    return f"{node_bin}{os.pathsep}{os.environ.get('PATH', '')}"


def sf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the sf CLI (with Node 22 from npm) or skip the test."""
    binary = TOOLS / "node_modules" / ".bin" / "sf"
    if not binary.exists():
        pytest.skip(f"sf CLI not installed in {TOOLS} (.ci/run installs it: npm install @salesforce/cli node@22)")
    if not (TOOLS / "node_modules" / "node" / "bin" / "node").exists() and not shutil.which("node"):
        pytest.skip("no Node.js for the sf CLI")
    env = {**os.environ, **SF_ENV, "PATH": _node22_path(), "HOME": str(cwd)}
    return subprocess.run([str(binary), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
