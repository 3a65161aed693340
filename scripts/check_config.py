"""Check that mkdocs.yml can be read, before MkDocs reads it: `make serve`, `make build` and `make lint` run this first.

A YAML mistake (a wrong indent, a colon in unquoted text, a key written twice) is one message with the
line, the column and what to do, and no traceback. Exit status 1 on a mistake, 0 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from scr import config_file  # noqa: E402
from scr.errors import EditorError  # noqa: E402


def main(argv: list[str]) -> int:
    for name in argv or ["mkdocs.yml"]:
        try:
            config_file.load(ROOT / name)
        except EditorError as error:
            print(error.message, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
