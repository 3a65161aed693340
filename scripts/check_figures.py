"""Every figure carries its source: find a figure in docs/ whose paragraph cites nothing.

A figure is a percentage ("12%", "35 per cent"), an "N of M" ("206 of the 368"), a rate ("54 a
year") or a count of what a report counted ("293 SCRs", "602 children"). Its paragraph (or list
item, or table row) is cited when it has a footnote reference ([^1]), or when a "Source:" line
follows it before the next heading, as in the FAQ answers. Lines in a "Sources" section and
footnote definitions are citations themselves.

Figures that need no source (one of the site's own numbers, say) go in mkdocs.yml under
`extra: figures_allow_list:`, as `"the text on the page": "why it needs no source"`.

Run: `.venv/bin/python scripts/check_figures.py [PROJECT_DIR]` (`make lint` does, for this project).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

NOUNS = (
    r"SCRs?|serious case reviews?|reviews?|reports?|final reports|children|child deaths|deaths"
    r"|cases|babies|families|incidents|notifications"
)
NUMBER = r"\b(?!(?:19|20)\d\d\b)\d+(?:,\d{3})*(?:\.\d+)?"  # 1,234 or 12.5; not a year such as 2011
FIGURE = re.compile(
    rf"{NUMBER}\s?(?:%|per\s?cent\b)"  # 12%, 12.5 per cent
    rf"|{NUMBER}\s+of\s+(?:the\s+|its\s+|their\s+|these\s+)?\d+(?:,\d{{3}})*\b"  # 206 of the 368
    rf"|{NUMBER}\s+(?:a|per)\s+year\b"  # 54 a year
    rf"|{NUMBER}\s+(?:[a-z-]+\s+)?(?:{NOUNS})\b",  # 293 SCRs, 27 serious case reviews, 35 fatal cases
    re.I,
)
FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\](?!:)")
SOURCE_LINE = re.compile(r"^\s*(?:\*\*)?Sources?:", re.I)
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*)$")
NEW_UNIT = re.compile(r"^\s*(?:[-*+]\s|\d+\.\s|\||!!!|:\s{3})")
SKIP_LINE = re.compile(r"^\s*(?:\[\^[^\]]+\]:|\*\[[^\]]+\]:|--8<--|<!--)")


@dataclass
class Problem:
    path: str
    line: int
    figure: str

    @property
    def message(self) -> str:
        return (
            f"{self.path}, line {self.line}: the figure {self.figure!r} has no source in its paragraph.\n"
            "  How to fix it: add a footnote naming the document (and, for a report, the page), for example "
            "[^1] and a line '[^1]: Title, publisher, date, page 12.'; or, if the figure needs no source, "
            "add its text under `figures_allow_list:` in mkdocs.yml with the reason."
        )


def load_allow_list(root: Path = ROOT) -> dict[str, str]:
    """`extra.figures_allow_list` from mkdocs.yml: text on the page -> why it needs no source."""
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    allow = (config.get("extra") or {}).get("figures_allow_list") or {}
    if not isinstance(allow, dict) or not all(isinstance(v, str) and v.strip() for v in allow.values()):
        raise SystemExit(
            'mkdocs.yml: each entry under `figures_allow_list:` must be `"text": "reason"`, with a reason.'
        )
    return {str(text): reason for text, reason in allow.items()}


def units(text: str) -> list[list[tuple[int, str]]]:
    """Paragraphs, list items and table rows, each as (line number, line) pairs; front matter, code
    blocks, footnote definitions and everything in a Sources section left out. A heading ends a section:
    it is returned as an empty unit so that a following Source: line does not reach back past it."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
        start = end + 1
    result: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    in_code = in_sources = False
    for index in range(start, len(lines)):
        line, number = lines[index], index + 1
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            current = []
            continue
        heading = HEADING.match(line)
        if heading:
            in_sources = heading.group("text").strip().lower() in ("sources", "source", "references")
            result.append([])
            result.append([(number, heading.group("text"))])
            current = []
            continue
        if in_code or in_sources or not line.strip() or SKIP_LINE.match(line):
            current = []
            continue
        if not current or NEW_UNIT.match(line):
            current = []
            result.append(current)
        current.append((number, line))
    return result


def check_text(text: str, path: str, allow: dict[str, str]) -> list[Problem]:
    problems = []
    found = units(text)
    for position, unit in enumerate(found):
        if not unit:
            continue
        joined = " ".join(line for _, line in unit)
        if FOOTNOTE_REF.search(joined) or SOURCE_LINE.match(joined):
            continue
        section_rest = []
        for later in found[position + 1 :]:
            if not later:
                break
            section_rest.append(later)
        if any(SOURCE_LINE.match(later[0][1]) for later in section_rest):
            continue
        for number, line in unit:
            for match in FIGURE.finditer(line):
                if any(match.group(0) in allowed and allowed in line for allowed in allow):
                    continue
                problems.append(Problem(path, number, match.group(0).strip()))
    return problems


def check_docs(root: Path = ROOT) -> list[Problem]:
    allow = load_allow_list(root)
    problems = []
    for path in sorted((root / "docs").rglob("*.md")):
        relative = path.relative_to(root).as_posix()
        problems += check_text(path.read_text(encoding="utf-8"), relative, allow)
    return problems


def main(argv: list[str]) -> int:
    problems = check_docs(Path(argv[1]) if len(argv) > 1 else ROOT)
    for problem in problems:
        print(problem.message, file=sys.stderr)
    if problems:
        print(f"Figures: {len(problems)} figure(s) without a source.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
