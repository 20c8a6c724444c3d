"""The `cvpress` command's first step: the command line module loads here, so that Ctrl-C while it
loads (argparse, the package) exits quietly with 130 instead of a traceback. Standard library only."""

import os
import sys


def run() -> None:
    try:
        from cvpress.cli import run as command
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        os._exit(130)
    command()
