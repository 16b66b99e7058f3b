"""Templates compiled ahead (generator/sfauthgen/compiled_templates) are current, are what a run uses,
and render exactly what the templates themselves render; stale ones are never used."""

from __future__ import annotations

import subprocess
import sys

import jinja2
import pytest

from sfauthgen import compiled_templates, templating

from conftest import REPO, SPECS, tree

COMPILED_BY_THIS_JINJA = jinja2.__version__ == compiled_templates.JINJA2_VERSION


@pytest.fixture
def fresh_templates():
    """Environments and templates built again for the test, and again after it."""
    caches = (templating.xml_environment, templating.apex_environment, templating.template)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


@pytest.mark.skipif(not COMPILED_BY_THIS_JINJA, reason=f"compiled by Jinja {compiled_templates.JINJA2_VERSION}, "
                    f"this is {jinja2.__version__}: runs compile the templates themselves")
def test_compiled_templates_are_current():
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "compile_templates.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(not COMPILED_BY_THIS_JINJA, reason="compiled by another Jinja version")
def test_runs_use_the_compiled_templates(fresh_templates):
    assert isinstance(templating.xml_environment().loader, jinja2.ModuleLoader)
    assert isinstance(templating.apex_environment().loader, jinja2.ModuleLoader)


def test_stale_compiled_templates_are_not_used(fresh_templates, monkeypatch):
    monkeypatch.setattr(compiled_templates, "TEMPLATES_DIGEST", "0" * 64)
    assert isinstance(templating.xml_environment().loader, jinja2.FileSystemLoader)
    templating.xml_environment.cache_clear()
    monkeypatch.undo()
    monkeypatch.setattr(compiled_templates, "JINJA2_VERSION", "0.0")
    assert isinstance(templating.xml_environment().loader, jinja2.FileSystemLoader)
    templating.xml_environment.cache_clear()
    monkeypatch.undo()
    monkeypatch.setattr(compiled_templates, "CODE_GENERATOR", "model-1")  # compiled by an older generator
    assert isinstance(templating.xml_environment().loader, jinja2.FileSystemLoader)


def test_model_code_generator_reads_attributes_and_keeps_strict_undefined(fresh_templates):
    """`a.b` is plain attribute access and `is none` an identity test; a missing value still fails loudly."""
    env = templating.xml_environment(jinja2.DictLoader({
        "t.j2": "{% if item.value is not none %}{{ item.value }}{% endif %}|{{ item.other is none }}",
        "missing.j2": "{{ nothing.value }}",
    }))
    source = env.compile(env.loader.get_source(env, "t.j2")[0], raw=True)
    assert "environment.getattr(" not in source and source.count("t_1(") == 1  # its definition only
    item = templating.PackageType("a&b", ())
    assert env.get_template("t.j2").render(item=type("Item", (), {"value": "a&b", "other": None})()) \
        == "a&amp;b|true"
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("missing.j2").render()
    with pytest.raises(AttributeError):
        env.get_template("t.j2").render(item=item)


def test_the_templates_themselves_render_the_committed_output(fresh_templates, monkeypatch, cli, tmp_path):
    """The golden trees pass with the compiled templates; the templates compiled at run time give the same."""
    monkeypatch.setattr(compiled_templates, "TEMPLATES_DIGEST", "stale")
    out = tmp_path / "out"
    assert cli("generate", SPECS, "-d", out, "-q").code == 0
    assert isinstance(templating.xml_environment().loader, jinja2.FileSystemLoader)
    assert tree(out) == tree(REPO / "output")
