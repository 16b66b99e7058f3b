""""Did you mean" for every message that names something unknown: one rule, used everywhere."""

from __future__ import annotations

from collections.abc import Iterable


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to `value` (a typo, or the same word in other case), or None."""
    options = list(choices)
    import difflib  # here: only a misspelling needs it

    match = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if match:
        return match[0]
    lowered = {option.lower(): option for option in options}
    return lowered.get(value.lower())


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    match = closest(value, choices)
    return f"did you mean '{match}'?" if match else None


def did_you_mean_or_list(value: str, choices: Iterable[str], what: str) -> str:
    """A suggestion, else the declared names, else a note that there are none."""
    options = list(choices)
    hint = did_you_mean(value, options)
    if hint:
        return hint
    if options:
        return f"declared {what}: " + ", ".join(sorted(options))
    return f"the spec declares no {what}"
