#!/usr/bin/env bash
# The test command: installs what the tests need (a virtualenv in .venv, and
# Salesforce's own tools from npm into a cache folder), checks that output/ is
# current, then runs the test suite. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${SFAUTHGEN_VENV:-.venv}"
tools="${SFAUTHGEN_TOOLS:-${HOME:-/tmp}/.cache/sfauthgen-tools}"
export SFAUTHGEN_TOOLS="$tools"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'

# The sf CLI (with Node 22), the Apex parser and apex-ls. Tests that need them
# skip with their reason when this fails, so an offline machine still tests.
if command -v npm >/dev/null 2>&1; then
  mkdir -p "$tools"
  if ! cmp -s .ci/tools/package.json "$tools/package.json" || [ ! -d "$tools/node_modules" ]; then
    cp .ci/tools/package.json "$tools/package.json"
    (cd "$tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null) \
      || echo "warning: could not install the npm test tools; tests that need them will skip" >&2
  fi
else
  echo "warning: npm not found; tests that need the sf CLI or the Apex parser will skip" >&2
fi

"$venv/bin/sfauthgen" generate specs -o output --check
exec "$venv/bin/python" -m pytest "$@"
