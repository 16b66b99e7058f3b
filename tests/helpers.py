"""Run the pipeline on spec text in memory, for unit tests of later stages."""

from __future__ import annotations

from pathlib import Path

from sfauthgen import pipeline
from sfauthgen.files.layout import Layout
from sfauthgen.render import render
from sfauthgen.templating import GeneratedFile


def render_text(tmp_path: Path, text: str) -> dict[str, GeneratedFile]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    checked = pipeline.load_and_check([spec])
    files = render(pipeline.model(checked), Layout())
    # An Apex class has two files: its source by type:member, its -meta.xml by type:member-meta.
    return {f"{f.metadata_type}:{f.member}" + ("-meta" if f.path.endswith(".cls-meta.xml") else ""): f
            for f in files}
