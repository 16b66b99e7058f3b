"""A generate killed at any moment leaves the old output or the new one (after the next run's
recovery), and concurrent runs on one folder never trip over each other."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sfauthgen.files.folder import Folder
from sfauthgen.files.write import recover

from conftest import tree

APPS = 100  # each app comes with a permission set: 200 components, 201 files with the project file


def _spec(path: Path, label: str, apps: range) -> Path:
    lines = ["version: 1", "connected_apps:"]
    for i in apps:
        lines += [f"  - name: App_{i}", f"    label: {label} {i}", f"    contact_email: team{i}@example.com",
                  "    oauth:", "      callback_urls: [https://login.salesforce.com/services/oauth2/success]",
                  "      scopes: [api]", "    policies:", "      permitted_users: admin_approved",
                  f"      permission_sets: [Set_{i}]"]
    lines.append("permission_sets:")
    for i in apps:
        lines += [f"  - name: Set_{i}", f"    label: {label} Set {i}"]
    path.write_text("\n".join(lines) + "\n")
    return path


def _copy(output: Path, tmp_path: Path) -> Path:
    """A copy of an output folder to run against (the module's states stay as they are)."""
    return Path(shutil.copytree(output, tmp_path / "out"))


def _generate(spec: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "sfauthgen", "generate", str(spec), "-d", str(out), "-q", "--allow-delete"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The output folder as spec A leaves it, and as spec B (other labels, some apps gone, some new) leaves it."""
    base = tmp_path_factory.mktemp("states")
    spec_a = _spec(base / "a.yaml", "Old", range(0, APPS))
    spec_b = _spec(base / "b.yaml", "New", range(APPS // 4, APPS + APPS // 4))
    out_a, out_b = base / "out_a", base / "out_b"
    assert _generate(spec_a, out_a).wait() == 0
    shutil.copytree(out_a, out_b)
    started = time.monotonic()
    assert _generate(spec_b, out_b).wait() == 0
    return spec_a, spec_b, out_a, out_b, time.monotonic() - started


def _unqueued(files: dict[str, bytes]) -> dict[str, bytes]:
    """The folder without its deletion queue (and the queue's line in the manifest)."""
    import json

    kept = {path: data for path, data in files.items() if path != "destructiveChangesPost.xml"}
    manifest = json.loads(kept[".sfauthgen-manifest.json"])
    manifest["files"].pop("destructiveChangesPost.xml", None)
    kept[".sfauthgen-manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return kept


def test_a_killed_generate_leaves_old_or_new(states, tmp_path):
    spec_a, spec_b, out_a, out_b, duration = states
    old, new = tree(out_a), tree(out_b)
    assert old != new
    rng = random.Random(20261202)
    outcomes = {"old": 0, "new": 0}
    kills = 50

    def one(index: int) -> str:
        out = tmp_path / f"out{index}"
        shutil.copytree(out_a, out)
        process = _generate(spec_b, out)
        # Half the kills land anywhere in the run, half near its end, where the files are written.
        time.sleep(rng.uniform(0.35, 1.0) * duration if index % 4 < 2 else rng.uniform(0.8, 1.05) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        recover(Folder(out))  # what the next generate does first, under its lock
        after = tree(out)
        assert after in (old, new), f"kill {index}: mixed output"
        # And the next run, whichever spec it is given, finishes cleanly.
        assert _generate(spec_a if index % 2 else spec_b, out).wait() == 0
        # (Going back to spec A queues the deletion of B's new apps: the queue differs from either state.)
        assert _unqueued(tree(out)) == _unqueued(old if index % 2 else new)
        shutil.rmtree(out)
        return "old" if after == old else "new"

    with ThreadPoolExecutor(max_workers=2) as pool:
        for outcome in pool.map(one, range(kills)):
            outcomes[outcome] += 1
    assert sum(outcomes.values()) == kills


def test_plan_and_check_report_an_unfinished_run(states, tmp_path, cli):
    spec_a, spec_b, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    (out / ".sfauthgen-journal.json").write_text('{"format": 1, "renames": [], "deletes": []}\n')
    for command in (("plan",), ("generate", "--check")):
        result = cli(*command, spec_a, "-d", out)
        assert result.code == 1
        assert "an interrupted generate has not finished; run 'sfauthgen generate' to complete it" in result.err
    assert cli("generate", spec_a, "-d", out, "-q").code == 0
    assert not (out / ".sfauthgen-journal.json").exists()
    assert tree(out) == tree(out_a)


def test_eight_concurrent_runs_on_one_folder(states, tmp_path):
    _, spec_b, out_a, out_b, _ = states
    out = _copy(out_a, tmp_path)
    processes = [_generate(spec_b, out) for _ in range(8)]
    results = [(p.wait(), p.stderr.read().decode() if p.stderr else "") for p in processes]
    assert all(code == 0 for code, _ in results), results
    assert tree(out) == tree(out_b)


def test_disk_full_changes_nothing(states, tmp_path, cli, monkeypatch):
    """A write that fails half-way (ENOSPC, EFBIG) leaves neither temporary files nor new folders."""
    spec_a, spec_b, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    before = tree(out)
    real_write = os.write
    calls = []

    def full(fd, data):
        calls.append(fd)
        if len(calls) > 40:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    result = cli("generate", spec_b, "-d", out, "--allow-delete")
    monkeypatch.setattr(os, "write", real_write)
    assert result.code == 1
    assert "No space left on device" in result.err and "nothing was changed" in result.err
    assert tree(out) == before


def test_a_folder_made_at_a_target_during_the_run_is_an_error_and_the_next_run_finishes(states, tmp_path, cli,
                                                                                      monkeypatch):
    """A folder that appears at a file's path after the plan looked (another tool, a racing checkout) fails
    the rename: exit 1 naming the path, not a traceback; the journal lets the next run finish."""
    spec_a, spec_b, out_a, out_b, _ = states
    out = _copy(out_a, tmp_path)
    target = "force-app/main/default/connectedApps/App_40.connectedApp-meta.xml"
    real_replace_all = Folder.replace_all

    def racing(self, renames):
        (out / target).unlink()
        (out / target).mkdir()
        (out / target / "taken").write_text("")
        monkeypatch.setattr(Folder, "replace_all", real_replace_all)
        return real_replace_all(self, renames)

    monkeypatch.setattr(Folder, "replace_all", racing)
    result = cli("generate", spec_b, "-d", out, "-q", "--allow-delete")
    assert result.code == 1
    assert f"cannot put {out / target} in place:" in result.err
    assert "remove what is there and run again" in result.err
    shutil.rmtree(out / target)
    assert cli("generate", spec_b, "-d", out, "-q", "--allow-delete").code == 0
    assert tree(out) == tree(out_b)


def _journal(out: Path, renames: list, deletes: list) -> None:
    (out / ".sfauthgen-journal.json").write_text(json.dumps({"format": 1, "renames": renames, "deletes": deletes}))


@pytest.mark.parametrize(("renames", "deletes", "says"), [
    ([], ["README.md"], "'README.md' is not a file sfauthgen writes"),
    ([[".evil.sfauthgen-0000000000000000.tmp", "README.md"]], [], "'README.md' is not a file sfauthgen writes"),
    ([], ["sfdx-project.json"], "'sfdx-project.json' is not a file this journal may change"),
    ([[".evil.sfauthgen-0000000000000000.tmp", "sfdx-project.json"]], [],
     "'sfdx-project.json' is not a file this journal may change"),
    ([], ["force-app/main/default/classes/Handwritten.cls"], "is not a file this journal may change"),
    ([[".evil.sfauthgen-0000000000000000.tmp", "force-app/main/default/classes/Handwritten.cls"]], [],
     "is not a file this journal may change"),
    ([], ["force-app/main/default/classes"], "is not a file sfauthgen writes"),
    ([["scripts/classes/.x.sfauthgen-0000000000000000.tmp", "scripts/classes/deploy.sh"]], [],
     "'scripts/classes/deploy.sh' is not a file sfauthgen writes"),
    ([], ["force-app/main/default/connectedApps/" + "A" * 300 + ".connectedApp-meta.xml"], "File name too long"),
    ([[".evil.sfauthgen-0000000000000000.tmp", "force-app/main/default/connectedApps/App_1.connectedApp-meta.xml"]],
     [], "'.evil.sfauthgen-0000000000000000.tmp' is not a file this journal may change"),
    ([], ["x\ud800/main/default/classes/X.cls"], "is not a file sfauthgen writes"),
    ([["force-app/main/default/certs/.Gone.crt.sfauthgen-0123456789abcdef.tmp",
       "force-app/main/default/certs/Gone.crt"]],
     [], "'force-app/main/default/certs/.Gone.crt.sfauthgen-0123456789abcdef.tmp' is not a file this journal may"),
    ([], [".git/connectedApps/x.connectedApp-meta.xml"], "is not a file sfauthgen writes"),
    ([], "sfdx", "renames must be [temporary, path] pairs and deletes paths"),
    ([], ["/".join(["a"] * 3000)], "is not a file sfauthgen writes"),
])
def test_a_committed_journal_touches_nothing_generate_does_not_write(states, tmp_path, cli, renames, deletes, says):
    """A journal in the folder may be hostile: replaying it may only finish what generate itself writes."""
    spec_a, _, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    (out / "README.md").write_text("keep me\n")
    (out / "force-app/main/default/classes").mkdir(parents=True, exist_ok=True)
    (out / "force-app/main/default/classes/Handwritten.cls").write_text("public class Handwritten {}\n")
    (out / ".evil.sfauthgen-0000000000000000.tmp").write_text("PWNED\n")
    _journal(out, renames, deletes)
    before = tree(out)
    result = cli("generate", spec_a, "-d", out, "-q")
    assert result.code == 1
    assert says in result.err and "restore the output folder from version control" in result.err
    assert tree(out) == before


def test_recovery_leaves_hidden_folders_alone(states, tmp_path, cli):
    spec_a, _, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    (out / ".stray.sfauthgen-0000000000000000.tmp").write_text("{}\n")
    (out / ".git" / "refs").mkdir(parents=True)
    (out / ".git" / "refs" / ".x.sfauthgen-0123456789abcdef.tmp").write_text("git's\n")
    _journal(out, [], [])
    assert cli("generate", spec_a, "-d", out, "-q").code == 0
    assert (out / ".git" / "refs" / ".x.sfauthgen-0123456789abcdef.tmp").read_text() == "git's\n"
    assert not (out / ".stray.sfauthgen-0000000000000000.tmp").exists()


def test_a_journal_whose_replay_would_fail_half_way_changes_nothing(states, tmp_path, cli):
    """Checked whole before anything happens: a delete of a folder after a rename leaves both undone."""
    spec_a, _, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    target = "force-app/main/default/permissionsets/Set_1.permissionset-meta.xml"
    folder = "force-app/main/default/connectedApps/App_2.connectedApp-meta.xml"
    (out / folder).unlink()
    (out / folder).mkdir()
    (out / "force-app/main/default/permissionsets/.x.sfauthgen-0000000000000000.tmp").write_text("hostile\n")
    _journal(out, [["force-app/main/default/permissionsets/.x.sfauthgen-0000000000000000.tmp", target]], [folder])
    before = tree(out)
    result = cli("generate", spec_a, "-d", out, "-q")
    assert result.code == 1
    assert f"'{folder}' is not a file this journal may change" in result.err
    assert tree(out) == before


def test_a_hard_link_in_the_folder_is_never_read(states, tmp_path, cli):
    spec_a, _, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    target = out / "force-app/main/default/connectedApps/App_1.connectedApp-meta.xml"
    target.unlink()
    os.link(secret, target)
    for command in (("plan",), ("generate", "--check"), ("generate",)):
        result = cli(*command, spec_a, "-d", out)
        assert result.code == 1
        assert f"{target} has other hard links" in result.err and "TOP SECRET" not in result.out + result.err


def test_a_very_deep_committed_tree_does_not_stop_recovery(states, tmp_path, cli):
    spec_a, _, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    fds = [os.open(out, os.O_RDONLY)]
    for _ in range(1_100):  # past Python's recursion limit; a git clone keeps it
        os.mkdir("a", dir_fd=fds[-1])
        fds.append(os.open("a", os.O_RDONLY, dir_fd=fds[-1]))
    os.close(os.open(".x.sfauthgen-0123456789abcdef.tmp", os.O_WRONLY | os.O_CREAT, dir_fd=fds[-1]))
    (out / "force-app" / ".y.sfauthgen-0123456789abcdef.tmp").write_text("stray\n")
    try:
        assert cli("generate", spec_a, "-d", out, "-q").code == 0
        assert not (out / "force-app" / ".y.sfauthgen-0123456789abcdef.tmp").exists()
    finally:  # taken down from the bottom: shutil.rmtree (and so pytest's clean-up) recurses too
        for level in range(len(fds) - 1, 0, -1):
            for name in os.listdir(fds[level]):
                if name != "a":
                    os.unlink(name, dir_fd=fds[level])
            os.close(fds[level])
            os.rmdir("a", dir_fd=fds[level - 1])
        os.close(fds[0])


@pytest.mark.parametrize("entry", [".git/config", "README.md", "sfdx-project.json", "scripts/classes/deploy.sh"])
def test_a_manifest_listing_a_file_generate_never_writes_is_refused(states, tmp_path, cli, entry):
    """The manifest is committed too: it must not make generate delete a file "it wrote earlier"."""
    import hashlib

    spec_a, _, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    (out / entry).parent.mkdir(parents=True, exist_ok=True)
    if not (out / entry).exists():
        (out / entry).write_text("keep me\n")
    manifest = json.loads((out / ".sfauthgen-manifest.json").read_text())
    manifest["files"][entry] = "sha256:" + hashlib.sha256((out / entry).read_bytes()).hexdigest()
    (out / ".sfauthgen-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    before = tree(out)
    result = cli("generate", spec_a, "-d", out, "-q")
    assert result.code == 1
    assert f"entry '{entry}' is not a metadata file inside the output folder" in result.err
    assert tree(out) == before


def test_an_interrupted_generate_force_finishes_when_run_again_with_force(states, tmp_path, cli):
    """--force overwrote a file sfauthgen had not written; a journal naming it replays only with --force."""
    spec_a, _, out_a, _, _ = states
    out = _copy(out_a, tmp_path)
    target = "force-app/main/default/connectedApps/App_1.connectedApp-meta.xml"
    manifest = json.loads((out / ".sfauthgen-manifest.json").read_text())
    del manifest["files"][target]
    (out / ".sfauthgen-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    wanted = (out / target).read_bytes()
    (out / target).write_text("<hand made/>\n")
    staged = "force-app/main/default/connectedApps/.App_1.connectedApp-meta.xml.sfauthgen-0123456789abcdef.tmp"
    (out / staged).write_bytes(wanted)
    _journal(out, [[staged, target]], [])
    refused = cli("generate", spec_a, "-d", out, "-q")
    assert refused.code == 1 and "run it again with --force" in refused.err
    assert cli("generate", spec_a, "-d", out, "-q", "--force").code == 0
    assert (out / target).read_bytes() == wanted


def test_a_hidden_package_directory_is_refused(states, tmp_path, cli):
    spec_a, _, _, _, _ = states
    out = tmp_path / "out"
    out.mkdir()
    (out / "sfdx-project.json").write_text('{"packageDirectories": [{"path": ".pkg", "default": true}]}\n')
    result = cli("generate", spec_a, "-d", out, "-q")
    assert result.code == 1 and "the default package directory '.pkg' is hidden" in result.err
