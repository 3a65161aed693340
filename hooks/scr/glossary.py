"""The glossary: one abbreviations file gives both the tooltips on every page and the Glossary table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import EditorError
from .templates import render

MARKER = "<!-- glossary -->"
DEFINITION = re.compile(r"^\*\[(?P<abbr>[^\]]+)\]:[ \t]*(?P<meaning>.*)$")


@dataclass(frozen=True)
class Abbreviation:
    abbr: str
    meaning: str


def parse(text: str, path: str) -> list[Abbreviation]:
    """Read `*[ABBR]: Meaning` lines; anything else that is not blank is a mistake."""
    found: dict[str, Abbreviation] = {}
    # Blank out comments but keep their line breaks, so line numbers stay true.
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = DEFINITION.match(line)
        if not match or not match.group("meaning").strip():
            raise EditorError(
                path,
                f"this line is not an abbreviation: {line.strip()!r}.",
                "write each abbreviation as *[SCR]: Serious Case Review on a line of its own.",
                line=number,
            )
        abbr = match.group("abbr").strip()
        if abbr in found:
            raise EditorError(
                path,
                f"{abbr} is defined twice.",
                f"keep one line for {abbr} and delete the other.",
                line=number,
            )
        found[abbr] = Abbreviation(abbr, match.group("meaning").strip())
    return sorted(found.values(), key=lambda a: a.abbr.casefold())


def render_page(markdown: str, abbreviations: list[Abbreviation]) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, render("glossary.md", abbreviations=abbreviations), 1)
