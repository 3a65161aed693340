"""Reading an editor's Markdown the way Python-Markdown does: fenced code blocks and the page's title."""

from __future__ import annotations

import re

FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}(?!.*`)|~{3,})")
ATX_TITLE = re.compile(r"^#[ \t]+\S")
SETEXT_TITLE = re.compile(r"^=+[ \t]*$")


def fenced_blocks(lines: list[str]) -> list[range]:
    """The closed fenced code blocks (``` or ~~~, closed by the same character at least as many times), as
    ranges of line indices from the opening fence to the closing one. An unclosed fence is not code."""
    blocks, start, fence = [], None, ""
    for number, line in enumerate(lines):
        if start is None:
            opening = FENCE_OPEN.match(line)
            if opening:
                start, fence = number, opening.group(1)
        elif re.fullmatch(rf"[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*", line):
            blocks.append(range(start, number + 1))
            start = None
    return blocks


def unclosed_fence(lines: list[str]) -> int | None:
    """Index of the line that opens a fenced code block which is never closed, if there is one."""
    closed = {block.start for block in fenced_blocks(lines)}
    code = code_lines(lines)
    for number, line in enumerate(lines):
        if number not in code and number not in closed and FENCE_OPEN.match(line):
            return number
    return None


def code_lines(lines: list[str]) -> set[int]:
    """Indices of the lines that belong to a fenced code block (fences included)."""
    return {number for block in fenced_blocks(lines) for number in block}


def title_end(markdown: str) -> int | None:
    """Index of the last line of the page's `# Title` (or `Title` underlined with `===`), outside code."""
    lines = markdown.split("\n")
    code = code_lines(lines)
    for index, line in enumerate(lines):
        if index in code:
            continue
        if ATX_TITLE.match(line):
            return index
        if (
            index + 1 < len(lines)
            and line.strip()
            and index + 1 not in code
            and SETEXT_TITLE.match(lines[index + 1])
            and (index == 0 or not lines[index - 1].strip())
        ):
            return index + 1
    return None


def ensure_title(markdown: str, title: str) -> str:
    """Give a page with no title line a `# Title` from its front matter (Material shows one anyway), so
    what goes under the title (the download links, a historical note) has a place to go."""
    if title_end(markdown) is not None:
        return markdown
    return f"# {title}\n\n{markdown.lstrip(chr(10))}"


def add_after_title(markdown: str, block: str) -> str:
    """Insert a block after the page's title (or at the top if there is none)."""
    end = title_end(markdown)
    if end is None:
        return block.rstrip("\n") + "\n\n" + markdown
    lines = markdown.split("\n")
    return "\n".join(lines[: end + 1] + ["", block.rstrip("\n"), ""] + lines[end + 1 :])
