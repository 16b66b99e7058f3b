"""Spec files loaded in worker processes give exactly what loading them here gives: the same values,
the same messages in the same order, the same exit codes."""

from __future__ import annotations

import os
import sys

import pytest

from sfauthgen import pipeline, workers
from sfauthgen.diagnostics import SpecError
from sfauthgen.files.layout import Layout
from sfauthgen.render import render

from conftest import REPO

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux only")

VARIABLES = """\
version: 1
variables:
  host: {default: api.example.com}
named_credentials:
  - name: Partner_API
    label: Partner API
    url: https://${var.host}/v1
    external_credential: Partner_Auth
external_credentials:
  - name: Partner_Auth
    label: Partner Auth
    protocol: custom
    principals:
      - name: Key_Holder
        permission_sets: [Partner_Access]
permission_sets:
  - name: Partner_Access
    label: Partner Access
"""

BROKEN = """\
version: 1
connected_apps:
  - name: Broken
    label: Broken
    contact_email: a@example.com
    client_secret: 0123456789abcdef0123456789abcdef
    oauth: {callback_urls: ['https://x.example.com/cb'], scopes: [bulk_api]}
"""


@pytest.fixture
def parallel(monkeypatch):
    """Workers for any amount of input, as a large spec would get."""
    monkeypatch.setattr(workers, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "2")


def _outcome(paths):
    try:
        checked = pipeline.load_and_check(paths)
    except SpecError as exc:
        return "error", [d.format() for d in exc.diagnostics]
    return "ok", [(f.path, f.content) for f in render(pipeline.model(checked), Layout())]


def test_valid_specs_render_the_same_from_workers(parallel, monkeypatch):
    paths = sorted((REPO / "specs").glob("*.yaml"))
    in_workers = _outcome(paths)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "1")
    here = _outcome(paths)
    assert in_workers == here
    assert in_workers[0] == "ok" and len(in_workers[1]) > 10


def test_problems_found_in_workers_are_the_same(parallel, monkeypatch, tmp_path):
    (tmp_path / "a_variables.yaml").write_text(VARIABLES)
    (tmp_path / "b_broken.yaml").write_text(BROKEN)
    (tmp_path / "c_syntax.yaml").write_text("version: 1\nconnected_apps: [\n")
    paths = sorted(tmp_path.glob("*.yaml"))
    in_workers = _outcome(paths)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "1")
    assert in_workers == _outcome(paths)
    assert in_workers[0] == "error" and "c_syntax.yaml:3:1" in in_workers[1][0]
    # Without the unreadable file, the secret and the schema problem are both reported (and the secret
    # is never echoed whole), found in different processes.
    paths = paths[:2]
    in_workers = _outcome(paths)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "2")
    assert in_workers == _outcome(paths)
    text = "\n".join(in_workers[1])
    assert "SFS" in text and "client_secret" in text and "bulk_api" in text
    assert "0123456789abcdef0123456789abcdef" not in text


def test_results_come_back_in_the_order_of_the_inputs(parallel):
    items = list(range(12))
    weights = [1, 50, 3, 40, 2, 30, 9, 8, 7, 6, 5, 4]
    results = workers.map_in_order(_square_and_pid, items, weights)
    assert [r[:2] for r in results] == [(i, i * i) for i in items]
    if len(os.sched_getaffinity(0)) > 1:
        assert os.getpid() not in {r[2] for r in results}  # done by workers


def _square_and_pid(item: int) -> tuple[int, int, int]:
    return item, item * item, os.getpid()


def test_small_inputs_and_jobs_1_stay_in_this_process(monkeypatch):
    monkeypatch.delenv("SFAUTHGEN_JOBS", raising=False)
    assert workers.jobs_for([100, 200]) == 1  # far below MIN_PARALLEL_BYTES
    assert workers.jobs_for([workers.MIN_PARALLEL_BYTES]) == 1  # one file: nothing to share out
    monkeypatch.setenv("SFAUTHGEN_JOBS", "1")
    assert workers.jobs_for([workers.MIN_PARALLEL_BYTES] * 4) == 1
    monkeypatch.setattr(workers.sys, "platform", "darwin")
    monkeypatch.setenv("SFAUTHGEN_JOBS", "4")
    assert workers.jobs_for([workers.MIN_PARALLEL_BYTES] * 4) == 1


def _die_on_3(item: int) -> int:
    if item == 3:
        os._exit(7)  # as the out-of-memory killer would end it
    return item


def _fail_on_3(item: int) -> int:
    if item == 3:
        raise KeyError("a bug")
    if item == 4:
        raise SpecError([])
    return item


def test_a_worker_that_dies_is_an_internal_error_not_a_hang(parallel):
    from sfauthgen.diagnostics import InternalError

    with pytest.raises(InternalError, match="worker process stopped before finishing"):
        workers.map_in_order(_die_on_3, list(range(6)), [1] * 6)


def test_errors_raised_in_workers_are_raised_here_as_in_one_process(parallel):
    from sfauthgen.diagnostics import InternalError

    with pytest.raises(InternalError, match="in a worker process: KeyError: 'a bug'"):
        workers.map_in_order(_fail_on_3, [1, 2, 3], [1] * 3)
    with pytest.raises(SpecError):
        workers.map_in_order(_fail_on_3, [1, 2, 4], [1] * 3)



def _plan_outcome(specs, out, fmt="source", **options):
    from sfauthgen.diagnostics import OutputError
    from sfauthgen.files.folder import Folder

    try:
        plan, _ = pipeline.plan_output(pipeline.load_and_check(specs), Folder(out), output_format=fmt, **options)
    except OutputError as exc:
        return "error", str(exc)
    manifest = plan.manifest and (plan.manifest.action, plan.manifest.new)
    return "ok", [(f.path, f.action, f.new, f.old, f.conflict) for f in plan.files], manifest


@pytest.mark.parametrize("fmt", ["source", "mdapi"])
def test_plans_rendered_and_compared_in_workers_are_the_same(parallel, monkeypatch, tmp_path, fmt):
    """Components rendered and compared with the folder in runs spread over workers: the same plan, file
    for file, as in one process; a changed, a hand-edited, a missing and a foreign file included."""
    from sfauthgen.cli import run
    from sfauthgen.files.plan import Conflict

    monkeypatch.setattr(pipeline, "COMPONENTS_PER_TASK", 2)
    specs = sorted((REPO / "specs").glob("*.yaml"))
    out = tmp_path / "out"
    assert run(["generate", *map(str, specs), "-d", str(out), "--format", fmt, "-q"]) == 0
    xml = sorted(p for p in out.rglob("*") if p.is_file() and p.suffix != ".cls" and not p.name.startswith(".")
                 and p.name not in ("package.xml", "sfdx-project.json"))
    assert len(xml) > 6
    xml[0].write_text(xml[0].read_text() + "<!-- edited by hand -->\n")
    xml[1].unlink()
    (xml[2].parent / ("Foreign" + xml[2].name[xml[2].name.index("."):])).write_text("<x/>")
    in_workers = _plan_outcome(specs, out, fmt)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "1")
    assert in_workers == _plan_outcome(specs, out, fmt)
    actions = [entry[1].value for entry in in_workers[1]]
    assert actions.count("update") == 1 and actions.count("create") == 1 and "unchanged" in actions
    assert [entry[4] for entry in in_workers[1] if entry[4] is not None] == [Conflict.HAND_EDITED]


def test_an_unsafe_file_found_by_a_worker_is_the_same_error(parallel, monkeypatch, tmp_path):
    from sfauthgen.cli import run

    monkeypatch.setattr(pipeline, "COMPONENTS_PER_TASK", 2)
    specs = sorted((REPO / "specs").glob("*.yaml"))
    out = tmp_path / "out"
    assert run(["generate", *map(str, specs), "-d", str(out), "-q"]) == 0
    victims = sorted(p for p in out.rglob("*-meta.xml"))
    outside = tmp_path / "outside.txt"
    outside.write_text("not sfauthgen's")
    for victim in (victims[-1], victims[3]):
        victim.unlink()
        victim.symlink_to(outside)
    in_workers = _plan_outcome(specs, out)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "1")
    assert in_workers == _plan_outcome(specs, out)
    assert in_workers[0] == "error" and "symbolic link" in in_workers[1] and "not sfauthgen's" not in in_workers[1]


def test_oversized_files_in_the_folder_are_refused_not_read_whole(parallel, monkeypatch, tmp_path):
    """A pull request committing huge files at generated paths (or a manifest listing many to delete) gets an
    error naming one, exit 1, in workers as in one process: a plan never holds them all in memory."""
    from sfauthgen.cli import run

    monkeypatch.setattr(pipeline, "COMPONENTS_PER_TASK", 2)
    specs = sorted((REPO / "specs").glob("*.yaml"))
    out = tmp_path / "out"
    assert run(["generate", *map(str, specs), "-d", str(out), "-q"]) == 0
    victims = sorted(out.rglob("*.permissionset-meta.xml"))
    for victim in victims:
        victim.write_bytes(b"<x/>\n" * (300 * 1024 // 5))
    in_workers = _plan_outcome(specs, out)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "1")
    assert in_workers == _plan_outcome(specs, out)
    assert in_workers[0] == "error" and "is larger than" in in_workers[1]
    # Each under its own cap, all together over what one comparison may hold.
    monkeypatch.setenv("SFAUTHGEN_JOBS", "2")
    for victim in victims:
        victim.write_bytes(b"<x/>\n" * (200 * 1024 // 5))
    from sfauthgen.files import plan as plan_module

    monkeypatch.setattr(plan_module, "COMPARE_BUDGET_FLOOR_BYTES", 300 * 1024)
    in_workers = _plan_outcome(specs, out)
    monkeypatch.setenv("SFAUTHGEN_JOBS", "1")
    assert in_workers == _plan_outcome(specs, out)
    assert in_workers[0] == "error" and "add up to more than" in in_workers[1]
    from sfauthgen.files import plan

    for victim in victims:
        victim.write_bytes(b"<x/>\n" * 1000)
    monkeypatch.setattr(plan, "DELETED_BUDGET_BYTES", 2000)
    few = [s for s in specs if s.name == "service_keys.yaml"]
    outcome = _plan_outcome(few, out, allow_delete=True)
    assert outcome[0] == "error" and "add up to more than" in outcome[1]
