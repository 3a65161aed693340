"""Read mkdocs.yml (and mkdocs-offline.yml) strictly, before MkDocs does: `make serve` and `make build` run this first.

MkDocs reports a YAML mistake in mkdocs.yml as the parser's own words, with no fix (and, when mkdocs.yml
is saved during `make serve`, as a long traceback), and silently keeps one of two keys written twice.
This reads each file the way the build's hook does (hooks/scr/yaml_source.py) and prints the editor's
message, with line, column and fix. Checks of the values themselves (contacts, names, ...) run in the
build and in `make lint`.

Usage: .venv/bin/python scripts/check_config.py [FILE ...]   (default: mkdocs.yml mkdocs-offline.yml)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from scr.errors import EditorError  # noqa: E402
from scr.yaml_source import load_config_file  # noqa: E402

DEFAULT_FILES = ("mkdocs.yml", "mkdocs-offline.yml")


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or [name for name in DEFAULT_FILES if (ROOT / name).is_file()]
    for name in names:
        path = Path(name) if Path(name).is_absolute() else ROOT / name
        try:
            load_config_file(path, shown=path.name)
        except EditorError as error:
            print(f"ERROR   -  {error.message}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
