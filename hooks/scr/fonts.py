"""Characters the PDFs cannot draw: one that no installed font has (an emoji, say) would print as an empty box.

WeasyPrint draws each character with the print stylesheet's font, or any other installed font that has it
(fontconfig's fallback), so the question is whether any installed font covers it. fontconfig lists every
font's coverage (`fc-list --format '%{charset}'`) in one call.
"""

from __future__ import annotations

import bisect
import re
import subprocess
import unicodedata
from functools import lru_cache

from .errors import EditorError

# Characters that are never drawn themselves: joiners, variation selectors, marks for the text's direction.
INVISIBLE = ("Cc", "Cf", "Mn", "Me", "Zl", "Zp")
COMMENT = re.compile(r"<!--.*?-->", re.S)


@lru_cache(maxsize=1)
def coverage() -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The code points some installed font has, as sorted (starts, ends) of ranges; None without fontconfig."""
    try:
        listing = subprocess.run(
            ["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    ranges = []
    for part in listing.split():
        first, _, last = part.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(r[0] for r in merged), tuple(r[1] for r in merged)


def has_glyph(char: str, ranges: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
    starts, ends = ranges
    index = bisect.bisect_right(starts, ord(char)) - 1
    return index >= 0 and ord(char) <= ends[index]


def check(text: str, path: str) -> None:
    """Raise an EditorError for the first character of a page that no installed font can print."""
    odd = {c for c in set(text) if ord(c) > 0x7E and unicodedata.category(c) not in INVISIBLE}
    if not odd:
        return
    ranges = coverage()
    if ranges is None:
        return  # no fontconfig: the PDFs cannot be made here either, and pdf.py says so
    missing = {c for c in odd if not has_glyph(c, ranges)}
    if not missing:
        return
    visible = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)  # a comment is never printed
    for number, line in enumerate(visible.split("\n"), 1):
        for column, char in enumerate(line, 1):
            if char in missing:
                name = unicodedata.name(char, "unnamed character").lower()
                raise EditorError(
                    path,
                    f"the character {char} ({name}, U+{ord(char):04X}, character {column} of the line) is in no "
                    "font the PDFs can use, so every PDF of this page would show an empty box in its place.",
                    "replace it with words, or with a character the fonts have (most emoji cannot be printed); if the "
                    "character is needed, a developer can install a font that has it (DEB_RUNTIME in the Makefile).",
                    line=number,
                )
