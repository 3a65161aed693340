"""Names of bodies, written once in mkdocs.yml (`extra: names:`) and shown wherever an editor puts
<!-- name: KEY --> in a sentence, so that one correction fixes every page, PDF and the handbook.
"""

from __future__ import annotations

import html
import re

from .errors import EditorError

MARKER = re.compile(r"<!--\s*name:\s*(?P<key>[\w-]+)\s*-->")
LOOSE_MARKER = re.compile(r"<!--\s*name\b.*?-->", re.S)
HEADING = re.compile(r"[ ]{0,3}#{1,6}\s")
WHERE = "mkdocs.yml (extra.names)"


def load(raw: object) -> dict[str, str]:
    """Check `extra.names` from mkdocs.yml: each key is a lower-case word or words joined by hyphens."""
    if not isinstance(raw, dict) or not raw:
        raise EditorError(WHERE, "there are no names.", "restore the `names:` list under `extra:`.")
    names = {}
    for key, value in raw.items():
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(key)):
            raise EditorError(WHERE, f"the key {key!r} is not lower-case words joined by hyphens.", "rename it.")
        if not isinstance(value, str) or not value.strip():
            raise EditorError(WHERE, f"the name {key!r} is empty.", f"write the name after `{key}:`.")
        names[str(key)] = value.strip()
    return names


def render_markdown(markdown: str, path: str, names: dict[str, str], first_line: int = 1) -> str:
    """Replace each <!-- name: KEY --> in a page's Markdown with the name; mistakes name the line."""

    def line_of(pos: int) -> int:
        return first_line + markdown.count("\n", 0, pos)

    for loose in LOOSE_MARKER.finditer(markdown):
        strict = MARKER.fullmatch(loose.group(0))
        if not strict:
            raise EditorError(
                path,
                f"this name marker is not written correctly: {loose.group(0)!r}.",
                "write it as <!-- name: KEY -->, with a key from `extra: names:` in mkdocs.yml.",
                line=line_of(loose.start()),
            )
        line_start = markdown.rfind("\n", 0, loose.start()) + 1
        if HEADING.match(markdown, line_start):
            raise EditorError(
                path,
                "a name marker is in a heading; the menu and the contents list would show the heading without it.",
                "write the name out in the heading, or move the marker into the text below it.",
                line=line_of(loose.start()),
            )
        _check_key(strict.group("key"), names, path, line_of(loose.start()))
    return MARKER.sub(lambda match: names[match.group("key")], markdown)


def render_html(content: str, path: str, names: dict[str, str]) -> str:
    """Replace markers that reached the HTML from an included snippet (docs/_snippets/)."""
    for match in MARKER.finditer(content):
        _check_key(match.group("key"), names, path + " (or a snippet it includes)", None)
    return MARKER.sub(lambda match: html.escape(names[match.group("key")], quote=False), content)


def _check_key(key: str, names: dict[str, str], path: str, line: int | None) -> None:
    if key not in names:
        raise EditorError(
            path,
            f"unknown name {key!r}.",
            f"use one of: {', '.join(names)}; or add {key!r} under `extra: names:` in mkdocs.yml.",
            line=line,
        )


def written_without_star(field: str, key: str, whose: str) -> tuple[str, str]:
    """(problem, fix) for a setting that holds a key of `extra: names:` where the name belongs: the * is missing."""
    return (
        f"{whose} has `{field}: {key}`, the key of a name under `extra: names:`, so pages and PDFs would show "
        f"'{key}' instead of the name: the * in front of it is missing.",
        f"write `{field}: *{key}`, with the * in front, so the full name is used (the line `{key}:` under "
        f"`names:` must have &{key} after its colon).",
    )


def render_meta(meta: dict, path: str, names: dict[str, str], line_of) -> None:
    """Name markers in front-matter text (a title, a description, a question) become the names, as in the page,
    so the browser tab, the menu, search and the PDFs never show a raw marker."""
    for key, value in meta.items():
        if isinstance(value, str) and "<!--" in value:
            meta[key] = render_markdown(value, path, names, line_of(key))
