"""Snippet includes (`--8<-- "name.md"`): each names a snippet that exists, or the editor gets the file, the
line, the missing name and the snippets there are, instead of pymdownx's SnippetMissingError traceback.

The includes are read by pymdownx's own snippet reader, line by line, so what counts as an include, a section
(`name.md:section`) or a line range is exactly what the build does.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from .errors import EditorError
from .source_files import not_utf8

SCISSORS = "8<-"


def _reader(config: dict):
    """pymdownx's snippet preprocessor with the site's settings (mkdocs.yml `pymdownx.snippets:`)."""
    import markdown
    from pymdownx.snippets import SnippetExtension

    settings = {key: value for key, value in config.items() if key != "auto_append"}
    md = markdown.Markdown(extensions=[SnippetExtension(**settings)])
    reader = md.preprocessors["snippet"]
    reader.seen, reader.bases, reader.failed = set(), None, set()
    reader.url_download = False  # never the network during a build
    return reader


def available(config: dict) -> list[str]:
    """The snippet files there are, relative to their base folders."""
    found = []
    for base in config.get("base_path") or ["."]:
        if os.path.isdir(base):
            found += sorted(p.relative_to(base).as_posix() for p in Path(base).rglob("*") if p.is_file())
    return found


def _includes(lines: list[str], reader) -> list[tuple[int, list[str]]]:
    """(line index, the lines to read it alone) for each include: `--8<-- "x"` lines and each line of a block."""
    found, block = [], False
    for number, line in enumerate(lines):
        if SCISSORS not in line and not block:
            continue
        marker = reader.RE_ALL_SNIPPETS.match(line)
        if marker and marker.group("escape"):
            continue
        if marker and marker.group("block_marker"):
            block = not block
        elif marker and not block:
            found.append((number, [line]))
        elif block and line.strip() and not line.strip().startswith(";"):
            found.append((number, ["--8<--", line, "--8<--"]))
    return found


def check(text: str, path: str, config: dict, root: str = ".") -> None:
    """Raise an EditorError for the first include in `text` whose snippet (or section) does not exist."""
    if SCISSORS not in text:
        return
    from pymdownx.snippets import SnippetMissingError

    reader = _reader(config)
    lines = text.split("\n")
    for number, include in _includes(lines, reader):
        try:
            reader.parse_snippets(include)
        except SnippetMissingError as error:
            raise missing(path, number + 1, lines[number], str(error), config, root) from None
        except UnicodeDecodeError as error:
            name = lines[number].split(SCISSORS)[-1].strip(" -\"'")
            raise EditorError(
                path,
                f"the snippet {name!r} included here is not UTF-8 text, so it cannot be read.",
                not_utf8(b"", name, error).fix,
                line=number + 1,
            ) from None


def missing(path: str, line: int, text: str, reason: str, config: dict, root: str = ".") -> EditorError:
    """The message for an include whose file or section is not there."""
    name = text.split(SCISSORS)[-1].strip().strip("-").strip().strip("\"'")
    there = available(config)
    folders = ", ".join(os.path.relpath(base, root) + "/" for base in config.get("base_path") or ["."])
    if "section" in reason:
        return EditorError(
            path,
            f"the snippet include {name!r} names a section that its file does not have ({reason}).",
            "check the section's name after the colon: it must match a `--8<-- [start:NAME]` line in the snippet.",
            line=line,
        )
    guess = difflib.get_close_matches(name.split(":")[0], there, n=1)
    hint = f"Did you mean {guess[0]!r}? " if guess else ""
    return EditorError(
        path,
        f"the snippet {name!r} included here does not exist.",
        f"{hint}Check the name between the quotation marks: the snippets are the files in {folders} "
        f"({', '.join(there) or 'none'}).",
        line=line,
    )
