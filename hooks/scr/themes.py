"""Practice themes: one page per theme under docs/practice-themes/, an index of cards, related links."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .body_checks import check_sections
from .briefings import SECTIONS, SECTIONS_FIX, BriefingText, check_front_matter
from .errors import EditorError
from .faq import FaqQuestion
from .frontmatter import MarkdownFile, require, text, whole_number
from .nav import paths as nav_paths
from .nav import sections as nav_sections
from .tags import check_tags
from .templates import render

FOLDER = "practice-themes/"
INDEX = FOLDER + "index.md"
MARKER = "<!-- themes:index -->"
RELATED_LIMIT = 3
# A theme's fields on top of a guidance page's required ones (and `tags`, which check_tags requires), with examples.
REQUIRED = {
    "summary": "One sentence for the card on the themes page.",
    "child_says": "A short line in the child's voice, without quotation marks.",
    "order": "90",
}


@dataclass(frozen=True)
class Theme:
    src_uri: str
    title: str
    summary: str
    child_says: str
    order: int
    tags: tuple[str, ...]
    briefing: BriefingText = BriefingText()  # what the editor chose for boxes 1, 2 and 4 of its briefing

    @property
    def file_name(self) -> str:
        return posixpath.basename(self.src_uri)


def is_theme(src_uri: str) -> bool:
    return src_uri.startswith(FOLDER) and src_uri.endswith(".md") and src_uri != INDEX


def parse_theme(doc: MarkdownFile, known_tags: dict[str, str]) -> Theme:
    require(
        doc,
        REQUIRED,
        "this practice theme",
        " (see CONTRIBUTING.md, 'Add a practice theme')",
    )
    order = whole_number(doc, "order", "write a whole number such as order: 90; themes are listed from low to high.")
    return Theme(
        src_uri=doc.path.removeprefix("docs/"),
        title=text(doc, "title"),
        summary=text(doc, "summary"),
        child_says=text(doc, "child_says").strip("\"'“”"),
        order=order,
        tags=tuple(check_tags(doc, known_tags)),
        briefing=check_front_matter(doc),
    )


def check_briefing_sections(doc: MarkdownFile) -> None:
    """The sections the theme's 7-minute briefing is made from: checked in every build, not only when the
    briefings are rendered, so the preview says so too."""
    check_sections(doc.path, doc.body, doc.body_line, SECTIONS, SECTIONS_FIX)


def ordered(themes: list[Theme]) -> list[Theme]:
    return sorted(themes, key=lambda t: (t.order, t.title))


def add_to_nav(nav: list, themes: list[Theme]) -> bool:
    """Append each theme to the nav section that holds the themes index. True if the section was found."""
    for items in nav_sections(nav):
        listed = nav_paths(items)
        if INDEX in listed:
            items.extend({theme.title: theme.src_uri} for theme in ordered(themes) if theme.src_uri not in listed)
            return True
    return False


def render_index(markdown: str, themes: list[Theme], path: str) -> str:
    if MARKER not in markdown:
        raise EditorError(
            path,
            f"the practice themes page has no {MARKER} marker, so the theme cards have nowhere to go.",
            f"put {MARKER} on a line of its own where the cards should appear.",
        )
    return markdown.replace(MARKER, render("theme-cards.md", themes=ordered(themes)), 1)


def related(theme: Theme, themes: list[Theme], questions: list[FaqQuestion]) -> tuple[list[Theme], list[FaqQuestion]]:
    """Themes and FAQ questions that share most tags with this theme, best first."""

    def score(tags: tuple[str, ...]) -> int:
        return len(set(tags) & set(theme.tags))

    others = [t for t in ordered(themes) if t.src_uri != theme.src_uri and score(t.tags)]
    others.sort(key=lambda t: -score(t.tags))  # stable: ties keep the editors' order
    close = [q for q in questions if score(q.tags)]
    close.sort(key=lambda q: -score(q.tags))
    return others[:RELATED_LIMIT], close[:RELATED_LIMIT]


def add_related(markdown: str, theme: Theme, themes: list[Theme], questions: list[FaqQuestion]) -> str:
    """Insert 'Related themes' and 'Related questions' before the Sources section (or at the end)."""
    near_themes, near_questions = related(theme, themes, questions)
    if not near_themes and not near_questions:
        return markdown
    block = render("related.md", themes=near_themes, questions=near_questions)
    sources = re.search(r"^## Sources\s*$", markdown, re.M)
    if sources:
        return markdown[: sources.start()] + block + "\n" + markdown[sources.start() :]
    return markdown.rstrip("\n") + "\n\n" + block
