"""Page history: the date of the last commit that touched each page's source, for "Last updated"."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from .errors import EditorError

NO_HISTORY_FIX = (
    "check the repository out with its whole history (actions/checkout with `fetch-depth: 0`) and, in a "
    'container, mark it safe first: git config --global --add safe.directory "$GITHUB_WORKSPACE".'
)


def last_commit_dates(repo: Path, folder: str = "docs", required: bool = False) -> dict[str, dt.date]:
    """Map each file under `folder` (path relative to it) to the date of the last commit that changed it.

    Empty outside git, when git is missing, and in a shallow clone (where every file would seem to have
    changed in the one commit there is), so callers fall back to another date. With `required` (a build on
    GitHub Actions), a checkout whose history git cannot read is an error instead: there, falling back
    would publish every page with a wrong "Last updated" date and nobody would notice.
    """
    checkout = (Path(repo) / ".git").exists()

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, timeout=60
        ).stdout

    try:
        if git("rev-parse", "--is-shallow-repository").strip() != "false":
            if required and checkout:
                raise EditorError(
                    "the git checkout", "it is shallow, so every page would seem changed today.", NO_HISTORY_FIX
                )
            return {}
        # -M: a renamed file keeps its history; a pure rename (R100) is not a change to the page.
        log = git("log", "--format=@%cs", "--name-status", "-M", "--", folder)
    except (OSError, subprocess.SubprocessError) as error:
        if required and checkout:
            said = (getattr(error, "stderr", "") or str(error)).strip().splitlines()
            raise EditorError(
                "the git checkout",
                f"git cannot read its history ({said[0] if said else error}), so no page would have its real "
                '"Last updated" date.',
                NO_HISTORY_FIX,
            ) from None
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
