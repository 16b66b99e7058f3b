"""The `sfauthgen` entry point itself: what happens before the command's modules are loaded."""

from __future__ import annotations

import subprocess
import sys

INTERRUPT_WHILE_LOADING = """
import builtins, sys
real_import = builtins.__import__
def interrupted(name, *args, **kwargs):
    if name == "sfauthgen.cli":
        raise KeyboardInterrupt  # as Ctrl-C pressed while the command's modules load
    return real_import(name, *args, **kwargs)
builtins.__import__ = interrupted
import sfauthgen
sfauthgen.main()
"""


def test_ctrl_c_while_the_command_loads_exits_130_quietly():
    done = subprocess.run([sys.executable, "-c", INTERRUPT_WHILE_LOADING], capture_output=True, text=True)
    assert done.returncode == 130
    assert done.stderr == ""
