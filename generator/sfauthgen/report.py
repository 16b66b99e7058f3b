"""Text and JSON renderings of plans and diagnostics: pure functions, the CLI prints them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sfauthgen import crosscheck
from sfauthgen.codes import CORE, Code
from sfauthgen.diagnostics import Diagnostic, Severity
from sfauthgen.files.plan import Action, Conflict, Plan, PlannedFile
from sfauthgen.inputs import shown
from sfauthgen.kinds.registry import KINDS
from sfauthgen.plansummary import MAX_CHANGES_PER_FILE, setting_changes
from sfauthgen.secretpatterns import scrub
from sfauthgen.words import plural

_CHECK_WORDS = {Action.CREATE: "missing", Action.UPDATE: "stale", Action.DELETE: "extra"}
_CONFLICT_KEYS = {Conflict.HAND_EDITED: "hand_edited", Conflict.NOT_OWNED: "not_owned"}


def _shown(plan: Plan, planned: PlannedFile) -> str:
    return shown(str(plan.out_dir / planned.path))


def _component(planned: PlannedFile) -> str:
    return f"  ({planned.metadata_type} {planned.member})" if planned.metadata_type else ""


def check_lines(plan: Plan) -> list[str]:
    """generate --check: one line per file that is missing, stale, extra or edited by hand."""
    lines = []
    for planned in plan.changes:
        if planned.conflict is Conflict.HAND_EDITED:
            word = "edited by hand"
        elif planned.conflict is Conflict.NOT_OWNED:
            word = "not written by sfauthgen"
        else:
            word = _CHECK_WORDS[planned.action]
        lines.append(f"{word}: {_shown(plan, planned)}")
    if plan.manifest is not None and not lines:
        lines.append(f"stale: {plan.out_dir / plan.manifest.path}")
    return lines


def conflict_message(plan: Plan) -> str:
    lines = [f"refusing to change {plural(len(plan.conflicts), 'file')} in {plan.out_dir}:"]
    lines += [f"  {_shown(plan, f)}: {f.conflict.value}" for f in plan.conflicts if f.conflict]
    lines.append("    hint: move your edits into the spec, or pass --force to overwrite")
    return "\n".join(lines)


def _counts(plan: Plan) -> dict[Action, int]:
    counts = {action: 0 for action in Action}
    for planned in plan.files:
        counts[planned.action] += 1
    return counts


def written_lines(plan: Plan) -> list[str]:
    counts = _counts(plan)
    lines = [f"{p.action.value:>9}  {_shown(plan, p)}" for p in plan.files if p.action is not Action.UNCHANGED]
    lines.append(
        f"{plan.out_dir}: {counts[Action.CREATE]} created, {counts[Action.UPDATE]} updated, "
        f"{counts[Action.DELETE]} deleted, {counts[Action.UNCHANGED]} unchanged"
    )
    return lines


def removed_lines(plan: Plan, output_format: str) -> list[str]:
    """Deleting files does not delete components from an org: say how to."""
    if not plan.removed_components:
        return []
    names = ", ".join(f"{kind} {member}" for kind, member in plan.removed_components)
    if output_format == "mdapi":
        return [f"removed from the spec: {names}; destructiveChangesPost.xml lists them for the next deploy "
                "(delete that file once the deploy has applied it)"]
    destructive = plan.out_dir / "destructiveChangesPost.xml"
    return [
        f"removed from the spec: {names}; destructiveChangesPost.xml lists them: deleting the files does not delete "
        "them from the org; deploy with a manifest ('sf project generate manifest --source-dir <package dir>'), "
        f"then 'sf project deploy start --manifest package.xml --post-destructive-changes {destructive}', and delete "
        "that file once the deploy has applied it",
    ]


def _diff(plan: Plan, planned: PlannedFile) -> str:
    old = (planned.old or "").splitlines(keepends=True)
    new = (planned.new or "").splitlines(keepends=True)
    import difflib  # here: only a plan with changes prints a diff

    lines = difflib.unified_diff(old, new, f"a/{planned.path}", f"b/{planned.path}")
    # The old text is the folder's (untrusted): no terminal escape or stray carriage return reaches the screen,
    # and nothing that looks like a secret is printed whole.
    return "".join(scrub(shown(line.rstrip("\n").replace("\t", "    "))) + "\n" for line in lines)


def summary_lines(plan: Plan) -> list[str]:
    """Per component, what changes: created, deleted, or the settings an update changes."""
    lines: list[str] = []
    for planned in plan.changes:
        if not planned.metadata_type:
            continue
        name = f"{planned.member} ({planned.metadata_type})"
        if planned.action is Action.CREATE:
            lines.append(f"  {name}: new")
        elif planned.action is Action.DELETE:
            lines.append(f"  {name}: deleted")
        else:
            changes = setting_changes(planned.old, planned.new)
            if changes is None:
                lines.append(f"  {name}: changed (the current file is not readable XML)")
                continue
            shown_changes = changes[:MAX_CHANGES_PER_FILE]
            lines += [f"  {name}: {change.describe()}" for change in shown_changes]
            if len(changes) > len(shown_changes):
                lines.append(f"  {name}: ... and {len(changes) - len(shown_changes)} more (see the diff)")
            if not changes:
                lines.append(f"  {name}: layout only (same settings)")
    return lines


def plan_text(plan: Plan, output_format: str) -> str:
    """The summary per component and setting, one line per file, unified diffs for updates, totals."""
    lines = []
    for planned in plan.changes:
        action = "edited" if planned.conflict is Conflict.HAND_EDITED else planned.action.value
        note = f"  [{planned.conflict.value}]" if planned.conflict else ""
        lines.append(f"{action:>9}  {_shown(plan, planned)}{_component(planned)}{note}")
    diffs = [_diff(plan, p) for p in plan.changes if p.action is Action.UPDATE]
    counts = _counts(plan)
    if plan_has_changes(plan):
        summary = (f"plan: {counts[Action.CREATE]} to create, {counts[Action.UPDATE]} to update, "
                   f"{counts[Action.DELETE]} to delete, {len(plan.conflicts)} edited by hand or not owned, "
                   f"{counts[Action.UNCHANGED]} unchanged")
    else:
        summary = f"plan: no changes ({plural(counts[Action.UNCHANGED], 'file')} up to date)"
    if not plan.changes and plan.manifest is not None:
        summary += " (the manifest is rewritten)"
    parts = []
    changed = summary_lines(plan)
    if changed:
        parts.append("\n".join(["changes:", *changed]))
    if lines:
        parts.append("\n".join(lines))
    parts += [d.rstrip("\n") for d in diffs]
    parts.append("\n".join([summary, *removed_lines(plan, output_format)]))
    return "\n".join(parts) + "\n"


def plan_has_changes(plan: Plan) -> bool:
    """What --detailed-exitcode reports: would generate write anything (the manifest included)?"""
    return bool(plan.changes) or plan.manifest is not None


def plan_data(plan: Plan, output_format: str) -> dict[str, Any]:
    files: list[dict[str, Any]] = []
    for planned in plan.changes:
        entry: dict[str, Any] = {
            "path": planned.path,
            "action": planned.action.value,
            "type": planned.metadata_type,
            "member": planned.member,
            "conflict": _CONFLICT_KEYS[planned.conflict] if planned.conflict else None,
        }
        if planned.action is Action.UPDATE:
            changes = setting_changes(planned.old, planned.new)
            entry["settings"] = None if changes is None else [
                {"setting": c.setting, "old": list(c.old), "new": list(c.new)} for c in changes]
            entry["diff"] = _diff(plan, planned)
        files.append(entry)
    counts = _counts(plan)
    return {
        "output_dir": str(plan.out_dir),
        "format": output_format,
        "changes": plan_has_changes(plan),
        "files": files,
        "summary": {action.value: counts[action] for action in Action},
        "removed_components": [{"type": kind, "member": member} for kind, member in plan.removed_components],
    }


def plan_json(plan: Plan, output_format: str) -> str:
    return json.dumps(plan_data(plan, output_format), indent=2) + "\n"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command property: ',' and ':' end it, so a file name with them (or a line break) is escaped."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def diagnostics_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the spec line."""
    lines = []
    for d in diagnostics:
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        title = d.code
        if d.suppressed is not None:
            # Still listed (SPEC_LANGUAGE), as a notice that fails nothing, with the waiver's reason.
            message += f" (waived: {d.suppressed})"
            title += " waived"
        place = (f"file={_github_property(d.location.path)},line={d.location.line},col={d.location.column},"
                 f"title={_github_property(title)}")
        level = "notice" if d.severity is Severity.NOTE or d.suppressed is not None else d.severity.value
        lines.append(f"::{level} {place}::{_github_data(scrub(message))}")
    return "".join(line + "\n" for line in lines)


def known_codes() -> dict[str, Code]:
    """Every diagnostic code: the core ones, the checks across kinds, and each kind's checks."""
    found = {**CORE, **crosscheck.CODES}
    for kind in KINDS:
        for rule in kind.checks:
            found.setdefault(rule.code, Code(rule.code, rule.name, rule.summary))
    return dict(sorted(found.items()))


def artifact_uri(path: str) -> str:
    """A SARIF artifact URI: relative to the current folder (as code scanning expects, run from the
    repository root), or a file:// URI for a file outside it."""
    from urllib.parse import quote

    target = Path(path)
    try:
        relative = target.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        if target.is_absolute():
            return target.resolve().as_uri()
        relative = target.as_posix()
    # A URI reference: '#', '%', ':', ' ' and the like percent-encoded ('a:b.yaml' would read as a scheme).
    return quote(relative, safe="/")


_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _sarif(diagnostics: list[Diagnostic], version: str, rules: list[dict[str, Any]]) -> str:
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _SARIF_LEVELS[d.severity],
            "message": {"text": scrub(d.message) + (f" (hint: {scrub(d.hint)})" if d.hint else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(d.location.path)},
                "region": {"startLine": d.location.line, "startColumn": d.location.column},
            }}],
        }
        if d.suppressed is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": scrub(d.suppressed)}]
        results.append(result)
    data = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "sfauthgen", "version": version, "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(data, indent=2) + "\n"


def diagnostics_sarif(diagnostics: list[Diagnostic], version: str) -> str:
    """SARIF 2.1.0, for code scanning (GitHub uploads it with codeql-action/upload-sarif): one rule per code."""
    codes = known_codes()
    rules = [
        {"id": code, "name": codes[code].name if code in codes else code,
         "shortDescription": {"text": codes[code].summary if code in codes else code}}
        for code in sorted({d.code for d in diagnostics})
    ]
    return _sarif(diagnostics, version, rules)


def lint_sarif(diagnostics: list[Diagnostic], version: str) -> str:
    """Lint results as SARIF: every rule described (with its rationale and fix), waived findings suppressed."""
    from sfauthgen.lint.registry import all_rules

    rules = [
        {"id": r.id, "name": r.name, "shortDescription": {"text": r.summary},
         "fullDescription": {"text": r.rationale}, "help": {"text": r.fix},
         "defaultConfiguration": {"level": _SARIF_LEVELS[r.severity]}}
        for r in all_rules().values()
    ]
    codes = known_codes()
    rules += [{"id": code, "name": codes[code].name if code in codes else code,
               "shortDescription": {"text": codes[code].summary if code in codes else code}}
              for code in sorted({d.code for d in diagnostics} - {r["id"] for r in rules})]
    return _sarif(diagnostics, version, rules)


def lint_summary(diagnostics: list[Diagnostic]) -> str:
    counts = {severity: 0 for severity in Severity}
    waived = 0
    for d in diagnostics:
        if d.suppressed is None:
            counts[d.severity] += 1
        else:
            waived += 1
    parts = [f"{n} {severity.value}{'' if n == 1 else 's'}" for severity, n in counts.items()]
    return "lint: " + ", ".join(parts) + (f" ({waived} waived)" if waived else "")


def lint_json(diagnostics: list[Diagnostic], failing: int) -> str:
    data = {"failing": failing, "findings": [_diagnostic_data(d) for d in diagnostics]}
    return json.dumps(data, indent=2) + "\n"


def _diagnostic_data(d: Diagnostic) -> dict[str, Any]:
    found: dict[str, Any] = {
        "path": d.location.path,
        "line": d.location.line,
        "column": d.location.column,
        "severity": d.severity.value,
        "code": d.code,
        "message": scrub(d.message),
        "hint": scrub(d.hint) if d.hint else d.hint,
    }
    if d.suppressed is not None:
        found["suppressed"] = scrub(d.suppressed)
    return found


def diagnostics_data(diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    return [_diagnostic_data(d) for d in diagnostics]


def diagnostics_json(diagnostics: list[Diagnostic], valid: bool) -> str:
    data = {"valid": valid, "diagnostics": [_diagnostic_data(d) for d in diagnostics]}
    return json.dumps(data, indent=2) + "\n"
