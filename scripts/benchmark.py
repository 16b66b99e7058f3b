#!/usr/bin/env python3
"""Measure sfauthgen's speed and memory on the bundled specs and on a large synthetic spec.

Prints wall time (best of N) and peak RSS growth for validate+render, and for a full
`generate` into a fresh folder. Run: python scripts/benchmark.py [--apps 500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sfauthgen import pipeline
from sfauthgen.cli import run
from sfauthgen.files.layout import Layout
from sfauthgen.render import render

REPO = Path(__file__).resolve().parent.parent

APP = """\
  - name: App_{i}
    label: App {i}
    contact_email: team{i}@example.com
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api, refresh_token, openid]
      client_credentials: {{run_as: integration{i}@example.com}}
    policies:
      permitted_users: admin_approved
      permission_sets: [Set_{i}]
      ip_relaxation: relax
      refresh_token: {{expire_after: 90 days}}
"""
SET = "  - name: Set_{i}\n    label: Set {i}\n    user_permissions: [ApiEnabled]\n"


def best_of(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(folder: Path, apps: int) -> Path:
    text = "version: 1\nconnected_apps:\n" + "".join(APP.format(i=i) for i in range(apps))
    text += "permission_sets:\n" + "".join(SET.format(i=i) for i in range(apps))
    path = folder / "large.yaml"
    path.write_text(text)
    return path


def measure(label: str, spec: Path, repeat: int) -> None:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def in_memory() -> None:
        checked = pipeline.load_and_check([spec])
        render(pipeline.model(checked), Layout())

    render_time = best_of(repeat, in_memory)
    with tempfile.TemporaryDirectory() as tmp:
        def generate() -> None:
            out = Path(tmp) / "out"
            shutil.rmtree(out, ignore_errors=True)
            assert run(["generate", str(spec), "-d", str(out), "-q"]) == 0

        generate_time = best_of(repeat, generate)
        files = sum(1 for p in (Path(tmp) / "out").rglob("*") if p.is_file())
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{label}: {files} files; load+check+render {render_time * 1000:.1f} ms, "
          f"generate {generate_time * 1000:.1f} ms (best of {repeat}); "
          f"peak RSS {rss_after / 1024:.0f} MiB (+{(rss_after - rss_before) / 1024:.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "sfauthgen", "generate", str(REPO / "specs"), "-d", tmp, "-q"]
        process = best_of(args.repeat, lambda: subprocess.run(command, check=True))
    print(f"sfauthgen generate specs (whole process, imports included): {process * 1000:.0f} ms")
    measure("specs/", REPO / "specs", args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"synthetic ({args.apps} apps + {args.apps} permission sets)",
                synthetic(Path(tmp), args.apps), max(1, args.repeat // 2))
    with tempfile.TemporaryDirectory() as tmp:
        spec = synthetic(Path(tmp), 1000)
        def lint() -> None:
            with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
                run(["lint", str(spec), "--today", "2026-12-02"])

        lint_time = best_of(max(1, args.repeat // 2), lint)
    print(f"lint of 1,000 apps (whole command in-process, loading included): {lint_time * 1000:.0f} ms "
          "(target: under 1 s)")


if __name__ == "__main__":
    main()
