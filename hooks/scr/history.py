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
        # -M: a renamed file keeps its history; a pure rename (R100) is not a change to the page.
        log = git("log", "--format=@%cs", "--name-status", "-M", "--", folder)
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    now_called: dict[str, str] = {}  # a path as an older commit names it -> the path the file has now
    current = None
    prefix = folder.rstrip("/") + "/"
    for line in log.splitlines():
        if line.startswith("@"):
            current = dt.date.fromisoformat(line[1:])
            continue
        status, *paths = line.split("\t")
        if not paths or not current:
            continue
        path = now_called.get(paths[-1], paths[-1])
        if status.startswith("R") and len(paths) == 2:
            now_called[paths[0]] = path  # older commits call it by its old name
            if status == "R100":
                continue
        elif status.startswith("D"):
            continue
        if path.startswith(prefix) and path[len(prefix) :] not in dates:
            dates[path[len(prefix) :]] = current
    return dates
