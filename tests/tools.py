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


def apex_parser() -> Path:
    """Salesforce's Apex parser (jorje), as shipped native in prettier-plugin-apex, or skip."""
    binary = (TOOLS / "node_modules" / "@prettier-apex" / "apex-ast-serializer-linux-x64"
              / "apex-ast-serializer-linux-x64")
    if not binary.exists():
        pytest.skip(f"Apex parser not installed in {TOOLS} (.ci/run installs it: npm install prettier-plugin-apex)")
    return binary


def parse_errors(cls_file: Path) -> list[str]:
    """Parse errors of one Apex file according to jorje; empty when it parses."""
    import json

    result = subprocess.run([str(apex_parser()), "-l", str(cls_file)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)["apex.jorje.semantic.compiler.parser.ParserOutput"]
    return [e["message"] for e in output["parseErrors"] + output["internalErrors"]]


def apex_ls(project: Path) -> subprocess.CompletedProcess[str]:
    """apex-ls CheckForIssues on an SFDX project (unknown types, methods, fields), or skip."""
    jars = TOOLS / "node_modules" / "@salesforce" / "code-analyzer-pmd-engine" / "dist" / "java-lib"
    if not jars.is_dir():
        pytest.skip(f"apex-ls not installed in {TOOLS} (.ci/run installs @salesforce/code-analyzer-pmd-engine)")
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on PATH for apex-ls (Java 17 needed)")
    return subprocess.run(
        [java, "-cp", f"{jars}/*", "io.github.apexdevtools.apexls.CheckForIssues", "-n", "-w", str(project)],
        capture_output=True, text=True, timeout=600,
    )
