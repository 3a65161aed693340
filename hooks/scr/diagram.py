"""The referral process diagram: an accessible SVG drawn at build time from the page's `process` list."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .errors import EditorError
from .frontmatter import MarkdownFile
from .templates import render

MARKER = "<!-- process-diagram -->"
WIDTH = 360
BOX_X = 44
BOX_WIDTH = WIDTH - BOX_X - 4
LINE_HEIGHT = 19
PADDING = 10
GAP = 26
WRAP = 30  # characters per line at the font size in the template (15px bold in a 300px box)


@dataclass(frozen=True)
class Step:
    number: int
    step: str
    time: str
    step_lines: tuple[str, ...]
    time_lines: tuple[str, ...]
    y: int
    height: int


def parse_steps(doc: MarkdownFile) -> list[tuple[str, str]]:
    raw = doc.meta.get("process")
    if not isinstance(raw, list) or len(raw) < 2:
        raise EditorError(
            doc.path,
            "the page has a process diagram marker but no `process` list of at least two steps.",
            "add `process:` to the front matter with items `- step: ...` and `time: ...` (see CONTRIBUTING.md).",
            line=doc.line_of("process"),
        )
    steps = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("step") or not item.get("time") or set(item) - {"step", "time"}:
            raise EditorError(
                doc.path,
                f"step {number} of `process` must have exactly a `step` and a `time`.",
                "write it as `- step: What happens` with `time: When` on the next line, indented to line up.",
                line=doc.line_of("process"),
            )
        steps.append((str(item["step"]).strip(), str(item["time"]).strip()))
    return steps


def layout(steps: list[tuple[str, str]]) -> tuple[list[Step], int]:
    placed, y = [], 4
    for number, (step, time) in enumerate(steps, start=1):
        step_lines = tuple(textwrap.wrap(step, WRAP))
        time_lines = tuple(textwrap.wrap(time, WRAP + 4))
        height = PADDING * 2 + LINE_HEIGHT * (len(step_lines) + len(time_lines))
        placed.append(Step(number, step, time, step_lines, time_lines, y, height))
        y += height + GAP
    return placed, y - GAP + 4


def render_svg(steps: list[tuple[str, str]], title: str) -> str:
    placed, height = layout(steps)
    return render(
        "process.svg",
        steps=placed,
        title=title,
        width=WIDTH,
        height=height,
        box_x=BOX_X,
        box_width=BOX_WIDTH,
        line_height=LINE_HEIGHT,
        padding=PADDING,
        gap=GAP,
    )


def render_page(markdown: str, doc: MarkdownFile, title: str) -> str:
    if MARKER not in markdown:
        return markdown
    svg = render_svg(parse_steps(doc), title)
    # One line of HTML, so Markdown passes it through untouched.
    return markdown.replace(MARKER, " ".join(svg.split()), 1)
