"""`sfauthgen cert new`: the key pair it makes, where the two halves go, and what it refuses.

Every run goes through the CLI in a scratch folder with HOME and XDG_CONFIG_HOME pointed into
tmp_path, so no test touches the real home folder or this repository."""

from __future__ import annotations

import datetime
import errno
import json
import os
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from sfauthgen import certs
from sfauthgen.commands import cert as cert_command
from sfauthgen.diagnostics import OutputError, UsageProblem

from conftest import write_spec

SPEC = """\
version: 1
connected_apps:
  - name: Jwt_App
    label: Jwt App
    contact_email: team@example.com
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api]
      jwt_bearer:
        certificate: {certificate}
"""


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A scratch project folder (with specs/) as the current folder; the config folder under tmp_path."""
    if cert_command.git_work_tree(tmp_path / "x") is not None:
        pytest.skip("the temporary folder is inside a git work tree")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    monkeypatch.chdir(project)
    return project


@pytest.fixture
def cert_new(cli, tmp_path):
    """`sfauthgen cert new ...`, checking on every run that no key material reaches the terminal."""
    def invoke(*args):
        result = cli("cert", "new", *args)
        printed = result.out + result.err
        assert "PRIVATE KEY" not in printed
        for key in tmp_path.rglob("*.key"):  # nor any line of a key's base64 body without its PEM lines
            if key.is_file():
                assert not [line for line in key.read_text().splitlines()[1:-1] if line in printed]
        return result

    return invoke


def key_path(tmp_path: Path, name: str) -> Path:
    return tmp_path / "config" / "sfauthgen" / "keys" / f"{name}.key"


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_certificate_is_rsa_2048_self_signed_sha256_for_the_days_asked(work, cert_new):
    before = datetime.datetime.now(datetime.timezone.utc)
    assert cert_new("Data_Migration", "--days", "90").code == 0
    cert = load(work / "specs" / "certs" / "Data_Migration.crt")
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    assert key.key_size == 2048 and key.public_numbers().e == 65537
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Data_Migration")])
    assert cert.subject == cert.issuer == name
    key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA256())  # self-signed
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == datetime.timedelta(days=90, minutes=5)
    assert before - datetime.timedelta(minutes=6) < cert.not_valid_before_utc <= before
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca is False


def test_key_is_pkcs8_mode_0600_in_0700_folders_and_matches_the_certificate(work, tmp_path, cert_new):
    assert cert_new("Signer").code == 0
    path = key_path(tmp_path, "Signer")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, tmp_path / "config"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    pem = path.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----\n")  # PKCS#8, unencrypted
    private = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    cert = load(work / "specs" / "certs" / "Signer.crt")
    assert private.public_key().public_numbers() == cert.public_key().public_numbers()


def test_text_output_names_paths_fingerprint_expiry_and_next_steps(work, tmp_path, cert_new):
    result = cert_new("Signer", "--days", "30")
    cert = load(work / "specs" / "certs" / "Signer.crt")
    fingerprint = cert.fingerprint(hashes.SHA256()).hex().upper()
    assert ":".join(fingerprint[i:i + 2] for i in range(0, 64, 2)) in result.out
    assert cert.not_valid_after_utc.date().isoformat() in result.out
    assert "specs/certs/Signer.crt" in result.out
    assert "jwt_bearer: {certificate: certs/Signer.crt}" in result.out  # relative to the spec folder
    assert f"gh secret set SFAUTHGEN_JWT_KEY < {key_path(tmp_path, 'Signer')}" in result.out
    assert "SFAUTHGEN_JWT_KEY_FILE" in result.out
    assert "sfauthgen auth check SPEC --app <App>" in result.out and "--flow jwt_bearer" in result.out
    assert result.err == ""


def test_certificate_goes_to_certs_without_a_specs_folder_or_to_cert_dir(work, cert_new):
    os.rmdir(work / "specs")
    assert cert_new("One").code == 0
    assert (work / "certs" / "One.crt").is_file()
    result = cert_new("Two", "--cert-dir", "elsewhere/pem")
    assert result.code == 0
    assert (work / "elsewhere" / "pem" / "Two.crt").is_file()
    assert "jwt_bearer: {certificate: elsewhere/pem/Two.crt}  (as a path relative to the spec file)" in result.out


def test_key_folder_follows_xdg_config_home_else_home(work, tmp_path, monkeypatch, cert_new):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert cert_new("Home_Key").code == 0
    assert (tmp_path / "home" / ".config" / "sfauthgen" / "keys" / "Home_Key.key").is_file()
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")  # not absolute: ignored, as the XDG spec says
    assert cert_new("Relative").code == 0
    assert (tmp_path / "home" / ".config" / "sfauthgen" / "keys" / "Relative.key").is_file()
    assert not (work / "relative").exists()


def test_generated_certificate_passes_validate_and_lint(work, cert_new, cli):
    assert cert_new("Jwt_App").code == 0
    spec = write_spec(work / "specs", SPEC.format(certificate="certs/Jwt_App.crt"))
    validated = cli("validate", spec)
    assert validated.code == 0, validated.err
    linted = cli("lint", spec, "--format", "json")
    findings = json.loads(linted.out)["findings"]
    assert [f for f in findings if f["code"] in ("SFA017", "SFA019")] == []
    assert [f for f in findings if "Jwt_App.crt" in f["path"]] == []  # not mistaken for a secret


@pytest.mark.parametrize("marker", ["folder", "file"])  # a worktree or submodule has a .git file
def test_refuses_a_key_inside_a_git_work_tree_unless_forced(work, cert_new, marker):
    repo = work.parent / "repo"
    (repo / "deep").mkdir(parents=True)
    (repo / ".git").mkdir() if marker == "folder" else (repo / ".git").write_text("gitdir: elsewhere\n")
    key = repo / "deep" / "keys" / "Signer.key"
    refused = cert_new("Signer", "--key-file", key)
    assert refused.code == 1
    assert f"inside the git work tree at {repo}" in refused.err
    assert "leave out --key-file to use" in refused.err and "sfauthgen/keys/Signer.key" in refused.err
    assert not (work / "specs" / "certs").exists() and not key.parent.exists()  # nothing written
    forced = cert_new("Signer", "--key-file", key, "--force")
    assert forced.code == 0
    assert key.is_file() and (work / "specs" / "certs" / "Signer.crt").is_file()
    assert f"warning: the private key is inside the git work tree at {repo}" in forced.err


def test_a_symlinked_folder_into_a_repository_counts_as_the_repository(work, cert_new):
    repo = work.parent / "repo"
    (repo / ".git").mkdir(parents=True)
    (work.parent / "link").symlink_to(repo)
    result = cert_new("Signer", "--key-file", work.parent / "link" / "Signer.key")
    assert result.code == 1 and f"git work tree at {repo}" in result.err


def test_the_project_itself_being_a_repository_refuses_a_key_beside_the_spec(work, cert_new):
    (work / ".git").mkdir()
    result = cert_new("Signer", "--key-file", "specs/Signer.key")
    assert result.code == 1 and "git work tree" in result.err
    assert not (work / "specs" / "Signer.key").exists()
    assert cert_new("Signer").code == 0  # the default key location is outside it


def test_never_overwrites_a_key_file(work, tmp_path, cert_new):
    key = tmp_path / "Signer.key"
    key.write_text("the old key\n")
    result = cert_new("Signer", "--key-file", key)
    assert result.code == 1
    assert "already exists; sfauthgen never overwrites a private key" in result.err
    assert key.read_text() == "the old key\n"
    assert not (work / "specs" / "certs").exists()


def test_never_replaces_a_certificate(work, tmp_path, cert_new):
    certificate = work / "specs" / "certs" / "Signer.crt"
    certificate.parent.mkdir()
    certificate.write_text("the deployed certificate\n")
    result = cert_new("Signer")
    assert result.code == 1
    assert "already exists; replacing it would break the JWT bearer flow" in result.err
    assert certificate.read_text() == "the deployed certificate\n"
    assert not (tmp_path / "config").exists()


@pytest.mark.parametrize("dangling", [False, True])
def test_never_writes_a_key_through_a_symlink(work, tmp_path, cert_new, dangling):
    target = tmp_path / "target.txt"
    if not dangling:
        target.write_text("unrelated\n")
    link = tmp_path / "Signer.key"
    link.symlink_to(target)
    result = cert_new("Signer", "--key-file", link)
    assert result.code == 1 and "is a symbolic link" in result.err
    assert link.is_symlink()
    assert (target.read_text() == "unrelated\n") if not dangling else not target.exists()
    assert not (work / "specs" / "certs").exists()


def test_key_write_open_refuses_a_symlink_made_after_the_checks(tmp_path):
    # The O_EXCL|O_NOFOLLOW open is the last line of defence when a link appears between check and write.
    target = tmp_path / "target.txt"
    target.write_text("unrelated\n")
    (tmp_path / "k.key").symlink_to(target)
    with pytest.raises(OutputError, match="symbolic link"):
        cert_command._write_key(tmp_path / "k.key", b"secret")
    assert target.read_text() == "unrelated\n"


def test_a_failed_key_write_leaves_nothing_behind(work, tmp_path, cert_new, monkeypatch):
    def fail(fd: int, mode: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fchmod", fail)
    result = cert_new("Signer")
    assert result.code == 1 and "cannot write the private key: Input/output error" in result.err
    assert not key_path(tmp_path, "Signer").exists()
    assert not (work / "specs" / "certs").exists()  # the certificate and the folders made for it are gone
    assert not (tmp_path / "config").exists()
    assert os.listdir(work / "specs") == []


@pytest.mark.parametrize("name", ["1abc", "_abc", "a.b", "../up", "a b", "a/b", "é", "a" * 81, "a\n"])
def test_a_name_that_is_not_a_file_stem_is_a_usage_error(work, cert_new, name):
    result = cert_new(name)
    assert result.code == 2
    assert "is not a usable NAME" in result.err
    assert os.listdir(work / "specs") == []


def test_check_name_accepts_the_longest_name():
    assert certs.check_name("A" + "b_-9" * 19 + "xyz") == "A" + "b_-9" * 19 + "xyz"
    with pytest.raises(UsageProblem):
        certs.check_name("")


def test_new_key_pair_uses_the_clock_given_and_a_random_serial():
    now = datetime.datetime(2026, 1, 31, 12, 0, 0, 654321, tzinfo=datetime.timezone.utc)
    first, second = certs.new_key_pair("A", 10, now=now), certs.new_key_pair("A", 10, now=now)
    cert = x509.load_pem_x509_certificate(first.certificate_pem)
    assert cert.not_valid_before_utc == datetime.datetime(2026, 1, 31, 11, 55, tzinfo=datetime.timezone.utc)
    assert cert.not_valid_after_utc == first.not_valid_after == datetime.datetime(2026, 2, 10, 12, 0,
                                                                                  tzinfo=datetime.timezone.utc)
    assert cert.serial_number != x509.load_pem_x509_certificate(second.certificate_pem).serial_number
    assert "PRIVATE KEY" not in repr(first)
    with pytest.raises(UsageProblem):
        certs.new_key_pair("A", 0)


def test_json_success_is_one_object(work, tmp_path, cert_new):
    result = cert_new("Signer", "--json")
    assert result.code == 0 and result.err == ""
    data = json.loads(result.out)
    cert = load(work / "specs" / "certs" / "Signer.crt")
    assert data == {
        "status": 0,
        "result": {
            "certificate": "specs/certs/Signer.crt",
            "key_file": str(key_path(tmp_path, "Signer")),
            "fingerprint_sha256": ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256())),
            "expires": cert.not_valid_after_utc.date().isoformat(),
        },
        "warnings": [],
    }


def test_json_failures_are_one_object_with_the_exit_code(work, tmp_path, cert_new):
    (work / "specs" / "certs").mkdir()
    (work / "specs" / "certs" / "Signer.crt").write_text("old\n")
    refused = cert_new("Signer", "--json")
    assert refused.code == 1 and refused.err == ""
    data = json.loads(refused.out)
    assert data["status"] == 1 and data["result"] is None and data["warnings"] == []
    assert "Signer.crt already exists" in data["message"]
    bad = cert_new("9lives", "--json")
    assert bad.code == 2 and json.loads(bad.out)["status"] == 2


def test_json_carries_the_forced_git_warning(work, cert_new):
    (work / ".git").mkdir()
    result = cert_new("Signer", "--key-file", "Signer.key", "--force", "--json")
    assert result.code == 0
    [warning] = json.loads(result.out)["warnings"]
    assert "inside the git work tree" in warning
