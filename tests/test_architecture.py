"""The package's shape, as ARCHITECTURE.md describes it: one registry of kinds, stages that only
import earlier stages, modules that import on their own, and a schema file that is current."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from sfauthgen.kinds.registry import KINDS
from sfauthgen.metadata import registry
from sfauthgen.report import known_codes
from sfauthgen.spec.schema import schema_text
from sfauthgen.spec.schema_export import exported_text
from sfauthgen.templating import templates_dir

from conftest import REPO

PACKAGE = REPO / "generator" / "sfauthgen"


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def _runtime_imports(module: str) -> set[str]:
    """sfauthgen modules imported at module level, outside `if TYPE_CHECKING:`."""
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sfauthgen"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("sfauthgen"))
    return found & set(_modules())


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    def run(module: str) -> tuple[str, int, str]:
        done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
        return module, done.returncode, done.stderr[-400:]

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [(m, err) for m, code, err in pool.map(run, _modules()) if code != 0]
    assert failed == []


# The stages in order; a module may import its own stage and earlier ones, never a later one.
STAGES: list[set[str]] = [
    {"sfauthgen.spec.loader", "sfauthgen.spec.variables", "sfauthgen.spec.secrets", "sfauthgen.spec.source"},
    {"sfauthgen.spec.schema"},
    {"sfauthgen.spec.entries"},
    {"sfauthgen.check", "sfauthgen.crosscheck"},
    {"sfauthgen.modelbuild", "sfauthgen.nextsteps"},
    {"sfauthgen.templating", "sfauthgen.render"},
    {"sfauthgen.files.plan", "sfauthgen.files.write"},
    {"sfauthgen.pipeline"},
]


def test_no_stage_imports_a_later_stage():
    stage_of = {module: index for index, modules in enumerate(STAGES) for module in modules}
    wrong = []
    for module, index in stage_of.items():
        for imported in _runtime_imports(module):
            if stage_of.get(imported, -1) > index:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_kinds_import_no_stage_beyond_loading():
    allowed = STAGES[0]
    stages = set().union(*STAGES) | {m for m in _modules() if m.startswith(("sfauthgen.importer", "sfauthgen.files"))}
    wrong = []
    for module in _modules():
        if module.startswith("sfauthgen.kinds"):
            wrong += [f"{module} imports {i}" for i in _runtime_imports(module) if i in stages - allowed]
    assert wrong == []


def test_every_kind_is_complete():
    names = [kind.name for kind in KINDS]
    assert len(names) == len(set(names))
    for kind in KINDS:
        assert kind.schema, kind.name
        for fragment in kind.schema:
            assert (PACKAGE / "data" / "schema" / fragment).is_file(), fragment
        for metadata_type in kind.metadata_types:
            assert metadata_type in registry(), metadata_type
        assert (kind.parse is None) != (kind.derive is None), kind.name
        assert (kind.section is None) == (kind.parse is None), kind.name
    assert len({t for kind in KINDS for t in kind.metadata_types}) == sum(len(k.metadata_types) for k in KINDS)


def test_every_component_template_exists():
    from sfauthgen.model import Component

    def subclasses(cls: type) -> list[type]:
        return [cls, *[s for sub in cls.__subclasses__() for s in subclasses(sub)]]

    import sfauthgen.kinds.registry  # noqa: F401  (loads every kind's component classes)

    templates = {p.name for p in templates_dir().iterdir()}
    for component in subclasses(Component):
        for name in (getattr(component, "template", None), component.meta_template):
            if name is not None:
                assert name in templates, (component.__name__, name)


def test_codes_are_unique_and_well_formed():
    seen: dict[str, str] = {}
    for kind in KINDS:
        for rule in kind.checks:
            assert rule.code[:3] == "SFC" and rule.code[3:].isdigit(), rule.code
            assert seen.setdefault(rule.code, rule.name) == rule.name, rule.code
    assert all(code.id == key and code.summary for key, code in known_codes().items())
    # One meaning per code across the core codes, the checks across kinds and each kind's checks.
    from sfauthgen import crosscheck
    from sfauthgen.codes import CORE

    sources = [set(CORE), set(crosscheck.CODES), set(seen)]
    assert sum(len(s) for s in sources) == len(set().union(*sources))


def test_shipped_schema_file_is_current():
    shipped = (PACKAGE / "data" / "spec.schema.json").read_text("utf-8")
    assert shipped == exported_text("07"), "run: sfauthgen schema > generator/sfauthgen/data/spec.schema.json"


def test_schema_sets_no_defaults_code_owns_them():
    def defaults(node: object) -> list[object]:
        if isinstance(node, dict):
            own = [node["default"]] if "default" in node and not isinstance(node["default"], dict) else []
            return own + [d for value in node.values() for d in defaults(value)]
        if isinstance(node, list):
            return [d for value in node for d in defaults(value)]
        return []

    assert defaults(json.loads(schema_text())) == []


@pytest.mark.parametrize("command", ["validate", "generate", "plan"])
def test_commands_are_functions_returning_an_exit_code(command, tmp_path, capsys):
    from sfauthgen.commands import generate, validate

    spec = REPO / "specs" / "data_migration.yaml"
    if command == "validate":
        code = validate.validate([spec])
    elif command == "generate":
        code = generate.generate([spec], tmp_path / "out", quiet=True)
        assert (tmp_path / "out" / "sfdx-project.json").is_file()
    else:
        code = generate.plan([spec], tmp_path / "out")
    assert code == 0
    assert bool(capsys.readouterr().out) == (command != "generate")  # generate was asked to be quiet
