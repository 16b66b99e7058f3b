"""`sfauthgen cert new`: a key pair for the JWT bearer flow. The certificate (public) goes beside the spec,
the private key outside any git work tree, and nothing is ever overwritten: a replaced certificate breaks
the running JWT flow, a replaced key cannot be recovered.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shlex
import tempfile
from pathlib import Path

from sfauthgen import certs
from sfauthgen.commands import ui
from sfauthgen.diagnostics import OutputError, SfauthgenError
from sfauthgen.inputs import shown
from sfauthgen.records import record
from sfauthgen.secretpatterns import scrub

# O_EXCL refuses an existing file (and, with O_CREAT, any symlink); O_NOFOLLOW says so where it exists.
_KEY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_PLAIN_YAML = re.compile(r"[A-Za-z0-9_./-]+")


@record
class Created:
    certificate: Path
    key_file: Path
    fingerprint_sha256: str
    expires: str  # YYYY-MM-DD, UTC
    warnings: tuple[str, ...]


def cert_new(name: str, *, days: int = 365, cert_dir: Path | None = None, key_file: Path | None = None,
             force: bool = False, as_json: bool = False) -> int:
    try:
        created = create(name, days=days, cert_dir=cert_dir, key_file=key_file, force=force)
    except SfauthgenError as exc:
        if not as_json:
            raise
        # --json promises one object on stdout also when the command fails.
        ui.json_out(exc.exit_code, None, message=scrub(str(exc)))
        return exc.exit_code
    if as_json:
        ui.json_out(0, {"certificate": str(created.certificate), "key_file": str(created.key_file),
                        "fingerprint_sha256": created.fingerprint_sha256, "expires": created.expires},
                    list(created.warnings))
    else:
        for warning in created.warnings:
            ui.err(f"warning: {warning}")
        ui.out("\n".join(_report(created)))
    return 0


def create(name: str, *, days: int, cert_dir: Path | None, key_file: Path | None, force: bool) -> Created:
    """Check every refusal first, then write the certificate and the key, or neither."""
    certs.check_name(name)
    certificate = (cert_dir if cert_dir is not None else default_cert_dir()) / f"{name}.crt"
    key = key_file.expanduser() if key_file is not None else default_key_file(name)
    if os.path.lexists(certificate):
        raise OutputError(f"{shown(str(certificate))} already exists; replacing it would break the JWT bearer flow "
                          "that uses it\n    hint: to rotate, create a pair under a new NAME, point "
                          "jwt_bearer.certificate at it and deploy, then switch the client to the new key")
    if os.path.lexists(key):
        raise _key_exists(key)
    warnings = _outside_git(key, name, force)
    pair = certs.new_key_pair(name, days)
    made: list[Path] = []
    try:
        made += _make_folders(certificate.parent, 0o777)
        made += _make_folders(key.parent, 0o700)  # only the owner may list the keys
        _write_certificate(certificate, pair.certificate_pem)
        try:
            _write_key(key, pair.key_pem)
        except BaseException:
            certificate.unlink(missing_ok=True)  # a certificate without its key is of no use
            raise
    except BaseException:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return Created(certificate, key, pair.fingerprint_sha256, pair.not_valid_after.date().isoformat(), warnings)


def default_cert_dir() -> Path:
    return Path("specs", "certs") if Path("specs").is_dir() else Path("certs")


def default_key_file(name: str) -> Path:
    # XDG Base Directory: a relative XDG_CONFIG_HOME is invalid and must be ignored.
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if os.path.isabs(config) else Path.home() / ".config"
    return base / "sfauthgen" / "keys" / f"{name}.key"


def git_work_tree(path: Path) -> Path | None:
    """The root of the git work tree the file `path` would be in (`.git` is a folder, or a file in a
    worktree or submodule), following symlinked folders to where the file really lands."""
    folder = path.parent.resolve()
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def _outside_git(key: Path, name: str, force: bool) -> tuple[str, ...]:
    root = git_work_tree(key)
    if root is None:
        return ()
    if force:
        return (f"the private key is inside the git work tree at {shown(str(root))}; make sure .gitignore "
                "excludes it and never commit it",)
    default = default_key_file(name)
    where = (f"leave out --key-file to use {shown(str(default))}"
             if default.absolute() != key.absolute() and git_work_tree(default) is None
             else "give a --key-file outside any repository")
    raise OutputError(f"refusing to write the private key {shown(str(key))} inside the git work tree at "
                      f"{shown(str(root))}: a key in a repository is one commit away from leaking\n"
                      f"    hint: {where}, or pass --force if .gitignore keeps it out")


def _key_exists(key: Path) -> OutputError:
    if key.is_symlink():
        return OutputError(f"{shown(str(key))} is a symbolic link; sfauthgen never writes a private key through "
                           "a link\n    hint: give --key-file the real path")
    return OutputError(f"{shown(str(key))} already exists; sfauthgen never overwrites a private key\n"
                       "    hint: pick another NAME or --key-file; remove the old key only once nothing signs with it")


def _make_folders(folder: Path, mode: int) -> list[Path]:
    """Create `folder` and its missing parents with `mode` (Path.mkdir gives parents the default mode)."""
    missing = []
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            break
        missing.append(candidate)
    made: list[Path] = []
    for candidate in reversed(missing):
        try:
            candidate.mkdir(mode=mode)
        except OSError as exc:
            raise OutputError(f"{shown(str(candidate))}: cannot create the folder: {exc.strerror}") from None
        made.append(candidate)
    return made


def _write_certificate(path: Path, data: bytes) -> None:
    # Written whole to a temporary file first, so no reader ever sees half a certificate.
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{shown(str(path))}: cannot write the certificate: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)  # public, committed with the spec; mkstemp made it 0600
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise OutputError(f"{shown(str(path))}: cannot write the certificate: {exc.strerror}") from None


def _write_key(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, _KEY_FLAGS, 0o600)
    except FileExistsError:  # created since the check, or a symlink: O_CREAT|O_EXCL never follows one
        raise _key_exists(path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _key_exists(path) from None
        raise OutputError(f"{shown(str(path))}: cannot write the private key: {exc.strerror}") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # exactly 0600 whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise OutputError(f"{shown(str(path))}: cannot write the private key: {exc.strerror}") from None
    os.close(fd)


def _spec_reference(certificate: Path) -> tuple[str, bool]:
    """The jwt_bearer.certificate value, and whether it is final: relative to ./specs when the certificate
    is under it (a spec file resolves the path from its own folder), else the path as written."""
    try:
        reference, final = certificate.resolve().relative_to(Path("specs").resolve()).as_posix(), True
    except ValueError:
        reference, final = certificate.as_posix(), False
    return (reference if _PLAIN_YAML.fullmatch(reference) else json.dumps(reference)), final


def _report(created: Created) -> list[str]:
    key = shlex.quote(str(created.key_file))
    reference, final = _spec_reference(created.certificate)
    note = "" if final else "  (as a path relative to the spec file)"
    return [
        f"certificate  {shown(str(created.certificate))}  (public: commit it with the spec)",
        f"private key  {shown(str(created.key_file))}  (mode 0600: never commit it)",
        f"SHA-256      {created.fingerprint_sha256}",
        f"expires      {created.expires} (UTC)",
        "",
        "Next steps:",
        "  1. Reference the certificate in the app's oauth section of the spec:",
        f"       jwt_bearer: {{certificate: {shown(reference)}}}{note}",
        "  2. Store the private key as a CI secret, for example:",
        f"       gh secret set SFAUTHGEN_JWT_KEY < {shown(key)}",
        "     and in the pipeline write it to a file (mode 0600) and point SFAUTHGEN_JWT_KEY_FILE at it.",
        "  3. After deploy, test the flow (with SFAUTHGEN_CLIENT_ID and SFAUTHGEN_JWT_KEY_FILE set):",
        "       sfauthgen auth check SPEC --app <App> --login-url https://login.salesforce.com --flow jwt_bearer",
        "  4. Keep the key out of git; once the secret store holds it, delete local copies nothing else needs.",
    ]

