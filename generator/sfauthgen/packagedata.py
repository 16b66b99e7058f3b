"""Files that ship inside the package: JSON schemas, the metadata registry, the XSD, and (in a wheel)
the templates.

Read by path beside this module: a wheel installs the package as a folder, and `importlib.resources`
would cost every command several milliseconds of imports (tempfile, shutil, zipfile) to say the same.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent


def data_file(relative: str) -> Path:
    """A file below the package folder, by its '/'-separated path there."""
    return PACKAGE_DIR.joinpath(*relative.split("/"))
