"""sfauthgen: Salesforce authentication metadata from a reviewed YAML spec."""

__version__ = "0.1.0"


def main() -> None:
    """The `sfauthgen` command. A Ctrl-C while its modules are still loading (the first tenth of a
    second) ends the run as one later does: exit 130, without Python's traceback."""
    try:
        from sfauthgen.cli import main as run_command
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    run_command()
