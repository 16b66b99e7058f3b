"""`validate` stays near the interpreter floor (issue 18): it must not import what only rendering, writing,
importing, linting or talking to an org needs. Checked in a fresh interpreter, since the test run itself
has imported everything."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

NOT_ON_THE_VALIDATE_PATH = ["jinja2", "lxml", "httpx", "jwt", "cryptography", "sfauthgen.importer",
                            "sfauthgen.lint", "sfauthgen.commands.generate"]

PROGRAM = """
import contextlib, io, json, sys
from sfauthgen.cli import run
with contextlib.redirect_stdout(io.StringIO()):
    code = run(["validate", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_validate_imports_no_renderer_importer_linter_or_http_client():
    spec = REPO / "specs" / "service_keys.yaml"
    done = subprocess.run([sys.executable, "-c", PROGRAM, str(spec)], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["code"] == 0
    loaded = [name for name in NOT_ON_THE_VALIDATE_PATH
              if any(m == name or m.startswith(name + ".") for m in result["modules"])]
    assert loaded == []
