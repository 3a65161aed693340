"""Old addresses of renamed or removed pages, kept working with a small page that sends the reader on.

Editors list them in mkdocs.yml, `extra: redirects:`, as `old-name.md: new-name.md`. The build writes
a page at the old address (on the site and in the offline copy) that moves on at once and also shows
a link, with no script, so it works under the site's Content-Security-Policy and from disk.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import EditorError
from .templates import render

WHERE = "mkdocs.yml (extra.redirects)"


@dataclass(frozen=True)
class Redirect:
    old: str  # the Markdown path the page had, relative to docs/
    new: str  # the Markdown path it has now


def _line(config_text: str, needle: str) -> int | None:
    """The line of mkdocs.yml's redirects section that mentions `needle`, if there is one."""
    lines = config_text.splitlines()
    start = next((n for n, line in enumerate(lines) if line.strip() == "redirects:"), 0)
    return next((n + 1 for n, line in enumerate(lines[start:], start) if needle in line), None)


def _error(config_text: str, needle: str, problem: str, fix: str) -> EditorError:
    line = _line(config_text, needle)
    return EditorError(f"mkdocs.yml, line {line} (extra.redirects)" if line else WHERE, problem, fix)


def load(value, pages: set[str], config_path: str | Path | None = None) -> list[Redirect]:
    """Check `extra: redirects:` against the pages that exist; refuse loops, chains and missing targets."""
    if value is None:
        return []
    config_text = Path(config_path).read_text(encoding="utf-8") if config_path else ""
    if not isinstance(value, Mapping):
        raise EditorError(
            WHERE,
            f"`redirects` is {value!r}, not a list of `old-name.md: new-name.md` lines.",
            "write each redirect on its own line under `redirects:`, indented, as `old-name.md: new-name.md`.",
        )
    found = []
    for old, new in value.items():
        if not isinstance(old, str) or not isinstance(new, str) or not old.endswith(".md") or not new.endswith(".md"):
            raise _error(
                config_text,
                str(old),
                f"the redirect `{old}: {new}` does not name two Markdown files.",
                "write it as `old-name.md: new-name.md`, both relative to docs/, for example "
                "`regional-eastern-guide.md: eastern-region-guide.md`.",
            )
        if old in pages:
            raise _error(
                config_text,
                old,
                f"docs/{old} still exists, so a redirect from its address would hide it.",
                f"delete docs/{old} if the page has moved, or remove this redirect.",
            )
        if new in value:
            raise _error(
                config_text,
                old,
                f"{old} redirects to {new}, which redirects again (to {value[new]}).",
                f"point each old name straight at the page as it is now: `{old}: {_final(value, old)}`.",
            )
        if new not in pages:
            close = difflib.get_close_matches(new, sorted(pages), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise _error(
                config_text,
                old,
                f"the redirect from {old} goes to docs/{new}, which does not exist.",
                f"name the page's file as it is now, relative to docs/.{hint}",
            )
        found.append(Redirect(old, new))
    return found


def _final(value: Mapping, start: str) -> str:
    """Where a chain of redirects ends (or where it starts to go round in a loop)."""
    seen, current = {start}, value[start]
    while current in value and current not in seen:
        seen.add(current)
        current = value[current]
    return current if current not in value else "the page's current file"


def page(target_url: str, title: str) -> str:
    """The small page left at an old address."""
    return render("redirect.html", url=target_url, title=title)
