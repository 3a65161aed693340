"""Page history: the date of the last commit that touched each page's source, for "Last updated"."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_commit_dates(repo: Path, folder: str = "docs") -> dict[str, dt.date]:
    """Map each file under `folder` (path relative to it) to the date of the last commit that changed it.

    Empty outside git, when git is missing, and in a shallow clone (where every file would seem to have
    changed in the one commit there is), so callers fall back to another date.
    """

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, timeout=60
        ).stdout

    try:
        if git("rev-parse", "--is-shallow-repository").strip() != "false":
            return {}
        log = git("log", "--format=@%cs", "--name-only", "--no-renames", "--", folder)
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    current = None
    prefix = folder.rstrip("/") + "/"
    for line in log.splitlines():
        if line.startswith("@"):
            current = dt.date.fromisoformat(line[1:])
        elif line.startswith(prefix) and current and line[len(prefix) :] not in dates:
            dates[line[len(prefix) :]] = current
    return dates
