"""What to do in the org after a deploy, so it is not a dead end.

Secrets and certificates are not metadata, and principal access only works for users who
hold the permission set: each kind lists its steps, and they are printed phase by phase.
"""

from __future__ import annotations

from sfauthgen.kinds.base import SpecEntries, Step, StepContext
from sfauthgen.kinds.registry import KINDS


def next_steps(spec: SpecEntries, api_version: str, *, eca_global_oauth: bool = True) -> list[str]:
    ctx = StepContext(api_version=api_version, eca_global_oauth=eca_global_oauth)
    steps: list[Step] = [step for kind in KINDS for entry in spec.of(kind.name)
                         for step in kind.next_steps(entry, ctx)]
    if not steps:
        return []
    # Stable sort: registry order within a phase; a step several entries share is listed once.
    texts = list(dict.fromkeys(step.text for step in sorted(steps, key=lambda s: s.phase)))
    lines = ["next steps in the org after deploy:"] + [f"  - {text}" for text in texts]
    if any("enter the" in text for text in texts):
        lines.append(
            "  secrets are entered in Setup > Named Credentials > External Credentials > Principals, or with "
            "`sfauthgen secrets set SPEC --credential EC --principal NAME` (the Connect API's "
            f"/services/data/v{api_version}/named-credentials/credential)"
        )
    return lines
